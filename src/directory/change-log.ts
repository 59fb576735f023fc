import type { Person } from "../domain/person";
import { insertRows } from "./sql-batch";

/**
 * The directory's change log (table `dir_changes`, schema migration 2): one entry per change of a
 * candidate's /v1 record — `created`, `updated` (a field of the record changed) or `deleted` — written
 * by the index's own write methods (./index-store.ts) inside the transaction that changed the row, so
 * every path that writes or removes rows (sync pages, write-through, the end of a full pass, reconcile)
 * logs, and nothing is logged that was not committed. Entries take their `seq` from the index's change
 * counter (`dir_meta`), so the log and the rows share one order.
 *
 * The change feed (`GET /v1/changes`) and the webhook deliveries read it; entries older than the
 * retention are pruned by the object's alarm, and `feed_pruned` remembers how far, so a position below
 * it is known to be too old rather than silently incomplete.
 */

/** What happened to a candidate's /v1 record. */
export type ChangeEvent = "created" | "updated" | "deleted";

/** One change as the feed and the deliveries read it. */
export interface ChangeEntry {
  seq: number;
  event: ChangeEvent;
  id: string;
  /** Epoch milliseconds: when the bridge committed the change. */
  occurredAt: number;
  /** The record as of the change; absent on `deleted`. */
  person?: Person;
}

/** A position in the feed: after `after` in the log, or within a snapshot of rows up to `high`. */
export type FeedPosition = { mode: "log"; after: number } | { mode: "snapshot"; after: number; high: number };

/** One page of the feed, or `expired` when the position is past retention. */
export type FeedPage = { kind: "page"; entries: ChangeEntry[]; next: FeedPosition; hasMore: boolean } | { kind: "expired" };

/** The change log keeps at least this long (the contract: at least 7 days). */
export const CHANGE_RETENTION_MS = 8 * 24 * 3600 * 1000;

/** Appends one entry (its record stays on the row until the row changes again; see `preserveLatestRecord`). */
export function logChange(sql: SqlStorage, seq: number, candidateId: string, event: ChangeEvent, at = Date.now()): void {
  sql.exec(`INSERT INTO dir_changes (seq, candidate_id, event, occurred_at) VALUES (?, ?, ?, ?)`, seq, candidateId, event, at);
}

/** Appends many entries, all at `at`, in few statements (a sync page's `created`/`updated` entries). */
export function logChanges(
  sql: SqlStorage,
  entries: readonly [seq: number, candidateId: string, event: ChangeEvent][],
  at = Date.now(),
): void {
  insertRows(
    sql,
    `INSERT INTO dir_changes (seq, candidate_id, event, occurred_at)`,
    entries.map(([seq, id, event]) => [seq, id, event, at]),
  );
}

/**
 * Before a row's record is overwritten or removed: its latest entry (`feedSeq`) keeps the record it
 * pointed to. A pruned entry is simply not there.
 */
export function preserveLatestRecord(sql: SqlStorage, feedSeq: number, record: string): void {
  sql.exec(`UPDATE dir_changes SET record = ? WHERE seq = ? AND record IS NULL`, record, feedSeq);
}

/** `preserveLatestRecord` for every row matching `where` (a condition on `dir_candidates`), in one statement. */
export function preserveLatestRecordsWhere(sql: SqlStorage, where: string, params: string[]): void {
  sql.exec(
    `UPDATE dir_changes SET record = (SELECT c.record FROM dir_candidates c WHERE COALESCE(c.feed_seq, c.seq) = dir_changes.seq)
     WHERE record IS NULL AND seq IN (SELECT COALESCE(feed_seq, seq) FROM dir_candidates WHERE ${where})`,
    ...params,
  );
}

/** The highest seq handed out: a feed position for "now". */
export function feedNow(sql: SqlStorage): number {
  return sql.exec<{ v: number }>(`SELECT v FROM dir_meta WHERE k = 'seq'`).one().v;
}

/** Every change after this seq is in the log (positions below it are past retention). */
export function feedPrunedThrough(sql: SqlStorage): number {
  return sql.exec<{ v: number }>(`SELECT COALESCE((SELECT v FROM dir_meta WHERE k = 'feed_pruned'), 0) AS v`).one().v;
}

interface LogRow extends Record<string, SqlStorageValue> {
  seq: number;
  candidate_id: string;
  event: string;
  occurred_at: number;
  record: string | null;
}

/** An entry's record: its own copy once superseded, else the live row's (whose latest entry it is). */
const LOG_COLUMNS = `l.seq, l.candidate_id, l.event, l.occurred_at,
  CASE WHEN l.event = 'deleted' THEN NULL
       ELSE COALESCE(l.record, (SELECT c.record FROM dir_candidates c WHERE COALESCE(c.feed_seq, c.seq) = l.seq)) END AS record`;

