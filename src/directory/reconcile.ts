/**
 * Self-healing: the delta feed can miss events (an account without Talemetry's
 * `track_candidate_last_changes` feature lists no `updated`/`deleted` events at all, and a window can be
 * lost), so a periodic reconcile pass compares the index with what Talemetry has:
 *
 * 1. `list`: every current candidate id through the Match API without a time range (§2), page by page.
 *    Ids the index lacks are fetched and added; the others are only marked seen. An account without the
 *    changes feed has every listed candidate re-read instead (its changes reach the index no other way).
 * 2. `verify`: index rows the pass did not see (neither listed nor written since it started) are fetched
 *    once more: the ones Talemetry no longer has are removed; any it still has (created after the listing
 *    passed them) are kept and refreshed.
 *
 * Both stages run through the same page pipeline as the other passes (one durable step per page), so a
 * reconcile stopped by a failure, an eviction or the next delta poll resumes where it was.
 */
import { UpstreamError, type UpstreamKind } from "../platform/errors";
import { isoSeconds, isoSecondsCeil } from "../platform/time";
import { isoCeil, MATCH_PAGE_SIZE } from "./sync";
import type { MatchEvent, Plan, SyncSource } from "./sync-pipeline";
import type { ChangesFeed, ReconcileProgress, SyncState } from "./sync-state";

/** Default time between two reconcile passes of a tenant (a tenant may set `reconcile_interval_seconds`). */
export const DEFAULT_RECONCILE_INTERVAL_SECONDS = 7 * 86_400;
/** Without the changes feed, reconcile is the only way changes arrive: the default is daily then. */
export const DEFAULT_RECONCILE_INTERVAL_WITHOUT_FEED_SECONDS = 86_400;

/** The interval in force for a tenant: its setting, else the default for its changes feed. */
export function reconcileIntervalSeconds(setting: number | null, feed: ChangesFeed): number {
  if (setting !== null) return setting;
  return feed === "unavailable" ? DEFAULT_RECONCILE_INTERVAL_WITHOUT_FEED_SECONDS : DEFAULT_RECONCILE_INTERVAL_SECONDS;
}

/**
 * A new pass starting at `now`. Rows carry `seen_at` in whole seconds rounded up, so a row seen a moment
 * before the pass may carry this very second: the pass counts from the next second, and marks what it
 * sees no earlier than that (`seenAt` below).
 */
export function startReconcile(state: SyncState, now: number): SyncState {
  const progress: ReconcileProgress = {
    startedAt: isoSecondsCeil(now + 1000),
    stage: "list",
    cursor: null,
    listed: 0,
    added: 0,
    removed: 0,
    calls: 0,
  };
  return { ...state, reconcile: progress };
}

const unique = (ids: string[]) => [...new Set(ids)];

/** What a page of the pass marks as seen: now, but never before the pass's start (same text form). */
function seenSince(pass: ReconcileProgress, now: number): string {
  const at = isoCeil(now);
  // biome-ignore lint/complexity/useMathMinMax: ISO strings, compared as text (Math.max would give NaN)
  return at > pass.startedAt ? at : pass.startedAt;
}

