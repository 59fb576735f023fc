/**
 * Renders Talkdesk's "API Manifest" document (sample: docs/talkdesk-manifest.md) filled in for
 * one deployment, as Markdown, following the template's sections in order. The configuration values
 * come from `buildManifest`, and every sample response is produced by the bridge's own mapping and
 * validation functions from the sample candidate, so the document cannot drift from the code.
 * Pure: `./run.mjs` bundles this module and does the file and console I/O.
 */
import { DEFAULT_TALKDESK_RATE_LIMIT } from "../../src/config/settings";
import { UpstreamError } from "../../src/platform/errors";
import { ACTION_MESSAGES, TALKDESK_ACTIONS, type TalkdeskActionName } from "../../src/talkdesk/actions-def";
import { talkdeskBudgetExceeded } from "../../src/talkdesk/budget";
import { buildContactPage, type ContactRow, planContactPage, type TalkdeskContactPage } from "../../src/talkdesk/contact-sync";
import { talkdeskError, UNKNOWN_ACTION_MESSAGE, UNKNOWN_KEY_MESSAGE } from "../../src/talkdesk/errors";
import { buildManifest, normalizeBaseUrl, TALKDESK_PATHS, type TalkdeskAction, type TalkdeskManifest } from "../../src/talkdesk/manifest";
import { TALKDESK_INTERACTION_TYPES, toAgentPage, toInteractions, toTalkdeskContact } from "../../src/talkdesk/mapping";
import { parseActionInput } from "../../src/talkdesk/schemas";
import { SAMPLE_DETAILS, SAMPLE_PERSON, SAMPLE_PERSON_MINIMAL, SAMPLE_USERS, sampleCallNoteText } from "./samples";

export interface TechnicalContact {
  name: string;
  email: string;
  /** Shown in the first column (e.g. "Integration lead"); defaults to "Technical contact N". */
  role?: string;
  notes?: string;
}

/** Everything the document needs besides the code's own definitions; see `cli.ts`. */
export interface ManifestDocumentInput {
  baseUrl: string;
  clientName: string;
  /** `YYYY-MM-DD`. */
  date: string;
  technicalContacts: TechnicalContact[];
  keybaseUsername: string;
  /** The customer's Talkdesk account domain (e.g. `acme.mytalkdesk.com`), the account to activate. */
  talkdeskAccount: string;
  testInProduction: boolean;
  /** The integration's own API documentation ("{IntegrationName} Weblink"). */
  documentationUrl: string;
  logoUrl?: string;
  iconUrl?: string;
}

/** Talkdesk's reference pages for each component (the template's "Talkdesk Weblink"s). */
export const TALKDESK_DOC_LINKS = {
  current: "https://docs.talkdesk.com/docs/integrations",
  customIntegration: "https://docs.talkdesk.com/docs/talkdesk-custom-integration",
  configuration: "https://github.com/Talkdesk/api/blob/master/integrations/configuration/README.md",
  actions: "https://github.com/Talkdesk/api/blob/master/integrations/action-execution/README.md",
  agents: "https://github.com/Talkdesk/api/blob/master/integrations/agent-synchronization/README.md",
  auth: "https://github.com/Talkdesk/api/blob/master/integrations/auth-validation/README.md",
  contacts: "https://github.com/Talkdesk/api/blob/master/integrations/contact-synchronization/README.md",
  interactions: "https://github.com/Talkdesk/api/blob/master/integrations/interaction-update/README.md",
} as const;

/** Written into sample requests instead of a real key: the document is shared outside the team. */
const SAMPLE_AUTH = { api_key: "<the API key the bridge issued to the tenant>" };

const json = (value: unknown) => JSON.stringify(value, null, 2);
const block = (value: unknown, lang = "json") => [`\`\`\`${lang}`, typeof value === "string" ? value : json(value), "```"].join("\n");

/** A Markdown table cell: pipes escaped, line breaks kept visible. */
function cell(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>");
}

function codeCell(value: unknown): string {
  return `\`${cell(typeof value === "string" ? value : JSON.stringify(value))}\``;
}