function toEntry(row: LogRow): ChangeEntry {
  const entry: ChangeEntry = { seq: row.seq, event: row.event as ChangeEvent, id: row.candidate_id, occurredAt: row.occurred_at };
  if (row.record !== null) entry.person = JSON.parse(row.record) as Person;
  return entry;
}

/** Log entries with `seq > after` (and of these `events`, when given), oldest first, at most `limit`. */
export function logAfter(sql: SqlStorage, after: number, limit: number, events?: readonly ChangeEvent[]): ChangeEntry[] {
  const filter = events ? ` AND l.event IN (${events.map(() => "?").join(", ")})` : "";
  return sql
    .exec<LogRow>(
      `SELECT ${LOG_COLUMNS} FROM dir_changes l WHERE l.seq > ?${filter} ORDER BY l.seq LIMIT ?`,
      after,
      ...(events ?? []),
      limit,
    )
    .toArray()
    .map(toEntry);
}

/** One entry by seq, or null (never logged, or pruned). */
export function logEntry(sql: SqlStorage, seq: number): ChangeEntry | null {
  const row = sql.exec<LogRow>(`SELECT ${LOG_COLUMNS} FROM dir_changes l WHERE l.seq = ?`, seq).toArray()[0];
  return row ? toEntry(row) : null;
}

/**
 * One page of the feed (docs/contracts/v1-api.md, "Changes and webhooks").
 *
 * - `log`: entries after the position, oldest first.
 * - `snapshot` (`from=beginning`): the live rows whose record last changed at or before `high` (the
 *   counter when the snapshot began), in that order, each as `created`; when they run out, the page goes
 *   on with the log after `high`. A row that changes while the snapshot is paged moves above `high`, so
 *   it leaves the snapshot and arrives once, from the log: nothing is skipped or repeated.
 *
 * `expired` when entries the position still needs have been pruned (the client starts again from the
 * beginning). Reads `limit + 1` rows to tell `hasMore` without a second query.
 */
export function feedPage(sql: SqlStorage, position: FeedPosition, limit: number): FeedPage {
  const pruned = feedPrunedThrough(sql);
  const logFrom = position.mode === "log" ? position.after : position.high;
  if (logFrom < pruned) return { kind: "expired" };
  const entries: ChangeEntry[] = [];
  if (position.mode === "snapshot") {
    const rows = sql
      .exec<{ fs: number; id: string; record: string; updated_at: string }>(
        `SELECT COALESCE(feed_seq, seq) AS fs, id, record, updated_at FROM dir_candidates
         WHERE COALESCE(feed_seq, seq) > ? AND COALESCE(feed_seq, seq) <= ? ORDER BY COALESCE(feed_seq, seq) LIMIT ?`,
        position.after,
        position.high,
        limit + 1,
      )
      .toArray();
    for (const row of rows.slice(0, limit)) {
      entries.push({
        seq: row.fs,
        event: "created",
        id: row.id,
        occurredAt: Date.parse(row.updated_at),
        person: JSON.parse(row.record) as Person,
      });
    }
    if (rows.length > limit) {
      return {
        kind: "page",
        entries,
        next: { mode: "snapshot", after: entries[entries.length - 1]!.seq, high: position.high },
        hasMore: true,
      };
    }
  }
  const after = logFrom;
  const rows = logAfter(sql, after, limit - entries.length + 1);
  const taken = rows.slice(0, limit - entries.length);
  entries.push(...taken);
  const last = taken.length > 0 ? taken[taken.length - 1]!.seq : after;
  return { kind: "page", entries, next: { mode: "log", after: last }, hasMore: rows.length > taken.length };
}

/**
 * Drops entries that occurred before `before` (epoch ms), oldest first, and records how far the log now
 * starts. Bounded per call (`max` entries) so an alarm run stays short; returns how many were dropped.
 */
export function pruneChanges(sql: SqlStorage, before: number, max = 5_000): number {
  const last = sql
    .exec<{ seq: number | null }>(
      `SELECT MAX(seq) AS seq FROM (SELECT seq FROM dir_changes WHERE occurred_at < ? ORDER BY seq LIMIT ?)`,
      before,
      max,
    )
    .one().seq;
  if (last === null) return 0;
  const dropped = sql.exec(`DELETE FROM dir_changes WHERE seq <= ?`, last).rowsWritten;
  sql.exec(`UPDATE dir_meta SET v = MAX(v, ?) WHERE k = 'feed_pruned'`, last);
  return dropped;
}
