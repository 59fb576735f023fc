// The change log inside a real tenant Durable Object: every index write path logs what the /v1 record
// saw (created, updated, deleted — never an extras-only change), each entry keeps the record as of its
// change, the from=beginning snapshot and the log join without a gap or a repeat, and pruning marks how
// far the log starts.
import { describe, expect, it } from "vitest";
import { type ChangeEntry, type FeedPosition, feedNow, feedPage, logAfter, pruneChanges } from "../../src/directory/change-log";
import type { IndexStore } from "../../src/directory/index-store";
import { person, phone, uniqueTenant, withStore } from "./helpers";

const T0 = "2026-11-25T10:00:00Z";
const T1 = "2026-11-25T11:00:00Z";
const T2 = "2026-11-25T12:00:00Z";

const events = (entries: ChangeEntry[]) => entries.map((e) => `${e.event}:${e.id}`);

function sqlOf(state: DurableObjectState): SqlStorage {
  return state.storage.sql;
}

describe("logging", () => {
  it("logs created, updated and deleted, but not an unchanged or extras-only write", async () => {
    await withStore(uniqueTenant("log"), (store, state) => {
      const maya = person("c1", { name: "Maya Ortiz", phones: [phone("+447700900123")] });
      expect(store.upsert(maya, T0, { address: "Leeds" }).logged).toBe("created");
      expect(store.upsert({ ...maya, updated_at: T1 }, T1).logged).toBeNull(); // updated_at alone is no change
      expect(store.upsert(maya, T1, { address: "York" })).toMatchObject({ changed: true, logged: null }); // extras only
      expect(store.upsert({ ...maya, title: "Staff Nurse" }, T2).logged).toBe("updated");
      expect(store.remove("c1").removed).toBe(true);
      expect(store.remove("c1").removed).toBe(false); // nothing to log twice
      const log = logAfter(sqlOf(state), 0, 100);
      expect(events(log)).toEqual(["created:c1", "updated:c1", "deleted:c1"]);
      // Each entry keeps the record as of its change; a deletion carries none.
      expect(log[0]!.person).toMatchObject({ title: null });
      expect(log[1]!.person).toMatchObject({ title: "Staff Nurse" });
      expect(log[2]!.person).toBeUndefined();
      // Log entries and rows share the index's counter: the log is ordered with the rows.
      expect(log.map((e) => e.seq)).toEqual([...log.map((e) => e.seq)].sort((a, b) => a - b));
      expect(log[2]!.seq).toBe(store.maxSeq());
    });
  });

  it("logs every row a full pass drops, and a cleared index, as deleted", async () => {
    await withStore(uniqueTenant("bulk"), (store, state) => {
      for (const id of ["a", "b", "c", "d"]) store.upsert(person(id), T0);
      store.upsert(person("c"), T2); // seen again by the pass
      const before = store.maxSeq();
      expect(store.removeSeenBefore(T1).removed).toBe(3);
      const dropped = logAfter(sqlOf(state), before, 100);
      expect(events(dropped)).toEqual(["deleted:a", "deleted:b", "deleted:d"]);
      expect(dropped.map((e) => e.seq)).toEqual([before + 1, before + 2, before + 3]);
      expect(store.maxSeq()).toBe(before + 3);
      // The created entries of the dropped rows still show their records.
      expect(logAfter(sqlOf(state), 0, 100).filter((e) => e.event === "created" && e.id === "a")[0]?.person?.id).toBe("a");
      store.clear();
      expect(events(logAfter(sqlOf(state), before + 3, 100))).toEqual(["deleted:c"]);
    });
  });

  it("rolls the log back with a failed write", async () => {
    await withStore(uniqueTenant("rollback"), (store, state) => {
      store.upsert(person("a"), T0);
      const before = store.maxSeq();
      expect(() => store.upsertMany([{ person: person("b") }, { person: { ...person("c"), id: "" } }], T1)).toThrow();
      expect(logAfter(sqlOf(state), before, 100)).toEqual([]);
      expect(store.maxSeq()).toBe(before);
    });
  });
});

