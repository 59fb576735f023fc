/**
 * Runs a sync pass's pages with several Talemetry calls in flight, while each page stays one durable
 * step: the Match listing runs ahead (at most `lookahead` pages listed and not yet committed), every
 * page's details are fetched in calls of ≤ 50 ids through one `CallLimiter`, and pages are committed
 * strictly in order, each with the position after it. So a failure anywhere leaves the last committed
 * page's position: no id is skipped, and no committed page is listed or fetched again — only the pages
 * that were in flight are (their rows were never written).
 */
import type { CandidateDetails } from "../domain/person";
import { type AttemptGate, MAX_PROFILE_IDS } from "../talemetry";
import { CallLimiter } from "./call-limiter";
import type { SyncState } from "./sync-state";

export type MatchEvent = "created" | "updated" | "deleted";

/** One Match API listing (§2): every current candidate, or the events of one kind in a time range. */
export interface ListParams {
  pageSize: number;
  cursor: string | null;
  range?: { event: MatchEvent; from: string; to: string };
}

export interface IdsPage {
  ids: string[];
  cursor: string | null;
}

/**
 * The sync loop's view of Talemetry. A call given a `gate` sends each of its HTTP attempts through it
 * (and nothing else: not the parsing of the answer), so the run counts only calls on the wire.
 */
export interface SyncSource {
  listIds(p: ListParams, gate?: AttemptGate): Promise<IdsPage>;
  /** Details of at most 50 ids — one Talemetry call; absent ids were deleted. */
  fetchProfiles(ids: string[], gate?: AttemptGate): Promise<CandidateDetails[]>;
  /** Talemetry calls made and `429` answers received so far (absent in tests that do not count). */
  usage?(): { calls: number; throttled: number };
}

/** One durable step of the index: rows, removals and the sync state, applied atomically. */
export interface CommitStep {
  found: CandidateDetails[];
  missing: string[];
  /** Ids Talemetry confirmed present without a fetch: their rows are marked seen at `seenAt`. */
  touched: string[];
  seenAt: string;
  updatedAt: string | null;
  next: SyncState;
}

export interface SyncSink {
  /**
   * Applies one step atomically: upserts `found`, removes `missing`, marks `touched` seen and stores
   * `next`. Returns whether some search could now answer differently (the search generation must move).
   */
  commit(step: CommitStep): { searchChanged: boolean };
  /** Removes rows last seen before `time` (end of a full pass); returns whether searches may change. */
  dropUnseenSince(time: string): { searchChanged: boolean };
  /** The ids among `ids` that have no index row. */
  unindexed(ids: string[]): string[];
  /** Up to `limit` ids of rows last seen before `time`, after `afterId` in id order. */
  unseenSince(time: string, afterId: string | null, limit: number): string[];
}

/** What a committed page did (the state after it may count it). */
export interface Applied {
  found: string[];
  missing: string[];
  /** Talemetry calls made since the previous commit of this run. */
  calls: number;
}

/** A listed page: what to fetch, and how the state moves once it is applied. */
export interface PageWork {
  /** Ids whose details to fetch (each at most once). */
  fetch: string[];
  /** Ids confirmed present without a fetch. */
  touched?: string[];
  seenAt: string;
  updatedAt: string | null;
  /** The position after this page: the next page is planned from it. */
  position: SyncState;
  /** The state to commit, from the last committed one (counters of a pass add up here). */
  settle(committed: SyncState, applied: Applied): SyncState;
  /** Another page of this pass follows. When false, the pass ends with this page. */
  more: boolean;
  /** The next page is planned only once this one is committed (it reads what this page writes). */
  barrier?: boolean;
  /** Runs after the page's commit (a full pass drops the rows it did not see). */
  finish?(sink: SyncSink): { searchChanged: boolean };
}

/** Lists one page (its Talemetry call, if any, goes through `listIds`) and says what to do with it. */
export type PagePlanner = (io: { listIds(p: ListParams): Promise<IdsPage>; sink: SyncSink }) => Promise<PageWork>;

/** The planner of the page at `state`, or null when the pass has nothing (more) to list. */
export type Plan = (state: SyncState, now: number) => PagePlanner | null;

export interface RunOptions {
  source: SyncSource;
  sink: SyncSink;
  state: SyncState;
  plan: Plan;
  /** The tenant's setting: calls in flight at most (a `429` halves it until the pass ends). */
  concurrency: number;
  /** Pages listed at most in this run. */
  maxPages: number;
  /** No page is listed at or after this time (epoch ms); pages in flight are finished and committed. */
  stopAt: number;
  now?: () => number;
  /** Pages listed ahead of the last commit at most (bounds memory). Default 3. */
  lookahead?: number;
}

export interface RunResult {
  /** The last committed state (the run's input state when nothing was committed). */
  state: SyncState;
  /** The pass has more pages (continue at once). */
  more: boolean;
  searchChanged: boolean;
  /** Pages committed. */
  pages: number;
  /** The limit the run ended with. */
  concurrency: number;
  /** The most calls in flight at once during the run. */
  peakInFlight: number;
  /** The failure that stopped the run, if any (everything committed before it stays). */
  error?: unknown;
}

/** Splits ids into calls of at most 50 (contract §3). */
export function profileChunks(ids: readonly string[]): string[][] {
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += MAX_PROFILE_IDS) chunks.push(ids.slice(i, i + MAX_PROFILE_IDS));
  return chunks;
}

interface Fetched {
  work: PageWork;
  found: CandidateDetails[];
  missing: string[];
}

