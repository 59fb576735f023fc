import type { PhoneQuery } from "../phone/query";
import { MemoryCache } from "../platform/memory-cache";
import { authMemo } from "../tenants/auth-memo";
import { searchGenerationKey } from "../tenants/keys";
import { emailKey } from "./index-keys";

/**
 * Search results at the edge (Cache API), keyed by tenant + search generation + normalized query
 * (docs/architecture.md). The generation lives in KV and is replaced whenever anything a search answer
 * shows changes (a findable candidate's record, once per sync run or write-through; the tenant's link
 * template): entries under an old generation are simply never asked for again and expire on their own
 * TTL. Read only after the caller is authenticated: the key names the
 * tenant, so one tenant can never be served another's results.
 */

/** A made-up origin: Cache API keys are URLs, and this one can never collide with a real route. */
export const SEARCH_CACHE_ORIGIN = "https://search-cache.bridge.internal";
/**
 * The shape of the cached bodies and keys, first in the path: a deployment that changes either (v2: phone
 * readings in the key, `matched_as` and `has_more` in the body) never serves an entry an older one wrote.
 */
export const SEARCH_CACHE_FORMAT = "v2";
/** Results with at least one hit (seconds). */
export const HIT_TTL_SECONDS = 300;
/** "No match" answers: shorter, so a number added in Talemetry shows up soon even before sync bumps. */
export const NO_MATCH_TTL_SECONDS = 60;
/**
 * KV read cache for the generation. 30 s is the smallest KV accepts (local KV enforces it too). A write
 * is visible at once in the location that made it, so there old entries become unreachable at once;
 * elsewhere this adds ≤ 30 s to KV's own propagation, which the architecture accepts for a cache whose
 * entries live 1–5 minutes anyway. Reading without `cacheTtl` would mean KV's default of 60 s: worse.
 */
export const GENERATION_CACHE_TTL_SECONDS = 30;
/**
 * How long an isolate reuses the generation it read with a credential (src/tenants/auth-memo.ts) before
 * reading KV again: a search then costs no KV read at all, and a generation moved elsewhere (a sync in
 * the tenant's Durable Object) reaches this isolate at most this much later than the KV read alone
 * allows. A generation moved through this isolate is taken at once.
 */
export const GENERATION_MEMO_TTL_SECONDS = 5;

/** What a search was for, normalized: two requests that must get the same answer share it. */
export type SearchCacheQuery = { kind: "phone"; key: string; partial: boolean } | { kind: "email"; key: string };

/** The cache query of a parsed phone search (its `cacheKey` already folds in region and country). */
export function phoneCacheQuery(query: PhoneQuery, partial: boolean): SearchCacheQuery {
  return { kind: "phone", key: query.cacheKey, partial };
}

/** The cache query of an email search (whole address, trimmed, lower-cased, like the index). */
export function emailCacheQuery(email: string): SearchCacheQuery {
  return { kind: "email", key: emailKey(email) };
}

/** The cache key URL of one search of one tenant at one generation. */
export function searchCacheUrl(tenantId: string, generation: string, query: SearchCacheQuery): string {
  const base = `${SEARCH_CACHE_ORIGIN}/${SEARCH_CACHE_FORMAT}/${encodeURIComponent(tenantId)}/${encodeURIComponent(generation)}/${query.kind}/${encodeURIComponent(query.key)}`;
  return query.kind === "phone" ? `${base}?partial=${query.partial ? 1 : 0}` : base;
}

/**
 * This isolate's copy of the answers it put or read lately, in front of the Cache API: a repeated lookup
 * (the same caller ringing again, Talkdesk and TalentLynk asking for one call) costs a map read instead
 * of a cache round trip. Keyed by the same URL, so an entry is exactly as current as the shared one:
 * a new generation is a new key. 2,000 answers and 4 M characters at most (a lone result is ~600).
 */
const searchMemory = new MemoryCache(2_000, 4_000_000);

/** When a cached answer expires (epoch ms), stored with it: an isolate that copies it keeps it no longer. */
const EXPIRES_HEADER = "X-Bridge-Expires";

