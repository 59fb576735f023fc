import { AppError } from "../platform/errors";
import {
  digitsOf,
  internationalReadings,
  knownRegion,
  looseNationalNumber,
  readInternational,
  readNational,
  splitPhoneText,
} from "./resolve";

/**
 * The phone query of `GET /v1/search?phone=…` (docs/contracts/v1-api.md "Search"; the rules and a table of
 * examples are in docs/phone-matching.md). The text is resolved into every plausible **reading**:
 *
 * - as given, when it names its country (`+`, `00`, the region's international prefix);
 * - otherwise international without `+` (its leading digits a country code, the rest possible there),
 *   and national in the `region` parameter, else in the tenant's region;
 * - and, when the query named no country, as the national significant number of another country: the
 *   digits as given (countries without a trunk prefix, such as Italy's `06…`) and without their trunk
 *   prefix `0` (`07700 900123` → `7700900123`).
 *
 * The directory probes all readings in one statement (see `phoneProbes`).
 */
export interface PhoneReading {
  how: "international" | "international_without_plus" | "national";
  e164: string;
  nsn: string;
  /** Country calling code without `+`. */
  callingCode: string;
}

export interface PhoneQuery {
  /** Readings as a whole number, best first: a stored phone with one of these E.164 matches `exact`. */
  readings: PhoneReading[];
  /**
   * National significant numbers the query may stand for in a country it did not name: a stored phone
   * with one of them matches `national`. Empty when the query named a country.
   */
  nationalNsns: string[];
  /** National numbers for suffix matching (`partial`, only on request), best first. */
  partialNsns: string[];
  /** True when the query itself named a country (`+`, `00`, an international prefix, or the `region` parameter). */
  namedCountry: boolean;
  /** An extension the text carried; never part of the match (a switchboard's people share the number). */
  extension: string | null;
  /**
   * Everything that decides the results, as one string (for the search cache key). Two texts that read
   * alike (`+447700900123` and `00 44 7700 900123`) share it; the region parameter is folded in through
   * the readings, so it needs no separate place in the key.
   */
  cacheKey: string;
}

/** Why a phone query is bad input (the route answers `400`). */
export type PhoneQueryErrorReason = "too_few_digits" | "too_long" | "bad_region";

export interface PhoneQueryError {
  reason: PhoneQueryErrorReason;
  /** Safe for the wire. */
  message: string;
}

export type PhoneQueryResult = { ok: true; query: PhoneQuery } | { ok: false; error: PhoneQueryError };

/** The contract: fewer than 5 digits is bad input. */
export const MIN_QUERY_DIGITS = 5;
/** E.164 allows 15 digits; room for an international prefix, beyond that it is not a phone. */
export const MAX_QUERY_DIGITS = 24;
/** Same bound `resolvePhone` uses: longer text is never a phone number. */
export const MAX_QUERY_LENGTH = 64;

export interface PhoneQueryOptions {
  /** The `region` query parameter (ISO 3166 alpha-2), if the caller sent one. */
  region?: string | null;
  /** The tenant's default region (from its config). */
  tenantRegion: string | null;
}

function fail(reason: PhoneQueryErrorReason, message: string): PhoneQueryResult {
  return { ok: false, error: { reason, message } };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/** A decoded `?phone=` whose `+` was not URL-encoded arrives as a space; a leading space before digits is a `+`. */
const UNENCODED_PLUS = /^ +(?=\d)/;

/**
 * Parses the `phone` search parameter. Never throws: bad input comes back as `{ok: false}` with a
 * reason the route turns into a `400` problem (see `phoneQueryProblem`).
 */
export function parsePhoneQuery(text: string, opts: PhoneQueryOptions): PhoneQueryResult {
  if (typeof text !== "string") return fail("too_few_digits", `phone must contain at least ${MIN_QUERY_DIGITS} digits.`);
  const regionParam = opts.region == null || opts.region.trim() === "" ? undefined : opts.region;
  const region = knownRegion(regionParam);
  if (regionParam !== undefined && region === undefined) {
    return fail("bad_region", "region must be an ISO 3166-1 alpha-2 country code the phone library knows.");
  }
  if (text.length > MAX_QUERY_LENGTH) return fail("too_long", `phone must be at most ${MAX_QUERY_LENGTH} characters.`);
  const plain = splitPhoneText(text);
  const digits = digitsOf(plain?.number ?? "");
  if (!plain || digits.length < MIN_QUERY_DIGITS) return fail("too_few_digits", `phone must contain at least ${MIN_QUERY_DIGITS} digits.`);
  if (digits.length > MAX_QUERY_DIGITS) return fail("too_long", `phone must contain at most ${MAX_QUERY_DIGITS} digits.`);

  const effective = region ?? knownRegion(opts.tenantRegion);
  let split = plain;
  let international = internationalReadings(plain.number, effective);
  if (UNENCODED_PLUS.test(text)) {
    const plus = splitPhoneText(text.replace(UNENCODED_PLUS, "+"));
    const asPlus = plus ? internationalReadings(plus.number, effective) : null;
    // Read as `+` when that is a number; otherwise the space was only a space.
    if (plus && asPlus && asPlus.readings.length > 0) {
      split = plus;
      international = asPlus;
    }
  }

  if (international.named) {
    const readings = international.readings.map(toReading("international"));
    const partialNsns = readings.length > 0 ? unique(readings.map((r) => r.nsn)) : [looseNationalNumber(split.number)];
    return { ok: true, query: build(readings, [], partialNsns, true, split.extension) };
  }

  const readings: PhoneReading[] = [];
  const add = (reading: PhoneReading | null) => {
    if (reading && !readings.some((r) => r.e164 === reading.e164)) readings.push(reading);
  };
  const intl = readInternational(digits);
  add(intl && toReading("international_without_plus")(intl));
  const national = effective ? readNational(split.number, effective) : null;
  add(national && toReading("national")(national));
  const namedCountry = region !== undefined;
  const nationalNsns: string[] = [];
  if (!namedCountry) {
    if (national) nationalNsns.push(national.nsn);
    // The digits as given: another country's national number where there is no trunk prefix (Italy's
    // `06…` keeps its zero, Spain has none); and without the trunk prefix `0` most countries use.
    nationalNsns.push(digits);
    if (digits.startsWith("0")) nationalNsns.push(digits.slice(1));
  }
  const partialNsns = unique([...readings.map((r) => r.nsn), ...nationalNsns]);
  return {
    ok: true,
    query: build(readings, unique(nationalNsns), partialNsns.length > 0 ? partialNsns : [digits], namedCountry, split.extension),
  };
}

function toReading(how: PhoneReading["how"]) {
  return (r: { e164: string; nsn: string; callingCode: string }): PhoneReading => ({
    how,
    e164: r.e164,
    nsn: r.nsn,
    callingCode: r.callingCode,
  });
}

function build(
  readings: PhoneReading[],
  nationalNsns: string[],
  partialNsns: string[],
  namedCountry: boolean,
  extension: string | null,
): PhoneQuery {
  const cacheKey = `${namedCountry ? "i" : "d"}:${readings.map((r) => r.e164).join(",")};n:${nationalNsns.join(",")};p:${partialNsns.join(",")}`;
  return { readings, nationalNsns, partialNsns, namedCountry, extension, cacheKey };
}

/** The `400` problem for a bad phone query, naming the `phone` (or `region`) parameter. */
export function phoneQueryProblem(error: PhoneQueryError): AppError {
  const field = error.reason === "bad_region" ? "region" : "phone";
  return new AppError("bad_request", error.message, { errors: [{ field, message: error.message }] });
}