/** Runs pages of one pass until it ends, a budget is spent, or a call fails; see the module comment. */
export async function runPages(opts: RunOptions): Promise<RunResult> {
  const { source, sink, plan } = opts;
  const now = opts.now ?? Date.now;
  const lookahead = Math.max(1, opts.lookahead ?? 3);
  const limiter = new CallLimiter(Math.max(1, Math.min(opts.concurrency, opts.state.concurrency ?? opts.concurrency)));
  let throttledSeen = source.usage?.().throttled ?? 0;
  let callsSeen = source.usage?.().calls ?? 0;

  /**
   * A Talemetry call holding one of the run's slots while it is on the wire. The slot is taken before the
   * call starts (its deadline starts only then) and given back once its HTTP attempt has read the
   * answer: parsing it (a profiles answer is the run's heaviest work), a backoff and a token refresh hold
   * no slot, and a retry takes one again, ahead of calls not started yet (with the next Match page, in
   * arrival order). A retry's wait for that slot counts against its call's deadline. Every new `429`
   * halves the limit before the slot of the attempt that saw it is released, so no call starts under the
   * old limit once the 429 is known.
   */
  const call = async <T>(task: (gate: AttemptGate) => Promise<T>, urgent = false): Promise<T> => {
    await limiter.acquire({ urgent });
    // The slot taken before the call started, until its first attempt uses it.
    let spare = true;
    const release = () => {
      const throttled = source.usage?.().throttled ?? 0;
      for (; throttledSeen < throttled; throttledSeen++) limiter.halve();
      limiter.release();
    };
    const gate: AttemptGate = async (attempt) => {
      if (spare) spare = false;
      else await limiter.acquire({ urgent: true });
      try {
        return await attempt();
      } finally {
        release();
      }
    };
    try {
      return await task(gate);
    } finally {
      if (spare) {
        // Unused: given back, and an attempt arriving after the call ended takes a slot of its own.
        spare = false;
        release();
      }
    }
  };
  // The next Match page goes first: every later detail call waits on it.
  const io = { listIds: (p: ListParams) => call((gate) => source.listIds(p, gate), true), sink };

  const pages: Promise<Fetched>[] = [];
  let committedCount = 0;
  let listedCount = 0;
  let producing = true;
  let stopped = false;
  let wakeConsumer: () => void = () => {};
  let wakeProducer: () => void = () => {};

  const fetchPage = async (work: PageWork): Promise<Fetched> => {
    // All of a page's calls settle before it fails: a failed run leaves no call of its own running.
    const settled = await Promise.allSettled(profileChunks(work.fetch).map((chunk) => call((gate) => source.fetchProfiles(chunk, gate))));
    const failed = settled.find((r) => r.status === "rejected");
    if (failed) throw failed.reason;
    const byId = new Map<string, CandidateDetails>();
    for (const r of settled)
      if (r.status === "fulfilled") for (const details of r.value) if (!byId.has(details.id)) byId.set(details.id, details);
    return { work, found: [...byId.values()], missing: work.fetch.filter((id) => !byId.has(id)) };
  };

  const producer = (async () => {
    try {
      let position = opts.state;
      let barrier = false;
      for (;;) {
        if (stopped) return;
        if (listedCount - committedCount >= (barrier ? 1 : lookahead)) {
          await new Promise<void>((resolve) => {
            wakeProducer = resolve;
          });
          continue;
        }
        if (listedCount >= opts.maxPages || now() >= opts.stopAt) return;
        const planner = plan(position, now());
        if (!planner) return;
        const work = await planner(io);
        if (stopped) return;
        const fetched = fetchPage(work);
        // Settled by the consumer, or awaited below after a stop: never an unhandled rejection.
        fetched.catch(() => {});
        pages.push(fetched);
        listedCount++;
        wakeConsumer();
        position = work.position;
        barrier = work.barrier === true;
        if (!work.more) return;
      }
    } finally {
      producing = false;
      wakeConsumer();
    }
  })();

  let state = opts.state;
  let searchChanged = false;
  let more = true;
  let error: unknown;
  try {
    for (;;) {
      if (committedCount < pages.length) {
        const { work, found, missing } = await pages[committedCount];
        const calls = source.usage?.().calls ?? 0;
        const settled = work.settle(state, { found: found.map((d) => d.id), missing, calls: calls - callsSeen });
        callsSeen = calls;
        // The halved limit holds until the pass ends; the page that ends it clears it.
        const next: SyncState = { ...settled, concurrency: !work.more || limiter.limit >= opts.concurrency ? null : limiter.limit };
        const touched = work.touched ?? [];
        searchChanged =
          sink.commit({ found, missing, touched, seenAt: work.seenAt, updatedAt: work.updatedAt, next }).searchChanged || searchChanged;
        if (work.finish) searchChanged = work.finish(sink).searchChanged || searchChanged;
        state = next;
        more = work.more;
        committedCount++;
        wakeProducer();
        continue;
      }
      if (!producing) break;
      await new Promise<void>((resolve) => {
        wakeConsumer = resolve;
      });
    }
    await producer;
    if (committedCount === 0) more = plan(state, now()) !== null;
  } catch (err) {
    error = err;
    stopped = true;
    wakeProducer();
    // Calls not started yet are dropped: their pages can no longer be committed in this run.
    limiter.close(new Error("sync run stopped"));
    // Let every call of the run settle before the run ends (nothing keeps running behind the next run).
    await Promise.allSettled([producer, ...pages]);
    // A `429` seen before the failure still slows the rest of the pass.
    if (limiter.limit < (state.concurrency ?? opts.concurrency)) state = { ...state, concurrency: limiter.limit };
  }
  return { state, more, searchChanged, pages: committedCount, concurrency: limiter.limit, peakInFlight: limiter.peakInFlight, error };
}
