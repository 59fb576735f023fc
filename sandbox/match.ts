/**
 * The Match API's listing (docs/contracts/talemetry-upstream.md §2): keyset pages ordered by
 * (event time, GUID), merged from two sorted sources —
 *
 * - stored rows, in SQL: the events table's primary key (kind, at, id) or, without a DateTimeRange, the
 *   candidates' (created_at, id) index — never a scan-and-sort;
 * - derived (seeded) candidates, enumerated in time order slot by slot (seed-plan.ts): candidate j's
 *   `created` in slot j, its updates and deletion in slots j + λ.
 *
 * The exclusion filters of a derived candidate use its stored override when it has one.
 */

import type { SeedPlan } from "./seed-plan";
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

export interface Window {
  kind: ListingKind;
  /** Inclusive bounds (ms); ±Infinity without a DateTimeRange. */
  from: number;
  to: number;
  after: Position | null;
}

export function listingWindow(request: IdsRequest, after: Position | null): Window {
  const range = request.DateTimeRange;
  if (!range) return { kind: "all", from: -Infinity, to: Infinity, after };
  return { kind: range.Event, from: parseInstant(range.From)!, to: parseInstant(range.To)!, after };
}

/** (at, id) order, ids compared like SQLite's default BINARY collation (GUIDs are ASCII). */
export function comparePositions(a: Position, b: Position): number {
  if (a.at !== b.at) return a.at - b.at;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** A derived candidate's event, with what the exclusion filters need. */
export interface DerivedEvent extends Position {
  index: number;
  lifecycle: string | null;
  source: string | null;
}

/**
 * Derived candidates' events of one listing in (time, GUID) order, strictly after `window.after`. For
 * `all`, derived deletions are skipped here; stored overrides are the caller's business.
 */
export function* derivedEvents(plan: SeedPlan, window: Window): Generator<DerivedEvent> {
  if (plan.generated === 0) return;
  const { kind, from, to, after } = window;
  const startMs = Math.max(from, after?.at ?? -Infinity);
  const first = Number.isFinite(startMs) ? plan.slotOf(Math.floor(startMs / 1000)) : 0;
  const wanted = (e: Position) => e.at >= from && e.at <= to && (after === null || comparePositions(e, after) > 0);
  if (kind === "all" || kind === "created") {
    for (let j = first; j < plan.generated; j++) {
      const s = plan.skeleton(j);
      if (s.createdAt > to) return;
      if (kind === "all" && s.deletedAt !== null) continue;
      const event = { at: s.createdAt, id: s.id, index: j, lifecycle: s.lifecycle, source: s.source };
      if (wanted(event)) yield event;
    }
    return;
  }
  for (let slot = first; slot < plan.eventSlots && plan.slotStart(slot) * 1000 <= to; slot++) {
    const bucket: DerivedEvent[] = [];
    for (let q = 0; q < plan.lags.length; q++) {
      const j = slot - plan.lags[q];
      if (j < 0) break;
      if (j >= plan.generated) continue;
      let at: number | null;
      if (kind === "deleted") {
        const deletion = plan.deletion(j);
        at = deletion?.slot === slot ? deletion.at : null;
      } else at = plan.updateAt(j, q);
      if (at === null) continue;
      const s = plan.skeleton(j);
      bucket.push({ at, id: s.id, index: j, lifecycle: s.lifecycle, source: s.source });
    }
    bucket.sort(comparePositions);
    for (const event of bucket) if (wanted(event)) yield event;
  }
}

/** The stored state that overrides a derived candidate in a listing. */
export interface OverrideState {
  deleted: boolean;
  lifecycle: string | null;
  source: string | null;
}

/** Whether a candidate with this lifecycle and source passes the request's exclusion lists. */
export function passesExclusions(request: IdsRequest, lifecycle: string | null, source: string | null): boolean {
  // A candidate without a lifecycle or source is never excluded.
  if (lifecycle !== null && request.ExcludeLifeCycles?.includes(lifecycle)) return false;
  if (source !== null && request.ExcludeSources?.includes(source)) return false;
  return true;
}

/** Merges two (at, id)-sorted lists into the first `limit` positions, an event present in both once. */
export function mergePositions<T extends Position>(a: readonly T[], b: readonly T[], limit: number): T[] {
  const out: T[] = [];
  let i = 0;
  let k = 0;
  while (out.length < limit && (i < a.length || k < b.length)) {
    const order = i >= a.length ? 1 : k >= b.length ? -1 : comparePositions(a[i], b[k]);
    if (order <= 0) out.push(a[i++]);
    else out.push(b[k++]);
    if (order === 0) k++;
  }
  return out;
}

export interface ListingQuery {
  sql: string;
  params: Array<string | number>;
  kind: ListingKind;
  pageSize: number;
}

/**
 * Builds the stored rows' page query (one row more than the page, to know whether another page follows).
 * Stored events are those of created candidates and the writes to any candidate; without a
 * DateTimeRange, only candidates that are not derived (a derived one's override is listed through the
 * derivation, in its place).
 */
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
    where.push("c.deleted_at IS NULL", "c.idx IS NULL");
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
