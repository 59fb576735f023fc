// Talemetry failing in the middle of the bridge's own multi-step work — a directory backfill, a Talkdesk
// contact-sync run, a candidate PATCH, an activity create — injected with the simulator's fault rules.
// After each: nothing is lost, nothing is duplicated, the index converges to exactly what Talemetry
// holds, and the caller was told the truth (503 with Retry-After while it failed, success after).
import { runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { DEMO } from "../../sandbox/demo-data";
import { directoryOf, drainBackfill } from "../helpers/directory";
import {
  clearFaults,
  createAccount,
  createCandidate,
  deleteCandidate,
  getCandidate,
  getStats,
  sandboxToken,
  seedAccount,
  setFaults,
  type UpstreamResult,
  updateCandidate,
  upstreamJson,
} from "../helpers/sandbox";
import { adminFetch, createTenant } from "../helpers/tenants";
import { contactSyncRun, envelope, syncedTenant, type TalkdeskAnswer, talkdesk } from "../talkdesk/helpers";
import { type Answer, expectProblem, v1 } from "../v1/helpers";

const maya = DEMO.maya.record.id;

/** Every current candidate id of a simulator account, from the Match API itself (no date range = all current). */
async function talemetryIds(clientId: string): Promise<string[]> {
  const token = await sandboxToken(clientId);
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const res: UpstreamResult<{ result: { Ids: string[]; Cursor: string | null } }> = await upstreamJson("/match/v1/people/ids", {
      token,
      body: cursor ? { PageSize: 500, Cursor: cursor } : { PageSize: 500 },
    });
    expect(res.status, res.text).toBe(200);
    ids.push(...res.json.result.Ids);
    cursor = res.json.result.Cursor;
  } while (cursor);
  return ids;
}

/** Every id in the tenant's directory, in seq order (duplicates kept, so a test can see them). */
async function indexIds(tenantId: string): Promise<string[]> {
  const stub = directoryOf(tenantId);
  const ids: string[] = [];
  let after = -1;
  let highWater: number | null = null;
  for (;;) {
    const page = await stub.changes(after, highWater, 1000);
    highWater = page.highWater;
    if (page.rows.length === 0) return ids;
    ids.push(...page.rows.map((r) => r.person.id));
    after = page.rows[page.rows.length - 1]!.seq;
  }
}

const sorted = (ids: readonly string[]) => [...ids].sort();

async function searchIds(apiKey: string, query: string): Promise<string[]> {
  const res = await v1(apiKey, `/search?${query}`);
  expect(res.status).toBe(200);
  return res.body.data.map((d: { id: string }) => d.id);
}

function expectUnavailableProblem(res: Answer, retryAfter?: string): void {
  expectProblem(res, 503, "upstream-unavailable");
  expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  if (retryAfter) expect(res.headers.get("retry-after")).toBe(retryAfter);
}

function expectUnavailableMessage(res: TalkdeskAnswer): void {
  expect(res.status, JSON.stringify(res.body)).toBe(503);
  expect(Object.keys(res.body)).toEqual(["message"]);
  expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
}

/** Notes of the candidate in Talemetry whose text contains `marker`. */
async function notesWith(clientId: string, candidateId: string, marker: string): Promise<number> {
  const stored = await getCandidate(clientId, candidateId);
  return stored.record.notes.filter((n) => n.Text.includes(marker)).length;
}

