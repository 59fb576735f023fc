// Idempotency-Key on POST /v1/activities (docs/contracts/v1-api.md, "Activities"): same key + same
// body → the first result and nothing new, sequentially and at the same moment; same key + another body
// → 409, bodies compared after validation with defaults applied; a failed attempt keeps the key bound
// to its body (the same body runs again, another is a 409); a create whose answer was lost is found in
// Talemetry by its activity id before the retry, so the retry never writes a second note.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { clearFaults, getCandidate, getStats, setFaults } from "../helpers/sandbox";
import type { TestTenant } from "../helpers/tenants";
import { activityBody, DEMO, expectProblem, tenantWithDefaults, v1 } from "./helpers";

const MAYA = DEMO.maya.record.id;

let t: TestTenant;
beforeAll(async () => {
  t = await tenantWithDefaults();
});
afterEach(async () => {
  await clearFaults(t.talemetry.client_id);
});

const key = () => crypto.randomUUID();
const post = (body: Record<string, unknown>, idempotencyKey?: string) =>
  v1(t.api_key, "/activities", { method: "POST", json: body, headers: idempotencyKey ? { "idempotency-key": idempotencyKey } : {} });

async function notesWith(activityId: string) {
  return (await getCandidate(t.talemetry.client_id, MAYA)).record.notes.filter((n) => n.Text.includes(activityId));
}

async function noteCreates(): Promise<number> {
  return (await getStats(t.talemetry.client_id)).calls.note_create;
}

describe("same key, same body", () => {
  it("returns the first result (201, same id) and creates nothing new", async () => {
    const k = key();
    const first = await post(activityBody({ body: "sequential" }), k);
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    const creates = await noteCreates();
    const second = await post(activityBody({ body: "sequential" }), k);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(await noteCreates()).toBe(creates);
    expect(await notesWith(first.body.id)).toHaveLength(1);
  });

  it("compares bodies as parsed JSON: key order and whitespace do not matter", async () => {
    const k = key();
    const body = activityBody({ body: "reordered" });
    const first = await post(body, k);
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const res = await v1(t.api_key, "/activities", {
      method: "POST",
      body: JSON.stringify(reordered, null, 2),
      headers: { "content-type": "application/json", "idempotency-key": k },
    });
    expect(res.status).toBe(201);
    expect(res.body.id).toBe(first.body.id);
  });

  it("compares bodies with defaults applied: a retry that adds the default entity, or sends null for an absent field, is the same", async () => {
    const k = key();
    const { entity: _entity, direction: _direction, ...bare } = activityBody({ body: "defaults" });
    const first = await post(bare, k);
    expect(first.status).toBe(201);
    const creates = await noteCreates();
    for (const retry of [
      { ...bare, entity: "candidate" },
      { ...bare, direction: null, user_id: null },
      { ...bare, entity_id: `  ${MAYA} ` },
    ]) {
      const res = await post(retry, k);
      expect(res.status, JSON.stringify(retry)).toBe(201);
      expect(res.body).toEqual(first.body);
      expect(res.headers.get("idempotent-replayed")).toBe("true");
    }
    expect(await noteCreates()).toBe(creates);
    // A value that differs is another request, default or not.
    expectProblem(await post({ ...bare, direction: "inbound" }, k), 409, "conflict");
  });

  it("answers two identical requests at the same moment with one note", async () => {
    const k = key();
    const creates = await noteCreates();
    const answers = await Promise.all(Array.from({ length: 5 }, () => post(activityBody({ body: "concurrent" }), k)));
    for (const a of answers) expect(a.status, JSON.stringify(a.body)).toBe(201);
    const ids = new Set(answers.map((a) => a.body.id));
    expect(ids.size).toBe(1);
    expect(await noteCreates()).toBe(creates + 1);
    expect(await notesWith([...ids][0])).toHaveLength(1);
  });

  it("without a key, every request creates its own activity", async () => {
    const [a, b] = await Promise.all([post(activityBody({ body: "no key" })), post(activityBody({ body: "no key" }))]);
    expect(a.body.id).not.toBe(b.body.id);
  });

  it("scopes keys to the tenant", async () => {
    const other = await tenantWithDefaults();
    const k = key();
    const mine = await post(activityBody({ body: "tenant scoped" }), k);
    const theirs = await v1(other.api_key, "/activities", {
      method: "POST",
      json: activityBody({ body: "tenant scoped" }),
      headers: { "idempotency-key": k },
    });
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(mine.body.id);
  });
});

describe("same key, another body", () => {
  it("is a 409 and creates nothing", async () => {
    const k = key();
    await post(activityBody({ body: "original" }), k);
    const creates = await noteCreates();
    const res = await post(activityBody({ body: "changed" }), k);
    expectProblem(res, 409, "conflict");
    expect(await noteCreates()).toBe(creates);
  });

  it("a request refused for its content (422) does not use the key up", async () => {
    const k = key();
    expectProblem(await post(activityBody({ type: "carrier-pigeon" }), k), 422, "invalid");
    expect((await post(activityBody({ type: "call" }), k)).status).toBe(201);
  });
});