function table(header: [string, string, ...string[]], rows: string[][]): string {
  return [
    `| ${header.map(cell).join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((row) => `| ${row.join(" | ")} |`),
  ].join("\n");
}

function exchange(title: string, request: unknown, responses: Array<[string, unknown]>): string {
  return [
    `**${title}**`,
    "",
    "Request (`POST`, `Content-Type: application/json`):",
    "",
    block(request),
    "",
    ...responses.flatMap(([label, body]) => [`Response ${label}:`, "", block(body), ""]),
  ].join("\n");
}

function header(input: ManifestDocumentInput, manifest: TalkdeskManifest): string {
  const contacts = input.technicalContacts.map((c, i) => [
    cell(c.role?.trim() || `Technical contact ${i + 1}`),
    cell(`${c.name} <${c.email}>`),
    cell(c.notes?.trim() ?? ""),
  ]);
  return [
    "**:talkdesk®**",
    "",
    `# ${manifest.display_name} API Manifest - ${input.clientName}`,
    "",
    "**Talkdesk CRM Integration**",
    "",
    `**Date:** ${input.date}`,
    "",
    `**Instructions:** This document has example input and responses for each action. Reference the examples and input the actual JSON files or data that will be needed to complete the integration details. Once completed, this document serves as the master submitted to the Talkdesk Integrations team to complete. (Here every example is the bridge's own: requests its schemas accept and the answers its code gives.)`,
    "",
    `**Talkdesk account / domain name:** ${input.talkdeskAccount}`,
    "",
    `_Generated by \`npm run manifest -- --url ${input.baseUrl}\` from the bridge's own definitions; ` +
      `the configuration below is what the deployment serves at \`${input.baseUrl}${TALKDESK_PATHS.manifest}\`. ` +
      "Regenerate rather than edit._",
    "",
    table([`${input.clientName} Technical Contact`, "Name & Email", "Notes"], contacts),
    "",
    "## Use Case Description",
    "",
    `To build an integration with ${manifest.display_name} to allow contact sync, agent sync, activity logging, and automation tasks to be executed. All components and underlying functions are optional to be implemented (except for the Talkdesk Integration itself); this integration implements all of them:`,
    "",
    "- **Contact sync:** Talemetry candidates become Talkdesk contacts (name, title, company, emails, E.164 phones, address, link to the candidate), initial and incremental, paged.",
    "- **Agent sync:** active Talemetry users become Talkdesk agents, linked by email.",
    "- **Activity:** when a contact is displayed, Talkdesk shows the candidate's Talemetry notes and job applications, newest first.",
    `- **Automation:** actions ${TALKDESK_ACTIONS.map((a) => `\`${a.name}\``).join(", ")} log calls and notes on the candidate, add phones and emails to it, and create a candidate for an unknown caller (Talkdesk then pops it).`,
    "",
    `All components below are implemented by the bridge (a Cloudflare Worker) at \`${input.baseUrl}\`.`,
    "",
  ].join("\n");
}

