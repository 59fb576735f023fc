import type { PhoneProbes } from "../phone/match";

/**
 * The read statements of the directory index, kept apart from the store so that a test can run
 * `EXPLAIN QUERY PLAN` on exactly the SQL production runs. All values are bound parameters.
 */

/** A statement with its bindings. */
export interface BoundQuery {
  sql: string;
  params: (string | number)[];
}

/** Durable Object SQLite binds at most 100 parameters per statement. */
export const MAX_BOUND_PARAMS = 100;

/** Level tags used inside the phone search (0 = exact, 1 = national, 2 = partial). */
export const LEVEL_EXACT = 0;
export const LEVEL_NATIONAL = 1;
export const LEVEL_PARTIAL = 2;

/**
 * One statement for a whole phone search: each probe is its own SELECT over one indexed column (so each
 * is an index search, never a scan), the union is reduced to one row per candidate at its best level,
 * then ranked (level, lower-cased name, id) and capped. Null when the probes cannot match anything.
 */
export function phoneSearchQuery(probes: PhoneProbes, limit: number): BoundQuery | null {
  const parts: string[] = [];
  const params: (string | number)[] = [];
  if (probes.exact !== null) {
    parts.push(`SELECT candidate_id, ${LEVEL_EXACT} AS level FROM dir_phone_keys WHERE e164 = ?`);
    params.push(probes.exact);
  }
  if (probes.national !== null) {
    // `e164 <> ?` leaves the same-E.164 rows to the exact probe; with the exact probe absent there is
    // nothing to exclude (a query without E.164 never builds a national probe).
    parts.push(`SELECT candidate_id, ${LEVEL_NATIONAL} AS level FROM dir_phone_keys WHERE nsn = ? AND e164 <> ?`);
    params.push(probes.national, probes.exact ?? "");
  }
  if (probes.storedSuffixOfQuery.length > 0) {
    const marks = probes.storedSuffixOfQuery.map(() => "?").join(", ");
    parts.push(`SELECT candidate_id, ${LEVEL_PARTIAL} AS level FROM dir_phone_keys WHERE rnsn IN (${marks})`);
    params.push(...probes.storedSuffixOfQuery);
  }
  if (probes.queryPrefixRange !== null) {
    parts.push(`SELECT candidate_id, ${LEVEL_PARTIAL} AS level FROM dir_phone_keys WHERE rnsn > ? AND rnsn < ?`);
    params.push(probes.queryPrefixRange.from, probes.queryPrefixRange.to);
  }
  if (parts.length === 0) return null;
  params.push(limit);
  const sql =
    `SELECT c.record AS record, h.level AS level FROM ` +
    `(SELECT candidate_id, MIN(level) AS level FROM (${parts.join(" UNION ALL ")}) GROUP BY candidate_id) AS h ` +
    `JOIN dir_candidates AS c ON c.id = h.candidate_id ` +
    `ORDER BY h.level, c.sort_name, c.id LIMIT ?`;
  return { sql, params };
}

/** Exact, case-insensitive email search (the key is already normalized by `emailKey`). */
export function emailSearchQuery(key: string, limit: number): BoundQuery {
  return {
    sql:
      `SELECT c.record AS record FROM dir_email_keys AS e JOIN dir_candidates AS c ON c.id = e.candidate_id ` +
      `WHERE e.email = ? ORDER BY c.sort_name, c.id LIMIT ?`,
    params: [key, limit],
  };
}

/** Talkdesk contact paging: rows with `afterSeq < seq ≤ highWater`, ascending. */
export function changesQuery(afterSeq: number, highWater: number, limit: number): BoundQuery {
  return {
    sql: `SELECT seq, record, extras FROM dir_candidates WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?`,
    params: [afterSeq, highWater, limit],
  };
}

/** One row by id. */
export function entryQuery(id: string): BoundQuery {
  return {
    sql: `SELECT record, extras, seq, seen_at, updated_at FROM dir_candidates WHERE id = ?`,
    params: [id],
  };
}

/** Splits rows into chunks whose bound parameters stay within `MAX_BOUND_PARAMS`. */
export function chunkRows<T>(rows: readonly T[], paramsPerRow: number): T[][] {
  const size = Math.max(1, Math.floor(MAX_BOUND_PARAMS / paramsPerRow));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}
