/**
 * The Match API's listing (contract §2) as SQL: keyset pages ordered by (event time, GUID), served
 * from the events table's primary key (kind, at, id) or, without a DateTimeRange, from the candidates'
 * (created_at, id) index — never a scan-and-sort, so paging 10,000 candidates stays cheap.
 */

import { parseInstant } from "./time";
import type { EventKind, IdsRequest } from "./upstream-schemas";
import { DEFAULT_PAGE_SIZE } from "./upstream-schemas";

/** "all" = no DateTimeRange: every current candidate by creation time. */
export type ListingKind = EventKind | "all";

export interface Position {
  at: number;
  id: string;
}

/**
 * Cursors are opaque to clients (base64url). Inside: the listing they belong to and the last
 * (time, id) of the page, so a cursor replayed against another listing is refused, not misread.
 */
export function encodeCursor(kind: ListingKind, pos: Position): string {
  return btoa(`v1|${kind}|${pos.at}|${pos.id}`).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function decodeCursor(kind: ListingKind, cursor: string): Position | null {
  let text: string;
  try {
    text = atob(cursor.replace(/-/g, "+").replace(/_/g, "/"));
  } catch {
    return null;
  }
  const [version, k, at, ...rest] = text.split("|");
  const id = rest.join("|");
  if (version !== "v1" || k !== kind || !/^\d+$/.test(at ?? "") || !id) return null;
  return { at: Number(at), id };
}

export interface ListingQuery {
  sql: string;
  params: Array<string | number>;
  kind: ListingKind;
  pageSize: number;
}

/** Builds the page query (one row more than the page, to know whether another page follows). */
export function listingQuery(request: IdsRequest, after: Position | null): ListingQuery {
  const range = request.DateTimeRange;
  const kind: ListingKind = range ? range.Event : "all";
  const pageSize = request.PageSize ?? DEFAULT_PAGE_SIZE;
  const where: string[] = [];
  const params: Array<string | number> = [];
  let sql: string;
  if (range) {
    sql = "SELECT e.id AS id, e.at AS at FROM events e JOIN candidates c ON c.id = e.id";
    where.push("e.kind = ?", "e.at >= ?", "e.at <= ?");
    params.push(range.Event, parseInstant(range.From)!, parseInstant(range.To)!);
    if (after) {
      where.push("(e.at, e.id) > (?, ?)");
      params.push(after.at, after.id);
    }
  } else {
    sql = "SELECT c.id AS id, c.created_at AS at FROM candidates c";
    where.push("c.deleted_at IS NULL");
    if (after) {
      where.push("(c.created_at, c.id) > (?, ?)");
      params.push(after.at, after.id);
    }
  }
  // NULL lifecycle/source is never excluded: `NOT IN` alone would drop those rows too.
  if (request.ExcludeLifeCycles?.length) {
    where.push(`(c.lifecycle IS NULL OR c.lifecycle NOT IN (${request.ExcludeLifeCycles.map(() => "?").join(",")}))`);
    params.push(...request.ExcludeLifeCycles);
  }
  if (request.ExcludeSources?.length) {
    where.push(`(c.source IS NULL OR c.source NOT IN (${request.ExcludeSources.map(() => "?").join(",")}))`);
    params.push(...request.ExcludeSources);
  }
  const order = range ? "ORDER BY e.at, e.id" : "ORDER BY c.created_at, c.id";
  sql += ` WHERE ${where.join(" AND ")} ${order} LIMIT ?`;
  params.push(pageSize + 1);
  return { sql, params, kind, pageSize };
}