describe("a backfill interrupted by Talemetry failures", () => {
  it("resumes after 5xx, 429 and failing detail reads, and converges to exactly the account's current candidates", async () => {
    const { client_id: clientId } = await createAccount("bf-fault");
    await seedAccount(clientId, 2300); // 5 Match pages of 500
    // The first run stops half-way: the onboarding probe (3 listings) and 3 pages answer, the 4th listing fails.
    await setFaults(clientId, [
      { op: "ids", latencyMs: 0, times: 6 },
      { op: "ids", status: 500 },
    ]);
    const tenant = await createTenant({ talemetryClientId: clientId, region: "US" });
    const stub = directoryOf(tenant.id);
    await runDurableObjectAlarm(stub);
    const partial = await stub.syncStatus();
    expect(partial.state).toBe("failing");
    expect(partial.indexed).toBeGreaterThan(1400); // 3 pages of 500, minus the seed's deleted candidates
    expect(partial.indexed).toBeLessThanOrEqual(1500);
    await clearFaults(clientId);
    const indexedBefore = await indexIds(tenant.id);
    expect(indexedBefore.length).toBe(partial.indexed);

    // Talemetry changes while the backfill is half done: candidates created, deleted (already indexed and
    // not yet indexed) and updated.
    const current = await talemetryIds(clientId);
    const notYetIndexed = current.filter((id) => !indexedBefore.includes(id));
    const created = await Promise.all(
      [1, 2, 3].map((i) =>
        createCandidate(clientId, {
          givenName: "During",
          familyName: `Backfill${i}`,
          emails: [`during.backfill.${i}@example.com`],
          phones: [{ kind: "Mobile", InternationalCountryCode: "1", AreaCityCode: "646", SubscriberNumber: `555-01${10 + i}` }],
        }),
      ),
    );
    const deletedIndexed = indexedBefore.slice(0, 2);
    const deletedPending = notYetIndexed.slice(0, 1);
    for (const id of [...deletedIndexed, ...deletedPending]) await deleteCandidate(clientId, id);
    const updated = indexedBefore[10]!;
    await updateCandidate(clientId, updated, {
      emails: ["changed.during.backfill@example.com"],
      phones: [{ kind: "Mobile", InternationalCountryCode: "44", AreaCityCode: "7700", SubscriberNumber: "900321" }],
    });

    // Three kinds of failure, one alarm run each: the index neither loses nor half-applies anything.
    for (const rules of [
      [{ op: "ids" as const, status: 500 }],
      [{ op: "profiles" as const, status: 502 }],
      [{ op: "*" as const, status: 429, retryAfter: "3600" }],
    ]) {
      await setFaults(clientId, rules);
      await runDurableObjectAlarm(stub);
      const failing = await stub.syncStatus();
      expect(failing.state).toBe("failing");
      expect(failing.last_error).toMatch(/Talemetry/);
      expect(failing.indexed).toBe(partial.indexed);
      expect(await indexIds(tenant.id)).toEqual(indexedBefore);
    }

    // During the outage the hot path still answers from the index, and the operator sees the failure.
    const indexedWithEmail = (await Promise.all(indexedBefore.slice(20, 40).map((id) => stub.getIndexed(id)))).find(
      (p) => p && p.emails.length > 0,
    )!;
    expect(await searchIds(tenant.api_key, `email=${encodeURIComponent(indexedWithEmail.emails[0]!)}`)).toContain(indexedWithEmail.id);
    const status = await adminFetch(`/admin/tenants/${tenant.id}/sync`);
    expect(status.status).toBe(200);
    expect(await status.json()).toMatchObject({ state: "failing", last_error: expect.any(String) });

    await clearFaults(clientId);
    await drainBackfill(tenant.id);
    // The first incremental window after the pass picks up what changed behind the pass's cursor.
    await stub.requestSync();

    const index = await indexIds(tenant.id);
    expect(new Set(index).size).toBe(index.length);
    expect(sorted(index)).toEqual(sorted(await talemetryIds(clientId)));
    for (const id of created) expect(index).toContain(id);
    for (const id of [...deletedIndexed, ...deletedPending]) expect(index).not.toContain(id);
    // (The seeded numbers are random and may be shared; the emails are this test's own.)
    expect(await searchIds(tenant.api_key, "phone=%2B447700900321")).toContain(updated);
    expect(await searchIds(tenant.api_key, "email=changed.during.backfill%40example.com")).toEqual([updated]);
    expect(await searchIds(tenant.api_key, "phone=%2B16465550111")).toContain(created[0]);
    expect(await searchIds(tenant.api_key, "email=during.backfill.1%40example.com")).toEqual([created[0]]);
    expect((await stub.syncStatus()).state).toBe("idle");
  });
});

