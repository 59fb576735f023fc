// The "API Manifest" document and the pure half of `npm run manifest`: argument parsing, config
// merging with a clear list of missing values, the rendered sections, sample requests that the
// bridge's own schemas accept, and the committed docs/talkdesk-manifest.md being a fresh render.
// The script itself (tools/talkdesk-manifest/run.mjs: esbuild bundle + file I/O) cannot be spawned inside
// workerd; it is verified by hand: `npm run -s manifest -- --url https://bridge.example.com --date
// 2026-11-25 | diff - docs/talkdesk-manifest.md` prints nothing.
import { describe, expect, it } from "vitest";
import committedDoc from "../../../docs/talkdesk-manifest.md?raw";
import type { TalkdeskActionName } from "../../../src/talkdesk/actions-def";
import { decodeCheckpoint, decodeContactOffset } from "../../../src/talkdesk/contact-sync";
import { buildManifest } from "../../../src/talkdesk/manifest";
import {
  actionRequestSchema,
  agentsRequestSchema,
  authValidationRequestSchema,
  contactsRequestSchema,
  interactionsRequestSchema,
  parseActionInput,
} from "../../../src/talkdesk/schemas";
import committedConfig from "../../../talkdesk-manifest.config.json";
import {
  type ManifestCliArgs,
  parseManifestArgs,
  renderManifestDocument,
  resolveManifestDocumentInput,
} from "../../../tools/talkdesk-manifest/cli";
import type { ManifestDocumentInput } from "../../../tools/talkdesk-manifest/document";

const TODAY = "2026-11-25";
const args = (overrides: Partial<ManifestCliArgs> = {}): ManifestCliArgs => ({ contacts: [], help: false, ...overrides });
const fullConfig = {
  client_name: "Acme Recruiting",
  technical_contacts: [{ name: "Jordan Lee", email: "jordan@acme.example", role: "Lead", notes: "keys" }],
  keybase_username: "acme_keys",
  talkdesk_account: "acme.mytalkdesk.com",
  test_in_production: true,
  documentation_url: "{base}/docs",
};

function input(overrides: Partial<ManifestDocumentInput> = {}): ManifestDocumentInput {
  return {
    baseUrl: "https://bridge.example.com",
    clientName: "Acme Recruiting",
    date: TODAY,
    technicalContacts: [{ name: "Jordan Lee", email: "jordan@acme.example" }],
    keybaseUsername: "acme_keys",
    talkdeskAccount: "acme.mytalkdesk.com",
    testInProduction: false,
    documentationUrl: "https://bridge.example.com/docs",
    ...overrides,
  };
}

describe("parseManifestArgs", () => {
  it("reads --flag value, --flag=value and repeated --contact", () => {
    const parsed = parseManifestArgs([
      "--url",
      "https://b.example",
      "--client=Acme",
      "--contact",
      "A <a@x.example>",
      "--contact=B <b@x.example>",
      "--out",
      "x.md",
    ]);
    expect(parsed).toEqual({
      ok: true,
      value: { url: "https://b.example", client: "Acme", contacts: ["A <a@x.example>", "B <b@x.example>"], out: "x.md", help: false },
    });
    expect(parseManifestArgs(["--help"])).toMatchObject({ ok: true, value: { help: true } });
  });

  it("rejects unknown arguments and flags without a value", () => {
    expect(parseManifestArgs(["--nope", "x", "--url"])).toEqual({
      ok: false,
      errors: ['unknown argument "--nope"', 'unknown argument "x"', "--url needs a value"],
    });
    expect(parseManifestArgs(["--client", "--url", "https://b.example"])).toMatchObject({ ok: false, errors: ["--client needs a value"] });
  });
});