describe("failed upstream writes", () => {
  it("a refused write (503 before it was applied) keeps the key bound to its body: another body is a 409, the same runs again", async () => {
    const k = key();
    await setFaults(t.talemetry.client_id, [{ op: "note_create", status: 503, times: 1 }]);
    const failed = await post(activityBody({ body: "retry after outage" }), k);
    const problem = expectProblem(failed, 503, "upstream-unavailable");
    expect(problem.detail).not.toMatch(/Injected/);
    expect(Number(failed.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);

    const creates = await noteCreates();
    expectProblem(await post(activityBody({ body: "something else" }), k), 409, "conflict");
    expect(await noteCreates()).toBe(creates);
    const retry = await post(activityBody({ body: "retry after outage" }), k);
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBeNull();
    expect(await notesWith(retry.body.id)).toHaveLength(1);
    expect((await post(activityBody({ body: "retry after outage" }), k)).body).toEqual(retry.body);
  });

  it("a failure before any write (users outage) keeps the key bound too", async () => {
    const other = await tenantWithDefaults();
    const k = key();
    await setFaults(other.talemetry.client_id, [{ op: "users", status: 503 }]);
    try {
      const postOther = (body: Record<string, unknown>) =>
        v1(other.api_key, "/activities", { method: "POST", json: body, headers: { "idempotency-key": k } });
      expectProblem(await postOther(activityBody({ body: "users down" })), 503, "upstream-unavailable");
      expectProblem(await postOther(activityBody({ body: "another" })), 409, "conflict");
      await clearFaults(other.talemetry.client_id);
      expect((await postOther(activityBody({ body: "users down" }))).status).toBe(201);
    } finally {
      await clearFaults(other.talemetry.client_id);
    }
  });

  it("Talemetry throttling (429) is a 503 with Retry-After", async () => {
    await setFaults(t.talemetry.client_id, [{ op: "note_create", status: 429, retryAfter: "30", times: 1 }]);
    const res = await post(activityBody({ body: "throttled" }), key());
    expectProblem(res, 503, "upstream-unavailable");
    expect(res.headers.get("retry-after")).toBe("30");
  });

  it("a create whose answer was lost is found by its activity id: the retry writes no second note", async () => {
    const k = key();
    const body = activityBody({ body: "answer lost" });
    await setFaults(t.talemetry.client_id, [{ op: "note_create", status: 502, afterApply: true, times: 1 }]);
    const creates = await noteCreates();
    expectProblem(await post(body, k), 503, "upstream-unavailable");
    expect(await noteCreates()).toBe(creates + 1);
    const written = (await getCandidate(t.talemetry.client_id, MAYA)).record.notes.filter((n) => n.Text.includes("answer lost"));
    expect(written).toHaveLength(1);

    const retry = await post(body, k);
    expect(retry.status, JSON.stringify(retry.body)).toBe(201);
    expect(written[0].Text).toContain(`[talentlynk activity ${retry.body.id}]`);
    expect(await noteCreates()).toBe(creates + 1);
    expect(await notesWith(retry.body.id)).toHaveLength(1);
    // Once recovered, the key replays like any other.
    expect((await post(body, k)).body).toEqual(retry.body);
    // And the activity is complete: a PATCH finds its note.
    const patched = await v1(t.api_key, `/activities/${retry.body.id}`, { method: "PATCH", json: { body: "answer found" } });
    expect(patched.status).toBe(200);
    expect((await notesWith(retry.body.id))[0].Text).toContain("answer found");
  });

  it("after a lost answer the same key with another body is still a 409 (the first may have landed)", async () => {
    const k = key();
    await setFaults(t.talemetry.client_id, [{ op: "note_create", status: 500, afterApply: true, times: 1 }]);
    expectProblem(await post(activityBody({ body: "lost, then changed" }), k), 503, "upstream-unavailable");
    expectProblem(await post(activityBody({ body: "something else" }), k), 409, "conflict");
  });

  it("a lost answer whose note did not land is written by the retry", async () => {
    const k = key();
    const body = activityBody({ body: "never landed" });
    // A 500 that was not applied: the bridge cannot tell it from a lost answer, so the retry checks
    // Talemetry, finds nothing, and writes.
    await setFaults(t.talemetry.client_id, [{ op: "note_create", status: 500, times: 1 }]);
    expectProblem(await post(body, k), 503, "upstream-unavailable");
    const retry = await post(body, k);
    expect(retry.status).toBe(201);
    expect(await notesWith(retry.body.id)).toHaveLength(1);
  });
});

describe("Idempotency-Key format", () => {
  it("is 400 when it is not 1–255 printable characters", async () => {
    expectProblem(await post(activityBody(), "x".repeat(256)), 400, "bad-request");
    expectProblem(await post(activityBody(), "with space"), 400, "bad-request");
  });
});