describe("a Talkdesk contact-sync run during a Talemetry outage", () => {
  it("keeps paging from the directory: every contact exactly once, no page skipped, new candidates in the next run", async () => {
    const { tenant, clientId } = await syncedTenant(30, { label: "td-outage" });
    const stub = directoryOf(tenant.id);
    const before = await indexIds(tenant.id);
    const created: string[] = [];

    const run = await contactSyncRun(tenant.api_key, undefined, async (page) => {
      if (page === 0) {
        // Talemetry goes down completely; candidates change behind it; the sync fails.
        await setFaults(clientId, [{ op: "*", status: 503 }]);
        created.push(
          await createCandidate(clientId, { givenName: "Hidden", familyName: "ByOutage", emails: ["hidden.outage@example.com"] }),
        );
        await updateCandidate(clientId, before[25]!, { title: "Changed during the outage" });
        await stub.requestSync();
        expect((await stub.syncStatus()).state).toBe("failing");
      }
      if (page === 3) {
        // Talemetry half-recovers: the Match API answers but detail reads fail, so the window cannot be
        // applied. Nothing of it may reach the directory (no partial window behind Talkdesk's checkpoint).
        await setFaults(clientId, [{ op: "profiles", status: 502 }]);
        await stub.requestSync();
        expect((await stub.syncStatus()).state).toBe("failing");
      }
    });
    expect(run.pages.length).toBeGreaterThan(5);
    expect(new Set(run.ids).size).toBe(run.ids.length);
    expect(sorted(run.ids)).toEqual(sorted(before));
    // Every page carried the same checkpoint: the run's high-water mark.
    expect(new Set(run.pages.map((p) => p.synchronization_checkpoint)).size).toBe(1);

    // Still failing: an incremental run has nothing new — the failed windows left no partial rows.
    expect((await contactSyncRun(tenant.api_key, run.checkpoint)).ids).toEqual([]);

    await clearFaults(clientId);
    await stub.requestSync();
    const next = await contactSyncRun(tenant.api_key, run.checkpoint);
    expect(sorted(next.ids)).toEqual(sorted([...created, before[25]!]));
    expect(next.pages.flatMap((p) => p.contacts).find((c) => c.id === before[25])?.title).toBe("Changed during the outage");
    expect(sorted([...new Set([...run.ids, ...next.ids])])).toEqual(sorted(await talemetryIds(clientId)));
  });
});

describe("a candidate PATCH while Talemetry fails", () => {
  const newPhone = { phones: [{ number: "+14155550199", type: "mobile" }] };

  async function patched(label: string) {
    const { tenant, clientId } = await syncedTenant(9, { label });
    expect(await searchIds(tenant.api_key, "phone=%2B14155550142")).toEqual([maya]);
    return { tenant, clientId, stub: directoryOf(tenant.id) };
  }

  it("a write refused before it landed: 503, nothing changed anywhere; the retry succeeds and the index follows", async () => {
    const { tenant, clientId } = await patched("patch-503");
    await setFaults(clientId, [{ op: "contact", status: 503, retryAfter: "7", times: 1 }]);
    expectUnavailableProblem(await v1(tenant.api_key, `/candidates/${maya}`, { method: "PATCH", json: newPhone }), "7");
    expect(JSON.stringify((await getCandidate(clientId, maya)).record.contact)).not.toContain("5550199");
    expect(await searchIds(tenant.api_key, "phone=%2B14155550199")).toEqual([]);
    expect(await searchIds(tenant.api_key, "phone=%2B14155550142")).toEqual([maya]);

    const retry = await v1(tenant.api_key, `/candidates/${maya}`, { method: "PATCH", json: newPhone });
    expect(retry.status).toBe(200);
    expect(retry.body.phones.map((p: { number: string }) => p.number)).toEqual(["+14155550199"]);
    expect(await searchIds(tenant.api_key, "phone=%2B14155550199")).toEqual([maya]);
    expect(await searchIds(tenant.api_key, "phone=%2B14155550142")).toEqual([]);
    expect((await getStats(clientId)).calls.contact).toBe(2);
  });

  it("a write that landed but whose answer was lost: 503 (not a false success); retry or sync makes the index match Talemetry", async () => {
    const { tenant, clientId, stub } = await patched("patch-lost");
    await setFaults(clientId, [{ op: "contact", status: 500, afterApply: true, times: 1 }]);
    const res = await v1(tenant.api_key, `/candidates/${maya}`, { method: "PATCH", json: newPhone });
    expectUnavailableProblem(res);
    expect(JSON.stringify((await getCandidate(clientId, maya)).record.contact)).toContain("5550199");
    // The caller was not told it worked, so it retries: the same change again is harmless.
    const retry = await v1(tenant.api_key, `/candidates/${maya}`, { method: "PATCH", json: newPhone });
    expect(retry.status).toBe(200);
    expect(await searchIds(tenant.api_key, "phone=%2B14155550199")).toEqual([maya]);
    expect(await searchIds(tenant.api_key, "phone=%2B14155550142")).toEqual([]);

    // Without a retry, the next sync brings the index in line (the write is an `updated` event).
    await setFaults(clientId, [{ op: "contact", status: 502, afterApply: true, times: 1 }]);
    expectUnavailableProblem(
      await v1(tenant.api_key, `/candidates/${maya}`, { method: "PATCH", json: { emails: ["maya.lost@example.com"] } }),
    );
    await stub.requestSync();
    expect(await searchIds(tenant.api_key, "email=maya.lost%40example.com")).toEqual([maya]);
    expect(await searchIds(tenant.api_key, "email=maya.ortiz%40example.com")).toEqual([]);
  });

  it("Talemetry's 429 on the write: 503 with its Retry-After, nothing written", async () => {
    const { tenant, clientId } = await patched("patch-429");
    await setFaults(clientId, [{ op: "contact", status: 429, retryAfter: "120" }]);
    expectUnavailableProblem(await v1(tenant.api_key, `/candidates/${maya}`, { method: "PATCH", json: newPhone }), "120");
    expect(JSON.stringify((await getCandidate(clientId, maya)).record.contact)).not.toContain("5550199");
    expect(await searchIds(tenant.api_key, "phone=%2B14155550199")).toEqual([]);
  });

  it("Talkdesk update_contact whose write landed with its answer lost: 503, then the retry leaves Talemetry and the index in agreement", async () => {
    const { tenant, clientId } = await patched("td-upd-lost");
    await setFaults(clientId, [{ op: "contact", status: 500, afterApply: true, times: 1 }]);
    const action = () =>
      talkdesk(
        "/actions/update_contact",
        envelope(tenant.api_key, { meta: { contact_external_id: maya }, data: { emails: "maya.talkdesk@example.com" } }),
      );
    expectUnavailableMessage(await action());
    const retry = await action();
    expect(retry.status).toBe(201);
    const stored = JSON.stringify((await getCandidate(clientId, maya)).record.contact);
    expect(stored.match(/maya\.talkdesk@example\.com/g)).toHaveLength(1);
    expect(await searchIds(tenant.api_key, "email=maya.talkdesk%40example.com")).toEqual([maya]);
  });
});

