// The committed "API Manifest" document (docs/talkdesk-manifest.md) against the running bridge: every
// sample request in it is sent to the Worker's own /talkdesk routes (a tenant on a simulator account
// seeded with the same demo candidates; the document's placeholder key stands for "unknown key") and the
// answer must be the document's — exactly for every error, and for successes the same status, the same
// fields and the same message (ids and dates are the account's own). So no sample answer can differ from
// what the code sends.
import { beforeAll, describe, expect, it } from "vitest";
import committedDoc from "../../docs/talkdesk-manifest.md?raw";
import { envelope, type SyncedTenant, syncedTenant, talkdesk } from "./helpers";

interface Exchange {
  section: string;
  title: string;
  request: { auth: { api_key: string }; meta?: unknown; data?: unknown };
  responses: Array<{ status: number; label: string; body: unknown }>;
}

/** Every "Request … / Response `NNN` …" group of the document, with the section it belongs to. */
function exchanges(doc: string): Exchange[] {
  const lines = doc.split("\n");
  const out: Exchange[] = [];
  let section = "";
  let title = "";
  const jsonAfter = (i: number) => {
    const end = lines.indexOf("```", i + 1);
    return { value: JSON.parse(lines.slice(i + 1, end).join("\n")) as unknown, end };
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^#{1,3} /.test(line)) section = line;
    if (/^\*\*.+\*\*$/.test(line)) title = line;
    if (line.startsWith("Request (") && lines[i + 2] === "```json") {
      const request = jsonAfter(i + 2);
      const exchange: Exchange = { section, title, request: request.value as Exchange["request"], responses: [] };
      i = request.end;
      while (i + 2 < lines.length && (lines[i + 2] ?? "").startsWith("Response `")) {
        const label = lines[i + 2]!;
        const status = Number(/^Response `(\d{3})`/.exec(label)![1]);
        const body = jsonAfter(i + 4);
        exchange.responses.push({ status, label, body: body.value });
        i = body.end;
      }
      out.push(exchange);
    }
  }
  return out;
}

/** The route a section's requests go to. */
function pathOf(section: string): string {
  const action = /^### Action: `([a-z_]+)`/.exec(section);
  if (action) return `/actions/${action[1]}`;
  if (section.startsWith("# 3:")) return "/agents";
  if (section.startsWith("# 4:")) return "/auth";
  if (section.startsWith("# 5:")) return "/contacts";
  if (section.startsWith("# 6:")) return "/interactions";
  throw new Error(`no route for ${section}`);
}

const all = exchanges(committedDoc);
let account: SyncedTenant;
beforeAll(async () => {
  account = await syncedTenant(9, {
    label: "manifest-doc",
    settings: { candidate_url_template: "https://talemetry.example/candidates/{id}" },
  });
});

describe("docs/talkdesk-manifest.md against the running bridge", () => {
  it("has samples for every component and action, each with its answers", () => {
    const paths = new Set(all.map((e) => pathOf(e.section)));
    for (const path of [
      "/agents",
      "/auth",
      "/contacts",
      "/interactions",
      "/actions/log_call",
      "/actions/add_note",
      "/actions/update_contact",
      "/actions/create_contact",
    ])
      expect(paths, path).toContain(path);
    for (const e of all) expect(e.responses.length, e.title).toBeGreaterThan(0);
  });

  it("answers the document's error samples exactly as the document shows", async () => {
    let compared = 0;
    for (const e of all) {
      for (const response of e.responses) {
        if (response.status < 400) continue;
        // The sample key is a placeholder: it is the "unknown key" request itself.
        const unknownKey = response.status === 401 && /unknown or revoked key/.test(response.label);
        if (response.status >= 500 || (response.status === 401 && !unknownKey)) continue; // Talemetry faults: below
        const body = unknownKey ? e.request : { ...e.request, auth: { api_key: account.tenant.api_key } };
        const answer = await talkdesk(pathOf(e.section), body);
        expect([answer.status, answer.body], `${e.section} ${e.title} ${response.label}`).toEqual([response.status, response.body]);
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(5); // four actions with invalid input, the unknown key
  });

  it("answers the document's successful action samples with the same status, fields and message", async () => {
    for (const e of all.filter((x) => x.section.startsWith("### Action:"))) {
      const response = e.responses.find((r) => r.status === 201);
      if (!response) continue;
      const answer = await talkdesk(pathOf(e.section), { ...e.request, auth: { api_key: account.tenant.api_key } });
      const expected = response.body as Record<string, string>;
      expect(answer.status, e.section).toBe(201);
      expect(Object.keys(answer.body).sort(), e.section).toEqual(Object.keys(expected).sort());
      expect(answer.body.message, e.section).toBe(expected.message);
    }
  });

  it("answers the unknown action sample as shown", async () => {
    const shown = /\*\*Unknown action\*\*[^\n]*\n\n```json\n([\s\S]*?)\n```/.exec(committedDoc);
    const answer = await talkdesk("/actions/does_not_exist", envelope(account.tenant.api_key));
    expect([answer.status, answer.body]).toEqual([404, JSON.parse(shown![1]!)]);
  });
});