/** The reconcile page at `state` (null when no pass is under way). */
export function planReconcile(opts: { intervalSeconds: number }): Plan {
  return (state, now) => {
    const pass = state.reconcile;
    if (!pass) return null;
    const fullReread = state.changesFeed === "unavailable";
    if (pass.stage === "list") {
      return async ({ listIds, sink }) => {
        const seenAt = seenSince(pass, now);
        const page = await listIds({ pageSize: MATCH_PAGE_SIZE, cursor: pass.cursor });
        const ids = unique(page.ids);
        const absent = new Set(sink.unindexed(ids));
        const fetch = fullReread ? ids : ids.filter((id) => absent.has(id));
        const fetching = new Set(fetch);
        const done = page.cursor === null;
        const position: SyncState = {
          ...state,
          reconcile: done ? { ...pass, stage: "verify", cursor: null } : { ...pass, cursor: page.cursor },
        };
        return {
          fetch,
          touched: ids.filter((id) => !fetching.has(id)),
          seenAt,
          updatedAt: null,
          position,
          settle: (committed, applied) => ({
            ...position,
            reconcile: tally(position.reconcile!, committed.reconcile ?? pass, {
              listed: ids.length,
              added: applied.found.filter((id) => absent.has(id)).length,
              removed: applied.missing.length,
              calls: applied.calls,
            }),
          }),
          // The verify stage follows the last listing page, and reads what the listing stage marked.
          more: true,
          barrier: done,
        };
      };
    }
    return async ({ sink }) => {
      const unseen = sink.unseenSince(pass.startedAt, pass.cursor, MATCH_PAGE_SIZE);
      const done = unseen.length === 0;
      const position: SyncState = done
        ? { ...state, reconcile: null, reconcileDueAt: isoSeconds(now + opts.intervalSeconds * 1000) }
        : { ...state, reconcile: { ...pass, cursor: unseen[unseen.length - 1] } };
      return {
        fetch: unseen,
        seenAt: seenSince(pass, now),
        updatedAt: null,
        position,
        settle: (committed, applied) => {
          const counts = tally(pass, committed.reconcile ?? pass, {
            listed: 0,
            added: 0,
            removed: applied.missing.length,
            calls: applied.calls,
          });
          if (!done) return { ...position, reconcile: { ...position.reconcile!, ...countsOf(counts) } };
          return {
            ...position,
            lastReconcile: { startedAt: pass.startedAt, finishedAt: isoSeconds(now), ...countsOf(counts) },
          };
        },
        more: !done,
      };
    };
  };
}

type Counts = Pick<ReconcileProgress, "listed" | "added" | "removed" | "calls">;

const countsOf = (p: Counts): Counts => ({ listed: p.listed, added: p.added, removed: p.removed, calls: p.calls });

/** `position` (stage and cursor) with the committed counters plus this page's. */
function tally(position: ReconcileProgress, committed: Counts, page: Counts): ReconcileProgress {
  return {
    ...position,
    listed: committed.listed + page.listed,
    added: committed.added + page.added,
    removed: committed.removed + page.removed,
    calls: committed.calls + page.calls,
  };
}

/** Refusals that say the account does not offer an event listing (not that Talemetry is down). */
const REFUSALS: ReadonlySet<UpstreamKind> = new Set(["auth", "invalid", "not_found", "conflict"]);

/** The changes feed's state as a probe found it. */
export interface FeedProbe {
  changesFeed: ChangesFeed;
  changesFeedError: string | null;
}

/**
 * Asks the Match API for one `created`, one `updated` and one `deleted` id of the last day. `created`
 * answering while `updated` or `deleted` is refused means the account lacks the changes feed; a
 * transient failure (or `created` refused too: the credentials, not the feature) leaves it `unknown`, to
 * be probed again by the next run. Called at onboarding and after a full resync.
 */
export async function probeChangesFeed(source: Pick<SyncSource, "listIds">, now: number): Promise<FeedProbe> {
  const range = (event: MatchEvent) => ({ event, from: isoSeconds(now - 86_400_000), to: isoSecondsCeil(now) });
  const unknown: FeedProbe = { changesFeed: "unknown", changesFeedError: null };
  try {
    await source.listIds({ pageSize: 1, cursor: null, range: range("created") });
  } catch {
    return unknown;
  }
  for (const event of ["updated", "deleted"] as const) {
    try {
      await source.listIds({ pageSize: 1, cursor: null, range: range(event) });
    } catch (err) {
      if (!(err instanceof UpstreamError) || !REFUSALS.has(err.kind)) return unknown;
      const status = err.upstreamStatus ? ` (HTTP ${err.upstreamStatus})` : "";
      return {
        changesFeed: "unavailable",
        changesFeedError:
          `Talemetry refused the '${event}' event listing${status}: the account may lack the track_candidate_last_changes ` +
          "feature. New candidates arrive through the 'created' poll; changes and deletions only through reconcile.",
      };
    }
  }
  return { changesFeed: "available", changesFeedError: null };
}
