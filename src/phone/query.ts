import { isSupportedCountry, parsePhoneNumberFromString } from "libphonenumber-js";
import { AppError } from "../platform/errors";
import { digitsOf, normalizeRegion, resolvePhone } from "./resolve";

/**
 * The phone query of `GET /v1/search?phone=…` (../shared/contracts/talentlynk-api.md, "Search"):
 * resolved like a stored phone — a leading `+`/`00` names the country, else the `region` parameter
 * names it, else the tenant's default region applies without the caller having named a country.
 */
export interface PhoneQuery {
  /** E.164 when the query is a *possible* number; null otherwise (then only partial matching can hit). */
  e164: string | null;
  /**
   * National significant number, digits only. For a number that is not possible this is
   * libphonenumber's best reading of the national part (or the bare digits), used for suffix matching.
   */
  nsn: string;
  /** Country calling code without `+`, when known. */
  callingCode: string | null;
  /** True when the query itself named a country (`+`, `00`, or the `region` parameter). */
  namedCountry: boolean;
  /**
   * Everything that decides the results, as one string (for the search cache key). Two texts that
   * resolve alike (`07700 900123` and `7700900123` for a GB tenant) share it; the region parameter is
   * folded in through the resolution, so it needs no separate place in the key.
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
/** E.164 allows 15 digits; room for a `00` prefix and an extension, beyond that it is not a phone. */
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

/** A region the phone library knows, or undefined (an unknown one would make every number impossible). */
function knownRegion(region: string | null | undefined): string | undefined {
  const r = normalizeRegion(region);
  return r && isSupportedCountry(r) ? r : undefined;
}

/**
 * The national digits of a text that is not a possible number, for suffix matching only. Mirrors the
 * `+`/`00` reading of `resolvePhone` so a short international text does not keep its country code.
 */
function tentativeNsn(text: string, region: string | undefined): { nsn: string; callingCode: string | null } {
  const compact = text
    .normalize("NFKC")
    .trim()
    .replace(/[\s().-]/g, "");
  const explicit = compact.startsWith("+") || /^00[1-9]/.test(compact);
  const input = explicit && !compact.startsWith("+") ? `+${compact.slice(2)}` : text.normalize("NFKC").trim();
  try {
    const parsed = parsePhoneNumberFromString(input, explicit ? undefined : { defaultCountry: region as never });
    if (parsed && /^\d+$/.test(parsed.nationalNumber)) {
      return { nsn: parsed.nationalNumber, callingCode: parsed.countryCallingCode };
    }
  } catch {
    // libphonenumber throws on some malformed text; the bare digits are the fallback below.
  }
  const digits = digitsOf(input);
  return { nsn: explicit && digits.startsWith("00") ? digits.slice(2) : digits, callingCode: null };
}

/**
 * Parses the `phone` search parameter. Never throws: bad input comes back as `{ok: false}` with a
 * reason the route turns into a `400` problem (see `phoneQueryProblem`).
 */
export function parsePhoneQuery(text: string, opts: PhoneQueryOptions): PhoneQueryResult {
  if (typeof text !== "string") return fail("too_few_digits", "phone must contain at least 5 digits.");
  const regionParam = opts.region == null || opts.region.trim() === "" ? undefined : opts.region;
  const region = knownRegion(regionParam);
  if (regionParam !== undefined && region === undefined) {
    return fail("bad_region", "region must be an ISO 3166-1 alpha-2 country code the phone library knows.");
  }
  if (text.length > MAX_QUERY_LENGTH) return fail("too_long", `phone must be at most ${MAX_QUERY_LENGTH} characters.`);
  const digits = digitsOf(text.normalize("NFKC"));
  if (digits.length < MIN_QUERY_DIGITS) return fail("too_few_digits", `phone must contain at least ${MIN_QUERY_DIGITS} digits.`);
  if (digits.length > MAX_QUERY_DIGITS) return fail("too_long", `phone must contain at most ${MAX_QUERY_DIGITS} digits.`);

  const effectiveRegion = region ?? knownRegion(opts.tenantRegion);
  const resolved = resolvePhone(text, effectiveRegion ?? null);
  if (resolved) {
    const namedCountry = resolved.explicitCountry || region !== undefined;
    return {
      ok: true,
      query: {
        e164: resolved.e164,
        nsn: resolved.nsn,
        callingCode: resolved.callingCode,
        namedCountry,
        cacheKey: `${namedCountry ? "i" : "d"}:${resolved.e164}`,
      },
    };
  }
  const tentative = tentativeNsn(text, effectiveRegion);
  const compact = text
    .normalize("NFKC")
    .trim()
    .replace(/[\s().-]/g, "");
  const namedCountry = compact.startsWith("+") || /^00[1-9]/.test(compact) || region !== undefined;
  return {
    ok: true,
    query: {
      e164: null,
      nsn: tentative.nsn,
      callingCode: tentative.callingCode,
      namedCountry,
      cacheKey: `${namedCountry ? "i" : "d"}:?${tentative.nsn}`,
    },
  };
}

/** The `400` problem for a bad phone query, naming the `phone` (or `region`) parameter. */
export function phoneQueryProblem(error: PhoneQueryError): AppError {
  const field = error.reason === "bad_region" ? "region" : "phone";
  return new AppError("bad_request", error.message, { errors: [{ field, message: error.message }] });
}
