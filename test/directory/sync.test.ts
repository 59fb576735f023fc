// The directory's sync loop end to end against the simulator over HTTP: backfill, resume after a failure
// and an eviction, incremental create/update/delete, unchanged rows keep their seq, cron re-arming.

import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { rearmSyncAlarms } from "../../src/scheduled";
import { directoryOf, drainBackfill } from "../helpers/directory";
import {
  clearFaults,
  createAccount,
  createCandidate,
  deleteCandidate,
  getStats,
  resetStats,
  seedAccount,
  setFaults,
  setLatency,
  updateCandidate,
} from "../helpers/sandbox";
import { adminFetch, createTenant } from "../helpers/tenants";

const stubOf = directoryOf;

async function search(apiKey: string, query: string): Promise<{ data: Array<{ id: string; match: string; name: string }>; count: number }> {
  const res = await exports.default.fetch(`http://bridge/v1/search?${query}`, { headers: { authorization: `Bearer ${apiKey}` } });
  expect(res.status).toBe(200);
  return res.json();
}

describe("backfill", () => {
  it("indexes every candidate with the expected number of upstream calls, several in flight", async () => {
    const { client_id: clientId } = await createAccount("bf");
    await seedAccount(clientId, 1200);
    await resetStats(clientId);
    const tenant = await createTenant({ talemetryClientId: clientId, region: "US" });
    await drainBackfill(tenant.id);

    const status = await stubOf(tenant.id).syncStatus();
    const stats = await getStats(clientId);
    // The seed also holds some deleted candidates: they are listed under `created` but have no details.
    expect(status.indexed).toBe(stats.candidates.current);
    // 1200 ids in pages of 500 → 3 Match pages (+ 3 one-id listings probing the changes feed at
    // onboarding); 1200 / 50 → 24 profile calls; one authorization.
    expect(stats.calls).toMatchObject({ authorize: 1, ids: 3 + 3, profiles: 24 });
    expect(status).toMatchObject({ talemetry_concurrency: 4, changes_feed: "available" });
    expect(status.reconcile).toMatchObject({ state: "idle", next_at: expect.any(String), last: null });
  });

  it("resumes from its last committed page after a failure mid-page and an eviction: nothing skipped, nothing re-read", async () => {
    const { client_id: clientId } = await createAccount("resume");
    await seedAccount(clientId, 2600); // 6 Match pages, 52 profile calls
    // Pages 1 and 2 (20 profile calls) answer; every later profile call fails — page 3 fails mid-way.
    await setFaults(clientId, [
      { op: "profiles", latencyMs: 0, times: 20 },
      { op: "profiles", status: 500 },
    ]);
    const tenant = await createTenant({ talemetryClientId: clientId, region: "US" });
    const stub = stubOf(tenant.id);
    await runDurableObjectAlarm(stub);
    const failing = await stub.syncStatus();
    expect(failing.state).toBe("failing");
    expect(failing.last_error).toBeTruthy();
    expect(failing.indexed).toBeGreaterThan(900); // 2 pages of 500, minus the seed's deleted candidates
    expect(failing.indexed).toBeLessThanOrEqual(1000);

    await evictDurableObject(stub);
    expect((await stub.syncStatus()).indexed).toBe(failing.indexed);
    await clearFaults(clientId);
    await resetStats(clientId);
    await drainBackfill(tenant.id);
    expect((await stub.syncStatus()).indexed).toBe((await getStats(clientId)).candidates.current);
    // Only the pages not committed were listed and fetched again: pages 3–6 (1600 ids → 32 calls).
    expect((await getStats(clientId)).calls).toMatchObject({ ids: 4, profiles: 32 });
  });

  it("halves the calls in flight after Talemetry answers 429, until the pass ends", async () => {
    const { client_id: clientId } = await createAccount("throttle");
    await seedAccount(clientId, 1400); // 3 Match pages
    // One 429 (Retry-After 0: the call waits and succeeds), then page 1 answers and page 2 fails.
    await setFaults(clientId, [
      { op: "profiles", status: 429, retryAfter: "0", times: 1 },
      { op: "profiles", latencyMs: 0, times: 10 },
      { op: "profiles", status: 500 },
    ]);
    const tenant = await createTenant({ talemetryClientId: clientId, region: "US" });
    const stub = stubOf(tenant.id);
    await runDurableObjectAlarm(stub);
    expect(await stub.syncStatus()).toMatchObject({ state: "failing", talemetry_concurrency: 2 });

    await clearFaults(clientId);
    await drainBackfill(tenant.id);
    const done = await stub.syncStatus();
    expect(done).toMatchObject({ state: "idle", talemetry_concurrency: 4 });
    expect(done.indexed).toBe((await getStats(clientId)).candidates.current);
  });
});

