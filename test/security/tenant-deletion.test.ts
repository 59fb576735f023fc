// Writes after a tenant is deleted (issue 11). For a while after `DELETE /admin/tenants/{id}`, another
// location may still authenticate the tenant's key from KV reads it cached just before the delete reached
// it (KV propagation + the 60 s auth cache). We stand in for that location by putting the tenant's auth
// records back into KV after the deletion — exactly what its stale edge cache would serve — and show that
// a request that authenticates this way cannot write a note (no Talemetry call, nothing in the Durable
// Object), cannot re-create the tenant's Talemetry token in KV, and that the object holds nothing but its
// tombstone, which every method refuses on. The final purge, scheduled after the auth cache window,
// removes what the Worker itself may have written to KV meanwhile, and the refusal outlives it.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO } from "../../sandbox/demo-data";
import type { TenantDirectoryApi } from "../../src/directory/api";
import { FINAL_PURGE_DELAY_MS, type Tombstone } from "../../src/directory/tenant-directory";
import { parsePhoneQuery } from "../../src/phone/match";
import { sha256Hex } from "../../src/platform/crypto";
import { apiKeyKey, oauthClientKey, tenantKey, tenantPrefix, usersKey } from "../../src/tenants/keys";
import { directoryOf, drainBackfill } from "../helpers/directory";
import { createAccount, getStats, resetStats, seedAccount } from "../helpers/sandbox";
import { adminFetch, createTenant, type TestTenant } from "../helpers/tenants";
import { envelope, talkdesk } from "../talkdesk/helpers";
import { activityBody, expectProblem, v1 } from "../v1/helpers";

const MAYA = DEMO.maya.record.id;

let tenant: TestTenant;
let clientId: string;
/** The auth records as KV held them before the deletion (key → raw value). */
let authRecords: Map<string, string>;

async function tenantKvKeys(): Promise<string[]> {
  return (await env.KV.list({ prefix: tenantPrefix(tenant.id) })).keys.map((k) => k.name);
}

/** Everything in the tenant's Durable Object: its SQLite tables (rows) and its synchronous KV entries. */
function dumpDirectory(): Promise<{ tables: Record<string, unknown[]>; kv: Array<[string, unknown]>; alarm: number | null }> {
  return runInDurableObject(directoryOf(tenant.id), async (_instance, state) => {
    const names = state.storage.sql
      .exec<{ name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
      )
      .toArray()
      .map((row) => row.name);
    const tables = Object.fromEntries(names.map((name) => [name, state.storage.sql.exec(`SELECT * FROM "${name}"`).toArray()]));
    return { tables, kv: [...state.storage.kv.list()], alarm: await state.storage.getAlarm() };
  });
}

async function tombstone(): Promise<Tombstone | undefined> {
  return runInDurableObject(directoryOf(tenant.id), (_instance, state) => state.storage.kv.get<Tombstone>("deleted"));
}

async function upstreamCalls(): Promise<Record<string, number>> {
  const { calls } = await getStats(clientId);
  return Object.fromEntries(Object.entries(calls).filter(([, n]) => n > 0));
}

beforeAll(async () => {
  ({ client_id: clientId } = await createAccount("deleted"));
  await seedAccount(clientId, 6);
  tenant = await createTenant({
    talemetryClientId: clientId,
    region: "US",
    settings: { default_author_email: "amy@agency.example", sync_interval_seconds: 86_400 },
  });
  await drainBackfill(tenant.id);
  // A tenant in use: an activity, so a Talemetry token, the users cache and activity records exist.
  expect((await v1(tenant.api_key, "/activities", { method: "POST", json: activityBody() })).status).toBe(201);
  expect(await tenantKvKeys()).toEqual(expect.arrayContaining([expect.stringContaining(":talemetry-token:")]));

  const keys = [tenantKey(tenant.id), oauthClientKey(tenant.client_id), apiKeyKey(await sha256Hex(tenant.api_key))];
  authRecords = new Map();
  for (const key of keys) {
    const value = await env.KV.get(key);
    if (value !== null) authRecords.set(key, value);
  }
  expect(authRecords.has(tenantKey(tenant.id))).toBe(true);

  expect((await adminFetch(`/admin/tenants/${tenant.id}`, { method: "DELETE" })).status).toBe(202);
  // The background purge's first pass (KV batches, then the storage), stopping before the final one.
  for (let i = 0; i < 10; i++) {
    if (typeof (await tombstone())?.final_purge_at === "number") break;
    if (!(await runDurableObjectAlarm(directoryOf(tenant.id)))) break;
  }
  expect(await tenantKvKeys()).toEqual([]);

  // Another location's stale cache: its auth reads still answer as before the deletion.
  for (const [key, value] of authRecords) await env.KV.put(key, value);
  await resetStats(clientId);
});

