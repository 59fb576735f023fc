import { MATCH_RANK, type PhoneProbe } from "../phone/match";

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

/** Readings per level a rank can tell apart; a query has a handful (docs/phone-matching.md). */
const MAX_READINGS_PER_LEVEL = 32;

/**
 * Each probe's rank: `(level * 32 + reading) * 2 + (1 for a suffix range, else 0)`, where `reading` is
 * the probe's reading (`matchedAs`) in the query's order within its level. A candidate's lowest rank is
 * its best level and, within it, the query's best reading; `rank >> 1` orders results by both, so the
 * two suffix probes of one reading tie. Null for a probe past the readings a rank can tell apart.
 */
export function probeRanks(probes: readonly PhoneProbe[]): (number | null)[] {
  const readings = new Map<string, number>();
  const perLevel = [0, 0, 0];
  return probes.map((probe) => {
    const level = MATCH_RANK[probe.level];
    const key = `${level}|${probe.matchedAs}`;
    let reading = readings.get(key);
    if (reading === undefined) {
      reading = perLevel[level]!++;
      readings.set(key, reading);
    }
    if (reading >= MAX_READINGS_PER_LEVEL) return null;
    return (level * MAX_READINGS_PER_LEVEL + reading) * 2 + (probe.column === "rnsn_range" ? 1 : 0);
  });
}

/** One indexed condition of a probe with its rank. */
interface RankedTest {
  rank: number;
  /** SQL condition on one row of `dir_phone_keys`. */
  test: string;
  params: string[];
}

/**
 * One statement for a whole phone search, every reading at once. Durable Object SQLite allows only a few
 * terms in a compound SELECT, so the probes are grouped by column into at most four SELECTs (E.164,
 * national number, reversed-suffix list, reversed-suffix ranges), each an index search on its column,
 * never a scan. A row's rank is the lowest-ranked probe it satisfies (the `CASE` tries them in rank
 * order); the union is reduced to one row per candidate at its lowest rank, then ordered by level, the
 * query's reading (best first), lower-cased name and id, and capped. Null when there is nothing to
 * probe. The caller decodes `rank` with `probeRanks`.
 */
export function phoneSearchQuery(probes: readonly PhoneProbe[], limit: number): BoundQuery | null {
  const groups: Record<"e164" | "nsn" | "in" | "range", RankedTest[]> = { e164: [], nsn: [], in: [], range: [] };
  const ranks = probeRanks(probes);
  probes.forEach((probe, i) => {
    const rank = ranks[i];
    if (rank == null) return;
    if (probe.column === "e164") {
      groups.e164.push({ rank, test: "e164 = ?", params: [probe.value] });
    } else if (probe.column === "nsn") {
      groups.nsn.push({ rank, test: "nsn = ?", params: [probe.value] });
    } else if (probe.column === "rnsn_in") {
      for (const value of probe.values) groups.in.push({ rank, test: "rnsn = ?", params: [value] });
    } else {
      groups.range.push({ rank, test: "(rnsn > ? AND rnsn < ?)", params: [probe.from, probe.to] });
    }
  });

  const parts: string[] = [];
  const params: string[] = [];
  for (const tests of [groups.e164, groups.nsn, groups.in, groups.range]) {
    // Within the binding limit (the LIMIT takes one more); only the last, partial, probes could reach it.
    const cost = (t: RankedTest[]) => (t.length === 1 ? 1 : 2) * t.reduce((n, x) => n + x.params.length, 0);
    while (tests.length > 0 && params.length + cost(tests) >= MAX_BOUND_PARAMS) tests.pop();
    if (tests.length === 0) continue;
    if (tests.length === 1) {
      parts.push(`SELECT candidate_id, ${tests[0]!.rank} AS rank FROM dir_phone_keys WHERE ${tests[0]!.test}`);
      params.push(...tests[0]!.params);
      continue;
    }
    const cases = tests.map((t) => `WHEN ${t.test} THEN ${t.rank}`).join(" ");
    const where = tests === groups.in ? `rnsn IN (${tests.map(() => "?").join(", ")})` : tests.map((t) => t.test).join(" OR ");
    parts.push(`SELECT candidate_id, CASE ${cases} END AS rank FROM dir_phone_keys WHERE ${where}`);
    params.push(...tests.flatMap((t) => t.params), ...tests.flatMap((t) => t.params));
  }
  if (parts.length === 0) return null;
  const sql =
    `SELECT c.record AS record, h.rank AS rank FROM ` +
    `(SELECT candidate_id, MIN(rank) AS rank FROM (${parts.join(" UNION ALL ")}) GROUP BY candidate_id) AS h ` +
    `JOIN dir_candidates AS c ON c.id = h.candidate_id ` +
    `ORDER BY h.rank >> 1, c.sort_name, c.id LIMIT ?`;
  return { sql, params: [...params, limit] };
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
