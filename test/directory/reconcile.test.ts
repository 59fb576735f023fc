// Self-healing through the tenant's Durable Object against the simulator: events the delta feed never
// delivers (a deletion and creations recorded at times before the checkpoint, as a lost window leaves
// them) stay wrong after an incremental sync, and a reconcile pass repairs them and reports it.

import { runInDurableObject } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { directoryOf, drainBackfill } from "../helpers/directory";
import {
  control,
  createAccount,
  createCandidate,
  deleteCandidate,
  getStats,
  resetStats,
  seedAccount,
  setSettings,
  updateCandidate,
} from "../helpers/sandbox";
import { adminFetch, createTenant } from "../helpers/tenants";

/** Long before any checkpoint: the incremental windows never look this far back. */
const LONG_AGO = "2023-03-01T12:00:00Z";

async function deleteSilently(clientId: string, id: string): Promise<void> {
  const res = await control(`/accounts/${encodeURIComponent(clientId)}/candidates/${encodeURIComponent(id)}?at=${LONG_AGO}`, {
    method: "DELETE",
  });
  expect(res.status).toBe(200);
}

async function searchIds(apiKey: string, phone: string): Promise<string[]> {
  const res = await exports.default.fetch(`http://bridge/v1/search?phone=${encodeURIComponent(phone)}`, {
    headers: { authorization: `Bearer ${apiKey}` },
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: Array<{ id: string }> }).data.map((d) => d.id);
}

