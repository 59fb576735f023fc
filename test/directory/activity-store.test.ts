// The activity records and idempotency claims in a real tenant Durable Object (src/directory/activities.ts):
// claim → busy → complete → replay, conflicts, release after certain and uncertain failures, takeover
// after a lease, 24 h expiry, earlier keys that are looked up but never claimed.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ActivityStore, CLAIM_LEASE_MS, IDEMPOTENCY_TTL_MS, type StoredActivity } from "../../src/directory/activities";

function withActivities<R>(fn: (store: ActivityStore) => R): Promise<R> {
  const stub = env.TENANT.get(env.TENANT.idFromName(`t-act-${crypto.randomUUID()}`));
  return runInDurableObject(stub, (_instance, state) => fn(new ActivityStore(state.storage)));
}

function stored(id: string, overrides: Partial<StoredActivity> = {}): StoredActivity {
  return {
    id,
    entity: "candidate",
    entity_id: "c1",
    type: "call",
    body: "hello",
    occurred_at: "2026-11-22T10:03:00Z",
    user_id: "u-123",
    direction: "outbound",
    duration_seconds: 60,
    created_at: "2026-11-22T10:04:00Z",
    updated_at: "2026-11-22T10:04:00Z",
    note_id: "n1",
    ...overrides,
  };
}

const T = 1_800_000_000_000;

describe("ActivityStore claims", () => {
  it("claims a new key, is busy while pending, replays once done", async () => {
    await withActivities((store) => {
      const first = store.claim(["k"], "h1", T);
      expect(first).toMatchObject({ kind: "claimed", key: "k", recover: false, firstAttemptAt: new Date(T).toISOString() });
      if (first.kind !== "claimed") throw new Error("unreachable");
      expect(first.activityId).toMatch(/^act_[0-9a-f]{24}$/);
      expect(store.claim(["k"], "h1", T + 1)).toEqual({ kind: "busy", key: "k", leaseUntil: T + CLAIM_LEASE_MS });
      const answer = store.complete(stored(first.activityId), { key: "k" });
      expect(answer).not.toHaveProperty("note_id");
      expect(store.claim(["k"], "h1", T + 2)).toEqual({ kind: "done", activity: answer });
      expect(store.get(first.activityId)?.note_id).toBe("n1");
    });
  });

  it("refuses the key with another body, pending or done", async () => {
    await withActivities((store) => {
      store.claim(["k"], "h1", T);
      expect(store.claim(["k"], "h2", T)).toEqual({ kind: "conflict" });
    });
  });

  it("forgets a refused request's claim; keeps a failed one bound to its body; checks after an uncertain one", async () => {
    await withActivities((store) => {
      // Refused as invalid before anything was written: the key is free, even for another body.
      const a = store.claim(["a"], "h", T);
      if (a.kind !== "claimed") throw new Error("unreachable");
      store.release("a", a.owner, "refused");
      expect(store.claim(["a"], "other body", T)).toMatchObject({ kind: "claimed", recover: false });

      // Failed with nothing written: the same body runs again (no check needed), another body conflicts.
      const f = store.claim(["f"], "h", T);
      if (f.kind !== "claimed") throw new Error("unreachable");
      store.release("f", f.owner, "failed");
      expect(store.claim(["f"], "other body", T + 1)).toEqual({ kind: "conflict" });
      expect(store.claim(["f"], "h", T + 1)).toMatchObject({ kind: "claimed", activityId: f.activityId, recover: false });

      // Maybe written: the retry checks Talemetry first; another body conflicts.
      const b = store.claim(["b"], "h", T);
      if (b.kind !== "claimed") throw new Error("unreachable");
      store.release("b", b.owner, "uncertain");
      const retry = store.claim(["b"], "h", T + 1);
      expect(retry).toMatchObject({ kind: "claimed", activityId: b.activityId, recover: true });
      expect(store.claim(["b"], "other body", T + 1)).toEqual({ kind: "conflict" });
      // A claim that may hide a written note survives even a refusal or a certain failure of a later attempt.
      if (retry.kind !== "claimed") throw new Error("unreachable");
      store.release("b", retry.owner, "refused");
      const third = store.claim(["b"], "h", T + 2);
      expect(third).toMatchObject({ kind: "claimed", activityId: b.activityId, recover: true });
      if (third.kind !== "claimed") throw new Error("unreachable");
      store.release("b", third.owner, "failed");
      expect(store.claim(["b"], "h", T + 3)).toMatchObject({ kind: "claimed", activityId: b.activityId, recover: true });
    });
  });

  it("lets a late owner release nothing once another took over", async () => {
    await withActivities((store) => {
      const a = store.claim(["k"], "h", T);
      if (a.kind !== "claimed") throw new Error("unreachable");
      const b = store.claim(["k"], "h", T + CLAIM_LEASE_MS);
      expect(b).toMatchObject({ kind: "claimed", recover: true, activityId: a.activityId });
      store.release("k", a.owner, "refused");
      expect(store.claim(["k"], "h", T + CLAIM_LEASE_MS + 1)).toMatchObject({ kind: "busy" });
    });
  });

  it("expires keys after 24 hours", async () => {
    await withActivities((store) => {
      const a = store.claim(["k"], "h", T);
      if (a.kind !== "claimed") throw new Error("unreachable");
      store.complete(stored(a.activityId), { key: "k" });
      expect(store.claim(["k"], "h", T + IDEMPOTENCY_TTL_MS - 1)).toMatchObject({ kind: "done" });
      expect(store.claim(["k"], "other", T + IDEMPOTENCY_TTL_MS)).toMatchObject({ kind: "claimed", recover: false });
    });
  });

  it("answers from an earlier key for the same body, and claims only the first key", async () => {
    await withActivities((store) => {
      const old = store.claim(["previous"], "h", T);
      if (old.kind !== "claimed") throw new Error("unreachable");
      const answer = store.complete(stored(old.activityId), { key: "previous" });
      expect(store.claim(["current", "previous"], "h", T + 1)).toEqual({ kind: "done", activity: answer });
      expect(store.claim(["fresh", "unknown"], "h", T + 1)).toMatchObject({ kind: "claimed", key: "fresh" });
      expect(store.claim(["unknown"], "h", T + 1)).toMatchObject({ kind: "claimed", key: "unknown" });
    });
  });

  it("keeps the first answer when a raced completion arrives second", async () => {
    await withActivities((store) => {
      const a = store.claim(["k"], "h", T);
      if (a.kind !== "claimed") throw new Error("unreachable");
      const first = store.complete(stored(a.activityId, { note_id: "n1" }), { key: "k" });
      const second = store.complete(stored(a.activityId, { note_id: "n2", body: "late" }), { key: "k" });
      expect(second).toEqual(first);
      expect(store.get(a.activityId)?.note_id).toBe("n1");
    });
  });

  it("updates body and type", async () => {
    await withActivities((store) => {
      store.complete(stored("act_1"), null);
      expect(store.update("act_1", { body: "new" }, "2026-11-23T00:00:00Z")).toMatchObject({
        body: "new",
        type: "call",
        updated_at: "2026-11-23T00:00:00Z",
      });
      expect(store.update("act_none", { body: "x" }, "2026-11-23T00:00:00Z")).toBeNull();
    });
  });
});

