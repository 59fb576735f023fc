// Edge search cache and the KV search generation: keys by tenant + generation + normalized query,
// TTLs for hits and "no match", and a bumped generation making old entries unreachable.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  bumpSearchGeneration,
  emailCacheQuery,
  getSearchGeneration,
  HIT_TTL_SECONDS,
  NO_MATCH_TTL_SECONDS,
  phoneCacheQuery,
  SearchCache,
  searchCacheUrl,
} from "../../src/directory/search-cache";
import { type PhoneQuery, parsePhoneQuery } from "../../src/phone/match";
import { MemoryCache } from "../../src/platform/memory-cache";
import { searchGenerationKey } from "../../src/tenants/keys";
import { uniqueTenant } from "./helpers";

function q(text: string, region?: string): PhoneQuery {
  const r = parsePhoneQuery(text, { region, tenantRegion: "GB" });
  if (!r.ok) throw new Error(r.error.message);
  return r.query;
}

/** Records what `put` stored, to check headers without depending on the runtime's cache policy. */
class RecordingCache {
  readonly puts: { url: string; cacheControl: string | null; body: string }[] = [];
  matches = 0;
  private readonly inner = new Map<string, { body: string; headers: Headers }>();
  async match(req: Request): Promise<Response | undefined> {
    this.matches++;
    const entry = this.inner.get(req.url);
    return entry === undefined ? undefined : new Response(entry.body, { headers: entry.headers });
  }
  async put(req: Request, res: Response): Promise<void> {
    const body = await res.text();
    this.inner.set(req.url, { body, headers: res.headers });
    this.puts.push({ url: req.url, cacheControl: res.headers.get("Cache-Control"), body });
  }
}

describe("cache keys", () => {
  it("normalize the query so equivalent searches share an entry", () => {
    const a = searchCacheUrl("t1", "g1", phoneCacheQuery(q("07700 900123"), false));
    expect(a).toBe(searchCacheUrl("t1", "g1", phoneCacheQuery(q("(07700) 900-123 ext. 4"), false)));
    expect(a).toBe(
      "https://search-cache.bridge.internal/v2/t1/g1/phone/d%3A%2B447700900123%3Bn%3A7700900123%2C07700900123%3Bp%3A7700900123%2C07700900123?partial=0",
    );
    expect(searchCacheUrl("t1", "g1", phoneCacheQuery(q("+447700900123"), false))).toBe(
      searchCacheUrl("t1", "g1", phoneCacheQuery(q("00 44 7700-900-123"), false)),
    );
    expect(a).not.toBe(searchCacheUrl("t1", "g1", phoneCacheQuery(q("+447700900123"), false)));
    expect(a).not.toBe(searchCacheUrl("t1", "g1", phoneCacheQuery(q("07700 900123"), true)));
    expect(searchCacheUrl("t1", "g1", emailCacheQuery(" Maya@Example.COM "))).toBe(
      searchCacheUrl("t1", "g1", emailCacheQuery("maya@example.com")),
    );
  });

  it("separate tenants and generations", () => {
    const query = emailCacheQuery("a@example.com");
    expect(searchCacheUrl("t1", "g1", query)).not.toBe(searchCacheUrl("t2", "g1", query));
    expect(searchCacheUrl("t1", "g1", query)).not.toBe(searchCacheUrl("t1", "g2", query));
    // ids cannot escape their path segment
    expect(searchCacheUrl("a/b", "g", query)).toContain("/v2/a%2Fb/g/email/");
  });
});

