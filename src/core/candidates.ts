/**
 * Reading, changing and creating one candidate (docs/contracts/v1-api.md, "Entities"), for every caller:
 * fresh from Talemetry through the adapter; a change or a new candidate is written to Talemetry, then
 * through to the tenant's directory so the next search finds the new phones and emails at once.
 */
import { canonicalJson } from "../directory/index-keys";
import { forgetSearchGeneration } from "../directory/search-cache";
import { emailKey } from "../domain/email";
import { type CandidateDetails, type Person, toPerson } from "../domain/person";
import { splitPersonName } from "../domain/person-name";
import { parsePhoneQuery } from "../phone/match";
import { knownRegion, resolvePhone } from "../phone/resolve";
import { sha256Hex } from "../platform/crypto";
import { AppError, type FieldError } from "../platform/errors";
import { isoUtc } from "../platform/time";
import { type ContactChange, type ContactUse, existingCandidateId, PERSON_INCLUDE } from "../talemetry";
import { candidateUrl } from "../tenants/settings";
import type { Tenant } from "../tenants/types";
import { releaseOutcome } from "./activities";
import { isCandidateId } from "./ids";
import type { Services } from "./services";

/** The phone types Talemetry can store (§4 `use`); `fax` and `pager` are read-only. */
export const WRITABLE_PHONE_TYPES = ["mobile", "home", "work", "other"] as const;

/** A phone type Talemetry can store. */
export type WritablePhoneType = (typeof WRITABLE_PHONE_TYPES)[number];

/** A change of a candidate's contact details: each list given replaces that list. */
export interface ContactInput {
  emails?: string[];
  /** `region`: the country of a national number (else the tenant's); `type` defaults to `other`. */
  phones?: Array<{ number: string; type?: WritablePhoneType; region?: string }>;
}

/** Options of `readCandidate`. */
export interface ReadCandidateOptions {
  /**
   * When the directory's phones or emails differ from this fresh read, write the read through. For
   * callers about to act on those lists — a Talkdesk `update_contact` retried after a write whose answer
   * was lost finds its change already in Talemetry, but that write's write-through never ran, and
   * searches would miss it until the next sync.
   */
  repairIndex?: boolean;
}

function personOf(tenant: Tenant, details: CandidateDetails, updatedAt: string | null): Person {
  // The link is tenant config, applied at read time (as search does) so a template change needs no re-index.
  return toPerson(details, { url: candidateUrl(tenant.settings, details.id), updatedAt });
}

/** The candidate as the bridge's index holds it; null when not indexed (or unreadable). */
async function indexedPerson(s: Services, id: string): Promise<Person | null> {
  try {
    return await s.directory.getIndexed(id);
  } catch (err) {
    s.logger.warn("directory read failed; updated_at unknown", { error: err });
    return null;
  }
}

/** True when the index holds the same emails and phones as Talemetry. */
function sameContact(indexed: Person, details: CandidateDetails): boolean {
  return JSON.stringify([indexed.emails, indexed.phones]) === JSON.stringify([details.emails, details.phones]);
}

/** Writes a candidate the bridge changed (or found changed) through to its directory; failures only logged. */
async function writeThrough(s: Services, details: CandidateDetails, at: string): Promise<void> {
  try {
    await s.directory.writeThrough(details, at);
  } catch (err) {
    forgetSearchGeneration(s.tenant.id);
    // Talemetry has the change; the next sync indexes it. Failing here would invite a needless retry.
    s.logger.warn("directory write-through failed; sync will catch up", { error: err, candidate_id: details.id });
    return;
  }
  // The object may have moved the search generation (it may run in another isolate): read it afresh.
  forgetSearchGeneration(s.tenant.id);
}

/**
 * An id that breaks the id rule (./ids.ts) names no candidate: `404` before any upstream call, whichever
 * caller let it through (each caller checks the rule at its own edge first, with its own message).
 */
function assertCandidateId(id: string): void {
  if (!isCandidateId(id)) throw new AppError("not_found", "No such candidate.");
}

/** The candidate fresh from Talemetry. @throws AppError `404` when Talemetry has no such candidate. */
export async function readCandidate(s: Services, id: string, options: ReadCandidateOptions = {}): Promise<Person> {
  assertCandidateId(id);
  const [found, indexed] = await Promise.all([s.talemetry.fetchProfiles([id], PERSON_INCLUDE), indexedPerson(s, id)]);
  const details = found.find((d) => d.id === id);
  if (!details) throw new AppError("not_found", "No such candidate.");
  if (options.repairIndex && (!indexed || !sameContact(indexed, details))) {
    const at = isoUtc(Date.now());
    await writeThrough(s, details, at);
    return personOf(s.tenant, details, at);
  }
  return personOf(s.tenant, details, indexed?.updated_at ?? null);
}