describe("resolveManifestDocumentInput", () => {
  it("lists every missing value with where to give it — no placeholders", () => {
    const result = resolveManifestDocumentInput(args(), {}, { today: TODAY });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(1);
    const text = result.errors[0]!;
    for (const needle of [
      "--url",
      "--client",
      "client_name",
      "--contact",
      "technical_contacts",
      "--keybase",
      "keybase_username",
      "--talkdesk-account",
      "talkdesk_account",
      "--test-in-production",
      "test_in_production",
      "--docs-url",
      "documentation_url",
    ]) {
      expect(text).toContain(needle);
    }
    expect(text.startsWith("missing required values:")).toBe(true);
  });

  it("takes everything from the config, with {base} substituted", () => {
    const result = resolveManifestDocumentInput(args({ url: "https://bridge.example.com/" }), fullConfig, { today: TODAY });
    expect(result).toEqual({
      ok: true,
      value: {
        baseUrl: "https://bridge.example.com",
        clientName: "Acme Recruiting",
        date: TODAY,
        technicalContacts: [{ name: "Jordan Lee", email: "jordan@acme.example", role: "Lead", notes: "keys" }],
        keybaseUsername: "acme_keys",
        talkdeskAccount: "acme.mytalkdesk.com",
        testInProduction: true,
        documentationUrl: "https://bridge.example.com/docs",
      },
    });
  });

  it("lets flags win, --contact replacing the config's contacts", () => {
    const result = resolveManifestDocumentInput(
      args({
        url: "https://b.example",
        client: "Other",
        contacts: ["Sam Poe <sam@o.example>, on call", "Kim Ray <kim@o.example>"],
        keybase: "kb",
        testInProduction: "no",
        docsUrl: "https://docs.o.example",
        logoUrl: "{base}/custom-logo.svg",
        date: "2027-01-02",
      }),
      fullConfig,
      { today: TODAY },
    );
    expect(result).toMatchObject({
      ok: true,
      value: {
        clientName: "Other",
        technicalContacts: [
          { name: "Sam Poe", email: "sam@o.example", notes: "on call" },
          { name: "Kim Ray", email: "kim@o.example" },
        ],
        keybaseUsername: "kb",
        testInProduction: false,
        documentationUrl: "https://docs.o.example",
        logoUrl: "https://b.example/custom-logo.svg",
        date: "2027-01-02",
      },
    });
  });

  it("reports malformed values and unknown config keys", () => {
    const result = resolveManifestDocumentInput(
      args({ url: "https://b.example", contacts: ["no email here"], testInProduction: "maybe", date: "25/11/2026", iconUrl: "icon.svg" }),
      { ...fullConfig, keybase_user: "typo", _comment: "fine" },
      { today: TODAY, configLabel: "my.json" },
    );
    expect(result).toEqual({
      ok: false,
      errors: [
        'unknown key "keybase_user" in my.json (known: client_name, technical_contacts, keybase_username, talkdesk_account, test_in_production, documentation_url, logo_url, icon_url)',
        '--contact "no email here" must read "Name <email>" (optionally ", notes")',
        '--test-in-production / "test_in_production" must be yes or no',
        "icon URL must be an absolute http(s) URL",
        "--date must be YYYY-MM-DD",
      ],
    });
    expect(resolveManifestDocumentInput(args({ url: "https://b.example" }), [], { today: TODAY })).toEqual({
      ok: false,
      errors: ["talkdesk-manifest.config.json must hold a JSON object"],
    });
    const badContacts = resolveManifestDocumentInput(
      args({ url: "https://b.example" }),
      { ...fullConfig, technical_contacts: [{ name: "X" }] },
      { today: TODAY },
    );
    expect(badContacts).toEqual({
      ok: false,
      errors: ['"technical_contacts[0]" in talkdesk-manifest.config.json needs "name" and "email"'],
    });
  });
});

/** The JSON code blocks that follow a "Request" line, by the heading of their section. */
function requestsBySection(doc: string): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  let section = "";
  const lines = doc.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^#{1,3} /.test(line)) section = line;
    if (line.startsWith("Request (") && lines[i + 2] === "```json") {
      const end = lines.indexOf("```", i + 3);
      const list = out.get(section) ?? [];
      list.push(JSON.parse(lines.slice(i + 3, end).join("\n")));
      out.set(section, list);
    }
  }
  return out;
}