function components(manifest: TalkdeskManifest): string {
  return [
    "# Components Description",
    "",
    "## Talkdesk Integration",
    "",
    "- The Talkdesk Integrations API allows Talkdesk customers and partners to connect CRMs, support tools and other third party software where customer data is managed to their Talkdesk instances. This ensures that contact data is always up to date, and that important call-related information can be pushed to third party systems in real time.",
    `- Here: integration \`${manifest.name}\`, custom authentication with one field, \`api_key\`. Talemetry credentials stay in the bridge and never travel through Talkdesk.`,
    "",
    "## Action Executor",
    "",
    "- Talkdesk will execute a configured action on the bridge when a trigger of an automation where that action takes part happens on the system. Actions can also be executed from a request of a user with manually input data.",
    `- Here: ${manifest.actions.map((a) => `\`${a.name}\` (“Then ${a.display}”)`).join(", ")}. \`201\` on success, \`400 {"message"}\` naming the bad field otherwise, \`404\` for an unknown action.`,
    "",
    "## Agent Retriever",
    "",
    "- Talkdesk will send an HTTP POST to the bridge's endpoint when an agent synchronization is needed.",
    "- Here: active Talemetry users ordered by id, paged by an integer `offset`; agent `id` is the Talemetry user id (a string).",
    "",
    "## Authorization Validation",
    "",
    "- When a user activates an integration for their Talkdesk account, a POST will be made to the configured endpoint with the user's information for the configured authorization fields. The bridge should validate the credentials with the external service in order for the integration to be properly configured for the account.",
    "- Here: the bridge checks the `api_key` and that Talemetry accepts the tenant's stored credentials. `200 {}` when both hold, `401` when either is rejected, `503` when Talemetry cannot be reached (an outage is not a wrong key).",
    "",
    "## Contact Retriever",
    "",
    "- Talkdesk will send an HTTP POST to the bridge's configured endpoint when a contact synchronization is run. This request can be slightly different depending on the situation for which it is running: (Initial Sync, Incremental Sync, Next Page Sync)",
    "- Here: contacts come from the bridge's per-tenant candidate directory in ascending change sequence; `synchronization_checkpoint` and `next_offset` are opaque strings the bridge issues.",
    "",
    "## Interaction Retriever",
    "",
    "- Talkdesk's interaction updater will send an HTTP POST request to the bridge in order to retrieve a contact's interactions with the external service whenever that contact is being displayed to a user.",
    `- Here: interaction types ${manifest.interaction_types.map((t) => `\`${t}\``).join(" and ")}, read fresh from Talemetry.`,
    "",
  ].join("\n");
}

function configuration(input: ManifestDocumentInput, manifest: TalkdeskManifest): string {
  const { actions: _actions, ...integration } = manifest;
  const rows = Object.entries(integration).map(([field, value]) => [
    `\`${field}\``,
    typeof value === "string" ? cell(value) : codeCell(value),
  ]);
  return [
    "# 1: Configuring a Talkdesk Integration",
    "",
    `Talkdesk Weblink: [Configuring a Talkdesk Integration](${TALKDESK_DOC_LINKS.configuration}) (current docs: ${TALKDESK_DOC_LINKS.current})`,
    "",
    `${manifest.display_name} Weblink: ${input.documentationUrl}`,
    "",
    `- **Authentication Type:** \`${manifest.authentication_type}\``,
    "  - Available authentication types include: none, custom, oauth2 (and oauth2_password, oauth2_client_credentials); `authentication_configuration` is mandatory for custom.",
    "  - One field, `api_key`: the API key the bridge operator issues to the tenant (the same key TalentLynk uses). Talkdesk stores it and sends it in `auth` on every request; Talkdesk sends no other proof.",
    `- **Keybase User Name:** ${input.keybaseUsername}`,
    "  - This is required for passing security credentials to/from",
    `- **Should it be tested in the production environment?** ${input.testInProduction ? "Yes" : "No"}`,
    input.testInProduction
      ? "  - An API key for a test tenant of the production deployment will be provided via Keybase, upon request."
      : "  - Test against the sandbox deployment (built-in Talemetry simulator); an API key for it will be provided via Keybase, upon request.",
    "",
    `- **Request budget:** each Talkdesk account (tenant) may make ${DEFAULT_TALKDESK_RATE_LIMIT.requests.toLocaleString("en-US")} requests per ${DEFAULT_TALKDESK_RATE_LIMIT.periodSeconds} seconds to the bridge (its own budget, apart from other callers'); beyond it the answer is \`429\` with \`Retry-After\`:`,
    "",
    block({ message: talkdeskBudgetExceeded(DEFAULT_TALKDESK_RATE_LIMIT).detail }),
    "",
    "**Configuration Input:**",
    "",
    block(integration),
    "",
    table(["TD Field Name:", "Your Inputs:"], rows),
    "",
  ].join("\n");
}

/** Sample `data` per action: realistic values that pass the bridge's own input validation. */
const ACTION_SAMPLES: Record<
  TalkdeskActionName,
  { data: Record<string, unknown>; response: Record<string, string>; invalid: Record<string, unknown> }
> = {
  log_call: {
    data: {
      direction: "inbound",
      duration: "252",
      summary: "Asked about the ICU night-shift posting; prefers three 12-hour shifts a week.",
      call_id: "6f1d3b2a9c8e4f7a",
      phone: "+14155550142",
    },
    response: { message: ACTION_MESSAGES.callLogged, external_id: "note:9d2b6f10-a9b3-11ef-8d2c-0242ac120002" },
    invalid: { direction: "inbound", duration: "four minutes" },
  },
  add_note: {
    data: { text: "Sent the ICU night-shift job description by email.\nFollow up on Friday." },
    response: { message: ACTION_MESSAGES.noteAdded, external_id: "note:b41e7a9c-a9b3-11ef-8d2c-0242ac120002" },
    invalid: { text: "" },
  },
  update_contact: {
    data: { phones: "+1 415 555 0142, +1 510 555 0175", emails: "maya.ortiz@example.net" },
    response: { message: ACTION_MESSAGES.contactUpdated },
    invalid: { emails: "maya.ortiz@example.net, not-an-email" },
  },
  create_contact: {
    data: { name: "Jordan Reyes", phone: "+1 415 555 0175", email: "jordan.reyes@example.net", note: "Asked about night-shift openings." },
    response: {
      message: ACTION_MESSAGES.candidateCreated + ACTION_MESSAGES.noteAlsoAdded,
      external_id: "5c2e8a40-af61-11ef-8d2c-0242ac120002",
      contact_external_id: "5c2e8a40-af61-11ef-8d2c-0242ac120002",
      contact_external_type: "candidate",
      contact_external_url: "https://talemetry.example/candidates/5c2e8a40-af61-11ef-8d2c-0242ac120002",
    },
    invalid: { name: "Jordan Reyes" },
  },
};