/**
 * The contact change to write, or a `422` naming every phone that breaks the contract's rule (possible
 * after resolving `+`/`00`, else the entry's region, else the tenant's) — checked before anything is
 * written. Extensions are refused rather than dropped: Talemetry stores E.164 only (§4).
 */
export function contactChangeOf(body: ContactInput, tenantRegion: string): ContactChange {
  const errors: FieldError[] = [];
  const change: ContactChange = {};
  if (body.emails !== undefined) {
    // Talemetry identifies candidates by email, case-insensitively: one spelling per address.
    const seen = new Set<string>();
    change.emails = body.emails.map((e) => e.trim()).filter((e) => !seen.has(e.toLowerCase()) && seen.add(e.toLowerCase()));
  }
  if (body.phones !== undefined) {
    const phones: NonNullable<ContactChange["phones"]> = [];
    body.phones.forEach((phone, i) => {
      // An unknown region is the region's fault, not the number's: name the field the caller sent.
      if (phone.region !== undefined && knownRegion(phone.region) === undefined) {
        errors.push({ field: `phones[${i}].region`, message: "Not an ISO 3166-1 alpha-2 country code the phone library knows." });
        return;
      }
      const region = phone.region?.toUpperCase() ?? tenantRegion;
      const resolved = resolvePhone(phone.number, region);
      if (!resolved) {
        errors.push({
          field: `phones[${i}].number`,
          message: `Not a possible phone number (read as international with + or 00, else in ${region}).`,
        });
      } else if (resolved.extension) {
        errors.push({ field: `phones[${i}].number`, message: "Talemetry stores no extensions; send the number without one." });
      } else {
        phones.push({ use: (phone.type ?? "other") satisfies ContactUse, number: resolved.e164 });
      }
    });
    change.phones = phones;
  }
  if (errors.length > 0) throw new AppError("invalid", "Some phones are invalid; nothing was changed.", { errors });
  return change;
}

/**
 * Replaces the given lists on the candidate and returns the updated record. Talemetry's answer to the
 * write carries the contact details; the rest of the record (employer, consent, do-not-contact) comes
 * from the read made first, which also turns an unknown candidate into a `404` before any write.
 * @throws AppError `422` (phones), `404`; Talemetry's conflict (email of another candidate) → `409`.
 */
export async function updateCandidateContact(s: Services, id: string, body: ContactInput): Promise<Person> {
  assertCandidateId(id);
  const change = contactChangeOf(body, s.tenant.region);
  if (change.emails === undefined && change.phones === undefined) return readCandidate(s, id);

  const [before] = await s.talemetry.fetchProfiles([id], PERSON_INCLUDE);
  if (!before || before.id !== id) throw new AppError("not_found", "No such candidate.");
  const written = await s.talemetry.updateContact(id, change);
  const at = isoUtc(Date.now());
  const details: CandidateDetails = {
    ...before,
    emails: written.emails,
    phones: written.phones,
    address: written.address ?? before.address,
  };
  await writeThrough(s, details, at);
  return personOf(s.tenant, details, at);
}

/** A new candidate, whoever asks for it (a Talkdesk agent's unknown caller, so far). */
export interface NewCandidateInput {
  /** The name as one line; split into given and family name (`splitPersonName`). */
  name: string;
  emails?: string[];
  /** Resolved by the contract's phone rule (`contactChangeOf`); `type` defaults to `other`. */
  phones?: Array<{ number: string; type?: WritablePhoneType; region?: string }>;
  /** Talemetry's `Source` label (§7), e.g. `talkdesk`. */
  source?: string | null;
}

/** Options of `createCandidate`: retry safety, as for `createActivity`. */
export interface CreateCandidateOptions {
  /** The caller's idempotency key (claimed in the tenant's Durable Object as given: prefix it per caller). */
  idempotencyKey?: string;
  /** Other keys naming the same request (looked up, never claimed). */
  previousIdempotencyKeys?: readonly string[];
  /** What a retry under the same key must equal (as canonical JSON); default: the input. */
  fingerprint?: unknown;
}

/** The candidate a create answered with. */
export interface CreatedCandidate {
  person: Person;
  /** False when a candidate with one of the phones or emails existed already and was answered instead. */
  created: boolean;
  /** True when an earlier request under the same key made this answer and this is it again. */
  replayed: boolean;
}

/** What a finished create's claim keeps (its answer, replayed to a retry). */
interface CreateAnswer {
  candidate_id: string;
  created: boolean;
}

/**
 * A recovery pages through the candidates Talemetry lists as created since the first attempt (oldest
 * first), a page of 500 at a time and at most this many pages: beyond them it cannot tell within one
 * request whether the lost create landed (see `landedCreate`).
 */
