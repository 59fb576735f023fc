/**
 * Talemetry tokens (docs/contracts/talemetry-upstream.md §1). The adapter never stores a token:
 * it asks a `TokenSource`, which the per-tenant Durable Object implements with single-flight
 * authorization (docs/architecture.md: no coordination state in module memory).
 */

/** Where the client gets its token. */
export interface TokenSource {
  /** The current token, authorizing first when there is none (or it expired). */
  get(): Promise<string>;
  /**
   * Called after Talemetry answered `401` to `rejectedToken` (§ "Common rules": authorize again once).
   * Returns a fresh token; an implementation that already replaced `rejectedToken` returns the newer
   * one instead of authorizing again (so 100 concurrent 401s cause one authorization).
   */
  refresh(rejectedToken: string): Promise<string>;
}

/** §1: when `expires_in` is absent, a token lives 2 hours from the issue time embedded in it. */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 2 * 60 * 60;

/** §1 token shape: `TGC-` + Unix seconds of issue + `r` + upper-case hex. */
const TOKEN_ISSUE_TIME = /^TGC-(\d{1,12})r/;

/**
 * When a token stops being usable, in epoch milliseconds. `expiresIn` (seconds, from the authorize
 * response) wins when it is a positive number; otherwise 2 hours from the issue time embedded in the
 * token; a token that embeds none (the shape is assumed, §1) gets 2 hours from `now` (epoch ms,
 * when the token was received). A `401` ends any token earlier.
 */
export function tokenExpiry(token: string, expiresIn: number | null | undefined, now: number): number {
  if (typeof expiresIn === "number" && Number.isFinite(expiresIn) && expiresIn > 0) return now + expiresIn * 1000;
  const issued = TOKEN_ISSUE_TIME.exec(token);
  if (issued) return (Number(issued[1]) + DEFAULT_TOKEN_LIFETIME_SECONDS) * 1000;
  return now + DEFAULT_TOKEN_LIFETIME_SECONDS * 1000;
}
