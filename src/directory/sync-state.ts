/**
 * The directory's sync cursor and health, persisted in the tenant Durable Object's storage after every
 * durable step, so a crash or an eviction resumes where it stopped.
 */
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
  running: boolean;
  lastSuccessAt: string | null;
  lastError: string | null;
  /** Consecutive failures, for backoff. */
  failures: number;
}

export const INITIAL_SYNC_STATE: SyncState = {
  phase: "backfill",
  backfillCursor: null,
  backfillTo: null,
  checkpoint: null,
  window: null,
  running: false,
  lastSuccessAt: null,
  lastError: null,
  failures: 0,
};

/** Backoff after `failures` consecutive failures: 5 s, 10 s, 20 s … capped at the sync interval (min 60 s). */
export function retryDelayMs(failures: number, intervalSeconds: number): number {
  const cap = Math.max(60, intervalSeconds) * 1000;
  return Math.min(cap, 5000 * 2 ** Math.max(0, failures - 1));
}
