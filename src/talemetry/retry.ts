/**
 * Pure retry arithmetic and status classification for Talemetry calls
 * (docs/contracts/talemetry-upstream.md "Common rules"; docs/architecture.md "Deadlines and upstream errors").
 */
import type { UpstreamKind } from "../platform/errors";

/** How hard one call tries. All times in milliseconds. */
export interface RetryPolicy {
  /** Attempts a read makes on 5xx, network errors, timeouts and 429 (the one re-auth retry after a 401 is extra). */
  attempts: number;
  /** Backoff before retry n is uniformly random in [0, min(maxDelayMs, baseDelayMs · 2^(n-1))) ("full jitter"). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Cap of one attempt (answer and body); the request deadline may cut it shorter. */
  attemptTimeoutMs: number;
}

/**
 * 3 attempts with 100 ms → 1 s backoff fit easily in the 10 s request deadline; 4 s per attempt leaves
 * room for a second attempt after one that hangs.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 3,
  baseDelayMs: 100,
  maxDelayMs: 1_000,
  attemptTimeoutMs: 4_000,
};

/** An attempt given less than this cannot realistically be answered, so it is not started. */
export const MIN_ATTEMPT_MS = 100;

/** Full-jitter backoff before retry number `retry` (1 = the first retry). `random` returns [0, 1). */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(Math.max(0, Math.min(1, random())) * ceiling);
}

/**
 * `Retry-After` (RFC 9110 §10.2.3: delay-seconds or an HTTP date) as milliseconds from `now`;
 * null when absent or unreadable. A date in the past means "now" (0).
 */
export function parseRetryAfter(value: string | null, now: number): number | null {
  const v = (value ?? "").trim();
  if (v === "") return null;
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  // Only dates that name a weekday or month read as HTTP dates; Date.parse accepts too much otherwise.
  if (!/[a-z]/i.test(v)) return null;
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, at - now) : null;
}

/**
 * The one classification of an upstream answer that is not retried any more. `code` is the error
 * body's machine code: `invalid_credentials` (§1) is an auth failure whatever the status.
 */
export function kindForStatus(status: number, code: string | null): UpstreamKind {
  if (code === "invalid_credentials") return "auth";
  if (status === 401 || status === 403) return "auth";
  if (status === 404 || status === 410) return "not_found";
  if (status === 409) return "conflict";
  if (status === 400 || status === 413 || status === 422) return "invalid";
  if (status === 429) return "throttled";
  // 5xx, and any answer the contract does not define: the upstream misbehaved, not the caller.
  return "unavailable";
}

/** Safe wire messages per kind: never an upstream body, token or secret. */
export function safeMessage(kind: UpstreamKind, operation: string): string {
  switch (kind) {
    case "auth":
      return `Talemetry rejected the tenant's credentials (${operation}).`;
    case "not_found":
      return `Talemetry has no such record (${operation}).`;
    case "conflict":
      return `Talemetry refused the change as conflicting with another record (${operation}).`;
    case "invalid":
      return `Talemetry refused the request as invalid (${operation}).`;
    case "throttled":
      return `Talemetry is throttling requests (${operation}).`;
    case "unavailable":
      return `Talemetry is unavailable or did not answer in time (${operation}).`;
  }
}
