/**
 * The contract's operations on one account's data (contract §1–§5, §7), run inside its Durable Object.
 * Requests arrive validated (upstream-schemas.ts); answers are `Reply`s in the contract's format.
 */
import type { AccountStore } from "./account-store";
import { e164Parts, replaceContact, USE_PLACEMENT } from "./contact";
import { findUser } from "./demo-data";
import { decodeCursor, encodeCursor, listingWindow } from "./match";
import { Rng, uuidV1 } from "./prng";
import type { ProfileSources } from "./profiles";
import { emptyRecord, type NoteRecord } from "./records";
import { renderCandidate } from "./render-hrxml";
import { fail, ok, type Reply } from "./reply";
import { sameDigest } from "./secure";
import { noteTime, parseInstant } from "./time";
import { mintToken } from "./tokens";
import { type ContactPatch, DEFAULT_PAGE_SIZE, type IdsRequest, type NoteCreate, type PersonCreate } from "./upstream-schemas";

export interface AuthorizeResult {
  reply: Reply;
  /** Set when a token was issued, for the Worker to register (token → account). */
  token?: string;
  expiresAt?: number;
}

/**
 * §1: a token for valid credentials, with the account's configured lifetime. The account keeps only the
 * SHA-256 of its secret key (issued once by POST /__control/accounts); the presented key's digest is
 * compared in constant time. Synchronous on purpose: an await here would let another request (a
 * revoke) run between the check and storing the token.
 */
export function authorize(store: AccountStore, secretSha256: string, now: number): AuthorizeResult {
  if (!sameDigest(secretSha256, store.secretSha256())) {
    return { reply: fail(401, "invalid_credentials", "Invalid client id or secret key") };
  }
  const ttl = store.settings().tokenTtlSeconds;
  const token = mintToken(now);
  const expiresAt = now + ttl * 1000;
  store.storeToken(token, expiresAt, now);
  return { reply: ok({ token, expires_in: ttl }), token, expiresAt };
}

/** §2: one keyset page of GUIDs. */
export function listIds(store: AccountStore, request: IdsRequest): Reply {
  const kind = request.DateTimeRange?.Event ?? "all";
  if ((kind === "updated" || kind === "deleted") && !store.settings().trackCandidateLastChanges) {
    // What Talemetry answers here is not documented (only that the feature must be on): assumed a 403.
    return fail(403, "feature_disabled", `Event '${kind}' needs the track_candidate_last_changes feature`);
  }
  const after = request.Cursor ? decodeCursor(kind, request.Cursor) : null;
  if (request.Cursor && !after) return fail(422, "invalid", "Cursor is not one this listing returned");
  const pageSize = request.PageSize ?? DEFAULT_PAGE_SIZE;
  const rows = store.listing(request, listingWindow(request, after), pageSize + 1);
  const more = rows.length > pageSize;
  const page = more ? rows.slice(0, pageSize) : rows;
  return ok({ Ids: page.map((r) => r.id), Cursor: more ? encodeCursor(kind, page[page.length - 1]) : null });
}

/**
 * §3, this object's part: what the Worker needs to answer a profiles call (profiles.ts) — the seed the
 * account's seeded candidates derive from, the stored rows among the ids, and the answer's shape.
 * Deriving and rendering happen in the Worker, so concurrent calls do not queue behind each other here.
 */
export function profileSources(store: AccountStore, ids: readonly string[]): ProfileSources {
  return { seed: store.plan().config, stored: store.storedRecords(ids), singleAsObject: store.settings().singleCandidateAsObject };
}

const notFound = (id: string) => fail(404, "not_found", `No candidate ${id}`);

/** §4: replaces the lists given; emails must not belong to another candidate (Talemetry merges by email). */
export function patchContact(store: AccountStore, id: string, patch: ContactPatch, now: number): Reply {
  const row = store.load(id);
  if (!row) return notFound(id);
  const emails = patch.emails ? dedupeEmails(patch.emails) : undefined;
  if (emails) {
    const taken = store.emailOwner(emails, id);
    if (taken) return fail(409, "conflict", `Email ${taken.email} already belongs to another candidate`);
  }
  const phones = patch.phones?.map((p) => ({ ...USE_PLACEMENT[p.use], parts: e164Parts(p.number)! }));
  const record = { ...row.record, contact: replaceContact(row.record.contact, { emails, phones }) };
  store.save(row, record, now);
  return ok(renderCandidate(record, new Set()));
}

function dedupeEmails(emails: readonly string[]): string[] {
  const seen = new Set<string>();
  return emails.filter((e) => {
    const key = e.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** §5: appends a note with a new id; the author is stored as the user's own spelling of the email. */
export function createNote(store: AccountStore, id: string, input: NoteCreate, now: number): Reply {
  const row = store.load(id);
  if (!row) return notFound(id);
  const note: NoteRecord = {
    Id: crypto.randomUUID(),
    Text: input.Text,
    DateTime: noteTime(input.DateTime ? parseInstant(input.DateTime)! : now),
    AuthorEmail: findUser(input.AuthorEmail)!.Email,
  };
  store.save(row, { ...row.record, notes: [...row.record.notes, note] }, now);
  return ok({ Note: note }, 201);
}

/** §5: changes a note's text. */
export function updateNote(store: AccountStore, id: string, noteId: string, text: string, now: number): Reply {
  const row = store.load(id);
  if (!row) return notFound(id);
  const index = row.record.notes.findIndex((n) => n.Id === noteId);
  if (index < 0) return fail(404, "not_found", `No note ${noteId} on candidate ${id}`);
  const note = { ...row.record.notes[index], Text: text };
  const notes = row.record.notes.map((n, i) => (i === index ? note : n));
  store.save(row, { ...row.record, notes }, now);
  return ok({ Note: note });
}

/**
 * §7: a new candidate with a new UUID v1, its `created` event at `now` (so the Match API lists it), and
 * the contact placed as §4 places it. Talemetry merges by email: an email that already belongs to a
 * current candidate is a 409 naming that candidate in `existing_id`, and nothing is created.
 */
export function createPerson(store: AccountStore, input: PersonCreate, now: number): Reply {
  const emails = dedupeEmails(input.emails ?? []);
  // No candidate has the empty id: every owner counts.
  const owner = store.emailOwner(emails, "");
  if (owner) return fail(409, "conflict", "An email of the new candidate already belongs to a candidate", { existing_id: owner.id });
  const id = uuidV1(new Rng(crypto.randomUUID()), now);
  const given = input.GivenName || null;
  const family = input.FamilyName || null;
  const record = {
    ...emptyRecord(id),
    name: { formatted: [given, family].filter(Boolean).join(" "), given, family },
    contact: replaceContact([], {
      emails,
      phones: (input.phones ?? []).map((p) => ({ ...USE_PLACEMENT[p.use], parts: e164Parts(p.number)! })),
    }),
    source: input.Source || null,
  };
  store.create({ record, createdAt: now, updatedAt: [], deletedAt: null });
  return ok(renderCandidate(record, new Set()), 201);
}
