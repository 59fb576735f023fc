// The in-isolate memo of proven credentials (src/tenants/auth-memo.ts): bounded in time like the KV read
// it replaces, updated at once by the writes made through this isolate, so a rotated key, a deleted
// tenant, a changed setting or a moved search generation is seen by the very next request.
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { bumpSearchGeneration, forgetSearchGeneration, GENERATION_MEMO_TTL_SECONDS } from "../../src/directory/search-cache";
import { AuthMemo, authMemo, MAX_ENTRIES } from "../../src/tenants/auth-memo";
import { AUTH_CACHE_TTL_SECONDS, AUTH_KV_CACHE_TTL_SECONDS, AUTH_MEMO_TTL_SECONDS, searchGenerationKey } from "../../src/tenants/keys";
import type { Tenant } from "../../src/tenants/types";
import { adminFetch, createTenant, issueToken } from "../helpers/tenants";
import { envelope, talkdesk } from "../talkdesk/helpers";
import { v1 } from "../v1/helpers";

const tenant = (id: string) => ({ id }) as Tenant;

describe("AuthMemo", () => {
  it("serves an entry until its TTL and no longer", () => {
    let now = 1_000_000;
    const memo = new AuthMemo(() => now);
    memo.set("h1", tenant("ten_a"), 30, new Map(), 0);
    expect(memo.get("h1", () => [])?.tenant.id).toBe("ten_a");
    now += 29_999;
    expect(memo.get("h1", () => [])).not.toBeNull();
    now += 1;
    expect(memo.get("h1", () => [])).toBeNull();
    expect(memo.size).toBe(0);
  });

  it("needs every ride-along value the caller asks for, fresh; keeps fresh ones across reads", () => {
    let now = 0;
    const memo = new AuthMemo(() => now);
    const gen = new Map([["gen:ten_a", "g1"]]);
    memo.set("h1", tenant("ten_a"), 30, gen, 5);
    expect(memo.get("h1", () => ["gen:ten_a"])?.rides.get("gen:ten_a")).toBe("g1");
    expect(memo.get("h1", () => ["other"])).toBeNull();
    // A read without ride-alongs (Talkdesk) keeps the generation the /v1 read remembered.
    memo.set("h1", tenant("ten_a"), 30, new Map(), 0);
    expect(memo.get("h1", () => ["gen:ten_a"])?.rides.get("gen:ten_a")).toBe("g1");
    now += 5_000;
    expect(memo.get("h1", () => ["gen:ten_a"])).toBeNull();
    expect(memo.get("h1", () => [])).not.toBeNull();
  });

  it("forgets a tenant's entries, and takes or drops a ride-along value written through this isolate", () => {
    const memo = new AuthMemo(() => 0);
    memo.set("h1", tenant("ten_a"), 30, new Map([["gen:ten_a", "g1"]]), 5);
    memo.set("h2", tenant("ten_a"), 30, new Map([["gen:ten_a", "g1"]]), 5);
    memo.set("h3", tenant("ten_b"), 30, new Map([["gen:ten_b", "g1"]]), 5);
    memo.noteRideAlong("ten_a", "gen:ten_a", "g2");
    expect(memo.get("h1", () => ["gen:ten_a"])?.rides.get("gen:ten_a")).toBe("g2");
    expect(memo.get("h3", () => ["gen:ten_b"])?.rides.get("gen:ten_b")).toBe("g1");
    memo.noteRideAlong("ten_a", "gen:ten_a", null);
    expect(memo.get("h2", () => ["gen:ten_a"])).toBeNull();
    memo.forgetTenant("ten_a");
    expect(memo.get("h1", () => [])).toBeNull();
    expect(memo.get("h3", () => [])).not.toBeNull();
  });

  it("holds at most MAX_ENTRIES, dropping the oldest", () => {
    const memo = new AuthMemo(() => 0);
    for (let i = 0; i <= MAX_ENTRIES; i++) memo.set(`h${i}`, tenant(`ten_${i}`), 30, new Map(), 0);
    expect(memo.size).toBe(MAX_ENTRIES);
    expect(memo.get("h0", () => [])).toBeNull();
    expect(memo.get(`h${MAX_ENTRIES}`, () => [])).not.toBeNull();
  });

  it("with KV's edge cache, stays within the revocation window the contract allows", () => {
    expect(AUTH_KV_CACHE_TTL_SECONDS + AUTH_MEMO_TTL_SECONDS).toBeLessThanOrEqual(AUTH_CACHE_TTL_SECONDS);
    expect(AUTH_KV_CACHE_TTL_SECONDS).toBeGreaterThanOrEqual(30); // KV's minimum cacheTtl
    expect(GENERATION_MEMO_TTL_SECONDS).toBeLessThanOrEqual(5);
  });
});

describe("the memo behind the routes", () => {
  it("remembers a proven key: the next request reads no KV", async () => {
    const t = await createTenant();
    expect((await v1(t.api_key, "/capabilities")).status).toBe(200);
    const get = vi.spyOn(env.KV, "get");
    try {
      expect((await v1(t.api_key, "/capabilities")).status).toBe(200);
      expect(get).not.toHaveBeenCalled();
      // (The spy sees the Worker's reads: without the memo the same request reads the auth records.)
      authMemo.clear();
      expect((await v1(t.api_key, "/capabilities")).status).toBe(200);
      expect(get).toHaveBeenCalled();
    } finally {
      get.mockRestore();
    }
  });

  it("refuses a rotated key on the very next request, on /v1 and Talkdesk, however warm", async () => {
    const t = await createTenant();
    const token = await issueToken(t);
    for (let i = 0; i < 3; i++) {
      expect((await v1(t.api_key, "/capabilities")).status).toBe(200);
      expect((await v1(token, "/capabilities")).status).toBe(200);
      expect((await talkdesk("/auth", envelope(t.api_key))).status).toBe(200);
    }
    const rotated = await adminFetch(`/admin/tenants/${t.id}/keys`, { method: "POST" });
    expect(rotated.status).toBe(200);
    const { api_key } = (await rotated.json()) as { api_key: string };
    expect((await v1(t.api_key, "/capabilities")).status).toBe(401);
    expect((await v1(token, "/capabilities")).status).toBe(401);
    expect((await talkdesk("/auth", envelope(t.api_key))).status).toBe(401);
    expect((await v1(api_key, "/capabilities")).status).toBe(200);
  });

  it("refuses a deleted tenant's key on the very next request", async () => {
    const t = await createTenant();
    expect((await v1(t.api_key, "/capabilities")).status).toBe(200);
    expect((await adminFetch(`/admin/tenants/${t.id}`, { method: "DELETE" })).status).toBe(202);
    expect((await v1(t.api_key, "/capabilities")).status).toBe(401);
  });

  it("a search generation moved through this isolate is used by the very next search", async () => {
    const t = await createTenant({ region: "US" });
    const search = async () => (await v1(t.api_key, "/search?phone=4155550142")).headers.get("x-search-source");
    await search();
    expect(await search()).toBe("cache");
    await bumpSearchGeneration(env.KV, t.id);
    expect(await search()).toBe("index");
    // A generation moved elsewhere (the tenant's object in another isolate) is read afresh once this
    // isolate is told the object may have moved it (after a write-through or a requested sync).
    expect(await search()).toBe("cache");
    await env.KV.put(searchGenerationKey(t.id), "moved-elsewhere");
    forgetSearchGeneration(t.id);
    expect(await search()).toBe("index");
  });
});
