// The sync algorithm on its own (src/directory/sync.ts, sync-pipeline.ts, reconcile.ts), with an
// in-memory Match API and index: pages are committed one at a time with their position, several detail
// calls are in flight (never more than the limit, halved by a 429), a failure mid-page resumes from the
// last commit with nothing skipped or applied twice, and reconcile repairs what the delta feed missed.
import { describe, expect, it } from "vitest";
import { CallLimiter } from "../../src/directory/call-limiter";
import { planReconcile, probeChangesFeed, startReconcile } from "../../src/directory/reconcile";
import { incrementalPage, MATCH_PAGE_SIZE, planBackfill, planIncremental } from "../../src/directory/sync";
import { type ListParams, type Plan, runPages, type SyncSink, type SyncSource } from "../../src/directory/sync-pipeline";
import { INITIAL_SYNC_STATE, type SyncState } from "../../src/directory/sync-state";
import { UpstreamError } from "../../src/platform/errors";
import type { AttemptGate } from "../../src/talemetry";
import { makeDetails } from "../helpers/people";

type Events = Record<"created" | "updated" | "deleted", string[]>;

interface FakeOptions {
  /** Throws on this (1-based) call of any kind. */
  failOnCall?: number;
  /** Throws on the first profiles call that asks for this id. */
  failOnId?: string;
  /** Answers these (1-based) calls after counting a 429 first, like a call that waited and retried. */
  throttleOnCalls?: number[];
  /** The ids listed by a listing without a time range (every current candidate); default `alive`. */
  current?: string[];
  /** Events the account refuses to list (no changes feed). */
  refuse?: Array<"updated" | "deleted">;
}

/**
 * A Match API over fixed event lists (ids as cursor offsets) and a profiles call that knows `alive`.
 * Every call yields to the event loop, so calls started together really are in flight together; the
 * source records how many were in flight whenever one started.
 */
function fakeSource(events: Events, alive: Set<string>, opts: FakeOptions = {}) {
  const log = { calls: 0, listings: 0, profileCalls: 0, inFlight: 0, startedWith: [] as number[], fetched: new Map<string, number>() };
  let throttled = 0;
  const call = async <T>(work: () => T): Promise<T> => {
    const n = ++log.calls;
    log.inFlight++;
    log.startedWith.push(log.inFlight);
    try {
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (n === opts.failOnCall) throw new UpstreamError("unavailable", "upstream down");
      if (opts.throttleOnCalls?.includes(n)) throttled++;
      return work();
    } finally {
      log.inFlight--;
    }
  };
  const source: SyncSource = {
    listIds: (p: ListParams) =>
      call(() => {
        log.listings++;
        if (p.range && opts.refuse?.includes(p.range.event as "updated")) {
          throw new UpstreamError("auth", "refused", { upstreamStatus: 403 });
        }
        const list = p.range ? events[p.range.event] : (opts.current ?? [...alive]);
        const start = p.cursor ? Number(p.cursor) : 0;
        const ids = list.slice(start, start + p.pageSize);
        return { ids, cursor: start + p.pageSize < list.length ? String(start + p.pageSize) : null };
      }),
    fetchProfiles: (ids: string[]) =>
      call(() => {
        if (opts.failOnId && ids.includes(opts.failOnId)) {
          opts.failOnId = undefined;
          throw new UpstreamError("unavailable", "upstream down");
        }
        log.profileCalls++;
        expect(ids.length).toBeLessThanOrEqual(50);
        for (const id of ids) log.fetched.set(id, (log.fetched.get(id) ?? 0) + 1);
        return ids.filter((id) => alive.has(id)).map((id) => makeDetails(id));
      }),
    usage: () => ({ calls: log.calls, throttled }),
  };
  return { source, log };
}

