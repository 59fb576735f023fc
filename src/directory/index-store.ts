import type { Person } from "../domain/person";
import { type MatchLevel, type PhoneProbe, type PhoneQuery, phoneProbes } from "../phone/match";
import { type ChangeEvent, logChange, preserveLatestRecord, preserveLatestRecordsWhere } from "./change-log";
import { emailKey, type JsonValue } from "./index-keys";
import { changesQuery, chunkRows, emailSearchQuery, entryQuery, MAX_BOUND_PARAMS, phoneSearchQuery, probeRanks } from "./index-queries";
import { type WriteEntry, writeEntries } from "./index-write";

/** Extra per-candidate data stored beside the record for Talkdesk contacts (e.g. `address`). */
export type IndexExtras = { [key: string]: JsonValue };

export interface IndexUpsertResult {
  /** The content changed (or the row is new), so `seq` was bumped. */
  changed: boolean;
  /**
   * A search could now answer differently: the candidate became or stopped being findable, or a findable
   * candidate's record (anything a search result shows: name, phones, consent, …) differs. The caller
   * bumps the tenant's search generation (once per sync run, not per record).
   */
  searchChanged: boolean;
  /** The row's change sequence number after the write. */
  seq: number;
  /**
   * What the change log recorded: `created` (a new row), `updated` (a field of the /v1 record changed),
   * or null (nothing the record shows changed, e.g. only the Talkdesk extras).
   */
  logged: Exclude<ChangeEvent, "deleted"> | null;
}

export interface IndexBatchResult {
  upserted: number;
  changed: number;
  /** Some search could now answer differently (see `IndexUpsertResult`): bump the search generation once. */
  searchChanged: boolean;
}

export interface IndexRemoveResult {
  removed: boolean;
  /** The removed candidate was findable by phone or email: bump the search generation. */
  searchChanged: boolean;
}

export interface IndexEntry {
  person: Person;
  extras: IndexExtras | null;
  seq: number;
  /** When sync (or the bridge's own write) last saw the candidate. */
  seenAt: string;
  /** When the row's content last changed (the time `seq` was last bumped). */
  updatedAt: string;
}

/** One row of Talkdesk contact paging. */
export interface IndexChange {
  seq: number;
  person: Person;
  extras: IndexExtras | null;
}

export interface PhoneHit {
  person: Person;
  match: MatchLevel;
  /** The reading of the query this candidate matched (E.164 for `exact`, national digits otherwise). */
  matchedAs: string;
}

export interface EmailHit {
  person: Person;
  match: "exact";
  /** The address as compared (trimmed, lower-cased). */
  matchedAs: string;
}

/** The contract caps a search at 50 results. */
export const MAX_SEARCH_RESULTS = 50;
/** The most a caller may ask the index for: one past the cap, so that /v1 search can tell `has_more`. */
export const MAX_SEARCH_LIMIT = MAX_SEARCH_RESULTS + 1;

/** A search's row limit: `limit` within 1…MAX_SEARCH_LIMIT, else the contract's cap. */
function searchLimit(limit: number | undefined): number {
  return limit === undefined ? MAX_SEARCH_RESULTS : Math.min(MAX_SEARCH_LIMIT, Math.max(1, Math.floor(limit) || 1));
}
/** Upper bound of one `changesSince` page, whatever the caller asks. */
export const MAX_CHANGES_PAGE = 1000;

/** `ctx.storage` (preferred: batches are transactions) or just `ctx.storage.sql`. */
export type IndexStorage = SqlStorage | Pick<DurableObjectStorage, "sql" | "transactionSync">;

/**
 * The per-tenant directory index inside the tenant's Durable Object (see
 * docs/architecture.md): candidate records with a change sequence number, plus phone and
 * email keys so that caller-ID lookups are index probes. All methods are synchronous because SQLite
 * in a Durable Object is; the object's single thread makes each call atomic against other requests.
 */
export class IndexStore {
  /** The tenant's default region: used to resolve stored phones the normalizer could not. */
  readonly tenantRegion: string | null;
  private readonly sql: SqlStorage;
  private readonly transact: <T>(fn: () => T) => T;

  /**
   * @param storage `ctx.storage` (then `upsert`/`upsertMany`/`remove` roll back entirely on error) or
   *   `ctx.storage.sql` (then a failed call may leave part of its writes; the Durable Object still
   *   commits a synchronous run of statements together).
   * @param tenantRegion the tenant's default region (ISO 3166 alpha-2), or null.
   * The `dir_` tables must exist: the tenant Durable Object's migrations create them (./schema.ts).
   */
  constructor(storage: IndexStorage, tenantRegion: string | null) {
    if ("transactionSync" in storage) {
      this.sql = storage.sql;
      this.transact = (fn) => storage.transactionSync(fn);
    } else {
      this.sql = storage;
      this.transact = (fn) => fn();
    }
    this.tenantRegion = tenantRegion;
  }

