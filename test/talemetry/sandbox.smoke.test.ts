// Smoke test of the adapter against the real simulator (sandbox/, bound as env.TALEMETRY_SANDBOX and
// selected by the `sandbox` host settings): authorize, list ids, fetch and normalize profiles in chunks,
// write a note, re-authorize after revoked tokens, and one retried read / one unretried write under
// the simulator's fault injection.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO } from "../../sandbox/demo-data";
import { talemetryHosts } from "../../src/config/settings";
import { createTalemetryClient, PERSON_INCLUDE, type TalemetryClient } from "../../src/talemetry/client";
import { accountCredentials, createAccount, getCandidate, revokeTokens, setFaults } from "../helpers/sandbox";
import { testTokens } from "./setup";

let clientId: string;

function client(): TalemetryClient {
  const hosts = talemetryHosts(env);
  const tokens = testTokens(hosts, { clientId, secretKey: accountCredentials(clientId).secret_key });
  return createTalemetryClient({ hosts, tokens: tokens.source, defaultRegion: "US", retry: { baseDelayMs: 20, maxDelayMs: 100 } });
}

beforeAll(async () => {
  ({ client_id: clientId } = await createAccount("adapter"));
});

describe("adapter against the simulator", () => {
  it("lists ids and fetches normalized profiles in chunks of 50", async () => {
    const talemetry = client();
    const page = await talemetry.listIds({ pageSize: 60 });
    expect(page.ids).toHaveLength(60);
    expect(page.cursor).not.toBeNull();
    const details = await talemetry.fetchProfiles(page.ids, [...PERSON_INCLUDE, "notes", "tags"]);
    expect(details.length).toBeGreaterThan(50);
    for (const d of details) {
      expect(page.ids).toContain(d.id);
      for (const phone of d.phones) expect(phone.valid ? /^\+\d{6,15}$/.test(phone.number) : phone.number === phone.raw).toBe(true);
    }
    expect(talemetry.stats.rejectedCandidates).toBe(0);
  });

  it("reads the demo candidate exactly as the contract fixture maps", async () => {
    const [lena] = await client().fetchProfiles([DEMO.lena.record.id], ["experience", "notes", "tags", "custom_data"]);
    expect(lena).toMatchObject({ name: "Lena Guenis", title: "Qa Manager", consent: { sms: "yes", email: "yes" }, lifecycle: "applicant" });
    expect(lena.phones).toContainEqual({ number: "+12261112222", type: "mobile", valid: true, raw: "1 226 1112222" });
  });

  it("writes a note, and re-authorizes once after the tokens were revoked", async () => {
    const talemetry = client();
    const [author] = (await talemetry.listAllUsers()).filter((user) => user.active);
    await revokeTokens(clientId);
    const note = await talemetry.createNote(DEMO.maya.record.id, {
      text: "Smoke test call",
      dateTime: "2026-11-22T10:03:00Z",
      authorEmail: author.email,
    });
    expect(note).toMatchObject({ text: "Smoke test call", author_email: author.email });
    expect(talemetry.stats.reauths).toBe(1);
    const [maya] = await talemetry.fetchProfiles([DEMO.maya.record.id], ["notes"]);
    expect(maya.notes.map((n) => n.id)).toContain(note.id);
  });

  it("retries a read after a 503 but never a write whose answer was lost", async () => {
    const talemetry = client();
    await setFaults(clientId, [{ op: "profiles", status: 503, times: 1 }]);
    expect(await talemetry.fetchProfiles([DEMO.lena.record.id])).toHaveLength(1);
    expect(talemetry.stats.retries).toBe(1);

    await setFaults(clientId, [{ op: "contact", status: 500, afterApply: true, times: 1 }]);
    await expect(talemetry.updateContact(DEMO.lena.record.id, { emails: ["lena.smoke@example.com"] })).rejects.toMatchObject({
      kind: "unavailable",
      upstreamStatus: 500,
    });
    // It landed once, and was not sent again.
    expect(talemetry.stats.retries).toBe(1);
    expect(JSON.stringify((await getCandidate(clientId, DEMO.lena.record.id)).Candidate)).toContain("lena.smoke@example.com");
  });
});