/** Pages the feed from `start` to its end, applying `between` after each page. */
function drain(sql: SqlStorage, start: FeedPosition, limit: number, between: (page: number) => void = () => {}): ChangeEntry[] {
  const out: ChangeEntry[] = [];
  let position = start;
  for (let page = 0; page < 100; page++) {
    const result = feedPage(sql, position, limit);
    if (result.kind !== "page") throw new Error("expired");
    out.push(...result.entries);
    position = result.next;
    if (!result.hasMore) return out;
    between(page);
  }
  throw new Error("feed did not end");
}

describe("from the beginning", () => {
  it("lists every live candidate once as created, then the log after the snapshot began", async () => {
    await withStore(uniqueTenant("snap"), (store, state) => {
      const sql = sqlOf(state);
      for (let i = 0; i < 20; i++) store.upsert(person(`p${String(i).padStart(2, "0")}`), T0);
      store.remove("p05");
      const listed = drain(sql, { mode: "snapshot", after: 0, high: feedNow(sql) }, 6);
      expect(listed.every((e) => e.event === "created")).toBe(true);
      expect(listed.map((e) => e.id).sort()).toEqual(
        Array.from({ length: 20 }, (_, i) => `p${String(i).padStart(2, "0")}`)
          .filter((id) => id !== "p05")
          .sort(),
      );
    });
  });

  it("skips and repeats nothing while candidates change during paging", async () => {
    await withStore(uniqueTenant("snapchange"), (store: IndexStore, state) => {
      const sql = sqlOf(state);
      const ids = Array.from({ length: 30 }, (_, i) => `p${String(i).padStart(2, "0")}`);
      for (const id of ids) store.upsert(person(id), T0);
      const live = new Map<string, string | null>(ids.map((id) => [id, null]));
      const entries = drain(sql, { mode: "snapshot", after: 0, high: feedNow(sql) }, 7, (page) => {
        if (page === 0) {
          store.upsert(person("p02", { title: "seen, then changed" }), T1); // already listed
          store.upsert(person("p25", { title: "changed before listed" }), T1); // not yet listed
          store.upsert(person("p26"), T1, { address: "extras only" }); // moves its seq, not its record
          store.remove("p27"); // not yet listed
          store.upsert(person("new1"), T1);
          live.set("p02", "seen, then changed").set("p25", "changed before listed").set("new1", null);
          live.delete("p27");
        }
        if (page === 2) {
          store.upsert(person("p25", { title: "changed twice" }), T2);
          live.set("p25", "changed twice");
        }
      });
      // Replaying the feed gives exactly the directory as it is now.
      const replayed = new Map<string, string | null>();
      for (const e of entries) {
        if (e.event === "deleted") replayed.delete(e.id);
        else replayed.set(e.id, e.person?.title ?? null);
      }
      expect(Object.fromEntries(replayed)).toEqual(Object.fromEntries(live));
      // Nothing arrives twice except real changes: p02 (listed, then updated) and p25 (updated twice).
      const seen = events(entries);
      expect(seen.filter((e) => e === "created:p26")).toHaveLength(1);
      expect(seen.filter((e) => e.endsWith(":p25"))).toEqual(["updated:p25", "updated:p25"]);
      expect(seen.filter((e) => e.endsWith(":p02"))).toEqual(["created:p02", "updated:p02"]);
      expect(seen).toContain("deleted:p27");
      expect(seen).not.toContain("created:p27");
      expect(new Set(entries.map((e) => e.seq)).size).toBe(entries.length);
    });
  });
});

describe("retention", () => {
  it("prunes old entries and answers expired for a position they were needed for", async () => {
    await withStore(uniqueTenant("prune"), (store, state) => {
      const sql = sqlOf(state);
      store.upsert(person("a"), T0);
      const old = feedNow(sql);
      store.upsert(person("b"), T0);
      store.upsert(person("c"), T0);
      sql.exec(`UPDATE dir_changes SET occurred_at = 1000 WHERE seq <= ?`, old + 1);
      expect(pruneChanges(sql, 2000)).toBe(2);
      expect(feedPage(sql, { mode: "log", after: old }, 10)).toEqual({ kind: "expired" });
      expect(feedPage(sql, { mode: "snapshot", after: 0, high: old }, 10)).toEqual({ kind: "expired" });
      const fresh = feedPage(sql, { mode: "log", after: old + 1 }, 10);
      expect(fresh.kind === "page" && events(fresh.entries)).toEqual(["created:c"]);
      expect(pruneChanges(sql, 2000)).toBe(0);
    });
  });
});
