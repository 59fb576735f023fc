import type { Person } from "../domain/person";
import { personPhoneKeys } from "../phone/match";
import { type ChangeEvent, logChanges, preserveLatestRecord } from "./change-log";
import { canonicalJson, emailKey, hash64 } from "./index-keys";
import type { IndexExtras, IndexUpsertResult } from "./index-store";
import { execForIds, insertRows } from "./sql-batch";

/**
 * The index's write path (`IndexStore.upsert`/`upsertMany`): a whole sync page in a handful of statements
 * rather than several per candidate. The rows are read once, the content decisions are made in JS, the
 * page's sequence numbers are handed out from one read of the counter (the object is single-threaded and
 * the caller runs this in one transaction, so nothing else can take a number meanwhile) and written back
 * once, and new rows, change-log entries and keys go in as multi-row INSERTs. The numbering, the log and
 * the search-invalidation answers are exactly those of writing the entries one by one, in order.
 */

/** One candidate to write; `extras` undefined keeps the stored extras, null clears them. */
export interface WriteEntry {
  person: Person;
  extras?: IndexExtras | null;
}

interface StoredRow extends Record<string, SqlStorageValue> {
  id: string;
  record: string;
  extras: string | null;
  hash: string;
  contact_hash: string;
  seq: number;
  /** The seq of the row's latest change-log entry (see schema migration 2). */
  feed_seq: number;
}

/** Writes `entries` in order (see the module comment); one result per entry. Throws before writing on an entry without id. */
export function writeEntries(
  sql: SqlStorage,
  tenantRegion: string | null,
  entries: readonly WriteEntry[],
  seenAt: string,
): IndexUpsertResult[] {
  for (const { person } of entries) {
    if (typeof person?.id !== "string" || person.id === "") throw new TypeError("IndexStore.upsert: person.id is required");
  }
  const ids = entries.map((e) => e.person.id);
  // A page naming a candidate twice: its second write must see its first, so write one by one.
  if (new Set(ids).size !== ids.length) return entries.flatMap((entry) => writeEntries(sql, tenantRegion, [entry], seenAt));

  const stored = new Map<string, StoredRow>();
  const read = execForIds<StoredRow>(
    sql,
    `SELECT id, record, extras, hash, contact_hash, seq, COALESCE(feed_seq, seq) AS feed_seq FROM dir_candidates WHERE id IN ($IDS)`,
    ids,
  );
  for (const row of read.rows) stored.set(row.id, row);

  const counter = sql.exec<{ v: number }>(`SELECT v FROM dir_meta WHERE k = 'seq'`).one().v;
  let seq = counter;
  const at = Date.now();
  const seenOnly: string[] = [];
  const inserts: SqlStorageValue[][] = [];
  const logged: [number, string, ChangeEvent][] = [];
  const rekeyed: string[] = [];
  const phoneRows: SqlStorageValue[][] = [];
  const emailRows: SqlStorageValue[][] = [];

  const results = entries.map(({ person, extras }): IndexUpsertResult => {
    const existing = stored.get(person.id);
    const extrasText = extras === undefined ? (existing?.extras ?? null) : extras === null ? null : canonicalJson(extras);
    const record = JSON.stringify(person);
    const hash = hash64(`${canonicalJson({ ...person, updated_at: undefined })}\u0000${extrasText ?? ""}`);
    const contactHash = hash64(canonicalJson({ emails: person.emails, phones: person.phones }));

    if (existing && existing.hash === hash) {
      // Nothing the record shows changed, so the stored record (its `updated_at` included) stands: sync
      // windows overlap, and a change seen again by the next window is no new change. Search answers,
      // which show the record, therefore stay valid too.
      seenOnly.push(person.id);
      return { changed: false, searchChanged: false, seq: existing.seq, logged: null };
    }

    seq += 1;
    const sortName = (person.name ?? "").toLowerCase();
    // The change log records changes of the /v1 record only: an extras-only change (a Talkdesk address)
    // moves `seq` for Talkdesk paging but is no `updated` event, and keeps `feed_seq`.
    const event = !existing ? "created" : sameContent(existing.record, person) ? null : "updated";
    if (existing) {
      if (event) preserveLatestRecord(sql, existing.feed_seq, existing.record);
      sql.exec(
        `UPDATE dir_candidates SET record = ?, extras = ?, hash = ?, contact_hash = ?, seq = ?, feed_seq = ?, sort_name = ?, seen_at = ?, updated_at = ? WHERE id = ?`,
        record,
        extrasText,
        hash,
        contactHash,
        seq,
        event ? seq : existing.feed_seq,
        sortName,
        seenAt,
        seenAt,
        person.id,
      );
    } else {
      inserts.push([person.id, record, extrasText, hash, contactHash, seq, seq, sortName, seenAt, seenAt]);
    }
    if (event) logged.push([seq, person.id, event]);

    let searchChanged: boolean;
    if (!existing || existing.contact_hash !== contactHash) {
      if (existing) rekeyed.push(person.id);
      const keyed = collectKeys(person, tenantRegion, phoneRows, emailRows);
      // A new candidate changes search results only if it is findable; an existing one whose contact
      // data changed may have left results (or changed what they show) even when it now has no keys.
      searchChanged = existing ? true : keyed;
    } else {
      // Same keys (this page touches no other entry of this id): results change when a findable
      // candidate's record does (not for extras alone).
      searchChanged = !sameRecord(existing.record, record, person) && findable(sql, person.id);
    }
    return { changed: true, searchChanged, seq, logged: event };
  });

  if (seenOnly.length > 0) execForIds(sql, `UPDATE dir_candidates SET seen_at = ? WHERE id IN ($IDS)`, seenOnly, { before: [seenAt] });
  insertRows(
    sql,
    `INSERT INTO dir_candidates (id, record, extras, hash, contact_hash, seq, feed_seq, sort_name, seen_at, updated_at)`,
    inserts,
  );
  logChanges(sql, logged, at);
  if (rekeyed.length > 0) {
    execForIds(sql, `DELETE FROM dir_phone_keys WHERE candidate_id IN ($IDS)`, rekeyed);
    execForIds(sql, `DELETE FROM dir_email_keys WHERE candidate_id IN ($IDS)`, rekeyed);
  }
  insertRows(sql, `INSERT OR IGNORE INTO dir_phone_keys (candidate_id, e164, nsn, rnsn, calling_code)`, phoneRows);
  insertRows(sql, `INSERT OR IGNORE INTO dir_email_keys (candidate_id, email)`, emailRows);
  if (seq !== counter) sql.exec(`UPDATE dir_meta SET v = ? WHERE k = 'seq'`, seq);
  return results;
}

