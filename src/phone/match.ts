import type { PersonPhone } from "../domain/person";
import type { PhoneQuery } from "./query";
import { resolvePhone } from "./resolve";

export type { PhoneQuery, PhoneQueryError, PhoneQueryOptions, PhoneQueryResult } from "./query";
export { parsePhoneQuery, phoneQueryProblem } from "./query";

/**
 * Match levels of the caller-ID lookup (docs/contracts/v1-api.md "Search"; docs/phone-matching.md), best first.
 * Pure functions: the directory index turns `phoneProbes` into index lookups, and `matchLevel` is the
 * reference definition the index is tested against.
 */
export type MatchLevel = "exact" | "national" | "partial";

/** Ranking order of the levels (lower is better). */
export const MATCH_RANK: Record<MatchLevel, number> = { exact: 0, national: 1, partial: 2 };

/** The contract: a partial match needs the shorter national number to have at least 7 digits. */
export const MIN_PARTIAL_DIGITS = 7;

/** What the directory indexes for one stored phone. */
export interface PhoneKeys {
  e164: string;
  /** National significant number, digits only. */
  nsn: string;
  /** Country calling code without `+`. */
  callingCode: string;
  /** `nsn` reversed, so "ends with" becomes "starts with" and can use an ordinary index. */
  rnsn: string;
}

/** Reverses a digit string (digits are ASCII, so code units are safe to reverse). */
export function reverseDigits(digits: string): string {
  let out = "";
  for (let i = digits.length - 1; i >= 0; i--) out += digits[i];
  return out;
}

/**
 * The keys to index for a stored phone, or null when it cannot be resolved (then it is not findable
 * by phone, which is right: nothing possible can match it exactly). A valid phone carries E.164; an
 * invalid one is retried from its raw text with the tenant's region, because the normalizer may have
 * judged it under an entry region that was wrong.
 */
export function phoneKeys(phone: PersonPhone, tenantRegion: string | null | undefined): PhoneKeys | null {
  const resolved = (phone.valid ? resolvePhone(phone.number, tenantRegion) : null) ?? resolvePhone(phone.raw || phone.number, tenantRegion);
  if (!resolved) return null;
  return { e164: resolved.e164, nsn: resolved.nsn, callingCode: resolved.callingCode, rnsn: reverseDigits(resolved.nsn) };
}

/** The keys of all of a person's phones, one per distinct E.164 (duplicates would only repeat hits). */
export function personPhoneKeys(phones: readonly PersonPhone[], tenantRegion: string | null | undefined): PhoneKeys[] {
  const byE164 = new Map<string, PhoneKeys>();
  for (const phone of phones) {
    const keys = phoneKeys(phone, tenantRegion);
    if (keys && !byE164.has(keys.e164)) byE164.set(keys.e164, keys);
  }
  return [...byE164.values()];
}

/** A level with the reading that earned it (`matched_as`: an E.164 for `exact`, national digits otherwise). */
export interface PhoneMatch {
  level: MatchLevel;
  matchedAs: string;
}

/** True when one national number is a strictly shorter suffix of the other and the shorter has ≥ 7 digits. */
function suffixMatch(a: string, b: string): boolean {
  const [shorter, longer] = a.length < b.length ? [a, b] : [b, a];
  return shorter.length >= MIN_PARTIAL_DIGITS && shorter.length < longer.length && longer.endsWith(shorter);
}

/**
 * The reference definition of the levels for one query against one stored phone; the directory's SQL
 * is tested against it. The first reading (in the query's order) that matches at the best level wins:
 * - `exact`: the stored E.164 is one of the query's readings;
 * - `national`: the stored national number is one the query may stand for in a country it did not
 *   name (`nationalNsns` is empty when it named one: then another country is wrong);
 * - `partial`: one national number is a strictly shorter suffix of the other, the shorter having at
 *   least 7 digits, and only when the caller asked for partial matches.
 */
export function matchLevel(query: PhoneQuery, stored: Pick<PhoneKeys, "e164" | "nsn">, opts: { partial: boolean }): PhoneMatch | null {
  const exact = query.readings.find((r) => r.e164 === stored.e164);
  if (exact) return { level: "exact", matchedAs: exact.e164 };
  const national = query.nationalNsns.find((nsn) => nsn === stored.nsn);
  if (national !== undefined) return { level: "national", matchedAs: national };
  if (opts.partial) {
    const partial = query.partialNsns.find((nsn) => suffixMatch(nsn, stored.nsn));
    if (partial !== undefined) return { level: "partial", matchedAs: partial };
  }
  return null;
}

/**
 * One index lookup of a phone search, with the level and reading a hit through it earns. Each is an
 * equality, `IN` or range probe on one indexed column of the phone keys:
 * - `e164`: `e164 = value` (exact);
 * - `nsn`: `nsn = value` (national);
 * - `rnsn_in`: the stored number is a shorter suffix of the reading: its reversed nsn is one of the
 *   reversed reading's prefixes of length 7 … n-1 (`rnsn IN (…)`);
 * - `rnsn_range`: the reading is a shorter suffix of the stored number: the stored reversed nsn starts
 *   with the reversed reading and is longer (`rnsn > from AND rnsn < to`, `to` = `from` + `:`, the
 *   character after `9`, so the range holds exactly the longer digit strings with that prefix).
 */
export type PhoneProbe =
  | { level: MatchLevel; matchedAs: string; column: "e164"; value: string }
  | { level: MatchLevel; matchedAs: string; column: "nsn"; value: string }
  | { level: MatchLevel; matchedAs: string; column: "rnsn_in"; values: string[] }
  | { level: MatchLevel; matchedAs: string; column: "rnsn_range"; from: string; to: string };

/**
 * The probes of a query, in rank order: every `exact` probe before every `national` one before every
 * `partial` one, each level's probes in the order of the query's readings. The directory keeps, per
 * candidate, the hit of the lowest rank, which is what `matchLevel` picks for the same phones.
 */
export function phoneProbes(query: PhoneQuery, opts: { partial: boolean }): PhoneProbe[] {
  const probes: PhoneProbe[] = [];
  for (const r of query.readings) probes.push({ level: "exact", matchedAs: r.e164, column: "e164", value: r.e164 });
  for (const nsn of query.nationalNsns) probes.push({ level: "national", matchedAs: nsn, column: "nsn", value: nsn });
  if (opts.partial) {
    // A reversed prefix probed for an earlier reading need not be probed again: that reading wins anyway.
    const seen = new Set<string>();
    for (const nsn of query.partialNsns) {
      if (nsn.length < MIN_PARTIAL_DIGITS) continue;
      const reversed = reverseDigits(nsn);
      const values: string[] = [];
      for (let len = MIN_PARTIAL_DIGITS; len < reversed.length; len++) {
        const prefix = reversed.slice(0, len);
        if (!seen.has(prefix)) values.push(prefix);
        seen.add(prefix);
      }
      if (values.length > 0) probes.push({ level: "partial", matchedAs: nsn, column: "rnsn_in", values });
      probes.push({ level: "partial", matchedAs: nsn, column: "rnsn_range", from: reversed, to: `${reversed}:` });
    }
  }
  return probes;
}
