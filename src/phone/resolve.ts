import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js";

/**
 * Resolves phone text the way the contract says (../shared/contracts/talentlynk-api.md, "Entities"):
 * a leading `+` or `00` means international; otherwise the given region, else the tenant's default.
 * A number is accepted when libphonenumber finds it *possible* (not `isValid`: valid ranges change and
 * fictional ranges are real test data). Never throws, whatever the input.
 */
export interface ResolvedPhone {
  /** E.164 (`+447700900123`), extension excluded. */
  e164: string;
  /** National significant number (`7700900123`). */
  nsn: string;
  /** Country calling code without `+` (`44`). */
  callingCode: string;
  /** ISO region when libphonenumber can tell, else null (shared calling codes such as +1 may resolve). */
  region: string | null;
  /** True when the text itself named the country (`+` or `00`). */
  explicitCountry: boolean;
  extension: string | null;
}

const REGION = /^[A-Z]{2}$/;

export function normalizeRegion(region: string | null | undefined): CountryCode | undefined {
  const r = (region ?? "").trim().toUpperCase();
  return REGION.test(r) ? (r as CountryCode) : undefined;
}

/** Digits only, for length checks and suffix keys. */
export function digitsOf(text: string): string {
  return text.replace(/\D+/g, "");
}

/** Returns the resolved phone when it is possible, else null. */
export function resolvePhone(text: string | null | undefined, region?: string | null): ResolvedPhone | null {
  if (typeof text !== "string") return null;
  let input = text.normalize("NFKC").trim();
  if (input.length === 0 || input.length > 64) return null;
  const explicitCountry = input.startsWith("+") || /^00[1-9]/.test(input.replace(/[\s().-]/g, ""));
  if (!input.startsWith("+") && explicitCountry) input = `+${input.replace(/[\s().-]/g, "").slice(2)}`;
  try {
    const parsed = parsePhoneNumberFromString(input, explicitCountry ? undefined : { defaultCountry: normalizeRegion(region) });
    if (!parsed?.isPossible()) return null;
    return {
      e164: parsed.number,
      nsn: parsed.nationalNumber,
      callingCode: parsed.countryCallingCode,
      region: parsed.country ?? null,
      explicitCountry,
      extension: parsed.ext ?? null,
    };
  } catch {
    // libphonenumber throws on some malformed inputs (e.g. too long); those are simply not possible.
    return null;
  }
}