/** Adds the person's phone and email key rows; true when it is findable by at least one. */
function collectKeys(person: Person, tenantRegion: string | null, phoneRows: SqlStorageValue[][], emailRows: SqlStorageValue[][]): boolean {
  const phones = personPhoneKeys(person.phones ?? [], tenantRegion);
  for (const k of phones) phoneRows.push([person.id, k.e164, k.nsn, k.rnsn, k.callingCode]);
  const emails = [...new Set((person.emails ?? []).map(emailKey).filter((e) => e !== ""))];
  for (const e of emails) emailRows.push([person.id, e]);
  return phones.length + emails.length > 0;
}

/** True when some phone or email key finds the candidate (the key tables are keyed by candidate first). */
function findable(sql: SqlStorage, id: string): boolean {
  return (
    sql
      .exec<{ n: number }>(
        `SELECT EXISTS(SELECT 1 FROM dir_phone_keys WHERE candidate_id = ?) + EXISTS(SELECT 1 FROM dir_email_keys WHERE candidate_id = ?) AS n`,
        id,
        id,
      )
      .one().n > 0
  );
}

/** Two stored records say the same (key order aside): same text, the common case, or same canonical JSON. */
function sameRecord(storedText: string, text: string, person: Person): boolean {
  return storedText === text || canonicalJson(JSON.parse(storedText)) === canonicalJson(person);
}

/** The stored record and `person` say the same apart from `updated_at` (when a change was seen, not a change). */
function sameContent(storedText: string, person: Person): boolean {
  return (
    canonicalJson({ ...(JSON.parse(storedText) as Person), updated_at: undefined }) === canonicalJson({ ...person, updated_at: undefined })
  );
}