/** An index of ids with their seen_at, and every write counted per id. */
function fakeSink(initial: Record<string, string> = {}) {
  const rows = new Map<string, string>(Object.entries(initial));
  const writes = new Map<string, number>();
  const commits: SyncState[] = [];
  const sink: SyncSink = {
    commit: ({ found, missing, touched, seenAt, next }) => {
      for (const d of found) {
        rows.set(d.id, seenAt);
        writes.set(d.id, (writes.get(d.id) ?? 0) + 1);
      }
      for (const id of missing) rows.delete(id);
      for (const id of touched) if (rows.has(id)) rows.set(id, seenAt);
      commits.push(next);
      return { searchChanged: found.length + missing.length > 0 };
    },
    dropUnseenSince: (time) => {
      let changed = false;
      for (const [id, seen] of rows) if (seen < time) changed = rows.delete(id) || changed;
      return { searchChanged: changed };
    },
    unindexed: (ids) => ids.filter((id) => !rows.has(id)),
    unseenSince: (time, afterId, limit) =>
      [...rows.entries()]
        .filter(([id, seen]) => seen < time && id > (afterId ?? ""))
        .map(([id]) => id)
        .sort()
        .slice(0, limit),
  };
  return { sink, rows, writes, commits };
}

const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(6, "0")}`);
const noEvents = (): Events => ({ created: [], updated: [], deleted: [] });
const start: SyncState = { ...INITIAL_SYNC_STATE, phase: "incremental", checkpoint: "2026-11-25T10:00:00Z" };
const NOW = Date.parse("2026-11-25T11:00:00Z");

/** Runs `plan` until its pass is done (bounded), resuming from each run's committed state. */
async function drain(plan: Plan, source: SyncSource, sink: SyncSink, state: SyncState, concurrency = 4): Promise<SyncState> {
  for (let i = 0; i < 100; i++) {
    const run = await runPages({ source, sink, state, plan, concurrency, maxPages: 3, stopAt: Number.POSITIVE_INFINITY, now: () => NOW });
    if (run.error !== undefined) throw run.error;
    state = run.state;
    if (!run.more) return state;
  }
  throw new Error("pass did not end");
}

describe("incremental window paging", () => {
  it("commits one page at a time and moves the checkpoint only at the end", async () => {
    const created = ids("c", MATCH_PAGE_SIZE * 2 + 10);
    const deleted = created.slice(0, 5); // created then deleted within the window
    const alive = new Set(created.slice(5));
    const { source } = fakeSource({ created, updated: [], deleted }, alive);
    const { sink, rows, commits } = fakeSink();
    let state = start;
    const now = Date.parse("2026-11-25T11:00:00.300Z");
    for (let i = 0; i < 10; i++) {
      const step = await incrementalPage(source, sink, state, now);
      state = step.state;
      if (!step.more) break;
      expect(state.checkpoint).toBe(start.checkpoint);
    }
    // 3 created pages + 1 (empty) updated page + 1 deleted page, each committed with its position.
    expect(commits).toHaveLength(5);
    expect(commits.slice(0, -1).every((c) => c.window !== null && c.checkpoint === start.checkpoint)).toBe(true);
    expect(state.window).toBeNull();
    expect(state.checkpoint).toBe("2026-11-25T11:00:01Z"); // the window's end, rounded up to the second
    expect([...rows.keys()].sort()).toEqual([...alive].sort());
  });

  it("resumes from the last committed page after a failure, without re-reading earlier pages", async () => {
    const created = ids("c", MATCH_PAGE_SIZE * 3);
    // Calls: list 1 (1), its 10 profile calls (2–11), list 2 (12), profile calls (13–22), list 3 fails (23).
    const { source, log } = fakeSource({ created, updated: [], deleted: [] }, new Set(created), { failOnCall: 23 });
    const { sink, rows } = fakeSink();
    let state = start;
    state = (await incrementalPage(source, sink, state, NOW)).state;
    state = (await incrementalPage(source, sink, state, NOW)).state;
    await expect(incrementalPage(source, sink, state, NOW)).rejects.toThrow("upstream down");
    expect(state.window).toMatchObject({ event: 0, cursor: String(MATCH_PAGE_SIZE * 2) });
    expect(state.checkpoint).toBe(start.checkpoint);
    let more = true;
    while (more) ({ state, more } = await incrementalPage(source, sink, state, NOW));
    expect(rows.size).toBe(created.length);
    expect(log.listings).toBe(5); // 2 pages, page 3, updated, deleted (the failed call listed nothing)
    expect(state.checkpoint).toBe("2026-11-25T11:00:00Z");
  });

  it("polls only `created` when the account has no changes feed", async () => {
    const created = ids("c", 3);
    const { source, log } = fakeSource({ created, updated: ["x"], deleted: ["y"] }, new Set(created), { refuse: ["updated", "deleted"] });
    const { sink, rows } = fakeSink();
    const state = await drain(planIncremental, source, sink, { ...start, changesFeed: "unavailable" });
    expect(log.listings).toBe(1);
    expect(rows.size).toBe(3);
    expect(state.window).toBeNull();
  });
});

describe("details fetched concurrently", () => {
  it("keeps up to the limit of calls in flight across pages, never more, and applies every candidate once", async () => {
    const created = ids("c", MATCH_PAGE_SIZE * 4 + 30);
    const alive = new Set(created.filter((_, i) => i % 31 !== 0)); // some deleted since: listed, no details
    const { source, log } = fakeSource({ ...noEvents(), created }, alive);
    const { sink, rows, writes, commits } = fakeSink();
    const state = await drain(planBackfill, source, sink, INITIAL_SYNC_STATE);
    expect(Math.max(...log.startedWith)).toBe(4);
    expect(state.phase).toBe("incremental");
    expect([...rows.keys()].sort()).toEqual([...alive].sort());
    expect([...writes.values()].every((n) => n === 1)).toBe(true);
    // ≈ N/500 + N/50 calls: 5 listings, 43 profile calls of ≤ 50 ids.
    expect(log.listings).toBe(5);
    expect(log.profileCalls).toBe(10 * 4 + 1);
    // One commit per page, each with the cursor after it; the last ends the pass.
    expect(commits.map((c) => c.backfillCursor)).toEqual(["500", "1000", "1500", "2000", null]);
  });

  it("honours a lower tenant setting", async () => {
    const created = ids("c", MATCH_PAGE_SIZE + 200);
    const { source, log } = fakeSource({ ...noEvents(), created }, new Set(created));
    const { sink, rows } = fakeSink();
    await drain(planBackfill, source, sink, INITIAL_SYNC_STATE, 2);
    expect(Math.max(...log.startedWith)).toBe(2);
    expect(rows.size).toBe(created.length);
  });

  it("halves the calls in flight after a 429, for the rest of the pass", async () => {
    const created = ids("c", MATCH_PAGE_SIZE * 3);
    // Call 3 is a profile call of page 1 (call 1 lists it; its first four detail calls start together).
    const { source, log } = fakeSource({ ...noEvents(), created }, new Set(created), { throttleOnCalls: [3] });
    const { sink, rows, commits } = fakeSink();
    // Calls started after page 1 is committed: by then the 429 is known for sure.
    let afterFirstCommit = -1;
    const marking: SyncSink = {
      ...sink,
      commit: (step) => {
        if (afterFirstCommit < 0) afterFirstCommit = log.startedWith.length;
        return sink.commit(step);
      },
    };
    const run = await runPages({
      source,
      sink: marking,
      state: INITIAL_SYNC_STATE,
      plan: planBackfill,
      concurrency: 4,
      maxPages: 2,
      stopAt: Number.POSITIVE_INFINITY,
      now: () => NOW,
    });
    expect(run.error).toBeUndefined();
    expect(Math.max(...log.startedWith.slice(0, 5))).toBe(4);
    expect(run.concurrency).toBe(2);
    expect(Math.max(...log.startedWith.slice(afterFirstCommit))).toBeLessThanOrEqual(2);
    // The halved limit is committed with the pass's pages (the next run keeps it) …
    expect(commits.at(-1)?.concurrency).toBe(2);
    const before = log.startedWith.length;
    const rest = await runPages({
      source,
      sink,
      state: run.state,
      plan: planBackfill,
      concurrency: 4,
      maxPages: 10,
      stopAt: Number.POSITIVE_INFINITY,
      now: () => NOW,
    });
    expect(Math.max(...log.startedWith.slice(before))).toBe(2);
    // … and cleared by the page that ends the pass.
    expect(rest.state.concurrency).toBeNull();
    expect(rows.size).toBe(created.length);
  });

  it("lets urgent waiters (the next Match page, retries) go first, in their own arrival order", async () => {
    const limiter = new CallLimiter(1);
    await limiter.acquire();
    const order: string[] = [];
    const wait = (name: string, urgent: boolean) => limiter.acquire({ urgent }).then(() => order.push(name));
    const all = [wait("a", false), wait("u1", true), wait("b", false), wait("u2", true)];
    for (let i = 0; i < 4; i++) {
      limiter.release();
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    await Promise.all(all);
    expect(order).toEqual(["u1", "u2", "a", "b"]);
  });

  it("each further 429 halves it again, never below one", () => {
    const limiter = new CallLimiter(4);
    limiter.halve();
    expect(limiter.limit).toBe(2);
    limiter.halve();
    limiter.halve();
    expect(limiter.limit).toBe(1);
  });

  it("a failure mid-page commits the pages before it and nothing of the failing page; the retry skips and repeats nothing", async () => {
    const created = ids("c", MATCH_PAGE_SIZE * 3);
    // The sixth of page 2's ten profile calls fails, while the listing has run ahead to page 3.
    const { source, log } = fakeSource({ ...noEvents(), created }, new Set(created), { failOnId: created[MATCH_PAGE_SIZE + 250] });
    const { sink, rows, writes, commits } = fakeSink();
    const run = await runPages({
      source,
      sink,
      state: INITIAL_SYNC_STATE,
      plan: planBackfill,
      concurrency: 4,
      maxPages: 10,
      stopAt: Number.POSITIVE_INFINITY,
      now: () => NOW,
    });
    expect(run.error).toBeInstanceOf(UpstreamError);
    expect(run.pages).toBe(1);
    expect(run.state.backfillCursor).toBe(String(MATCH_PAGE_SIZE));
    expect(commits).toHaveLength(1);
    expect(rows.size).toBe(MATCH_PAGE_SIZE);
    expect(log.inFlight).toBe(0); // every call of the run settled before it returned

    const fetchedBefore = new Map(log.fetched);
    await drain(planBackfill, source, sink, run.state);
    expect(rows.size).toBe(created.length);
    expect([...writes.values()].every((n) => n === 1)).toBe(true);
    // Page 1 was never fetched again; page 2's candidates at most once more (their rows were never written).
    for (const id of created.slice(0, MATCH_PAGE_SIZE)) expect(log.fetched.get(id)).toBe(fetchedBefore.get(id));
  });
});

describe("a slot is held while a call is on the wire, not while its answer is parsed", () => {
  /**
   * Listings and profile calls whose HTTP part goes through the run's gate (as the Talemetry client's
   * attempts do), each profile answer then parsed for a while outside it. `retryFirst`: every profile
   * call's first attempt fails (the client retries with a second attempt); `throttleFirst`: the very
   * first of them is a 429, counted inside its attempt like the client does.
   */
  function gatedSource(created: string[], opts: { retryFirst?: boolean; throttleFirst?: boolean } = {}) {
    const log = { onWire: 0, peakOnWire: 0, attempts: 0, parsing: 0, wireWhileParsing: 0, peakAfterThrottle: 0 };
    let throttled = 0;
    const attempt = async <T>(gate: AttemptGate | undefined, work: () => T, throttle = false): Promise<T> => {
      const onWire = async () => {
        log.onWire++;
        log.attempts++;
        log.peakOnWire = Math.max(log.peakOnWire, log.onWire);
        if (throttled > 0) log.peakAfterThrottle = Math.max(log.peakAfterThrottle, log.onWire);
        if (log.parsing > 0) log.wireWhileParsing++;
        try {
          await new Promise((resolve) => setTimeout(resolve, 2));
          if (throttle) throttled++;
          return work();
        } finally {
          log.onWire--;
        }
      };
      return gate ? gate(onWire) : onWire();
    };
    let firstProfileCall = true;
    const source: SyncSource = {
      listIds: (p, gate) =>
        attempt(gate, () => {
          const start = p.cursor ? Number(p.cursor) : 0;
          return {
            ids: created.slice(start, start + p.pageSize),
            cursor: start + p.pageSize < created.length ? String(start + p.pageSize) : null,
          };
        }),
      fetchProfiles: async (chunk, gate) => {
        if (opts.retryFirst) {
          const throttle = opts.throttleFirst === true && firstProfileCall;
          firstProfileCall = false;
          await attempt(gate, () => null, throttle);
        }
        const answer = await attempt(gate, () => chunk.map((id) => makeDetails(id)));
        log.parsing++;
        await new Promise((resolve) => setTimeout(resolve, 4));
        log.parsing--;
        return answer;
      },
      usage: () => ({ calls: log.attempts, throttled }),
    };
    return { source, log };
  }

  const backfill = (source: SyncSource, sink: SyncSink, concurrency: number) =>
    runPages({
      source,
      sink,
      state: INITIAL_SYNC_STATE,
      plan: planBackfill,
      concurrency,
      maxPages: 10,
      stopAt: Number.POSITIVE_INFINITY,
      now: () => NOW,
    });

  it("starts the next call while an answer is parsed, never more on the wire than the limit", async () => {
    const created = ids("c", MATCH_PAGE_SIZE + 150);
    const { source, log } = gatedSource(created);
    const { sink, rows, writes } = fakeSink();
    const run = await backfill(source, sink, 1);
    expect(run.error).toBeUndefined();
    expect(log.peakOnWire).toBe(1);
    expect(run.peakInFlight).toBe(1);
    // With one slot held through the parsing, no call could be on the wire while another parses.
    expect(log.wireWhileParsing).toBeGreaterThan(0);
    expect(rows.size).toBe(created.length);
    expect([...writes.values()].every((n) => n === 1)).toBe(true);
  });

  it("counts every attempt on the wire, also two of one call at once", async () => {
    const created = ids("c", 120);
    const { source, log } = gatedSource(created);
    // A profiles call that sends its ids in two halves together (as a client splitting a call would).
    const split: SyncSource = {
      ...source,
      fetchProfiles: async (chunk, gate) => {
        const half = Math.ceil(chunk.length / 2);
        const parts = await Promise.all([source.fetchProfiles(chunk.slice(0, half), gate), source.fetchProfiles(chunk.slice(half), gate)]);
        return parts.flat();
      },
    };
    const { sink, rows } = fakeSink();
    const run = await backfill(split, sink, 1);
    expect(run.error).toBeUndefined();
    expect(log.peakOnWire).toBe(1);
    expect(rows.size).toBe(created.length);
  });

  it("gives a retry a slot again, and a 429 halves the limit before its attempt's slot is released", async () => {
    const created = ids("c", MATCH_PAGE_SIZE * 2);
    const { source, log } = gatedSource(created, { retryFirst: true, throttleFirst: true });
    const { sink, rows } = fakeSink();
    const run = await backfill(source, sink, 4);
    expect(run.error).toBeUndefined();
    // 2 listings, and two attempts for each of the 20 profile calls.
    expect(log.attempts).toBe(2 + 20 * 2);
    expect(log.peakOnWire).toBe(4);
    expect(run.concurrency).toBe(2);
    // Every attempt that started once the 429 was counted found at most 2 on the wire (itself included).
    expect(log.peakAfterThrottle).toBe(2);
    expect(rows.size).toBe(created.length);
  });
});

describe("reconcile", () => {
  const STARTED = "2026-11-25T10:59:00Z";

  it("adds what the index lacks, removes what Talemetry no longer has, and reports it", async () => {
    const current = ids("c", 1200);
    const alive = new Set(current);
    // The index: every current candidate but 12 (missed creations), plus 12 silently deleted ones.
    const missed = current.filter((_, i) => i % 100 === 7);
    const ghosts = ids("gone", 12);
    const indexed: Record<string, string> = {};
    for (const id of current) if (!missed.includes(id)) indexed[id] = "2026-01-01T00:00:00Z";
    for (const id of ghosts) indexed[id] = "2026-01-01T00:00:00Z";
    const { source, log } = fakeSource(noEvents(), alive);
    const { sink, rows, writes } = fakeSink(indexed);

    let state: SyncState = startReconcile({ ...start, changesFeed: "available" }, Date.parse(STARTED));
    state = await drain(planReconcile({ intervalSeconds: 7 * 86_400 }), source, sink, state);

    expect([...rows.keys()].sort()).toEqual([...current].sort());
    expect(state.reconcile).toBeNull();
    expect(state.lastReconcile).toMatchObject({ listed: 1200, added: 12, removed: 12, calls: log.calls });
    expect(state.reconcileDueAt).toBe("2026-12-02T11:00:00Z");
    // 3 listings; one call per page for the missed ones it names (5, 5 and 2); one call to confirm that
    // the 12 unlisted rows are gone.
    expect(log.listings).toBe(3);
    expect(log.profileCalls).toBe(4);
    expect([...writes.keys()].sort()).toEqual([...missed].sort());
  });

  it("keeps a row the listing did not name when Talemetry still has it (created after the listing passed)", async () => {
    const current = ids("c", 10);
    const late = "late-1";
    const { source } = fakeSource(noEvents(), new Set([...current, late]), { current });
    const indexed: Record<string, string> = Object.fromEntries([...current, late].map((id) => [id, "2026-01-01T00:00:00Z"]));
    const { sink, rows } = fakeSink(indexed);
    const state = await drain(
      planReconcile({ intervalSeconds: 86_400 }),
      source,
      sink,
      startReconcile({ ...start, changesFeed: "available" }, Date.parse(STARTED)),
    );
    expect(rows.has(late)).toBe(true);
    expect(state.lastReconcile).toMatchObject({ added: 0, removed: 0 });
  });

  it("re-reads every candidate when the account has no changes feed", async () => {
    const current = ids("c", 120);
    const { source, log } = fakeSource(noEvents(), new Set(current));
    const { sink } = fakeSink(Object.fromEntries(current.map((id) => [id, "2026-01-01T00:00:00Z"])));
    await drain(
      planReconcile({ intervalSeconds: 86_400 }),
      source,
      sink,
      startReconcile({ ...start, changesFeed: "unavailable" }, Date.parse(STARTED)),
    );
    expect(log.profileCalls).toBe(3);
    expect([...log.fetched.keys()].sort()).toEqual(current);
  });
});

describe("changes feed probe", () => {
  it("is available when the three listings answer", async () => {
    const { source } = fakeSource(noEvents(), new Set());
    expect(await probeChangesFeed(source, NOW)).toEqual({ changesFeed: "available", changesFeedError: null });
  });

  it("is unavailable when `updated` or `deleted` is refused while `created` answers", async () => {
    const { source } = fakeSource(noEvents(), new Set(), { refuse: ["deleted"] });
    const probe = await probeChangesFeed(source, NOW);
    expect(probe.changesFeed).toBe("unavailable");
    expect(probe.changesFeedError).toMatch(/'deleted'.*HTTP 403.*track_candidate_last_changes/);
  });

  it("stays unknown on a transient failure, to be probed again", async () => {
    const { source } = fakeSource(noEvents(), new Set(), { failOnCall: 2 });
    expect((await probeChangesFeed(source, NOW)).changesFeed).toBe("unknown");
  });
});