describe("SearchCache", () => {
  it("stores results for 5 minutes and 'no match' for 1 minute", async () => {
    const cache = new RecordingCache();
    const sc = new SearchCache("t1", "g1", cache as unknown as Cache, null);
    expect(await sc.put(emailCacheQuery("a@example.com"), '{"data":[{}],"count":1}', { hit: true })).toBe(true);
    expect(await sc.put(emailCacheQuery("b@example.com"), '{"data":[],"count":0}', { hit: false })).toBe(true);
    expect(cache.puts.map((p) => p.cacheControl)).toEqual([`max-age=${HIT_TTL_SECONDS}`, `max-age=${NO_MATCH_TTL_SECONDS}`]);
    expect(HIT_TTL_SECONDS).toBe(300);
    expect(NO_MATCH_TTL_SECONDS).toBe(60);
  });

  it("round-trips through the real Cache API and misses under another generation or tenant", async () => {
    const tenant = uniqueTenant("cache");
    const query = phoneCacheQuery(q("07700 900123"), false);
    const body = JSON.stringify({ data: [{ id: "c1", match: "exact" }], count: 1 });
    const current = new SearchCache(tenant, "g1");
    expect(await current.get(query)).toBeNull();
    await current.put(query, body, { hit: true });
    expect(await current.get(query)).toBe(body);
    // The hot path takes the stored body as a stream (answered as stored).
    expect(await new Response(await current.match(query)).text()).toBe(body);
    expect(await new SearchCache(tenant, "g2").match(query)).toBeNull();
    expect(await new SearchCache(tenant, "g2").get(query)).toBeNull();
    expect(await new SearchCache(uniqueTenant("other"), "g1").get(query)).toBeNull();
  });

  it("treats cache failures as misses, never as errors", async () => {
    const broken = {
      match: () => Promise.reject(new Error("cache down")),
      put: () => Promise.reject(new Error("cache down")),
    } as unknown as Cache;
    const sc = new SearchCache("t1", "g1", broken, null);
    expect(await sc.get(emailCacheQuery("a@example.com"))).toBeNull();
    expect(await sc.match(emailCacheQuery("a@example.com"))).toBeNull();
    expect(await sc.put(emailCacheQuery("a@example.com"), "{}", { hit: false })).toBe(false);
  });
});

describe("SearchCache: this isolate's memory in front of the Cache API", () => {
  const query = emailCacheQuery("a@example.com");
  const body = '{"data":[{"id":"c1"}],"count":1,"has_more":false}';

  it("answers what this isolate put from memory, without a Cache API read, for the entry's TTL only", async () => {
    let now = 1_000_000;
    const memory = new MemoryCache(10, 10_000, () => now);
    const cache = new RecordingCache();
    const sc = new SearchCache("t1", "g1", cache as unknown as Cache, memory);
    await sc.put(query, body, { hit: true });
    expect(await sc.match(query)).toBe(body);
    expect(cache.matches).toBe(0);
    // Another generation or tenant is another key: never this entry.
    expect(await new SearchCache("t1", "g2", cache as unknown as Cache, memory).match(query)).toBeNull();
    expect(await new SearchCache("t2", "g1", cache as unknown as Cache, memory).match(query)).toBeNull();
    // Past the TTL the memory has nothing and the Cache API is asked (it still holds the recorded copy).
    now += HIT_TTL_SECONDS * 1000;
    const matchesBefore = cache.matches;
    await sc.match(query);
    expect(cache.matches).toBe(matchesBefore + 1);
  });

  it("keeps a 'no match' answer only as long as the Cache API does", async () => {
    let now = 5_000_000;
    const memory = new MemoryCache(10, 10_000, () => now);
    const sc = new SearchCache("t1", "g1", new RecordingCache() as unknown as Cache, memory);
    await sc.put(query, '{"data":[],"count":0,"has_more":false}', { hit: false });
    now += (NO_MATCH_TTL_SECONDS - 1) * 1000;
    expect(memory.get(searchCacheUrl("t1", "g1", query))).not.toBeNull();
    now += 1000;
    expect(memory.get(searchCacheUrl("t1", "g1", query))).toBeNull();
  });

  it("copies an answer another isolate stored for what is left of its life", async () => {
    const tenant = uniqueTenant("memory");
    const shared = new SearchCache(tenant, "g1", caches.default, null);
    await shared.put(query, body, { hit: true });
    const memory = new MemoryCache(10, 10_000);
    const reader = new SearchCache(tenant, "g1", caches.default, memory);
    expect(await reader.get(query)).toBe(body);
    expect(memory.get(searchCacheUrl(tenant, "g1", query))).toBe(body);
  });
});

describe("search generation in KV", () => {
  it("starts at 0 and every bump gives a new, never-repeated value", async () => {
    const tenant = uniqueTenant("gen");
    expect(await getSearchGeneration(env.KV, tenant)).toBe("0");
    const seen = new Set<string>(["0"]);
    for (let i = 0; i < 5; i++) {
      const g = await bumpSearchGeneration(env.KV, tenant);
      expect(seen.has(g)).toBe(false);
      seen.add(g);
      expect(await env.KV.get(searchGenerationKey(tenant))).toBe(g);
    }
    expect(searchGenerationKey("abc")).toBe("tenant:abc:search-gen");
  });

  it("is kept per tenant", async () => {
    const a = uniqueTenant("gen-a");
    const b = uniqueTenant("gen-b");
    const g = await bumpSearchGeneration(env.KV, a);
    expect(await getSearchGeneration(env.KV, a)).toBe(g);
    expect(await getSearchGeneration(env.KV, b)).toBe("0");
  });
});