function sampleMessage(action: TalkdeskActionName, data: Record<string, unknown>): string {
  const result = parseActionInput(action, data);
  if (result.success) throw new Error(`manifest sample for ${action} should be invalid`);
  return result.error.message;
}

/** The note the sample `log_call` writes in Talemetry, authored by the sample agent. */
function sampleCallNote(): string {
  const parsed = parseActionInput("log_call", ACTION_SAMPLES.log_call.data);
  if (!parsed.success) throw new Error(`manifest sample for log_call is invalid: ${parsed.error.message}`);
  const agent = SAMPLE_USERS[0]!;
  return sampleCallNoteText({
    direction: parsed.data.direction,
    duration_seconds: parsed.data.duration,
    summary: parsed.data.summary,
    agent: { name: agent.name, email: agent.email },
    call_id: parsed.data.call_id,
    phone: parsed.data.phone,
  });
}

function actionSection(action: TalkdeskAction): string {
  const name = action.name as TalkdeskActionName;
  const sample = ACTION_SAMPLES[name];
  const parsed = parseActionInput(name, sample.data);
  // The document must never show a sample the bridge itself would reject.
  if (!parsed.success) throw new Error(`manifest sample for ${name} is invalid: ${parsed.error.message}`);
  const request = {
    auth: SAMPLE_AUTH,
    meta: { contact_external_id: SAMPLE_PERSON.id, agent_external_id: SAMPLE_USERS[0]!.id },
    data: sample.data,
  };
  const lines = [
    `### Action: \`${action.name}\` — “Then ${action.display}”`,
    "",
    table(
      ["TD Field Name:", "Your Inputs:"],
      [
        ["`provider`", cell(action.provider)],
        ["`name`", cell(action.name)],
        ["`display`", cell(action.display)],
        ["`description`", cell(action.description)],
        ["`endpoint`", cell(action.endpoint)],
        ["`inputs`", codeCell(action.inputs)],
      ],
    ),
    "",
    block(action),
    "",
    exchange(`Sample: ${action.name}`, request, [["`201`", sample.response]]),
    exchange(`Sample: ${action.name} with invalid input`, { ...request, data: sample.invalid }, [
      ["`400`", { message: sampleMessage(name, sample.invalid) }],
    ]),
  ];
  if (name === "log_call") {
    lines.push("The note the recruiter then reads on the candidate in Talemetry:", "", block(sampleCallNote(), "text"), "");
  }
  return lines.join("\n");
}

function actions(manifest: TalkdeskManifest): string {
  return [
    "# 2: Implementing an Action Executor",
    "",
    `Talkdesk Weblink: [Implementing an Action Executor](${TALKDESK_DOC_LINKS.actions})`,
    "",
    "Each individual expected action is outlined with its own JSON below. Every action is a `POST` to its own endpoint; `data` is keyed by the action's `inputs[].key`, `meta` may carry `contact_external_id` (the candidate) and `agent_external_id` (the Talemetry user who becomes the note's author). Numbers may arrive as text (`\"252\"`), directions in any case, lists as arrays or comma-separated text. A Talkdesk retry of the same action within minutes does not create a second note.",
    "",
    "**Your Actions:**",
    "",
    ...manifest.actions.map(actionSection),
    `**Unknown action** (e.g. \`${manifest.actions[0]!.endpoint.replace(/[^/]+$/, "does_not_exist")}\`): \`404\`.`,
    "",
    block({ message: UNKNOWN_ACTION_MESSAGE }),
    "",
  ].join("\n");
}

