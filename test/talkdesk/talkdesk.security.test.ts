// Security and envelope rules of every Talkdesk component: the api_key is the only proof (401 for an
// unknown, rotated or deleted tenant's key, before meta/data are looked at), malformed envelopes and
// non-JSON bodies are 400 {message} naming the field, the body limit is 413, answers are JSON and never
// echo the key — and one tenant's key never reaches another tenant's candidates or notes.
import { describe, expect, it } from "vitest";
import { createAccount, createCandidate, getCandidate, seedAccount } from "../helpers/sandbox";
import { adminFetch, createTenant } from "../helpers/tenants";
import { contactSyncRun, drainBackfill, envelope, syncedTenant, talkdesk, talkdeskFetch } from "./helpers";

const COMPONENTS = ["/auth", "/contacts", "/interactions", "/agents", "/actions/log_call"] as const;
const UNKNOWN_KEY = "tlk_test_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

describe("the envelope", () => {
  it.each(COMPONENTS)("%s: an unknown key is 401 {message}, even with a malformed meta", async (path) => {
    for (const body of [envelope(UNKNOWN_KEY), envelope(UNKNOWN_KEY, { meta: "oops", data: 42 })]) {
      const res = await talkdesk(path, body);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ message: expect.any(String) });
      expect(JSON.stringify(res.body)).not.toContain(UNKNOWN_KEY);
    }
  });

  it.each(COMPONENTS)("%s: a missing key, a non-JSON body or a non-object body is 400 naming the problem", async (path) => {
    const cases: Array<[unknown, string]> = [
      [{}, "auth.api_key"],
      [{ auth: "key" }, "auth"],
      [{ auth: { api_key: 42 } }, "auth.api_key"],
      ["{not json", "JSON"],
      ["[1, 2]", "JSON object"],
      ["", "JSON"],
    ];
    for (const [body, named] of cases) {
      const res = await talkdesk(path, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.message).toContain(named);
    }
  });

  it("names a malformed meta or data field once the key is known", async () => {
    const tenant = await createTenant();
    const cases: Array<[string, unknown, string]> = [
      ["/contacts", envelope(tenant.api_key, { meta: "x" }), "meta"],
      ["/contacts", envelope(tenant.api_key, { meta: { synchronization_checkpoint: 5 } }), "meta.synchronization_checkpoint"],
      ["/interactions", envelope(tenant.api_key, { data: [] }), "data"],
      ["/agents", envelope(tenant.api_key, { meta: { offset: {} } }), "meta.offset"],
      [
        "/actions/add_note",
        envelope(tenant.api_key, { meta: { contact_external_id: ["1"] }, data: { text: "x" } }),
        "meta.contact_external_id",
      ],
    ];
    for (const [path, body, named] of cases) {
      const res = await talkdesk(path, body);
      expect(res.status, `${path} ${JSON.stringify(body)}`).toBe(400);
      expect(res.body.message).toContain(named);
      expect(JSON.stringify(res.body)).not.toContain(tenant.api_key);
    }
  });

  it("reads the body as JSON whatever the Content-Type says (never as an empty object)", async () => {
    const tenant = await createTenant();
    for (const contentType of ["text/plain", "application/x-www-form-urlencoded"]) {
      const res = await talkdesk("/auth", envelope(tenant.api_key), { "content-type": contentType });
      expect(res.status).toBe(200);
    }
  });

  it("refuses a body over the limit with 413 {message}", async () => {
    const tenant = await createTenant();
    const res = await talkdesk("/actions/add_note", envelope(tenant.api_key, { data: { text: "x".repeat(70_000) } }));
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ message: expect.any(String) });
  });

  it("answers unknown Talkdesk paths with 404 {message} (POSTs after the key check)", async () => {
    const tenant = await createTenant();
    const res = await talkdesk("/nothing-here", envelope(tenant.api_key));
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ message: expect.any(String) });
  });
});

describe("keys", () => {
  it("stops a rotated key and a deleted tenant's key at once on every component", async () => {
    const tenant = await createTenant();
    expect((await talkdesk("/auth", envelope(tenant.api_key))).status).toBe(200);
    const rotated = await adminFetch(`/admin/tenants/${tenant.id}/keys`, { method: "POST" });
    expect(rotated.status).toBe(200);
    const { api_key: newKey } = (await rotated.json()) as { api_key: string };
    for (const path of COMPONENTS) expect((await talkdesk(path, envelope(tenant.api_key))).status).toBe(401);
    expect((await talkdesk("/auth", envelope(newKey))).status).toBe(200);

    expect((await adminFetch(`/admin/tenants/${tenant.id}`, { method: "DELETE" })).status).toBe(202);
    expect((await talkdesk("/auth", envelope(newKey))).status).toBe(401);
  });
});

describe("tenant isolation", () => {
  it("never shows or changes another tenant's candidates or notes", async () => {
    const a = await syncedTenant(9, { label: "iso-a" });
    // B's account has no demo candidates: its ids, emails and phones are its own.
    const { client_id: bClient } = await createAccount("iso-b");
    await seedAccount(bClient, 6, { demo: false, seed: "isolation" });
    const bSecret = await createCandidate(bClient, { givenName: "Only", familyName: "InB", emails: ["only.in.b@example.com"] });
    const b = await createTenant({ talemetryClientId: bClient, region: "US" });
    await drainBackfill(b.id);

    const aIds = (await contactSyncRun(a.tenant.api_key)).ids;
    const bIds = (await contactSyncRun(b.api_key)).ids;
    expect(bIds).toContain(bSecret);
    expect(aIds.filter((id) => bIds.includes(id))).toEqual([]);

    const byId = await talkdesk("/interactions", envelope(a.tenant.api_key, { data: { contact_external_id: bSecret } }));
    expect(byId).toMatchObject({ status: 200, body: [] });
    const byEmail = await talkdesk("/interactions", envelope(a.tenant.api_key, { data: { contact_emails: ["only.in.b@example.com"] } }));
    expect(byEmail).toMatchObject({ status: 200, body: [] });

    const note = await talkdesk(
      "/actions/add_note",
      envelope(a.tenant.api_key, { meta: { contact_external_id: bSecret, agent_external_id: "u-123" }, data: { text: "cross-tenant" } }),
    );
    expect(note.status).toBe(400);
    const update = await talkdesk(
      "/actions/update_contact",
      envelope(a.tenant.api_key, { meta: { contact_external_id: bSecret }, data: { emails: "x@example.com" } }),
    );
    expect(update.status).toBe(400);
    const stored = await getCandidate(bClient, bSecret);
    expect(stored.record.notes).toEqual([]);
    expect(JSON.stringify(stored.record.contact)).not.toContain("x@example.com");
  });
});

describe("responses", () => {
  it("are application/json on success and on error", async () => {
    const tenant = await createTenant();
    for (const [body, status] of [
      [envelope(tenant.api_key), 200],
      [envelope(UNKNOWN_KEY), 401],
    ] as const) {
      const res = await talkdeskFetch("/auth", body);
      expect(res.status).toBe(status);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    }
  });
});
