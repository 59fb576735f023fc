/**
 * Reading and changing one candidate (docs/contracts/v1-api.md, "Entities"), for every caller: fresh
 * from Talemetry through the adapter; a change is written to Talemetry, then through to the tenant's
 * directory so the next search finds the new phones and emails at once.
 */
import { type CandidateDetails, type Person, toPerson } from "../domain/person";
import { knownRegion, resolvePhone } from "../phone/resolve";
import { AppError, type FieldError } from "../platform/errors";
import { isoUtc } from "../platform/time";
import { type ContactChange, type ContactUse, PERSON_INCLUDE } from "../talemetry";
import { candidateUrl } from "../tenants/settings";
import type { Tenant } from "../tenants/types";
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
    // Talemetry has the change; the next sync indexes it. Failing here would invite a needless retry.
    s.logger.warn("directory write-through failed; sync will catch up", { error: err, candidate_id: details.id });
  }
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