  /**
   * Inserts or updates one candidate. `seq` is bumped only when the content changed: the record
   * (except `updated_at`, which says when a change was seen and is not itself a change) or the extras.
   * An `updated_at`-only difference keeps the stored record: its `updated_at` is when the bridge first
   * saw the current content.
   * @param extras undefined keeps the stored extras (a write-through knows no address); null clears them.
   */
  upsert(person: Person, seenAt: string, extras?: IndexExtras | null): IndexUpsertResult {
    return this.transact(() => writeEntries(this.sql, this.tenantRegion, [{ person, extras }], seenAt)[0]!);
  }

  /** Upserts many candidates in one transaction (a sync page), as `upsert` would one by one, in order. */
  upsertMany(entries: readonly WriteEntry[], seenAt: string): IndexBatchResult {
    return this.transact(() => {
      const result: IndexBatchResult = { upserted: 0, changed: 0, searchChanged: false };
      for (const r of writeEntries(this.sql, this.tenantRegion, entries, seenAt)) {
        result.upserted++;
        if (r.changed) result.changed++;
        if (r.searchChanged) result.searchChanged = true;
      }
      return result;
    });
  }

  /** Removes a candidate and its keys; a removed row is logged as `deleted` (./change-log.ts). */
  remove(id: string): IndexRemoveResult {
    return this.transact(() => {
      const row = this.sql
        .exec<{ record: string; feed_seq: number }>(
          `SELECT record, COALESCE(feed_seq, seq) AS feed_seq FROM dir_candidates WHERE id = ?`,
          id,
        )
        .toArray()[0];
      if (row) {
        preserveLatestRecord(this.sql, row.feed_seq, row.record);
        logChange(this.sql, this.nextSeq(), id, "deleted");
      }
      const phones = this.sql.exec(`DELETE FROM dir_phone_keys WHERE candidate_id = ?`, id).rowsWritten;
      const emails = this.sql.exec(`DELETE FROM dir_email_keys WHERE candidate_id = ?`, id).rowsWritten;
      const rows = this.sql.exec(`DELETE FROM dir_candidates WHERE id = ?`, id).rowsWritten;
      return { removed: rows > 0, searchChanged: phones + emails > 0 };
    });
  }

  /** The stored person record, or null. */
  get(id: string): Person | null {
    return this.getEntry(id)?.person ?? null;
  }

  /** The stored row with its extras and sequence number, or null. */
  getEntry(id: string): IndexEntry | null {
    const q = entryQuery(id);
    const row = this.sql
      .exec<{ record: string; extras: string | null; seq: number; seen_at: string; updated_at: string }>(q.sql, ...q.params)
      .toArray()[0];
    if (!row) return null;
    return {
      person: JSON.parse(row.record) as Person,
      extras: parseExtras(row.extras),
      seq: row.seq,
      seenAt: row.seen_at,
      updatedAt: row.updated_at,
    };
  }