describe("an activity create whose note landed but whose answer was lost", () => {
  it("the caller is told 503; concurrent retries with the same Idempotency-Key return one activity and Talemetry holds one note", async () => {
    const { tenant, clientId } = await syncedTenant(9, { label: "act-lost", settings: { default_author_email: "amy@agency.example" } });
    const marker = `lost-answer-${crypto.randomUUID()}`;
    const body = { entity_id: maya, type: "call", body: `Call notes ${marker}`, direction: "inbound", duration_seconds: 30 };
    const post = () => v1(tenant.api_key, "/activities", { method: "POST", headers: { "idempotency-key": marker }, json: body });

    await setFaults(clientId, [{ op: "note_create", status: 500, afterApply: true, times: 1 }]);
    expectUnavailableProblem(await post());
    expect(await notesWith(clientId, maya, marker)).toBe(1);

    // The recovery read fails too: still 503, still one note.
    await setFaults(clientId, [{ op: "profiles", status: 503, times: 3 }]);
    expectUnavailableProblem(await post());
    expect(await notesWith(clientId, maya, marker)).toBe(1);

    await clearFaults(clientId);
    const retries = await Promise.all(Array.from({ length: 5 }, post));
    expect(retries.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    const ids = new Set(retries.map((r) => r.body.id));
    expect(ids.size).toBe(1);
    expect(await notesWith(clientId, maya, marker)).toBe(1);
    const [id] = [...ids];
    expect((await v1(tenant.api_key, `/activities/${id}`)).body).toMatchObject({ id, body: body.body, entity_id: maya });
    expect((await getStats(clientId)).calls.note_create).toBe(1);

    // Talkdesk's contact activity shows it once.
    const shown = await talkdesk("/interactions", envelope(tenant.api_key, { data: { contact_external_id: maya } }));
    expect(
      shown.body.filter((i: { subject: string; description?: string }) => `${i.subject}\n${i.description ?? ""}`.includes(marker)),
    ).toHaveLength(1);
  });

  it("a Talkdesk log_call retried after a lost answer, three times at once, writes one note", async () => {
    const { tenant, clientId } = await syncedTenant(9, { label: "td-lost", settings: { default_author_email: "amy@agency.example" } });
    const marker = `td-lost-${crypto.randomUUID()}`;
    const call = () =>
      talkdesk(
        "/actions/log_call",
        envelope(tenant.api_key, {
          meta: { contact_external_id: maya, agent_external_id: "u-124" },
          data: { direction: "outbound", duration: "42", summary: marker },
        }),
      );
    await setFaults(clientId, [{ op: "note_create", status: 502, afterApply: true, times: 1 }]);
    expectUnavailableMessage(await call());
    await clearFaults(clientId);
    const retries = await Promise.all([call(), call(), call()]);
    expect(retries.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(new Set(retries.map((r) => r.body.external_id)).size).toBe(1);
    expect(await notesWith(clientId, maya, marker)).toBe(1);
  });
});