describe("incremental sync", () => {
  it("picks up created, updated and deleted candidates; unchanged rows keep their seq", async () => {
    const { client_id: clientId } = await createAccount("inc");
    await seedAccount(clientId, 60);
    const tenant = await createTenant({ talemetryClientId: clientId, region: "US" });
    await drainBackfill(tenant.id);
    const stub = stubOf(tenant.id);
    const before = await stub.changes(0, null, 1000);

    const newId = await createCandidate(clientId, {
      givenName: "Nora",
      familyName: "Quinn",
      emails: ["nora.quinn@example.com"],
      phones: [{ kind: "Mobile", InternationalCountryCode: "1", AreaCityCode: "646", SubscriberNumber: "555-0199" }],
    });
    const victim = before.rows[0].person;
    const changed = before.rows[1].person;
    await deleteCandidate(clientId, victim.id);
    await updateCandidate(clientId, changed.id, {
      phones: [{ kind: "Mobile", InternationalCountryCode: "44", AreaCityCode: "7700", SubscriberNumber: "900456" }],
    });
    await stub.requestSync();

    expect((await search(tenant.api_key, "phone=%2B16465550199")).data.map((d) => d.id)).toEqual([newId]);
    expect((await search(tenant.api_key, "phone=%2B447700900456")).data.map((d) => d.id)).toEqual([changed.id]);
    expect(await stub.getIndexed(victim.id)).toBeNull();

    const after = await stub.changes(0, null, 1000);
    const seqOf = (rows: typeof before.rows, id: string) => rows.find((r) => r.person.id === id)?.seq;
    const untouched = before.rows.slice(2).map((r) => r.person.id);
    for (const id of untouched) expect(seqOf(after.rows, id)).toBe(seqOf(before.rows, id));
    expect(seqOf(after.rows, changed.id)!).toBeGreaterThan(seqOf(before.rows, changed.id)!);
    expect(seqOf(after.rows, newId)!).toBeGreaterThan(before.highWater);
    // The bridge saw these change just now: updated_at is set for them, not for backfilled rows.
    expect((await stub.getIndexed(newId))?.updated_at).not.toBeNull();
  });

  it("does not advance the checkpoint past a failed window", async () => {
    const { client_id: clientId } = await createAccount("incfail");
    await seedAccount(clientId, 10);
    const tenant = await createTenant({ talemetryClientId: clientId, region: "US" });
    await drainBackfill(tenant.id);
    const stub = stubOf(tenant.id);
    const { checkpoint } = await stub.syncStatus();
    const id = await createCandidate(clientId, { givenName: "Late", familyName: "Arrival", emails: ["late@example.com"] });
    await setFaults(clientId, [{ op: "profiles", status: 503 }]);
    await stub.requestSync();
    const failed = await stub.syncStatus();
    expect(failed.state).toBe("failing");
    expect(failed.checkpoint).toBe(checkpoint);
    await clearFaults(clientId);
    await stub.requestSync();
    expect((await stub.syncStatus()).state).toBe("idle");
    expect(await stub.getIndexed(id)).not.toBeNull();
  });
});

describe("admin sync control", () => {
  it("reports status and runs a sync on request", async () => {
    const tenant = await createTenant({ region: "US" });
    await drainBackfill(tenant.id);
    const status = await adminFetch(`/admin/tenants/${tenant.id}/sync`);
    expect(status.status).toBe(200);
    expect(await status.json()).toMatchObject({ state: "idle", indexed: expect.any(Number), checkpoint: expect.any(String) });
    const run = await adminFetch(`/admin/tenants/${tenant.id}/sync`, { method: "POST", body: { full: true } });
    expect(run.status).toBe(202);
    expect(await run.json()).toMatchObject({ state: expect.stringMatching(/idle|backfilling|running/) });
  });

  // A request that arrives while a run is under way joins that run, which writes its own copy of the sync
  // state back as it ends: the request must survive that and be run next, by the alarm, at once.
  it.each([
    ["full", { full: true }],
    ["reconcile", { reconcile: true }],
  ] as const)(
    "a %s request made while a run is under way is not lost: the next alarm runs it",
    { timeout: 60_000 },
    async (kind, request) => {
      const { client_id: clientId } = await createAccount("sync-during-run");
      await seedAccount(clientId, 120);
      const tenant = await createTenant({ talemetryClientId: clientId, region: "US", settings: { sync_interval_seconds: 86_400 } });
      await drainBackfill(tenant.id);
      const stub = stubOf(tenant.id);
      const profilesBefore = (await getStats(clientId)).calls.profiles;
      // Every Talemetry call takes 400 ms: the run below is still awaiting Talemetry when the request arrives.
      await setLatency(clientId, 400);
      const running = stub.requestSync();
      const started = Date.now() + 10_000;
      while ((await stub.syncStatus()).state !== "running") {
        if (Date.now() > started) throw new Error("the sync run never started");
        await new Promise((r) => setTimeout(r, 20));
      }
      const joined = stub.requestSync(request);
      await Promise.all([running, joined]);
      await setLatency(clientId, 0);
      // The run under way has ended; the request is due now, not at the next poll a day away.
      const alarm = await runInDurableObject(stub, (_i, state) => state.storage.getAlarm());
      expect(alarm).not.toBeNull();
      expect(alarm!).toBeLessThanOrEqual(Date.now());

      // The runtime fires that alarm by itself; running it here too only makes the wait short.
      const current = (await getStats(clientId)).candidates.current;
      const ran = async () => {
        const status = await stub.syncStatus();
        if (kind === "reconcile") return status.reconcile.state === "running" || status.reconcile.last !== null;
        // A complete re-read: every candidate fetched again (50 per profiles call), and back to idle.
        const profiles = (await getStats(clientId)).calls.profiles - profilesBefore;
        return status.state === "idle" && profiles >= Math.ceil(current / 50);
      };
      const until = Date.now() + 20_000;
      while (!(await ran())) {
        if (Date.now() > until) throw new Error(`the ${kind} request was never run`);
        await runDurableObjectAlarm(stub);
        await new Promise((r) => setTimeout(r, 50));
      }
      expect((await stub.syncStatus()).indexed).toBe(current);
    },
  );

  it("the cron re-arms a tenant whose alarm is missing", async () => {
    const tenant = await createTenant({ region: "US" });
    await drainBackfill(tenant.id);
    const stub = stubOf(tenant.id);
    await runInDurableObject(stub, (_instance, state) => state.storage.deleteAlarm());
    const { rearmed } = await rearmSyncAlarms(env);
    expect(rearmed).toBeGreaterThanOrEqual(1);
    expect(await runInDurableObject(stub, (_instance, state) => state.storage.getAlarm())).not.toBeNull();
  });
});