describe("claims of other creates (claimKey)", () => {
  it("share the table and rules: busy while pending, the first answer replayed once done, a late answer ignored", async () => {
    await withActivities((store) => {
      const first = store.claimKey(["c"], "h1", T);
      expect(first).toMatchObject({ kind: "claimed", key: "c", recover: false });
      expect(store.claimKey(["c"], "h1", T + 1)).toEqual({ kind: "busy", key: "c", leaseUntil: T + CLAIM_LEASE_MS });
      expect(store.claimKey(["c"], "h2", T + 1)).toEqual({ kind: "conflict" });
      expect(store.completeClaim("c", '{"candidate_id":"a"}')).toBe('{"candidate_id":"a"}');
      // A takeover that finishes later keeps the first answer.
      expect(store.completeClaim("c", '{"candidate_id":"b"}')).toBe('{"candidate_id":"a"}');
      expect(store.claimKey(["c"], "h1", T + 2)).toEqual({ kind: "done", response: '{"candidate_id":"a"}' });
      // The previous bucket's key finds it too.
      expect(store.claimKey(["c-next", "c"], "h1", T + 3)).toEqual({ kind: "done", response: '{"candidate_id":"a"}' });
    });
  });

  it("stay to be checked after an uncertain failure", async () => {
    await withActivities((store) => {
      const a = store.claimKey(["u"], "h", T);
      if (a.kind !== "claimed") throw new Error("unreachable");
      store.release("u", a.owner, "uncertain");
      expect(store.claimKey(["u"], "h", T + 1)).toMatchObject({
        kind: "claimed",
        recover: true,
        firstAttemptAt: new Date(T).toISOString(),
      });
    });
  });
});