  /** How many candidates are indexed. */
  count(): number {
    return this.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM dir_candidates`).one().n;
  }

  /**
   * The highest sequence number handed out so far (0 when none). Monotonic: removals and `clear()`
   * never lower it, so a Talkdesk checkpoint never points past rows written later.
   */
  maxSeq(): number {
    return this.sql.exec<{ v: number }>(`SELECT v FROM dir_meta WHERE k = 'seq'`).one().v;
  }

  /**
   * Candidates matching a phone query, ranked exact → national → partial, then by the reading matched
   * (the query's order, best first), then by name and id; each candidate once, at its best level and
   * reading; at most `limit` (default 50). Partial levels only with `partial: true`.
   */
  searchPhone(query: PhoneQuery, opts: { partial?: boolean; limit?: number } = {}): PhoneHit[] {
    const probes = phoneProbes(query, { partial: opts.partial === true });
    const q = phoneSearchQuery(probes, searchLimit(opts.limit));
    if (!q) return [];
    const byRank = new Map<number, PhoneProbe>();
    probeRanks(probes).forEach((rank, i) => {
      if (rank !== null) byRank.set(rank, probes[i]!);
    });
    return this.sql
      .exec<{ record: string; rank: number }>(q.sql, ...q.params)
      .toArray()
      .map((row) => {
        const probe = byRank.get(row.rank)!;
        return { person: JSON.parse(row.record) as Person, match: probe.level, matchedAs: probe.matchedAs };
      });
  }

  /** Candidates having this email (whole address, trimmed, case-insensitive), by name and id; at most `limit` (default 50). */
  searchEmail(email: string, opts: { limit?: number } = {}): EmailHit[] {
    const key = emailKey(email);
    if (key === "") return [];
    const q = emailSearchQuery(key, searchLimit(opts.limit));
    return this.sql
      .exec<{ record: string }>(q.sql, ...q.params)
      .toArray()
      .map((row) => ({ person: JSON.parse(row.record) as Person, match: "exact" as const, matchedAs: key }));
  }

  /**
   * One page of Talkdesk contact sync: rows with `afterSeq < seq ≤ highWater` in ascending `seq`,
   * at most `limit` (clamped to 1…1000). The caller fixes `highWater` = `maxSeq()` on a run's first page.
   */
  changesSince(afterSeq: number, highWater: number, limit: number): IndexChange[] {
    const n = Math.min(MAX_CHANGES_PAGE, Math.max(1, Math.floor(limit) || 1));
    const q = changesQuery(afterSeq, highWater, n);
    return this.sql
      .exec<{ seq: number; record: string; extras: string | null }>(q.sql, ...q.params)
      .toArray()
      .map((row) => ({ seq: row.seq, person: JSON.parse(row.record) as Person, extras: parseExtras(row.extras) }));
  }

  /**
   * Removes every candidate last seen before `seenAt` (the start of a full pass: whatever the pass did
   * not see was deleted in Talemetry meanwhile). Times compare as text, so pass the same ISO 8601
   * form (`…Z`) that `upsert` received.
   */
  removeSeenBefore(seenAt: string): { removed: number; searchChanged: boolean } {
    return this.transact(() => this.removeWhere(`seen_at < ?`, [seenAt]));
  }

  /** The ids among `ids` that have no row (reconcile: candidates Talemetry has and the index lacks). */
  unindexed(ids: readonly string[]): string[] {
    const present = new Set<string>();
    for (const chunk of chunkRows(ids, 1)) {
      const marks = chunk.map(() => "?").join(", ");
      for (const row of this.sql.exec<{ id: string }>(`SELECT id FROM dir_candidates WHERE id IN (${marks})`, ...chunk))
        present.add(row.id);
    }
    return ids.filter((id) => !present.has(id));
  }

  /** Records that Talemetry confirmed these candidates at `seenAt` (their content is not touched). */
  markSeen(ids: readonly string[], seenAt: string): void {
    this.transact(() => {
      // Two parameters besides the ids: a chunk holds at most MAX_BOUND_PARAMS - 2 of them.
      const size = MAX_BOUND_PARAMS - 2;
      for (let i = 0; i < ids.length; i += size) {
        const chunk = ids.slice(i, i + size);
        const marks = chunk.map(() => "?").join(", ");
        this.sql.exec(`UPDATE dir_candidates SET seen_at = ? WHERE id IN (${marks}) AND seen_at < ?`, seenAt, ...chunk, seenAt);
      }
    });
  }

  /** Up to `limit` ids of rows last seen before `seenAt`, after `afterId` in id order (reconcile's verify stage). */
  idsSeenBefore(seenAt: string, afterId: string | null, limit: number): string[] {
    return this.sql
      .exec<{ id: string }>(
        `SELECT id FROM dir_candidates WHERE seen_at < ? AND id > ? ORDER BY id LIMIT ?`,
        seenAt,
        afterId ?? "",
        Math.max(1, Math.floor(limit)),
      )
      .toArray()
      .map((row) => row.id);
  }

  /**
   * Deletes every indexed candidate (e.g. before a full re-read). The sequence counter stays, so
   * rows written afterwards still sort after any checkpoint Talkdesk holds.
   */
  clear(): { removed: number } {
    return this.transact(() => ({ removed: this.removeWhere(`1 = 1`, []).removed }));
  }

  /**
   * Removes every row matching `where` (a condition on `dir_candidates`) with its keys, each logged as
   * `deleted` in id order, in a few statements whatever the count (a full pass may drop thousands).
   */
  private removeWhere(where: string, params: string[]): { removed: number; searchChanged: boolean } {
    preserveLatestRecordsWhere(this.sql, where, params);
    // One seq per removed row, after the counter's current value: numbered by the window function.
    // (Counted apart: `rowsWritten` also counts the log's index entries.)
    const count = this.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM dir_candidates WHERE ${where}`, ...params).one().n;
    if (count === 0) return { removed: 0, searchChanged: false };
    this.sql.exec(
      `INSERT INTO dir_changes (seq, candidate_id, event, occurred_at)
       SELECT (SELECT v FROM dir_meta WHERE k = 'seq') + ROW_NUMBER() OVER (ORDER BY id), id, 'deleted', ?
       FROM dir_candidates WHERE ${where}`,
      Date.now(),
      ...params,
    );
    this.sql.exec(`UPDATE dir_meta SET v = v + ? WHERE k = 'seq'`, count);
    const stale = `SELECT id FROM dir_candidates WHERE ${where}`;
    const phones = this.sql.exec(`DELETE FROM dir_phone_keys WHERE candidate_id IN (${stale})`, ...params).rowsWritten;
    const emails = this.sql.exec(`DELETE FROM dir_email_keys WHERE candidate_id IN (${stale})`, ...params).rowsWritten;
    const removed = this.sql.exec(`DELETE FROM dir_candidates WHERE ${where}`, ...params).rowsWritten;
    return { removed, searchChanged: phones + emails > 0 };
  }

  /** Hands out the next change sequence number (monotonic; shared by rows and change-log entries). */
  private nextSeq(): number {
    return this.sql.exec<{ v: number }>(`UPDATE dir_meta SET v = v + 1 WHERE k = 'seq' RETURNING v`).one().v;
  }
}

function parseExtras(text: string | null): IndexExtras | null {
  return text === null ? null : (JSON.parse(text) as IndexExtras);
}