describe("renderManifestDocument", () => {
  const doc = renderManifestDocument(input({ baseUrl: "https://bridge.example.com/" }));

  it("follows the template's sections in order", () => {
    const order = [
      "**:talkdesk®**",
      "# Talemetry API Manifest - Acme Recruiting",
      "**Talkdesk CRM Integration**",
      `**Date:** ${TODAY}`,
      "**Instructions:** This document has example input and responses for each action.",
      "**Talkdesk account / domain name:** acme.mytalkdesk.com",
      "| Acme Recruiting Technical Contact | Name & Email | Notes |",
      "## Use Case Description",
      "# Components Description",
      "## Talkdesk Integration",
      "## Action Executor",
      "## Agent Retriever",
      "## Authorization Validation",
      "## Contact Retriever",
      "## Interaction Retriever",
      "# 1: Configuring a Talkdesk Integration",
      "Talkdesk Weblink: [Configuring a Talkdesk Integration](",
      "Talemetry Weblink: https://bridge.example.com/docs",
      "- **Authentication Type:** `custom`",
      "- **Keybase User Name:** acme_keys",
      "- **Should it be tested in the production environment?** No",
      "| TD Field Name: | Your Inputs: |",
      "# 2: Implementing an Action Executor",
      "# 3: Implementing an Agent Retriever",
      "# 4: Implementing an Authorization Validator",
      "# 5: Implementing a Contact Retriever",
      "# 6: Implementing an Interaction Retriever",
      "## Completed Document Instructions",
      "subject **Activate Custom Integration**",
      "Alternatively (the template's route), email this document to: [developers@talkdesk.com]",
    ];
    let at = -1;
    for (const needle of order) {
      const found = doc.indexOf(needle, at + 1);
      expect(found, needle).toBeGreaterThan(at);
      at = found;
    }
    expect(doc.endsWith("\n")).toBe(true);
    expect(doc).toContain("| Technical contact 1 | Jordan Lee <jordan@acme.example> |  |");
  });

  it("has a configuration row for every Talkdesk field, with our value", () => {
    const manifest = buildManifest("https://bridge.example.com");
    const { actions, ...integration } = manifest;
    for (const [field, value] of Object.entries(integration)) {
      const expected = typeof value === "string" ? value : `\`${JSON.stringify(value)}\``;
      expect(doc, field).toContain(`| \`${field}\` | ${expected} |`);
    }
    // One table per action, with its endpoint and inputs.
    for (const action of actions) {
      expect(doc).toContain(`### Action: \`${action.name}\``);
      expect(doc).toContain(`| \`endpoint\` | ${action.endpoint} |`);
      expect(doc).toContain(`| \`inputs\` | \`${JSON.stringify(action.inputs)}\` |`);
    }
  });

  it("shows sample requests the bridge's own schemas accept, for every component", () => {
    const sections = requestsBySection(doc);
    const pick = (prefix: string) => [...sections.entries()].filter(([h]) => h.startsWith(prefix)).flatMap(([, r]) => r);
    const check = (schema: { safeParse: (v: unknown) => { success: boolean } }, requests: unknown[], count: number) => {
      expect(requests).toHaveLength(count);
      for (const r of requests) expect(schema.safeParse(r).success, JSON.stringify(r)).toBe(true);
    };
    check(agentsRequestSchema, pick("# 3:"), 2);
    check(authValidationRequestSchema, pick("# 4:"), 1);
    check(contactsRequestSchema, pick("# 5:"), 4);
    check(interactionsRequestSchema, pick("# 6:"), 1);
    for (const name of ["log_call", "add_note", "update_contact", "create_contact"] as TalkdeskActionName[]) {
      const [request] = pick(`### Action: \`${name}\``);
      expect(actionRequestSchema.safeParse(request).success).toBe(true);
      expect(parseActionInput(name, (request as { data: unknown }).data).success, name).toBe(true);
    }
    // Contact sync: the initial, next-page and incremental requests use cursors the bridge can read.
    const contactMetas = pick("# 5:").map((r) => (r as { meta?: { offset?: string; synchronization_checkpoint?: string } }).meta ?? {});
    expect(contactMetas.map((m) => [m.synchronization_checkpoint !== undefined, m.offset !== undefined])).toEqual([
      [false, false],
      [false, true],
      [true, false],
      [true, true],
    ]);
    for (const m of contactMetas) {
      if (m.offset) expect(decodeContactOffset(m.offset)).not.toBeNull();
      if (m.synchronization_checkpoint) expect(decodeCheckpoint(m.synchronization_checkpoint)).not.toBeNull();
    }
  });

  it("never contains a real-looking key and answers the production question", () => {
    expect(doc).toContain('"api_key": "<the API key the bridge issued to the tenant>"');
    expect(renderManifestDocument(input({ testInProduction: true }))).toContain(
      "**Should it be tested in the production environment?** Yes",
    );
  });

  it("escapes table cells", () => {
    const text = renderManifestDocument(
      input({ clientName: "A|B", technicalContacts: [{ name: "X", email: "x@y.example", notes: "one\ntwo | three" }] }),
    );
    expect(text).toContain("| A\\|B Technical Contact | Name & Email | Notes |");
    expect(text).toContain("one<br>two \\| three");
  });
});

describe("the committed sample document", () => {
  it("is exactly what the script renders for https://bridge.example.com with the committed config", () => {
    const date = /\*\*Date:\*\* (\d{4}-\d{2}-\d{2})/.exec(committedDoc)?.[1];
    expect(date).toBeDefined();
    const resolved = resolveManifestDocumentInput(args({ url: "https://bridge.example.com", date }), committedConfig, { today: TODAY });
    if (!resolved.ok) throw new Error(resolved.errors.join("\n"));
    // Regenerate with: npm run -s manifest -- --url https://bridge.example.com --date <date> --out docs/talkdesk-manifest.md
    expect(renderManifestDocument(resolved.value)).toBe(committedDoc);
  });
});