function agents(manifest: TalkdeskManifest): string {
  const pageSize = 2;
  const first = toAgentPage(SAMPLE_USERS, 0, pageSize);
  const second = toAgentPage(SAMPLE_USERS, first.next_offset ?? 0, pageSize);
  return [
    "# 3: Implementing an Agent Retriever",
    "",
    `Talkdesk Weblink: [Implementing an Agent Retriever](${TALKDESK_DOC_LINKS.agents}) (aka Agent Sync)`,
    "",
    `Endpoint: \`${manifest.agent_synchronization_endpoint}\`. \`offset\` is the index of the page's first agent among active Talemetry users ordered by id; absent or \`null\` on the first call. \`next_offset\` only while more remain. (Page size ${pageSize} here for brevity.)`,
    "",
    exchange("First page", { auth: SAMPLE_AUTH, meta: { offset: null } }, [["`200`", first]]),
    exchange("Next page", { auth: SAMPLE_AUTH, meta: { offset: first.next_offset } }, [["`200`", second]]),
  ].join("\n");
}

function authorization(manifest: TalkdeskManifest): string {
  return [
    "# 4: Implementing an Authorization Validator",
    "",
    `Talkdesk Weblink: [Implementing an Authorization Validator](${TALKDESK_DOC_LINKS.auth})`,
    "",
    "Talkdesk sends a request, the bridge sends the response; the response follows the API contract for request and response (the examples in the link above). The bridge below is that implementation.",
    "",
    `Endpoint: \`${manifest.auth_validation_endpoint}\`. The response body of a \`200\` is stored by Talkdesk and sent back in \`auth\`; the bridge has nothing to add, so it is \`{}\`.`,
    "",
    exchange("Validate the API key", { auth: SAMPLE_AUTH }, [
      ["`200` (valid key, Talemetry accepts the tenant's credentials)", {}],
      ["`401` (unknown or revoked key)", { message: UNKNOWN_KEY_MESSAGE }],
      [
        "`401` (Talemetry rejects the tenant's stored credentials)",
        { message: talkdeskError("auth", new UpstreamError("auth", "rejected"))!.detail },
      ],
      [
        "`503` with `Retry-After` (Talemetry unreachable)",
        { message: talkdeskError("auth", new UpstreamError("unavailable", "down"))!.detail },
      ],
    ]),
  ].join("\n");
}

/** Runs one sample page through the real planner and builder, as the route does. */
function samplePage(
  meta: { synchronization_checkpoint?: string; offset?: string },
  highWater: number,
  rows: ContactRow[],
): TalkdeskContactPage {
  const plan = planContactPage(meta);
  if (!plan.ok) throw new Error(`manifest contact sample: ${plan.message}`);
  const outcome = buildContactPage(plan, { highWater, rows }, 1);
  if (outcome.restart) throw new Error("manifest contact sample: unexpected restart");
  return outcome.body;
}

function contacts(manifest: TalkdeskManifest): string {
  // The sample directory: the initial run fixes H = 1042 (rows 977 and 1001); afterwards both
  // candidates change (seq 1049 and 1056), and the next run fixes H = 1057. One contact per page.
  const extras = { address: SAMPLE_DETAILS.address };
  const initialRows = [
    { seq: 977, person: SAMPLE_PERSON, extras },
    { seq: 1001, person: SAMPLE_PERSON_MINIMAL, extras: null },
  ];
  const laterRows = [
    { seq: 1049, person: SAMPLE_PERSON, extras },
    { seq: 1056, person: SAMPLE_PERSON_MINIMAL, extras: null },
  ];
  const initial = samplePage({}, 1042, initialRows);
  const initialNext = samplePage({ offset: initial.next_offset }, 1042, initialRows);
  const incremental = samplePage({ synchronization_checkpoint: initial.synchronization_checkpoint }, 1057, laterRows);
  const incrementalNext = samplePage(
    { synchronization_checkpoint: initial.synchronization_checkpoint, offset: incremental.next_offset },
    1057,
    laterRows,
  );
  return [
    "# 5: Implementing a Contact Retriever",
    "",
    `Talkdesk Weblink: [Implementing a Contact Retriever](${TALKDESK_DOC_LINKS.contacts}) (aka Contact Sync)`,
    "",
    `Endpoint: \`${manifest.contact_synchronization_endpoint}\`. Every directory row has a change sequence number. The first page of a run fixes the run's high-water mark H; pages return rows with checkpoint < seq ≤ H in ascending seq; \`next_offset\` encodes H and the last seq sent; \`synchronization_checkpoint\` is H on every page. A row changed during a run moves above H and arrives in the next incremental run, so nothing is skipped or repeated. A checkpoint the bridge cannot read starts a full sync. Only valid phones are sent, in E.164. (One contact per page here for brevity.)`,
    "",
    exchange("Initial sync (no checkpoint, no offset)", { auth: SAMPLE_AUTH }, [["`200`", initial]]),
    exchange("Initial sync, next page (offset from the previous page)", { auth: SAMPLE_AUTH, meta: { offset: initial.next_offset } }, [
      ["`200` (last page: no `next_offset`)", initialNext],
    ]),
    exchange(
      "Incremental sync (checkpoint from the last run)",
      { auth: SAMPLE_AUTH, meta: { synchronization_checkpoint: initial.synchronization_checkpoint } },
      [["`200`", incremental]],
    ),
    exchange(
      "Incremental sync, next page",
      { auth: SAMPLE_AUTH, meta: { synchronization_checkpoint: initial.synchronization_checkpoint, offset: incremental.next_offset } },
      [["`200` (last page)", incrementalNext]],
    ),
  ].join("\n");
}

