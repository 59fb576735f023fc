// The sync algorithm on its own (src/directory/sync.ts), with an in-memory Match API and index: the
// incremental window is worked through page by page with its position committed each time, the
// checkpoint moves only when the window is complete, and a failure resumes where the last commit left.
import { describe, expect, it } from "vitest";
import { incrementalPage, MATCH_PAGE_SIZE, type MatchEvent, type SyncSink, type SyncSource } from "../../src/directory/sync";
import { INITIAL_SYNC_STATE, type SyncState } from "../../src/directory/sync-state";
import { makeDetails } from "../helpers/people";

/** A Match API over fixed event lists (ids as cursor offsets) and a profiles call that knows `alive`. */
function fakeSource(events: Record<MatchEvent, string[]>, alive: Set<string>, failOnCall?: number): SyncSource & { calls: number } {
  const source = {
    calls: 0,
    async listIds(p: { event: MatchEvent; cursor: string | null; pageSize: number }) {
      if (++source.calls === failOnCall) throw new Error("upstream down");
      const start = p.cursor ? Number(p.cursor) : 0;
      const ids = events[p.event].slice(start, start + p.pageSize);
      return { ids, cursor: start + p.pageSize < events[p.event].length ? String(start + p.pageSize) : null };
    },
    async fetchProfiles(ids: string[]) {
      return ids.filter((id) => alive.has(id)).map((id) => makeDetails(id));
    },
  };
  return source;
}

function fakeSink() {
  const rows = new Set<string>();
  const commits: SyncState[] = [];
  const sink: SyncSink = {
    commit: ({ found, missing, next }) => {
      for (const d of found) rows.add(d.id);
      for (const id of missing) rows.delete(id);
      commits.push(next);
      return { searchChanged: found.length + missing.length > 0 };
    },
    dropUnseenSince: () => ({ searchChanged: false }),
  };
  return { sink, rows, commits };
}

const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const start: SyncState = { ...INITIAL_SYNC_STATE, phase: "incremental", checkpoint: "2026-11-25T10:00:00Z" };

describe("incremental window paging", () => {
  it("commits one page at a time and moves the checkpoint only at the end", async () => {
    const created = ids("c", MATCH_PAGE_SIZE * 2 + 10);
    const deleted = ids("c", 5); // created then deleted within the window
    const alive = new Set(created.slice(5));
    const source = fakeSource({ created, updated: [], deleted }, alive);
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
    expect([...rows].sort()).toEqual([...alive].sort());
  });

  it("resumes from the last committed page after a failure, without re-reading earlier pages", async () => {
    const created = ids("c", MATCH_PAGE_SIZE * 3);
    const source = fakeSource({ created, updated: [], deleted: [] }, new Set(created), 3);
    const { sink, rows } = fakeSink();
    let state = start;
    const now = Date.parse("2026-11-25T11:00:00Z");
    state = (await incrementalPage(source, sink, state, now)).state;
    state = (await incrementalPage(source, sink, state, now)).state;
    await expect(incrementalPage(source, sink, state, now)).rejects.toThrow("upstream down");
    expect(state.window).toMatchObject({ event: 0, cursor: String(MATCH_PAGE_SIZE * 2) });
    expect(state.checkpoint).toBe(start.checkpoint);
    let more = true;
    while (more) ({ state, more } = await incrementalPage(source, sink, state, now));
    expect(rows.size).toBe(created.length);
    expect(source.calls).toBe(6); // 2 pages, the failed call, page 3, updated, deleted
    expect(state.checkpoint).toBe("2026-11-25T11:00:00Z");
  });
});
