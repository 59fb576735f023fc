/**
 * Reading and changing one candidate (contracts/talentlynk-api.md, "Entities"): fresh from Talemetry
 * through the adapter; a change is written to Talemetry, then through to the tenant's directory so the
 * next search finds the new phones and emails at once.
 */

import { talemetryForRequest } from "../directory/upstream";
import { type CandidateDetails, type Person, toPerson } from "../domain/person";
import type { Env } from "../env";
import { resolvePhone } from "../phone/resolve";
import { AppError, type FieldError } from "../platform/errors";
import type { Logger } from "../platform/logger";
import { isoUtc } from "../platform/time";
import { type ContactChange, type ContactUse, PERSON_INCLUDE, type UpstreamStats } from "../talemetry";
import { candidateUrl } from "../tenants/settings";
import type { Tenant } from "../tenants/types";
import type { PatchCandidateBody } from "./candidate-schemas";

/** What the candidate functions need besides env and tenant. */
export interface CandidateCallOptions {
  stats?: UpstreamStats;
  /** For failures of the bridge's own index, which do not fail the request. */
  logger?: Logger;
  /**
   * `readCandidate` only: when the directory's phones or emails differ from this fresh read, write the
   * read through. For callers about to act on those lists — a Talkdesk `update_contact` retried after a
   * write whose answer was lost finds its change already in Talemetry, but that write's write-through
   * never ran, and searches would miss it until the next sync.
   */
  repairIndex?: boolean;
}

function directoryOf(env: Env, tenant: Tenant) {
  return env.TENANT.get(env.TENANT.idFromName(tenant.id));
}

function personOf(tenant: Tenant, details: CandidateDetails, updatedAt: string | null): Person {
  // The link is tenant config, applied at read time (as search does) so a template change needs no re-index.
  return toPerson(details, { url: candidateUrl(tenant.settings, details.id), updatedAt });
}

/** The candidate as the bridge's index holds it; null when not indexed (or unreadable). */
async function indexedPerson(env: Env, tenant: Tenant, id: string, logger?: Logger): Promise<Person | null> {
  try {
    return await directoryOf(env, tenant).getIndexed(id);
  } catch (err) {
    logger?.warn("directory read failed; updated_at unknown", { error: err });
    return null;
  }
}

/** True when the index holds the same emails and phones as Talemetry. */
function sameContact(indexed: Person, details: CandidateDetails): boolean {
  return JSON.stringify([indexed.emails, indexed.phones]) === JSON.stringify([details.emails, details.phones]);
}

/** Writes a candidate the bridge changed (or found changed) through to its directory; failures only logged. */
async function writeThrough(env: Env, tenant: Tenant, details: CandidateDetails, at: string, logger?: Logger): Promise<void> {
  try {
    await directoryOf(env, tenant).writeThrough(details, at);
  } catch (err) {
    // Talemetry has the change; the next sync indexes it. Failing here would invite a needless retry.
    logger?.warn("directory write-through failed; sync will catch up", { error: err, candidate_id: details.id });
  }
}

/** The candidate fresh from Talemetry. @throws AppError `404` when Talemetry has no such candidate. */
export async function readCandidate(env: Env, tenant: Tenant, id: string, options: CandidateCallOptions = {}): Promise<Person> {
  const client = talemetryForRequest(env, tenant, options.stats);
  const [found, indexed] = await Promise.all([client.fetchProfiles([id], PERSON_INCLUDE), indexedPerson(env, tenant, id, options.logger)]);
  const details = found.find((d) => d.id === id);
  if (!details) throw new AppError("not_found", "No such candidate.");
  if (options.repairIndex && (!indexed || !sameContact(indexed, details))) {
    const at = isoUtc(Date.now());
    await writeThrough(env, tenant, details, at, options.logger);
    return personOf(tenant, details, at);
  }
  return personOf(tenant, details, indexed?.updated_at ?? null);
}

/**
 * The contact change to write, or a `422` naming every phone that breaks the contract's rule (possible
 * after resolving `+`/`00`, else the entry's region, else the tenant's) — checked before anything is
 * written. Extensions are refused rather than dropped: Talemetry stores E.164 only (§4).
 */
export function contactChangeOf(body: PatchCandidateBody, tenantRegion: string): ContactChange {
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
  if (errors.length > 0) throw new AppError("invalid", "Some phone numbers are not possible numbers; nothing was changed.", { errors });
  return change;
}

/**
 * Replaces the given lists on the candidate and returns the updated record. Talemetry's answer to the
 * write carries the contact details; the rest of the record (employer, consent, do-not-contact) comes
 * from the read made first, which also turns an unknown candidate into a `404` before any write.
 * @throws AppError `422` (phones), `404`; Talemetry's conflict (email of another candidate) → `409`.
 */
export async function updateCandidateContact(
  env: Env,
  tenant: Tenant,
  id: string,
  body: PatchCandidateBody,
  options: CandidateCallOptions = {},
): Promise<Person> {
  const change = contactChangeOf(body, tenant.region);
  if (change.emails === undefined && change.phones === undefined) return readCandidate(env, tenant, id, options);

  const client = talemetryForRequest(env, tenant, options.stats);
  const [before] = await client.fetchProfiles([id], PERSON_INCLUDE);
  if (!before || before.id !== id) throw new AppError("not_found", "No such candidate.");
  const written = await client.updateContact(id, change);
  const at = isoUtc(Date.now());
  const details: CandidateDetails = {
    ...before,
    emails: written.emails,
    phones: written.phones,
    address: written.address ?? before.address,
  };
  await writeThrough(env, tenant, details, at, options.logger);
  return personOf(tenant, details, at);
}