afterAll(async () => {
  for (const key of authRecords.keys()) await env.KV.delete(key);
});

describe("a deleted tenant's key, still authenticated from a stale cache", () => {
  it("does authenticate (the simulation holds): a route that needs no Durable Object answers 200", async () => {
    expect((await v1(tenant.api_key, "/activity-types")).status).toBe(200);
  });

  it("cannot write a note through /v1 (with or without Idempotency-Key) nor through Talkdesk's actions", async () => {
    expectProblem(
      await v1(tenant.api_key, "/activities", { method: "POST", json: activityBody({ body: "after deletion" }) }),
      401,
      "unauthorized",
    );
    const keyed = await v1(tenant.api_key, "/activities", {
      method: "POST",
      json: activityBody({ body: "after deletion, keyed" }),
      headers: { "idempotency-key": "after-deletion" },
    });
    expectProblem(keyed, 401, "unauthorized");
    for (const [name, data] of [
      ["add_note", { text: "after deletion" }],
      ["log_call", { direction: "inbound", duration: 30 }],
    ] as const) {
      const res = await talkdesk(`/actions/${name}`, envelope(tenant.api_key, { meta: { contact_external_id: MAYA }, data }));
      expect(res.status, name).toBe(401);
      expect(Object.keys(res.body)).toEqual(["message"]);
    }
    // Neither a note nor an authorization reached Talemetry.
    expect(await upstreamCalls()).toEqual({});
  });

  it("cannot search, read the index or re-create the Talemetry token in KV", async () => {
    expectProblem(await v1(tenant.api_key, "/search?phone=4155550142"), 401, "unauthorized");
    expectProblem(await v1(tenant.api_key, `/candidates/${MAYA}`), 401, "unauthorized");
    expect((await talkdesk("/interactions", envelope(tenant.api_key, { data: { contact_external_id: MAYA } }))).status).toBe(401);
    expect(await upstreamCalls()).toEqual({});
    expect(await tenantKvKeys()).toEqual([]);
  });

  it("leaves the Durable Object holding nothing but its tombstone, the final purge scheduled", async () => {
    const dump = await dumpDirectory();
    expect(dump.tables).toEqual({});
    expect(dump.kv).toEqual([
      ["deleted", expect.objectContaining({ tenant_id: tenant.id, final_purge_at: expect.any(Number), done: false })],
    ]);
  });
});