export const RECOVERY_PAGE_SIZE = 500;
export const RECOVERY_MAX_PAGES = 4;
/** The retry a refused recovery asks for: about one sync run, which indexes what landed. */
export const RECOVERY_RETRY_AFTER_SECONDS = 30;
/** Clock skew allowed between the bridge and Talemetry when looking for a create that landed. */
const RECOVERY_SKEW_MS = 60_000;

/**
 * The candidate the directory holds with one of these emails or (exact, E.164) phones, confirmed fresh
 * from Talemetry; null when none (or the index was stale). Emails first: Talemetry merges by email, so
 * an email names one candidate; a phone shared by several is answered with the directory's first.
 */
async function existingCandidate(s: Services, change: ContactChange): Promise<Person | null> {
  const ids: string[] = [];
  for (const email of change.emails ?? []) ids.push(...(await s.directory.searchEmail(email, 2)).map((hit) => hit.person.id));
  for (const phone of change.phones ?? []) {
    const parsed = parsePhoneQuery(phone.number, { region: null, tenantRegion: s.tenant.region });
    if (!parsed.ok) continue;
    const hits = await s.directory.searchPhone(parsed.query, false, 5);
    ids.push(...hits.filter((hit) => hit.match === "exact").map((hit) => hit.person.id));
  }
  for (const id of new Set(ids)) {
    try {
      return await readCandidate(s, id, { repairIndex: true });
    } catch (err) {
      // Gone from Talemetry since it was indexed: not a reason to refuse the new candidate.
      if (!(err instanceof AppError && err.status === 404)) throw err;
    }
  }
  return null;
}

/** True when `details` holds every email and phone of `change` (what a create of it would have stored). */
function holdsContact(details: Pick<CandidateDetails, "emails" | "phones">, change: ContactChange): boolean {
  const emails = new Set(details.emails.map(emailKey));
  const phones = new Set(details.phones.filter((p) => p.valid).map((p) => p.number));
  return (change.emails ?? []).every((e) => emails.has(emailKey(e))) && (change.phones ?? []).every((p) => phones.has(p.number));
}

/**
 * The candidate an earlier attempt created although its answer was lost, found among the candidates
 * Talemetry lists as created since that attempt began (§2 `created`), or null. Needed only without an
 * email: with one, Talemetry itself refuses the repeat with `409` naming the candidate (§7).
 * @throws AppError `503` when more candidates were created since than one request looks through, and
 *   whatever failed the scan (e.g. the request's deadline ran out): creating now could make a second
 *   candidate. Either way a sync is scheduled, so the directory holds whatever landed when the caller
 *   retries (`existingCandidate` then answers it).
 */
async function landedCreate(s: Services, change: ContactChange, firstAttemptAt: string): Promise<CandidateDetails | null> {
  try {
    return await scanCreatedSince(s, change, new Date(Date.parse(firstAttemptAt) - RECOVERY_SKEW_MS));
  } catch (err) {
    // Not waited for: the run may take longer than the request may.
    await s.directory.scheduleSync().catch(() => undefined);
    throw err;
  }
}

/** The pages of candidates created since `from`, up to `RECOVERY_MAX_PAGES`; see `landedCreate`. */
async function scanCreatedSince(s: Services, change: ContactChange, from: Date): Promise<CandidateDetails | null> {
  const to = new Date();
  let cursor: string | null = null;
  for (let page = 0; page < RECOVERY_MAX_PAGES; page++) {
    const listed = await s.talemetry.listIds({ pageSize: RECOVERY_PAGE_SIZE, event: "created", from, to, cursor });
    if (listed.ids.length > 0) {
      const found = (await s.talemetry.fetchProfiles(listed.ids, PERSON_INCLUDE)).find((details) => holdsContact(details, change));
      if (found) return found;
    }
    if (listed.cursor === null) return null;
    cursor = listed.cursor;
  }
  s.logger.warn("create recovery could not look through every candidate created since the first attempt", {
    pages: RECOVERY_MAX_PAGES,
  });
  throw new AppError("upstream_unavailable", "Could not confirm whether an earlier attempt created this candidate; retry shortly.", {
    retryAfter: RECOVERY_RETRY_AFTER_SECONDS,
  });
}

/** The claim of a create under the caller's key, or null without one. */
async function claimCreate(s: Services, input: NewCandidateInput, options: CreateCandidateOptions) {
  if (!options.idempotencyKey) return null;
  const bodyHash = await sha256Hex(canonicalJson(options.fingerprint ?? input));
  return s.directory.claimKey([options.idempotencyKey, ...(options.previousIdempotencyKeys ?? [])], bodyHash);
}

