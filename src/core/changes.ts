/**
 * The change feed (docs/contracts/v1-api.md, "Changes and webhooks") for every caller: pages of the
 * tenant directory's change log (src/directory/change-log.ts) behind opaque, tamper-evident cursors.
 *
 * A cursor is `<payload>.<mac>`, both base64url: the payload is the feed position (version, mode, seqs)
 * and the mac an HMAC-SHA256 of it under a key derived from CREDENTIALS_KEY and the tenant id. So a cursor
 * survives restarts and deploys (it names a position in the tenant's durable log, not a session), and one
 * the bridge did not issue — edited, made up, or another tenant's — fails the check: `400`.
 */
import type { ChangeEntry, FeedPosition } from "../directory/change-log";
import type { Person } from "../domain/person";
import { base64Decode, base64UrlEncode } from "../platform/crypto";
import { AppError } from "../platform/errors";
import { isoUtc } from "../platform/time";
import { candidateUrl } from "../tenants/settings";
import type { Tenant } from "../tenants/types";
import type { Services } from "./services";

/** The contract's page size bounds. */
export const CHANGES_DEFAULT_LIMIT = 100;
export const CHANGES_MAX_LIMIT = 500;

/** The event names of the contract. */
export const CANDIDATE_EVENTS = ["candidate.created", "candidate.updated", "candidate.deleted"] as const;
export type CandidateEvent = (typeof CANDIDATE_EVENTS)[number];

/** One change as the feed (and a webhook body) shows it: `candidate` is absent on delete, never null. */
export interface ChangeItem {
  event: CandidateEvent;
  id: string;
  occurred_at: string;
  candidate?: Person;
}

/** `GET /v1/changes` answer. */
export interface ChangesPage {
  data: ChangeItem[];
  next_cursor: string;
  has_more: boolean;
}

/** What a caller asks for: a cursor, or the beginning, or neither ("now"). */
export interface ChangesQuery {
  cursor?: string;
  fromBeginning?: boolean;
  limit?: number;
}

const CURSOR_VERSION = 1;
/** 128 bits of MAC: forging one takes 2^128 tries; the cursor stays short. */
const MAC_BYTES = 16;
const encoder = new TextEncoder();

/** The tenant's cursor key: HMAC-SHA256(CREDENTIALS_KEY, label ‖ tenant id), so keys differ per tenant. */
async function cursorKey(credentialsKey: string, tenantId: string): Promise<CryptoKey> {
  const root = await crypto.subtle.importKey("raw", base64Decode(credentialsKey.trim()), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  const derived = await crypto.subtle.sign("HMAC", root, encoder.encode(`bridge/change-cursor/v1\u0000${tenantId}`));
  return crypto.subtle.importKey("raw", derived, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
}

/** Encodes and signs a feed position for this tenant. */
export async function encodeCursor(credentialsKey: string, tenantId: string, position: FeedPosition): Promise<string> {
  const fields = position.mode === "log" ? [CURSOR_VERSION, "l", position.after] : [CURSOR_VERSION, "s", position.after, position.high];
  const payload = base64UrlEncode(encoder.encode(JSON.stringify(fields)));
  const key = await cursorKey(credentialsKey, tenantId);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(payload))).slice(0, MAC_BYTES);
  return `${payload}.${base64UrlEncode(mac)}`;
}

const isSeq = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;

/** The position a cursor names, or null when the bridge did not issue it for this tenant. */
export async function decodeCursor(credentialsKey: string, tenantId: string, cursor: string): Promise<FeedPosition | null> {
  const [payload, macText, ...rest] = cursor.split(".");
  if (!payload || !macText || rest.length > 0 || !/^[\w-]+$/.test(payload) || !/^[\w-]+$/.test(macText)) return null;
  let mac: Uint8Array;
  try {
    mac = base64Decode(macText);
  } catch {
    return null;
  }
  if (mac.length !== MAC_BYTES) return null;
  const key = await cursorKey(credentialsKey, tenantId);
  const expected = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(payload))).slice(0, MAC_BYTES);
  if (!crypto.subtle.timingSafeEqual(expected, mac)) return null;
  let fields: unknown;
  try {
    fields = JSON.parse(new TextDecoder().decode(base64Decode(payload)));
  } catch {
    return null;
  }
  if (!Array.isArray(fields) || fields[0] !== CURSOR_VERSION) return null;
  if (fields[1] === "l" && fields.length === 3 && isSeq(fields[2])) return { mode: "log", after: fields[2] };
  if (fields[1] === "s" && fields.length === 4 && isSeq(fields[2]) && isSeq(fields[3])) {
    return { mode: "snapshot", after: fields[2], high: fields[3] };
  }
  return null;
}

/** A log entry as the contract shows it; the link template applies at read time, as in search. */
export function changeItem(tenant: Tenant, entry: ChangeEntry): ChangeItem {
  const item: ChangeItem = { event: `candidate.${entry.event}`, id: entry.id, occurred_at: isoUtc(entry.occurredAt) };
  if (entry.event !== "deleted" && entry.person) item.candidate = { ...entry.person, url: candidateUrl(tenant.settings, entry.id) };
  return item;
}

/**
 * One page of the feed. No cursor: an empty page whose cursor means "now"; `fromBeginning`: a snapshot
 * of every live candidate as `candidate.created`, then the changes made since it began.
 * @throws AppError `400` for a cursor the bridge did not issue (to this tenant), `410` past retention.
 */
export async function listChanges(s: Services, query: ChangesQuery): Promise<ChangesPage> {
  const limit = Math.min(CHANGES_MAX_LIMIT, Math.max(1, query.limit ?? CHANGES_DEFAULT_LIMIT));
  const tenantId = s.tenant.id;
  let position: FeedPosition;
  if (query.cursor !== undefined) {
    const decoded = await decodeCursor(s.credentialsKey, tenantId, query.cursor);
    if (!decoded)
      throw new AppError("bad_request", "The cursor was not issued by this API for this tenant; use a next_cursor as it was returned.", {
        errors: [{ field: "cursor", message: "Not a cursor this API issued to this tenant." }],
      });
    position = decoded;
  } else if (query.fromBeginning) {
    position = { mode: "snapshot", after: 0, high: await s.directory.feedNow() };
  } else {
    const now = await s.directory.feedNow();
    return { data: [], next_cursor: await encodeCursor(s.credentialsKey, tenantId, { mode: "log", after: now }), has_more: false };
  }
  const page = await s.directory.feedPage(position, limit);
  if (page.kind === "expired") {
    throw new AppError("gone", "The cursor is older than the change log's retention (at least 7 days); start again with from=beginning.");
  }
  return {
    data: page.entries.map((entry) => changeItem(s.tenant, entry)),
    next_cursor: await encodeCursor(s.credentialsKey, tenantId, page.next),
    has_more: page.hasMore,
  };
}
