import type { CandidateDetails } from "../domain/person";
import { isoSeconds, isoSecondsCeil } from "../platform/time";
import { INITIAL_SYNC_STATE, type SyncState } from "./sync-state";

/**
 * The directory's sync loop, independent of storage and transport so it reads like the algorithm:
 *
 * - Backfill: page through the Match API's `created` events up to a fixed upper bound, fetch details in
 *   batches of ≤ 50, apply them and persist the cursor in the same transaction, a bounded number of
 *   pages per invocation; the alarm continues until done. At the end, rows not seen during the pass
 *   are dropped (they were deleted while nobody watched).
 * - Incremental: poll `created`, `updated` and `deleted` since the checkpoint minus an overlap (a new
 *   candidate is only promised under `created`; the overlap means no event at a window boundary is
 *   missed), page by page, upserting what Talemetry returns and removing what it no longer has. The
 *   checkpoint moves only after the whole window is applied.
 */

export type MatchEvent = "created" | "updated" | "deleted";

export interface SyncSource {
  listIds(p: {
    event: MatchEvent;
    from: string;
    to: string;
    pageSize: number;
    cursor: string | null;
  }): Promise<{ ids: string[]; cursor: string | null }>;
  /** Details of the ids that still exist (absent ids were deleted). */
  fetchProfiles(ids: string[]): Promise<CandidateDetails[]>;
}

export interface SyncSink {
  /**
   * Applies one durable step atomically: upserts `found`, removes `missing`, and stores `next` state.
   * Returns whether some search could now answer differently (the search generation must move).
   */
  commit(step: { found: CandidateDetails[]; missing: string[]; seenAt: string; updatedAt: string | null; next: SyncState }): {
    searchChanged: boolean;
  };
  /** Removes rows last seen before `time` (end of a full pass); returns whether searches may change. */
  dropUnseenSince(time: string): { searchChanged: boolean };
}

export const MATCH_PAGE_SIZE = 500;
/** Incremental windows overlap by this much (Talemetry's event times may land late at a boundary). */
export const WINDOW_OVERLAP_MS = 120_000;
export const EPOCH = "1970-01-01T00:00:00Z";

export interface StepResult {
  state: SyncState;
  /** True when more work remains right now (continue at once via alarm). */
  more: boolean;
  searchChanged: boolean;
}

/** Match API times are whole seconds (Talemetry may not accept fractions). */
const iso = isoSeconds;
/**
 * A window's upper bound: `now` rounded UP to the second, so an event of this very second is inside the
 * window (rounding down would leave it to the next window's overlap: correct, but a minute late).
 */
export const isoCeil = isoSecondsCeil;

/** Details for `ids` (the adapter batches ≤ 50 per call); ids Talemetry no longer has are `missing`. */
export async function fetchAll(source: SyncSource, ids: string[]): Promise<{ found: CandidateDetails[]; missing: string[] }> {
  const found = ids.length > 0 ? await source.fetchProfiles(ids) : [];
  const present = new Set(found.map((d) => d.id));
  return { found, missing: ids.filter((id) => !present.has(id)) };
}

/** One backfill page. */
export async function backfillPage(source: SyncSource, sink: SyncSink, state: SyncState, now: number): Promise<StepResult> {
  const to = state.backfillTo ?? isoCeil(now);
  const page = await source.listIds({ event: "created", from: EPOCH, to, pageSize: MATCH_PAGE_SIZE, cursor: state.backfillCursor });
  const unique = [...new Set(page.ids)];
  const { found, missing } = await fetchAll(source, unique);
  const done = page.cursor === null;
  const next: SyncState = done
    ? {
        ...state,
        phase: "incremental",
        backfillCursor: null,
        backfillTo: null,
        checkpoint: to,
        lastSuccessAt: iso(now),
        lastError: null,
        failures: 0,
      }
    : { ...state, backfillCursor: page.cursor, backfillTo: to };
  // Backfilled rows have no known change time: `updated_at` stays null (the contract says "null if unknown").
  let { searchChanged } = sink.commit({ found, missing, seenAt: isoCeil(now), updatedAt: null, next });
  if (done) {
    // A pass just ended. Every row it saw has seen_at ≥ its start (`to`); older rows are gone upstream.
    searchChanged = sink.dropUnseenSince(to).searchChanged || searchChanged;
  }
  return { state: next, more: !done, searchChanged };
}

const WINDOW_EVENTS: readonly MatchEvent[] = ["created", "updated", "deleted"];

/**
 * One page of the current incremental window: the window covers the three events from the checkpoint
 * (minus overlap) up to the time it was opened; its position (event, cursor) is committed with each page,
 * like the backfill's, so a burst of changes is worked through in bounded runs and resumed after a crash.
 * The checkpoint moves to the window's end only when its last page is applied.
 */
export async function incrementalPage(source: SyncSource, sink: SyncSink, state: SyncState, now: number): Promise<StepResult> {
  const window = state.window ?? {
    from: iso(Math.max(0, Date.parse(state.checkpoint ?? EPOCH) - WINDOW_OVERLAP_MS)),
    to: isoCeil(now),
    event: 0,
    cursor: null,
  };
  const page = await source.listIds({
    event: WINDOW_EVENTS[window.event],
    from: window.from,
    to: window.to,
    pageSize: MATCH_PAGE_SIZE,
    cursor: window.cursor,
  });
  const { found, missing } = await fetchAll(source, [...new Set(page.ids)]);
  const rest =
    page.cursor !== null
      ? { ...window, cursor: page.cursor }
      : window.event + 1 < WINDOW_EVENTS.length
        ? { ...window, event: window.event + 1, cursor: null }
        : null;
  const next: SyncState = rest
    ? { ...state, window: rest }
    : { ...state, window: null, checkpoint: window.to, lastSuccessAt: iso(now), lastError: null, failures: 0 };
  // Seen within this window: changed at most at its end. Unchanged rows keep their seq (the index compares content).
  const { searchChanged } = sink.commit({ found, missing, seenAt: window.to, updatedAt: window.to, next });
  return { state: next, more: rest !== null, searchChanged };
}

/** A full re-read: start a new backfill pass; rows it does not see are dropped at its end. */
export function restartFull(state: SyncState): SyncState {
  return { ...INITIAL_SYNC_STATE, lastSuccessAt: state.lastSuccessAt, checkpoint: state.checkpoint, window: null };
}
