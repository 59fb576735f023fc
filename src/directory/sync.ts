import { isoSeconds, isoSecondsCeil } from "../platform/time";
import type { IdsPage, MatchEvent, Plan, SyncSink, SyncSource } from "./sync-pipeline";
import { runPages } from "./sync-pipeline";
import { INITIAL_SYNC_STATE, type SyncState } from "./sync-state";

/**
 * The directory's sync passes, independent of storage and transport so they read like the algorithm
 * (./sync-pipeline.ts runs their pages with several calls in flight; ./reconcile.ts is the third pass):
 *
 * - Backfill: page through the Match API's `created` events up to a fixed upper bound, fetch details in
 *   calls of ≤ 50, apply them and persist the cursor in the same transaction, a bounded number of pages
 *   per invocation; the alarm continues until done. At the end, rows not seen during the pass are
 *   dropped (they were deleted while nobody watched).
 * - Incremental: poll `created`, `updated` and `deleted` since the checkpoint minus an overlap (a new
 *   candidate is only promised under `created`; the overlap means no event at a window boundary is
 *   missed), page by page, upserting what Talemetry returns and removing what it no longer has. The
 *   checkpoint moves only after the whole window is applied. An account without the changes feed
 *   (`changesFeed: "unavailable"`) is polled for `created` only.
 */

export type { MatchEvent, SyncSink, SyncSource } from "./sync-pipeline";

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

const unique = (ids: string[]) => [...new Set(ids)];

/** The backfill page at `state` (null once the pass is done). */
export const planBackfill: Plan = (state, now) => {
  if (state.phase !== "backfill") return null;
  const to = state.backfillTo ?? isoCeil(now);
  return async ({ listIds }) => {
    const page = await listIds({ range: { event: "created", from: EPOCH, to }, pageSize: MATCH_PAGE_SIZE, cursor: state.backfillCursor });
    const done = page.cursor === null;
    const position: SyncState = done
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
    return {
      fetch: unique(page.ids),
      // Backfilled rows have no known change time: `updated_at` stays null (the contract says "null if unknown").
      seenAt: isoCeil(now),
      updatedAt: null,
      position,
      settle: () => position,
      more: !done,
      // A pass just ended. Every row it saw has seen_at ≥ its start (`to`); older rows are gone upstream.
      finish: done ? (sink) => sink.dropUnseenSince(to) : undefined,
    };
  };
};

const WINDOW_EVENTS: readonly MatchEvent[] = ["created", "updated", "deleted"];
const CREATED_ONLY: readonly MatchEvent[] = ["created"];

/** The events an incremental window polls: all three, or `created` alone without the changes feed. */
export function windowEvents(state: Pick<SyncState, "changesFeed">): readonly MatchEvent[] {
  return state.changesFeed === "unavailable" ? CREATED_ONLY : WINDOW_EVENTS;
}

/**
 * The page of the current incremental window at `state`: the window covers its events from the
 * checkpoint (minus overlap) up to the time it was opened; its position (event, cursor) is committed
 * with each page, like the backfill's, so a burst of changes is worked through in bounded runs and
 * resumed after a crash. The checkpoint moves to the window's end only when its last page is applied.
 */
export const planIncremental: Plan = (state, now) => {
  if (state.phase !== "incremental") return null;
  const events = windowEvents(state);
  // A window opened under another set of events (the feed's state changed) starts again from the checkpoint.
  const window =
    state.window && state.window.event < events.length
      ? state.window
      : {
          from: iso(Math.max(0, Date.parse(state.checkpoint ?? EPOCH) - WINDOW_OVERLAP_MS)),
          to: isoCeil(now),
          event: 0,
          cursor: null,
        };
  return async ({ listIds }) => {
    const page: IdsPage = await listIds({
      range: { event: events[window.event], from: window.from, to: window.to },
      pageSize: MATCH_PAGE_SIZE,
      cursor: window.cursor,
    });
    const rest =
      page.cursor !== null
        ? { ...window, cursor: page.cursor }
        : window.event + 1 < events.length
          ? { ...window, event: window.event + 1, cursor: null }
          : null;
    const position: SyncState = rest
      ? { ...state, window: rest }
      : { ...state, window: null, checkpoint: window.to, lastSuccessAt: iso(now), lastError: null, failures: 0 };
    return {
      fetch: unique(page.ids),
      // Seen within this window: changed at most at its end. Unchanged rows keep their seq (the index compares content).
      seenAt: window.to,
      updatedAt: window.to,
      position,
      settle: () => position,
      more: rest !== null,
    };
  };
};

/** One page, calls of the page in flight together (tests of the algorithm; the Durable Object runs many). */
async function onePage(plan: Plan, source: SyncSource, sink: SyncSink, state: SyncState, now: number): Promise<StepResult> {
  const run = await runPages({ source, sink, state, plan, concurrency: 4, maxPages: 1, stopAt: Number.POSITIVE_INFINITY, now: () => now });
  if (run.error !== undefined) throw run.error;
  return { state: run.state, more: run.more, searchChanged: run.searchChanged };
}

/** One backfill page. */
export function backfillPage(source: SyncSource, sink: SyncSink, state: SyncState, now: number): Promise<StepResult> {
  return onePage(planBackfill, source, sink, state, now);
}

/** One page of the current incremental window. */
export function incrementalPage(source: SyncSource, sink: SyncSink, state: SyncState, now: number): Promise<StepResult> {
  return onePage(planIncremental, source, sink, state, now);
}

/**
 * A full re-read: start a new backfill pass; rows it does not see are dropped at its end. The changes
 * feed is probed again (an operator may have had the feature turned on); a reconcile under way stops
 * (the pass re-reads everything anyway).
 */
export function restartFull(state: SyncState): SyncState {
  return {
    ...INITIAL_SYNC_STATE,
    lastSuccessAt: state.lastSuccessAt,
    checkpoint: state.checkpoint,
    window: null,
    reconcileDueAt: state.reconcileDueAt,
    lastReconcile: state.lastReconcile,
  };
}
