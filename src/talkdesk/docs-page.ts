/**
 * The Talkdesk integration's page of `/docs` (`/docs/talkdesk`), the manifest's `documentation_url`:
 * what the integration does and how to activate it, with this deployment's endpoints, actions and
 * budget — built from the same definitions the bridge runs (./manifest.ts), in the docs page's Markdown.
 */
import type { Context } from "hono";
import type { Settings } from "../config/settings";
import { buildManifest, TALKDESK_PATHS } from "./manifest";
import { manifestBaseUrl } from "./routes/manifest";

/** Where the page is served, under the deployment base. */
export const TALKDESK_DOCS_PATH = "/docs/talkdesk";

/** The page's Markdown for the deployment at `baseUrl` with Talkdesk budget `budget`. */
export function talkdeskDocsMarkdown(baseUrl: string, budget: Settings["talkdeskRateLimit"]): string {
  const manifest = buildManifest(baseUrl);
  const actions = manifest.actions.map(
    (a) =>
      `- \`${a.name}\` — “Then ${a.display}”: ${a.description}. Inputs: ${a.inputs
        .map((i) => `\`${i.key}\`${i.mandatory ? " (mandatory)" : ""}`)
        .join(", ")}.`,
  );
  const list = (items: string[]) => items.join("\n");
  return [
    `${manifest.display_name} for Talkdesk: ${manifest.description}`,
    "## Activating it",
    list([
      `- Talkdesk asks for one field, **${manifest.authentication_configuration[0]!.api_key!.display}**: the API key the bridge operator issued for your organization (the same key TalentLynk uses). Talemetry credentials never go through Talkdesk.`,
      "- After the key is rotated, enter the new one in the integration's settings in Talkdesk.",
      `- The integration configuration for this deployment: \`${baseUrl}${TALKDESK_PATHS.manifest}\`.`,
    ]),
    "## Endpoints Talkdesk calls",
    list([
      `- Authorization validation: \`${manifest.auth_validation_endpoint}\` — \`200 {}\`, \`401\` for a wrong key, \`503\` when Talemetry cannot be reached.`,
      `- Contact sync: \`${manifest.contact_synchronization_endpoint}\` — candidates from the bridge's directory, paged, initial and incremental.`,
      `- Contact activity: \`${manifest.interaction_retrieval_endpoint}\` — the candidate's notes and applications (types ${manifest.interaction_types.map((t) => `\`${t}\``).join(", ")}), newest first.`,
      `- Agent sync: \`${manifest.agent_synchronization_endpoint}\` — active Talemetry users, linked by email.`,
    ]),
    "## Actions",
    list(actions),
    "## Budget and errors",
    list([
      `- Each organization's Talkdesk traffic has its own budget: **${budget.requests} requests per ${budget.periodSeconds} seconds**. Beyond it the bridge answers \`429\` with \`Retry-After\`.`,
      '- Every error is `{"message": "…"}`: `400` for a request the bridge cannot carry out (the message says what to fix), `401` for an unknown key, `404` for an action it does not have, `503` with `Retry-After` while Talemetry is unavailable (retrying is safe: a retried action never logs a call twice or creates a second candidate).',
    ]),
  ].join("\n\n");
}

/** The page for this request's deployment. */
export function talkdeskDocsPage(c: Context): string {
  const settings = c.get("settings") as Settings;
  return talkdeskDocsMarkdown(manifestBaseUrl(c), settings.talkdeskRateLimit);
}