describe("reconcile", () => {
  it("removes rows Talemetry no longer has and adds the candidates the delta feed missed, and reports it", async () => {
    const { client_id: clientId } = await createAccount("reconcile");
    await seedAccount(clientId, 300);
    const tenant = await createTenant({ talemetryClientId: clientId, region: "US" });
    await drainBackfill(tenant.id);
    const stub = directoryOf(tenant.id);
    const before = await stub.changes(0, null, 1000);

    const gone = before.rows.slice(0, 3).map((r) => r.person.id);
    for (const id of gone) await deleteSilently(clientId, id);
    const missed: string[] = [];
    for (let i = 0; i < 3; i++) {
      missed.push(
        await createCandidate(clientId, {
          givenName: "Missed",
          familyName: `Candidate${i}`,
          phones: [{ kind: "Mobile", InternationalCountryCode: "1", AreaCityCode: "646", SubscriberNumber: `555-017${i}` }],
          at: LONG_AGO,
        }),
      );
    }

    // The delta feed does not see any of it.
    await stub.requestSync();
    for (const id of gone) expect(await stub.getIndexed(id)).not.toBeNull();
    for (const id of missed) expect(await stub.getIndexed(id)).toBeNull();
    expect(await searchIds(tenant.api_key, "+16465550171")).toEqual([]);

    await resetStats(clientId);
    const run = await adminFetch(`/admin/tenants/${tenant.id}/sync`, { method: "POST", body: { reconcile: true } });
    expect(run.status).toBe(202);
    const status = await stub.syncStatus();
    for (const id of gone) expect(await stub.getIndexed(id)).toBeNull();
    for (const id of missed) expect(await stub.getIndexed(id)).not.toBeNull();
    expect(await searchIds(tenant.api_key, "+16465550171")).toEqual([missed[1]]);

    const stats = await getStats(clientId);
    expect(status.indexed).toBe(stats.candidates.current);
    expect(status.reconcile).toMatchObject({
      state: "idle",
      next_at: expect.any(String),
      progress: null,
      last: { listed: stats.candidates.current, added: 3, removed: 3, started_at: expect.any(String), finished_at: expect.any(String) },
    });
    // One listing page (300 ids), one profiles call for the 3 missed, one to confirm the 3 unlisted
    // rows are gone; the forced incremental window before it made its 3 listings.
    expect(status.reconcile.last?.upstream_calls).toBe(3);
    expect(stats.calls).toMatchObject({ ids: 3 + 1, profiles: 2 });
  });

  it("resumes a reconcile pass from its committed position after a failure", async () => {
    const { client_id: clientId } = await createAccount("reconcile-fail");
    await seedAccount(clientId, 1100); // 3 listing pages
    const tenant = await createTenant({ talemetryClientId: clientId, region: "US" });
    await drainBackfill(tenant.id);
    const stub = directoryOf(tenant.id);
    // Make the index lack some candidates of every page (as if their `created` events were lost).
    const rows = (await stub.changes(0, null, 1000)).rows.map((r) => r.person.id);
    const dropped = rows.filter((_, i) => i % 97 === 0);
    await runInDurableObject(stub, (_instance, state) => {
      for (const id of dropped) {
        state.storage.sql.exec("DELETE FROM dir_phone_keys WHERE candidate_id = ?", id);
        state.storage.sql.exec("DELETE FROM dir_email_keys WHERE candidate_id = ?", id);
        state.storage.sql.exec("DELETE FROM dir_candidates WHERE id = ?", id);
      }
    });
    // The window before the pass lists 3 times; the pass's first listing answers, the second fails.
    await control(`/accounts/${encodeURIComponent(clientId)}/faults`, {
      method: "POST",
      body: JSON.stringify({
        rules: [
          { op: "ids", latencyMs: 0, times: 4 },
          { op: "ids", status: 500 },
        ],
      }),
    });
    await stub.requestSync({ reconcile: true });
    const failed = await stub.syncStatus();
    expect(failed.state).toBe("failing");
    expect(failed.reconcile).toMatchObject({ state: "running", progress: { listed: 500 } });

    await control(`/accounts/${encodeURIComponent(clientId)}/faults`, { method: "DELETE" });
    await resetStats(clientId);
    for (let i = 0; i < 10 && (await stub.syncStatus()).reconcile.state === "running"; i++) await stub.requestSync();
    const done = await stub.syncStatus();
    expect(done.state).toBe("idle");
    expect(done.reconcile.last).toMatchObject({ listed: (await getStats(clientId)).candidates.current, added: dropped.length, removed: 0 });
    for (const id of dropped) expect(await stub.getIndexed(id)).not.toBeNull();
  });

  it("detects at onboarding an account that refuses the updated/deleted listing, and serves it by reconcile alone", async () => {
    const { client_id: clientId } = await createAccount("no-feed");
    await seedAccount(clientId, 120);
    await setSettings(clientId, { trackCandidateLastChanges: false });
    const tenant = await createTenant({ talemetryClientId: clientId, region: "US" });
    await drainBackfill(tenant.id);
    const stub = directoryOf(tenant.id);
    const status = await stub.syncStatus();
    expect(status).toMatchObject({ state: "idle", changes_feed: "unavailable" });
    expect(status.changes_feed_error).toMatch(/'updated'.*HTTP 403.*track_candidate_last_changes.*reconcile/);
    // Reconcile runs daily for such a tenant.
    const nextAt = Date.parse(status.reconcile.next_at ?? "");
    expect(nextAt - Date.now()).toBeGreaterThan(23 * 3_600_000);
    expect(nextAt - Date.now()).toBeLessThanOrEqual(86_400_000);

    // A new candidate still arrives through the `created` poll; a change and a deletion do not.
    const [changed, deleted] = (await stub.changes(0, null, 2)).rows.map((r) => r.person.id);
    await updateCandidate(clientId, changed, {
      phones: [{ kind: "Mobile", InternationalCountryCode: "44", AreaCityCode: "7700", SubscriberNumber: "900654" }],
    });
    await deleteCandidate(clientId, deleted);
    const added = await createCandidate(clientId, { givenName: "Polled", familyName: "Created", emails: ["polled.created@example.com"] });
    await resetStats(clientId);
    await stub.requestSync();
    expect((await getStats(clientId)).calls.ids).toBe(1); // `created` only: no refused listing each poll
    expect(await stub.getIndexed(added)).not.toBeNull();
    expect(await stub.getIndexed(deleted)).not.toBeNull();
    expect(await searchIds(tenant.api_key, "+447700900654")).toEqual([]);

    // Reconcile re-reads every candidate: the change and the deletion arrive.
    await stub.requestSync({ reconcile: true });
    expect(await stub.getIndexed(deleted)).toBeNull();
    expect(await searchIds(tenant.api_key, "+447700900654")).toEqual([changed]);
    const done = await stub.syncStatus();
    expect(done.reconcile.last).toMatchObject({ removed: 1, listed: (await getStats(clientId)).candidates.current });
    expect(done.changes_feed).toBe("unavailable");
  });
});
