/**
 * In-isolate memo of authenticated credentials: the hot path (a cache-hit search) then costs no KV read
 * and no hashing beyond the one SHA-256 that names the credential.
 *
 * Bounds: an entry lives no longer than the KV read it replaces could be served from KV's edge cache
 * (the same `cacheTtl`: AUTH_CACHE_TTL_SECONDS for the auth records, the ride-along keys' own TTL for
 * them, e.g. 30 s for the search generation), so a key rotated, a tenant deleted or changed, or a search
 * generation moved elsewhere reaches this isolate within the window the KV read cache already allows
 * (docs/contracts/v1-api.md "Authentication"). Writes made through this isolate update it at once:
 * rotation, deletion and tenant changes forget the tenant's entries, a write-through or a new search
 * generation replaces or drops the remembered generation, so the very next request sees them. At most
 * MAX_ENTRIES entries (oldest dropped first).
 *
 * Module state, deliberately: it is a cache of facts KV holds, bounded in time, never coordination state
 * (the tenant's Durable Object holds that).
 */
import type { Tenant } from "./types";

/** Entries kept at most (a few hundred tenants with a few credentials each in one isolate). */
export const MAX_ENTRIES = 2_000;

interface Ride {
  value: string | null;
  expiresAt: number;
}

interface Entry {
  tenant: Tenant;
  expiresAt: number;
  /** Ride-along values read with the credential (e.g. the search generation), by KV key. */
  rides: Map<string, Ride>;
}

/** A bounded, expiring memo of credential → tenant (and ride-along values). */
export class AuthMemo {
  private readonly entries = new Map<string, Entry>();
  private readonly forgetters: Array<(tenantId: string) => void> = [];

  /** Other memos of the tenant (e.g. its Talemetry token) to drop with its entries. */
  onForgetTenant(forget: (tenantId: string) => void): void {
    this.forgetters.push(forget);
  }

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * The tenant of `credentialHash` and the values of the ride-along keys it needs (`rideKeys(tenantId)`),
   * when all of them are fresh; null otherwise (read KV again).
   */
  get(
    credentialHash: string,
    rideKeys: (tenantId: string) => readonly string[],
  ): { tenant: Tenant; rides: Map<string, string | null> } | null {
    const entry = this.entries.get(credentialHash);
    const now = this.now();
    if (!entry) return null;
    if (entry.expiresAt <= now) {
      this.entries.delete(credentialHash);
      return null;
    }
    const rides = new Map<string, string | null>();
    for (const key of rideKeys(entry.tenant.id)) {
      const ride = entry.rides.get(key);
      if (!ride || ride.expiresAt <= now) return null;
      rides.set(key, ride.value);
    }
    return { tenant: entry.tenant, rides };
  }

  /**
   * Remembers a successful authentication for `ttlSeconds`, with the ride-along values read with it for
   * `rideTtlSeconds` (ride-along values of an earlier read that are still fresh are kept).
   */
  set(credentialHash: string, tenant: Tenant, ttlSeconds: number, rides: ReadonlyMap<string, string | null>, rideTtlSeconds: number): void {
    const now = this.now();
    const previous = this.entries.get(credentialHash);
    const kept = previous && previous.tenant.id === tenant.id ? previous.rides : new Map<string, Ride>();
    for (const [key, value] of rides) kept.set(key, { value, expiresAt: now + rideTtlSeconds * 1000 });
    this.entries.delete(credentialHash);
    while (this.entries.size >= MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    this.entries.set(credentialHash, { tenant, expiresAt: now + ttlSeconds * 1000, rides: kept });
  }

  /** Drops every entry of the tenant (its keys, config or existence changed through this isolate). */
  forgetTenant(tenantId: string): void {
    for (const [key, entry] of this.entries) if (entry.tenant.id === tenantId) this.entries.delete(key);
    for (const forget of this.forgetters) forget(tenantId);
  }

  /**
   * A ride-along value of the tenant changed through this isolate: entries holding it take the new value
   * (for as long as they held the old one), or drop it when the new value is not known here (`null`).
   */
  noteRideAlong(tenantId: string, rideKey: string, value: string | null): void {
    for (const entry of this.entries.values()) {
      if (entry.tenant.id !== tenantId) continue;
      const ride = entry.rides.get(rideKey);
      if (!ride) continue;
      if (value === null) entry.rides.delete(rideKey);
      else ride.value = value;
    }
  }

  /** Entries held. */
  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}

/** This isolate's memo. */
export const authMemo = new AuthMemo();
