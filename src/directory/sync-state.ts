/**
 * The directory's sync cursor and health, persisted in the tenant Durable Object's storage after every
 * durable step, so a crash or an eviction resumes where it stopped.
 */

/**
 * Whether the account lists `updated` and `deleted` events (Talemetry tracks them only with the
 * `track_candidate_last_changes` feature): `unknown` until probed at onboarding (and again after a full
 * resync); `unavailable` when it refused them, and then changes and deletions reach the index through
 * reconcile alone.
 */
export type ChangesFeed = "unknown" | "available" | "unavailable";

/** A reconcile pass in progress (see ./reconcile.ts). */
export interface ReconcileProgress {
  /** Rows confirmed since this time (listed, fetched or written) were seen by this pass. */
  startedAt: string;
  /** `list`: every current id through the Match API; `verify`: index rows the listing did not name. */
  stage: "list" | "verify";
  /** Match cursor (list) or the last verified id (verify); null at a stage's start. */
  cursor: string | null;
  /** Ids the listing named so far. */
  listed: number;
  /** Candidates the index lacked, fetched and added. */
  added: number;
  /** Index rows Talemetry no longer has, removed. */
  removed: number;
  /** Talemetry calls made by this pass so far. */
  calls: number;
}

/** What the last finished reconcile pass found and fixed (shown in the sync status). */
export interface ReconcileReport {
  startedAt: string;
  finishedAt: string;
  listed: number;
  added: number;
  removed: number;
  calls: number;
}

export interface SyncState {
  /** `backfill` until the first full pass is done, then `incremental`. */
  phase: "backfill" | "incremental";
  /** Backfill: Match API cursor of the next page to read (null = first page) and the pass's upper bound. */
  backfillCursor: string | null;
  backfillTo: string | null;
  /**
   * Incremental: every event at or before this time is in the index. Only advanced after a whole
   * window succeeded, so a failure never moves it past unsynced changes.
   */
  checkpoint: string | null;
  /**
   * The incremental window being worked through: its bounds, which of created/updated/deleted (index)
   * and the Match cursor within it. Null between windows.
   */
  window: { from: string; to: string; event: number; cursor: string | null } | null;
  /** When the next incremental window is due (ISO); null = at once. */
  pollDueAt: string | null;
  running: boolean;
  lastSuccessAt: string | null;
  lastError: string | null;
  /** Consecutive failures, for backoff. */
  failures: number;
  /**
   * Talemetry calls in flight for the rest of the current pass (backfill pass, incremental window or
   * reconcile pass) after Talemetry answered `429`; null = the tenant's setting. Cleared when the pass ends.
   */
  concurrency: number | null;
  changesFeed: ChangesFeed;
  /** Why the changes feed is unavailable (a safe reason, never upstream text). */
  changesFeedError: string | null;
  /** The reconcile pass under way, or null. */
  reconcile: ReconcileProgress | null;
  /** When the next reconcile pass starts (ISO); null until the backfill has finished. */
  reconcileDueAt: string | null;
  lastReconcile: ReconcileReport | null;
}

export const INITIAL_SYNC_STATE: SyncState = {
  phase: "backfill",
  backfillCursor: null,
  backfillTo: null,
  checkpoint: null,
  window: null,
  pollDueAt: null,
  running: false,
  lastSuccessAt: null,
  lastError: null,
  failures: 0,
  concurrency: null,
  changesFeed: "unknown",
  changesFeedError: null,
  reconcile: null,
  reconcileDueAt: null,
  lastReconcile: null,
};

/** Backoff after `failures` consecutive failures: 5 s, 10 s, 20 s … capped at the sync interval (min 60 s). */
export function retryDelayMs(failures: number, intervalSeconds: number): number {
  const cap = Math.max(60, intervalSeconds) * 1000;
  return Math.min(cap, 5000 * 2 ** Math.max(0, failures - 1));
}
