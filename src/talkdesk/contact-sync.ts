/**
 * Contact sync (docs/contracts/talkdesk-bridge.md §2, "Paging scheme"): the
 * opaque `next_offset` and `synchronization_checkpoint` strings Talkdesk stores and sends back, the
 * page plan that follows from them, and the response. Directory rows carry a change sequence number;
 * a run fixes its high-water mark `H` on its first page; pages return rows with `after < seq ≤ H`
 * ascending; every page's checkpoint is `H`.
 */
import type { Person } from "../domain/person";
import { type TalkdeskContact, toTalkdeskContact } from "./mapping";

/** A decoded `next_offset`: the run's high-water mark and the last sequence already sent. */
export interface ContactOffset {
  highWater: number;
  lastSeq: number;
}

// Canonical decimal only (no sign, no leading zeros, at most 16 digits), so that one offset has one
// spelling and anything else — including offsets from another scheme — is refused.
const SEQ = "(0|[1-9]\\d{0,15})";
const OFFSET = new RegExp(`^v1\\.${SEQ}\\.${SEQ}$`);
const CHECKPOINT = new RegExp(`^seq:${SEQ}$`);

function isSeq(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

/** `{highWater: 1042, lastSeq: 980}` → `"v1.1042.980"`. Throws `RangeError` on impossible values. */
export function encodeContactOffset(offset: ContactOffset): string {
  if (!isSeq(offset.highWater) || !isSeq(offset.lastSeq) || offset.lastSeq > offset.highWater) {
    throw new RangeError("contact offset needs safe integers with 0 ≤ lastSeq ≤ highWater");
  }
  return `v1.${offset.highWater}.${offset.lastSeq}`;
}

/** Strict inverse of `encodeContactOffset`; null for anything it could not have produced. */
export function decodeContactOffset(text: unknown): ContactOffset | null {
  if (typeof text !== "string") return null;
  const m = OFFSET.exec(text);
  if (!m) return null;
  const highWater = Number(m[1]);
  const lastSeq = Number(m[2]);
  if (!isSeq(highWater) || !isSeq(lastSeq) || lastSeq > highWater) return null;
  return { highWater, lastSeq };
}

/** `1042` → `"seq:1042"`. Throws `RangeError` on a negative or unsafe value. */
export function encodeCheckpoint(seq: number): string {
  if (!isSeq(seq)) throw new RangeError("checkpoint needs a safe non-negative integer");
  return `seq:${seq}`;
}

/** Strict inverse of `encodeCheckpoint`; null for anything else (e.g. another integration's date). */
export function decodeCheckpoint(text: unknown): number | null {
  if (typeof text !== "string") return null;
  const m = CHECKPOINT.exec(text);
  if (!m) return null;
  const seq = Number(m[1]);
  return isSeq(seq) ? seq : null;
}

/** What the contact-sync route should read: rows with `after < seq ≤ highWater`, ascending. */
export type ContactPagePlan =
  | {
      ok: true;
      /** Exclusive lower bound; `-1` on a full sync, so that a row with sequence 0 is included. */
      after: number;
      /** The run's high-water mark; null on a run's first page: fix it now (the directory's current maximum). */
      highWater: number | null;
      /** True when the run restarts from the beginning although Talkdesk sent a checkpoint. */
      fullResync: boolean;
    }
  | { ok: false; message: string };

const FULL_SYNC_AFTER = -1;

/**
 * Turns a contact-sync request's `meta` (validated by `contactsRequestSchema`) into the rows to read.
 *
 * - An offset this bridge did not issue is a `400`: guessing a position could skip or repeat rows.
 * - A checkpoint it cannot read means a full resync: Talkdesk gets everything again, which costs time
 *   but never skips a record — an incremental run from a misread checkpoint would silently do so.
 *   (A checkpoint above the directory's current maximum is caught by `buildContactPage`.)
 */
export function planContactPage(meta: { synchronization_checkpoint?: string; offset?: string }): ContactPagePlan {
  if (meta.offset !== undefined) {
    const offset = decodeContactOffset(meta.offset);
    if (!offset) return { ok: false, message: "meta.offset is not an offset this bridge issued" };
    return { ok: true, after: offset.lastSeq, highWater: offset.highWater, fullResync: false };
  }
  if (meta.synchronization_checkpoint === undefined) {
    return { ok: true, after: FULL_SYNC_AFTER, highWater: null, fullResync: false };
  }
  const checkpoint = decodeCheckpoint(meta.synchronization_checkpoint);
  if (checkpoint === null) return { ok: true, after: FULL_SYNC_AFTER, highWater: null, fullResync: true };
  return { ok: true, after: checkpoint, highWater: null, fullResync: false };
}

/** One directory row as the directory's `changes()` returns it. */
export interface ContactRow {
  seq: number;
  person: Person;
  extras: { address?: string | null; websites?: readonly string[] } | null;
}

/** The contact retriever's response body (§2). */
export interface TalkdeskContactPage {
  next_offset?: string;
  synchronization_checkpoint: string;
  contacts: TalkdeskContact[];
}

export type ContactPageOutcome =
  | { restart: false; body: TalkdeskContactPage }
  /** Read again with this plan (then build again): see `buildContactPage`. */
  | { restart: true; plan: Extract<ContactPagePlan, { ok: true }> };

/**
 * Builds the response from the rows read for `plan`. Ask the directory for `pageSize + 1` rows: the
 * extra row only tells whether more remain (`next_offset` then points after the last row sent), so a
 * page is never presented as the last one while rows remain.
 *
 * On a run's first page, a checkpoint above the directory's high-water mark means the directory was
 * rebuilt and its sequences restarted: an incremental run would skip every row until the sequence
 * caught up, so the outcome is `restart` with a full-sync plan for the same high-water mark.
 */
export function buildContactPage(
  plan: Extract<ContactPagePlan, { ok: true }>,
  page: { highWater: number; rows: readonly ContactRow[] },
  pageSize: number,
): ContactPageOutcome {
  if (plan.highWater === null && plan.after > page.highWater) {
    return { restart: true, plan: { ok: true, after: FULL_SYNC_AFTER, highWater: page.highWater, fullResync: true } };
  }
  const highWater = plan.highWater ?? page.highWater;
  const size = Math.max(1, Math.floor(pageSize));
  // Defensive: whatever the directory returned, only the plan's window, ascending, ever goes out.
  const rows = page.rows.filter((r) => r.seq > plan.after && r.seq <= highWater).sort((a, b) => a.seq - b.seq);
  const sent = rows.slice(0, size);
  const body: TalkdeskContactPage = {
    synchronization_checkpoint: encodeCheckpoint(highWater),
    contacts: sent.map((r) => toTalkdeskContact(r.person, { address: r.extras?.address ?? null, websites: r.extras?.websites ?? [] })),
  };
  if (rows.length > size) {
    return { restart: false, body: { next_offset: encodeContactOffset({ highWater, lastSeq: sent[sent.length - 1]!.seq }), ...body } };
  }
  return { restart: false, body };
}