describe("the tombstone", () => {
  it("is refused on by every Durable Object method", async () => {
    const stub = directoryOf(tenant.id);
    const query = parsePhoneQuery("+14155550142", { region: null, tenantRegion: "US" });
    if (!query.ok) throw new Error("test phone did not parse");
    const activity = {
      id: "act_000000000000000000000001",
      entity: "candidate" as const,
      entity_id: MAYA,
      type: "call",
      body: "x",
      occurred_at: "2026-11-30T10:00:00Z",
      user_id: null,
      direction: null,
      duration_seconds: null,
      created_at: "2026-11-30T10:00:00Z",
      updated_at: "2026-11-30T10:00:00Z",
      note_id: "n1",
    };
    // One probe per method of the RPC interface (a method added without a probe fails to compile).
    const probes = {
      init: () => stub.init(tenant.id),
      ensureScheduled: () => stub.ensureScheduled(tenant.id),
      purge: () => stub.purge(tenant.id),
      getToken: () => stub.getToken(),
      searchPhone: () => stub.searchPhone(query.query, false),
      searchEmail: () => stub.searchEmail("maya.ortiz@example.com"),
      getIndexed: () => stub.getIndexed(MAYA),
      changes: () => stub.changes(0, null, 10),
      feedNow: () => stub.feedNow(),
      feedPage: () => stub.feedPage({ mode: "log", after: 0 }, 10),
      webhookCreate: () =>
        stub.webhookCreate({ id: "wh_x", url: "https://example.com/h", events: ["created"], description: null, secret: "v1.x.y" }, 20),
      webhookList: () => stub.webhookList(),
      webhookGet: () => stub.webhookGet("wh_x"),
      webhookDelete: () => stub.webhookDelete("wh_x"),
      webhookDeliveries: () => stub.webhookDeliveries("wh_x"),
      webhookReplayTarget: () => stub.webhookReplayTarget("wh_x", "dlv_x"),
      webhookClaim: () => stub.webhookClaim("wh_x", "m", null),
      webhookRelease: () => stub.webhookRelease("wh_x", "m"),
      webhookAttempted: () => stub.webhookAttempted("wh_x", "m", 1, { ok: true, status: 200, durationMs: 1 }),
      webhookReplayed: () => stub.webhookReplayed("wh_x", {} as never, { status: 200, durationMs: 1 }),
      webhookGiveUp: () => stub.webhookGiveUp("wh_x"),
      writeThrough: () => stub.writeThrough({ id: MAYA } as Parameters<TenantDirectoryApi["writeThrough"]>[0], "2026-11-30T10:00:00Z"),
      syncStatus: () => stub.syncStatus(),
      requestSync: () => stub.requestSync({ full: true }),
      scheduleSync: () => stub.scheduleSync(),
      claimActivity: () => stub.claimActivity(["k"], "h"),
      completeActivity: () => stub.completeActivity(activity, null),
      releaseActivityClaim: () => stub.releaseActivityClaim("k", "o", "failed"),
      claimKey: () => stub.claimKey(["k"], "h"),
      completeKeyClaim: () => stub.completeKeyClaim("k", "{}"),
      releaseKeyClaim: () => stub.releaseKeyClaim("k", "o", "failed"),
      getActivity: () => stub.getActivity(activity.id),
      beginActivityEdit: () => stub.beginActivityEdit(activity.id),
      endActivityEdit: () => stub.endActivityEdit(activity.id, "o", { body: "y", type: "call" }, "2026-11-30T10:00:00Z"),
    } satisfies Record<keyof TenantDirectoryApi, () => Promise<unknown>>;

    for (const [name, call] of Object.entries(probes)) {
      if (name === "ensureScheduled") expect(await call(), name).toBe(false);
      else if (name === "purge")
        await call(); // already deleted: only keeps the purge scheduled
      else await expect(call(), name).rejects.toMatchObject({ name: "AppError", code: "unauthorized" });
    }
    const dump = await dumpDirectory();
    expect(dump.tables).toEqual({});
    expect(dump.kv.map(([key]) => key)).toEqual(["deleted"]);
  });

  it("is followed by a final purge after the auth cache window, which removes what the Worker wrote to KV meanwhile", async () => {
    const stone = (await tombstone())!;
    expect(stone.final_purge_at! - stone.deleted_at).toBeGreaterThanOrEqual(FINAL_PURGE_DELAY_MS);
    const { alarm } = await dumpDirectory();
    expect(alarm).toBe(stone.final_purge_at);
    // A request elsewhere, with a still-cached token copy, cached the CRM users (the Worker writes that itself).
    await env.KV.put(usersKey(tenant.id), JSON.stringify({ v: 1, users: [] }), { expirationTtl: 120 });

    expect(await runDurableObjectAlarm(directoryOf(tenant.id))).toBe(true);
    expect(await tenantKvKeys()).toEqual([]);
    const after = await dumpDirectory();
    expect(after.tables).toEqual({});
    expect(after.kv).toEqual([["deleted", expect.objectContaining({ tenant_id: tenant.id, done: true })]]);
    expect(after.alarm).toBeNull();

    // Final: the refusal holds, and deleting again schedules nothing.
    expectProblem(await v1(tenant.api_key, "/activities", { method: "POST", json: activityBody() }), 401, "unauthorized");
    await directoryOf(tenant.id).purge(tenant.id);
    expect((await dumpDirectory()).alarm).toBeNull();
    expect(await upstreamCalls()).toEqual({});
  });
});