function interactions(manifest: TalkdeskManifest): string {
  const types = [...TALKDESK_INTERACTION_TYPES];
  const contact = toTalkdeskContact(SAMPLE_PERSON);
  return [
    "# 6: Implementing an Interaction Retriever",
    "",
    `Talkdesk Weblink: [Implementing an Interaction Retriever](${TALKDESK_DOC_LINKS.interactions})`,
    "",
    `Endpoint: \`${manifest.interaction_retrieval_endpoint}\`. The contact is found by \`contact_external_id\` when Talkdesk has it, else by its emails or phones. \`note\`: subject is the note's first line (at most 80 characters), description the rest. \`application\`: subject is the posting title, description the disposition status. Newest first; \`[]\` when no candidate matches.`,
    "",
    exchange(
      "Contact activity",
      {
        auth: SAMPLE_AUTH,
        meta: { interaction_types: types },
        data: {
          contact_external_id: contact.id,
          contact_name: contact.name,
          contact_emails: contact.emails ?? [],
          contact_phones: contact.phones ?? [],
        },
      },
      [["`200`", toInteractions(SAMPLE_DETAILS, types, { candidateUrl: SAMPLE_PERSON.url })]],
    ),
  ].join("\n");
}

function closing(input: ManifestDocumentInput, manifest: TalkdeskManifest): string {
  const summary = `${manifest.display_name} (recruiting CRM) via the bridge at ${input.baseUrl}; contact sync, agent sync, authorization validation, interaction retrieval and ${manifest.actions.length} actions.`;
  return [
    "## Completed Document Instructions",
    "",
    `Submit this document as Talkdesk's current documentation asks ([Custom Integration](${TALKDESK_DOC_LINKS.customIntegration}), "Submitting a New Custom Integration"): create a ticket with Talkdesk Support, choosing the **Technical and Product Support** option and the **Integrations** product area, with the subject **Activate Custom Integration**, and attach this document (pdf format preferred) at the end of the form. Include:`,
    "",
    `- Summary of integration/system, components in use, and overall objectives: ${summary}`,
    `- Talkdesk Account / Domain Name: ${input.talkdeskAccount}`,
    `- Your Keybase Username: ${input.keybaseUsername}`,
    `- Any relevant API documentation/links for your integrating system: ${input.documentationUrl}`,
    "",
    "Alternatively (the template's route), email this document to: [developers@talkdesk.com](mailto:developers@talkdesk.com)",
    "",
    "- Subject: New Talkdesk CRM Integration",
    "- Body:",
    `  - Summary of integration/system, components in use, and overall objectives: ${summary}`,
    `  - Talkdesk Account / Domain Name: ${input.talkdeskAccount}`,
    `  - Your Keybase Username: ${input.keybaseUsername}`,
    "- Attachments:",
    "  - This document (pdf format preferred)",
    `  - Any relevant API documentation/links for your integrating system: ${input.documentationUrl}`,
    "",
  ].join("\n");
}

/** The filled "API Manifest" document, Markdown, ending with a newline. */
export function renderManifestDocument(documentInput: ManifestDocumentInput): string {
  const input = { ...documentInput, baseUrl: normalizeBaseUrl(documentInput.baseUrl) };
  const manifest = buildManifest(input.baseUrl, { logoUrl: input.logoUrl, iconUrl: input.iconUrl });
  return [
    header(input, manifest),
    components(manifest),
    configuration(input, manifest),
    actions(manifest),
    agents(manifest),
    authorization(manifest),
    contacts(manifest),
    interactions(manifest),
    closing(input, manifest),
  ].join("\n");
}