/** The indexed record of a candidate the bridge answered with before, else fresh from Talemetry. */
async function answeredCandidate(s: Services, id: string): Promise<Person> {
  const indexed = await indexedPerson(s, id);
  return indexed ? { ...indexed, url: candidateUrl(s.tenant.settings, id) } : readCandidate(s, id, { repairIndex: true });
}

/**
 * Creates a candidate in Talemetry (§7) and indexes it at once, so a search for its phone or email
 * finds it before the next sync. A candidate that already has one of the phones or emails is answered
 * instead of a duplicate: the directory is asked first, Talemetry's `409` naming the holder of an email
 * is the backstop.
 *
 * Retry safety, with an idempotency key (the tenant's Durable Object claims it, as for activities): a
 * finished key answers as the first time; two identical requests at once create one candidate. When an
 * earlier attempt may have created the candidate although its answer was lost, the retry looks before
 * creating: the directory, then Talemetry's 409 for an email, else the candidates Talemetry lists as
 * created since that attempt — so a lost answer never makes a second candidate.
 * @throws AppError `422` (name, phones), `409` (key reused with another body, still in flight);
 *   `UpstreamError` for Talemetry failures.
 */
export async function createCandidate(
  s: Services,
  input: NewCandidateInput,
  options: CreateCandidateOptions = {},
): Promise<CreatedCandidate> {
  const names = splitPersonName(input.name);
  if (!names.givenName && !names.familyName) {
    throw new AppError("invalid", "The candidate needs a name.", { errors: [{ field: "name", message: "Give the candidate's name." }] });
  }
  const change = contactChangeOf({ emails: input.emails ?? [], phones: input.phones ?? [] }, s.tenant.region);
  if ((change.emails?.length ?? 0) + (change.phones?.length ?? 0) === 0) {
    throw new AppError("invalid", "The candidate needs a phone number or an email address.", {
      errors: [{ field: "phones", message: "Give a phone number or an email address." }],
    });
  }

  const outcome = await claimCreate(s, input, options);
  if (outcome?.kind === "done") {
    const answer = JSON.parse(outcome.response) as CreateAnswer;
    return { person: await answeredCandidate(s, answer.candidate_id), created: answer.created, replayed: true };
  }
  if (outcome?.kind === "conflict") throw new AppError("conflict", "This idempotency key was already used with another request body.");
  if (outcome?.kind === "busy") throw new AppError("conflict", "The same request is still in progress; retry shortly.", { retryAfter: 1 });
  const claim = outcome;

  const finish = async (details: CandidateDetails | null, person: Person | null, created: boolean): Promise<CreatedCandidate> => {
    let answer: Person;
    if (details) {
      const at = isoUtc(Date.now());
      await writeThrough(s, details, at);
      answer = personOf(s.tenant, details, at);
    } else answer = person!;
    if (claim) {
      const stored = JSON.parse(
        await s.directory.completeKeyClaim(claim.key, JSON.stringify({ candidate_id: answer.id, created } satisfies CreateAnswer)),
      ) as CreateAnswer;
      // A takeover raced this attempt and finished first: its answer is the request's answer.
      if (stored.candidate_id !== answer.id)
        return { person: await answeredCandidate(s, stored.candidate_id), created: stored.created, replayed: true };
    }
    return { person: answer, created, replayed: false };
  };

  let writing = false;
  try {
    const existing = await existingCandidate(s, change);
    // On a retry, a candidate holding exactly what was sent may be this request's own earlier create.
    if (existing) return await finish(null, existing, claim?.recover === true && holdsContact(existing, change));
    if (claim?.recover && !change.emails?.length) {
      const landed = await landedCreate(s, change, claim.firstAttemptAt);
      if (landed) return await finish(landed, null, true);
    }
    writing = true;
    let details: CandidateDetails;
    try {
      details = await s.talemetry.createCandidate({ ...names, emails: change.emails, phones: change.phones, source: input.source });
    } catch (err) {
      const existingId = existingCandidateId(err);
      if (!existingId) throw err;
      writing = false;
      // An email of the request is this candidate's (§7); the same answer when it is our own lost create.
      const [holder] = await s.talemetry.fetchProfiles([existingId], PERSON_INCLUDE);
      if (!holder) throw err;
      return await finish(holder, null, claim?.recover === true && holdsContact(holder, change));
    }
    return await finish(details, null, true);
  } catch (err) {
    if (claim?.kind === "claimed") {
      // Best effort: if this fails too, the claim's lease runs out and the next attempt looks first.
      await s.directory.releaseKeyClaim(claim.key, claim.owner, releaseOutcome(err, writing)).catch(() => undefined);
    }
    throw err;
  }
}
