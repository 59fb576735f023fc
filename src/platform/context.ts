import type { Context } from "hono";
import type { Logger, LogLevel } from "./logger";

/**
 * What the platform middleware reads of the deployment's settings. The full settings object
 * (src/config/settings.ts) satisfies it; platform code never reads `env` itself, so it depends on no
 * feature module.
 */
export interface PlatformSettings {
  logLevel: LogLevel;
  maxBodyBytes: number;
  /** The deployment's public origin, or null (then the request's own origin). */
  publicUrl: string | null;
}

/**
 * Per-request facts the request log line reports. A plain object on the context (not module state:
 * production runs many isolates and many requests per isolate). Mutable on purpose: tenant middleware
 * fills `tenantId` and points `upstream` at the request's Talemetry counters.
 */
export interface RequestMeta {
  /** The tenant the request acts for, once known. */
  tenantId: string | null;
  /**
   * Counters of the calls made upstream for this request (retries included), once a tenant is bound;
   * `elapsedMs`: the time the request's upstream attempts took, added up.
   */
  upstream: { readonly calls: number; readonly elapsedMs?: number } | null;
  /** How long the rate limiter took to decide (ms), once it was asked. */
  limitMs: number | null;
}

/** Context variables every request has (set by the settings, request-id and logging middleware). */
export interface PlatformVariables {
  requestId: string;
  logger: Logger;
  requestMeta: RequestMeta;
  settings: PlatformSettings;
}

/** Hono env type of platform middleware: any app whose variables include the platform's. */
export type PlatformEnv = { Variables: PlatformVariables };

/** Fresh request facts; the logging middleware puts one on every request. */
export function newRequestMeta(): RequestMeta {
  return { tenantId: null, upstream: null, limitMs: null };
}

/** The request's platform settings, or null on contexts without the settings middleware (unit tests). */
export function platformSettings(c: Context): PlatformSettings | null {
  return (c.get("settings") as PlatformSettings | undefined) ?? null;
}

/** A rate-limiting binding (Workers Rate Limiting API): allowed or not, per key. */
export interface RateLimiter {
  limit(options: { key: string }): Promise<{ success: boolean }>;
}

/**
 * Asks `limiter` about `key` and records how long it took to decide (reported as `limit` in
 * `Server-Timing` and `limit_ms` in the request line), so the bridge's own time can be told from the
 * limiter's. The decision is returned unchanged.
 */
export function decideRateLimit(c: Context, limiter: RateLimiter, key: string): Promise<{ success: boolean }> {
  const started = performance.now();
  return limiter.limit({ key }).then((outcome) => {
    const meta = c.get("requestMeta") as RequestMeta | undefined;
    if (meta) meta.limitMs = performance.now() - started;
    return outcome;
  });
}

/** Records which tenant the request acts for, for the request log line. No-op without the logging middleware. */
export function setRequestTenant(c: Context, tenantId: string): void {
  const meta = c.get("requestMeta") as RequestMeta | undefined;
  if (meta) meta.tenantId = tenantId;
}
