// Deleting a tenant removes everything it owns: keys stop at once; the Durable Object's alarm then purges
// `tenant:<id>:*` from KV in batches and deletes its own storage (index, activities, sync state), and does
// both once more after the auth cache window; only its tombstone is left (test/security/tenant-deletion
// shows what the tombstone refuses).

import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DEMO } from "../../sandbox/demo-data";
import { directoryOf, drainBackfill } from "../helpers/directory";
import { adminFetch, createTenant } from "../helpers/tenants";

async function kvKeys(prefix: string): Promise<string[]> {
  return (await env.KV.list({ prefix })).keys.map((k) => k.name);
}

describe("tenant deletion", () => {
  it("purges the tenant's KV keys and Durable Object storage in the background", async () => {
    const tenant = await createTenant({ region: "US", settings: { default_author_email: "amy@agency.example" } });
    await drainBackfill(tenant.id);
    const auth = { authorization: `Bearer ${tenant.api_key}`, "content-type": "application/json" };
    // Leave tenant-owned state behind: a Talemetry token, users cache, an activity, a search generation.
    const created = await exports.default.fetch("http://bridge/v1/activities", {
      method: "POST",
      headers: { ...auth, "idempotency-key": "purge-1" },
      body: JSON.stringify({ entity: "candidate", entity_id: DEMO.maya.record.id, type: "call", body: "hello" }),
    });
    expect(created.status).toBe(201);
    // Many tenant-owned keys, more than one purge batch.
    await Promise.all(Array.from({ length: 450 }, (_, i) => env.KV.put(`tenant:${tenant.id}:filler:${i}`, "x")));
    expect((await kvKeys(`tenant:${tenant.id}:`)).length).toBeGreaterThan(450);

    const res = await adminFetch(`/admin/tenants/${tenant.id}`, { method: "DELETE" });
    expect(res.status).toBe(202);
    expect((await exports.default.fetch("http://bridge/v1/capabilities", { headers: auth })).status).toBe(401);

    const stub = directoryOf(tenant.id);
    // Every scheduled alarm, run now: the KV batches, the first wipe, and the final purge.
    for (let i = 0; i < 10 && (await runDurableObjectAlarm(stub)); i++);
    expect(await kvKeys(`tenant:${tenant.id}`)).toEqual([]);
    const leftovers = await runInDurableObject(stub, (_instance, state) => ({
      tables: state.storage.sql.exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\'").toArray(),
      kv: [...state.storage.kv.list()],
      alarm: state.storage.getAlarm(),
    }));
    expect(leftovers.tables).toEqual([]);
    expect(leftovers.kv).toEqual([["deleted", expect.objectContaining({ tenant_id: tenant.id, done: true })]]);
    expect(await leftovers.alarm).toBeNull();
  });
});
