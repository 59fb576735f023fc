// Action idempotency keys: stable for the same content in the same time bucket (whatever the key
// order), different for different content or buckets hours apart; the previous-bucket key catches a
// retry that crosses a bucket boundary.
import { describe, expect, it } from "vitest";
import { actionIdempotencyKey, actionIdempotencyKeys } from "../../src/talkdesk/idempotency";

const base = {
  tenantId: "t1",
  action: "log_call",
  contactId: "0290bb50-7113-11ef-9c70-b6a35a531041",
  agentId: "1001",
  data: { direction: "inbound", duration: 95, summary: "Talked." },
};
const t0 = Date.UTC(2026, 10, 25, 12, 0, 30);
const MIN = 60_000;

describe("actionIdempotencyKey", () => {
  it("is a stable SHA-256-derived string", async () => {
    const key = await actionIdempotencyKey({ ...base, now: t0 });
    expect(key).toMatch(/^td-action:v1:[0-9a-f]{64}$/);
    expect(await actionIdempotencyKey({ ...base, now: new Date(t0) })).toBe(key);
  });

  it("maps a retry within the bucket to the same key, regardless of key order", async () => {
    const key = await actionIdempotencyKey({ ...base, now: t0 });
    const reordered = { summary: "Talked.", duration: 95, direction: "inbound" };
    expect(await actionIdempotencyKey({ ...base, data: reordered, now: t0 + 3 * MIN })).toBe(key);
  });

  it("differs for calls hours apart and for any content change", async () => {
    const key = await actionIdempotencyKey({ ...base, now: t0 });
    const variants = [
      { ...base, now: t0 + 3 * 60 * MIN },
      { ...base, tenantId: "t2", now: t0 },
      { ...base, action: "add_note", now: t0 },
      { ...base, contactId: "other", now: t0 },
      { ...base, contactId: null, now: t0 },
      { ...base, agentId: undefined, now: t0 },
      { ...base, data: { ...base.data, duration: 96 }, now: t0 },
      { ...base, now: t0, windowMinutes: 15 },
    ];
    const keys = await Promise.all(variants.map((v) => actionIdempotencyKey(v)));
    for (const k of keys) expect(k).not.toBe(key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("treats absent and null ids alike", async () => {
    const { contactId: _c, agentId: _a, ...rest } = base;
    expect(await actionIdempotencyKey({ ...rest, now: t0 })).toBe(
      await actionIdempotencyKey({ ...rest, contactId: null, agentId: null, now: t0 }),
    );
  });

  it("refuses a non-positive window or an invalid time", async () => {
    await expect(actionIdempotencyKey({ ...base, now: t0, windowMinutes: 0 })).rejects.toThrow(RangeError);
    await expect(actionIdempotencyKey({ ...base, now: new Date(Number.NaN) })).rejects.toThrow(RangeError);
  });
});

describe("actionIdempotencyKeys (bucket boundary)", () => {
  it("a retry just after a boundary finds the first attempt under `previous`", async () => {
    const boundary = Math.ceil(t0 / (10 * MIN)) * 10 * MIN;
    const first = await actionIdempotencyKeys({ ...base, now: boundary - 5_000 });
    const retry = await actionIdempotencyKeys({ ...base, now: boundary + 5_000 });
    expect(retry.current).not.toBe(first.current);
    expect(retry.previous).toBe(first.current);
    expect(first.current).toBe(await actionIdempotencyKey({ ...base, now: boundary - 5_000 }));
  });

  it("two buckets later, neither key matches", async () => {
    const first = await actionIdempotencyKeys({ ...base, now: t0 });
    const later = await actionIdempotencyKeys({ ...base, now: t0 + 25 * MIN });
    expect([later.current, later.previous]).not.toContain(first.current);
  });
});
