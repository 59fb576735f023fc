import type { PersonPhone } from "../domain/person";
import type { PhoneQuery } from "./query";
import { resolvePhone } from "./resolve";

export type { PhoneQuery, PhoneQueryError, PhoneQueryOptions, PhoneQueryResult } from "./query";
export { parsePhoneQuery, phoneQueryProblem } from "./query";

/**
 * Match levels of the caller-ID lookup (../shared/contracts/talentlynk-api.md, "Search"), best first.
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

/**
 * The reference definition of the levels for one query against one stored phone:
 * - `exact`: the same E.164 (both sides resolved);
 * - `national`: the same national significant number under another calling code, only when the query
 *   named no country (`+`/`00`/`region` means the caller knows the country, so another one is wrong);
 * - `partial`: one national number is a strictly shorter suffix of the other, the shorter having at
 *   least 7 digits, and only when the caller asked for partial matches.
 */
export function matchLevel(query: PhoneQuery, stored: Pick<PhoneKeys, "e164" | "nsn">, opts: { partial: boolean }): MatchLevel | null {
  if (query.e164 !== null && stored.e164 === query.e164) return "exact";
  if (query.e164 !== null && !query.namedCountry && stored.nsn === query.nsn) return "national";
  if (opts.partial) {
    const [shorter, longer] = stored.nsn.length < query.nsn.length ? [stored.nsn, query.nsn] : [query.nsn, stored.nsn];
    if (shorter.length >= MIN_PARTIAL_DIGITS && shorter.length < longer.length && longer.endsWith(shorter)) return "partial";
  }
  return null;
}

/**
 * The index lookups that find exactly the stored phones `matchLevel` accepts, each tagged with the
 * level it proves. Every part is an equality or prefix probe on an indexed column:
 * - `exact`: `e164 = ?`;
 * - `national`: `nsn = ?` (and `e164 <> exact`, which is then a different calling code);
 * - `storedSuffixOfQuery`: the stored number is a shorter suffix of the query, i.e. its reversed nsn
 *   is one of the reversed query's prefixes of length 7 … n-1 (`rnsn IN (…)`);
 * - `queryPrefixRange`: the query is a shorter suffix of the stored number, i.e. the stored reversed
 *   nsn starts with the reversed query and is longer: `rnsn > from AND rnsn < to` (`to` = `from` + `:`,
 *   the character after `9`, so the range holds exactly the longer digit strings with that prefix).
 */
export interface PhoneProbes {
  exact: string | null;
  national: string | null;
  storedSuffixOfQuery: string[];
  queryPrefixRange: { from: string; to: string } | null;
}

/** Builds the probes for a query (see `PhoneProbes`). */
export function phoneProbes(query: PhoneQuery, opts: { partial: boolean }): PhoneProbes {
  const rq = reverseDigits(query.nsn);
  const partial = opts.partial && rq.length >= MIN_PARTIAL_DIGITS;
  const prefixes: string[] = [];
  if (opts.partial) {
    for (let len = MIN_PARTIAL_DIGITS; len < rq.length; len++) prefixes.push(rq.slice(0, len));
  }
  return {
    exact: query.e164,
    national: query.e164 !== null && !query.namedCountry ? query.nsn : null,
    storedSuffixOfQuery: prefixes,
    queryPrefixRange: partial ? { from: rq, to: `${rq}:` } : null,
  };
}