/**
 * The search cache of one tenant at one generation: this isolate's memory, then the Cache API. Cache
 * failures never fail a search: a read error is a miss and a write error is reported as `false`, because
 * the index can always answer.
 */
export class SearchCache {
  constructor(
    readonly tenantId: string,
    readonly generation: string,
    private readonly cache: Cache = caches.default,
    private readonly memory: MemoryCache | null = searchMemory,
  ) {}

  /**
   * The cached JSON body, or null on a miss: from memory as text; from the Cache API as a stream when
   * this isolate keeps no copy, answered as it is stored (the hot path's last wait), else read once and
   * remembered for what is left of the entry's life.
   */
  async match(query: SearchCacheQuery): Promise<string | ReadableStream | null> {
    const url = searchCacheUrl(this.tenantId, this.generation, query);
    const remembered = this.memory?.get(url);
    if (remembered) return remembered;
    try {
      const hit = await this.cache.match(new Request(url));
      if (!hit?.body) return null;
      const expires = Number(hit.headers.get(EXPIRES_HEADER));
      const left = (expires - Date.now()) / 1000;
      if (!this.memory || !(left > 0)) return hit.body;
      const body = await hit.text();
      this.memory.set(url, body, left);
      return body;
    } catch {
      return null;
    }
  }

  /** The cached JSON body, or null on a miss. */
  async get(query: SearchCacheQuery): Promise<string | null> {
    const found = await this.match(query);
    return typeof found === "string" || found === null ? found : await new Response(found).text();
  }

  /** Stores a JSON body: 5 minutes when it has results, 1 minute for "no match". */
  async put(query: SearchCacheQuery, body: string, opts: { hit: boolean }): Promise<boolean> {
    const ttl = opts.hit ? HIT_TTL_SECONDS : NO_MATCH_TTL_SECONDS;
    const url = searchCacheUrl(this.tenantId, this.generation, query);
    this.memory?.set(url, body, ttl);
    const response = new Response(body, {
      headers: { "Content-Type": "application/json", "Cache-Control": `max-age=${ttl}`, [EXPIRES_HEADER]: String(Date.now() + ttl * 1000) },
    });
    try {
      await this.cache.put(new Request(url), response);
      return true;
    } catch {
      return false;
    }
  }
}

/** The generation of a tenant whose phones and emails never changed since its creation. */
export const INITIAL_SEARCH_GENERATION = "0";

/**
 * The tenant's current search generation, read on its own. On /v1, `tenantAuth` reads it instead in the
 * same bulk KV get as the caller's credentials (with this same cache TTL) and puts it on the context.
 */
export async function getSearchGeneration(kv: KVNamespace, tenantId: string): Promise<string> {
  return (await kv.get(searchGenerationKey(tenantId), { cacheTtl: GENERATION_CACHE_TTL_SECONDS })) ?? INITIAL_SEARCH_GENERATION;
}

/**
 * Replaces the tenant's search generation with a new unique value and returns it. Unique rather than
 * incremented: KV has no compare-and-set and reads may be stale, so "read n, write n+1" could write a
 * value that was current before and bring its stale entries back; a fresh value never can.
 */
export async function bumpSearchGeneration(kv: KVNamespace, tenantId: string): Promise<string> {
  const generation = `${Date.now().toString(36)}-${crypto.randomUUID().slice(0, 8)}`;
  await kv.put(searchGenerationKey(tenantId), generation);
  // This isolate's remembered credentials take it at once (see GENERATION_MEMO_TTL_SECONDS).
  authMemo.noteRideAlong(tenantId, searchGenerationKey(tenantId), generation);
  return generation;
}

/**
 * The tenant's generation may have moved where this isolate cannot see it (a write-through or sync in
 * its Durable Object, which may run elsewhere): the next search of this isolate reads KV again.
 */
export function forgetSearchGeneration(tenantId: string): void {
  authMemo.noteRideAlong(tenantId, searchGenerationKey(tenantId), null);
}
