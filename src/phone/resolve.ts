import { type CountryCode, getCountryCallingCode, isSupportedCountry, Metadata, parsePhoneNumberFromString } from "libphonenumber-js";

/**
 * The one phone resolver of the bridge (docs/phone-matching.md). Stored numbers (the adapter and the
 * directory index), `PATCH /v1/candidates/{id}`, Talkdesk `update_contact` and the search query all read
 * phone text through the functions here, so a number one of them accepts is a number the others find.
 *
 * Rules (docs/contracts/v1-api.md "Entities" and "Search"): a leading `+`, `00` or the region's international
 * call prefix (`011` in NANP, `0011` in AU, `010` in JP, …) means international; otherwise the number is
 * national in the given region. Vanity letters are keypad digits (ITU-T E.161); an extension (`x12`,
 * `ext. 12`, `;ext=12`, `#12`) is split off and never part of the number. A number is accepted when
 * libphonenumber finds it *possible* (not `isValid`: valid ranges change and fictional ranges are real
 * test data). Nothing here throws, whatever the input.
 */
export interface ResolvedPhone {
  /** E.164 (`+447700900123`), extension excluded. */
  e164: string;
  /** National significant number (`7700900123`; Italian numbers keep their leading zero: `0612345678`). */
  nsn: string;
  /** Country calling code without `+` (`44`). */
  callingCode: string;
  /** ISO region when libphonenumber can tell, else null (shared calling codes such as +1 may resolve). */
  region: string | null;
  /** True when the text itself named the country (`+`, `00` or the region's international prefix). */
  explicitCountry: boolean;
  extension: string | null;
}

/** Longer text is never a phone number (E.164 has 15 digits; this leaves room for punctuation and an extension). */
export const MAX_PHONE_TEXT_LENGTH = 64;

const REGION = /^[A-Z]{2}$/;

/** An upper-cased ISO 3166 alpha-2 shape, or undefined (not checked against libphonenumber). */
export function normalizeRegion(region: string | null | undefined): CountryCode | undefined {
  const r = (region ?? "").trim().toUpperCase();
  return REGION.test(r) ? (r as CountryCode) : undefined;
}

/** A region libphonenumber knows, or undefined (an unknown one would make every national number impossible). */
export function knownRegion(region: string | null | undefined): CountryCode | undefined {
  const r = normalizeRegion(region);
  return r && isSupportedCountry(r) ? r : undefined;
}

/** Digits only, for length checks and suffix keys. */
export function digitsOf(text: string): string {
  return text.replace(/\D+/g, "");
}

/** Phone text split into the number and its extension, vanity letters already turned into digits. */
export interface PhoneText {
  /** The number part as written (punctuation kept, letters converted). */
  number: string;
  extension: string | null;
}

// An extension at the end: RFC 3966 `;ext=12`, or `ext`/`ext.`/`extn`/`extension`/`x`/`#` then digits.
// The marker must not follow a letter, so the `x` of a vanity word (`…BOX12`) is not read as one.
const EXTENSION = /(?:;\s*ext\s*=\s*|(?<![A-Za-z])[\s,]*(?:ext(?:ension|n)?\.?|x|#)\s*:?\s*)(\d{1,10})\s*#?$/i;
// A vanity number begins with at least three digits (`1-800-FLOWERS`, `0800 FLOWERS`): free text such as
// "n/a" or "call me" never does, so its letters are not mistaken for keypad digits.
const VANITY = /^\+?[\s().\-/]*(?:\d[\s().\-/]*){3,}[A-Za-z][A-Za-z\d\s().\-/]*$/;
const KEYPAD = "22233344455566677778889999";

/** ITU-T E.161 keypad: ABC → 2, DEF → 3, … WXYZ → 9. */
function keypadDigits(text: string): string {
  return text.replace(/[A-Za-z]/g, (ch) => KEYPAD[ch.toUpperCase().charCodeAt(0) - 65]!);
}

/** Splits phone text into number and extension (NFKC first: full-width digits are digits). Null when empty or too long. */
export function splitPhoneText(text: string | null | undefined): PhoneText | null {
  if (typeof text !== "string") return null;
  let input = text.normalize("NFKC").trim();
  if (input.length === 0 || input.length > MAX_PHONE_TEXT_LENGTH) return null;
  let extension: string | null = null;
  const ext = EXTENSION.exec(input);
  if (ext && ext.index > 0) {
    extension = ext[1]!;
    input = input.slice(0, ext.index).trim();
  }
  if (VANITY.test(input)) input = keypadDigits(input);
  return { number: input, extension };
}

// International call prefixes per region from libphonenumber's metadata (a pattern: AU has several).
let metadata: Metadata | null = null;
const iddPatterns = new Map<string, RegExp | null>();

/** The region's international call prefix as an anchored pattern, or null when it is `00` (read everywhere) or unknown. */
function iddPattern(region: CountryCode): RegExp | null {
  let pattern = iddPatterns.get(region);
  if (pattern === undefined) {
    metadata ??= new Metadata();
    metadata.selectNumberingPlan(region);
    const idd = metadata.numberingPlan?.IDDPrefix();
    pattern = idd && idd !== "00" ? new RegExp(`^(?:${idd})`) : null;
    iddPatterns.set(region, pattern);
  }
  return pattern;
}

/** Reads `digits` as an international number (country code first), or null when that is not possible. */
export function readInternational(digits: string): ResolvedPhone | null {
  if (!/^[1-9]\d{1,17}$/.test(digits)) return null;
  return parsed(`+${digits}`, undefined, true);
}

/** Reads text as a national number of `region` (its trunk prefix understood), or null when not possible there. */
export function readNational(number: string, region: CountryCode): ResolvedPhone | null {
  const r = parsed(number, region, false);
  // libphonenumber also strips the region's international prefix on its own; such a reading is not national.
  return r && r.callingCode === getCountryCallingCode(region) ? r : null;
}

/**
 * The national part of a number that names its country but is not possible, for suffix matching only:
 * libphonenumber's reading when it recognizes a calling code, else the digits after `+`/`00`.
 */
export function looseNationalNumber(number: string): string {
  const digits = digitsOf(number);
  const bare = number.startsWith("+") ? digits : digits.replace(/^00/, "");
  try {
    const p = parsePhoneNumberFromString(`+${bare}`);
    if (p && /^\d+$/.test(p.nationalNumber)) return p.nationalNumber;
  } catch {
    // Not even a calling code: the bare digits below.
  }
  return bare;
}

// Parses remembered: a sync resolves each stored number when it normalizes a candidate, and again (its
// E.164, or the same text when it was not possible) moments later when it writes the candidate's phone
// keys; this makes the second a lookup. `+` followed by digits and punctuation is remembered by its
// digits, because libphonenumber reads only those (test/phone/resolve.test.ts checks it): `+44 7700 900123`
// as stored and `+447700900123` as normalized are one parse. Other text is remembered as it is, with its
// region. Bounded to a few sync pages of numbers (pipelined pages included): two generations, the older
// dropped whole when the newer fills, so nothing is ever scanned.
const INTERNATIONAL_TEXT = /^\+[\d\s().\-/]*$/;
const REMEMBERED_PER_GENERATION = 8_192;
let rememberedNow = new Map<string, ResolvedPhone | null>();
let rememberedBefore = new Map<string, ResolvedPhone | null>();

function parsed(text: string, region: CountryCode | undefined, explicitCountry: boolean): ResolvedPhone | null {
  const key =
    region === undefined && explicitCountry && INTERNATIONAL_TEXT.test(text)
      ? `+${digitsOf(text)}`
      : `${region ?? ""}|${explicitCountry ? "+" : ""}|${text}`;
  // `null` (not a possible number) is remembered too: only `undefined` is a miss.
  let r = rememberedNow.get(key);
  if (r === undefined) r = rememberedBefore.get(key);
  if (r === undefined) {
    r = parsedNow(text, region, explicitCountry);
    if (rememberedNow.size >= REMEMBERED_PER_GENERATION) {
      rememberedBefore = rememberedNow;
      rememberedNow = new Map();
    }
    rememberedNow.set(key, r);
  }
  // A copy: callers may spread or extend what they get.
  return r && { ...r };
}

function parsedNow(text: string, region: CountryCode | undefined, explicitCountry: boolean): ResolvedPhone | null {
  try {
    const p = parsePhoneNumberFromString(text, region ? { defaultCountry: region } : undefined);
    if (!p?.isPossible()) return null;
    return {
      e164: p.number,
      nsn: p.nationalNumber,
      callingCode: p.countryCallingCode,
      region: p.country ?? null,
      explicitCountry,
      extension: p.ext ?? null,
    };
  } catch {
    // libphonenumber throws on some malformed inputs (e.g. too long); those are simply not possible.
    return null;
  }
}

/** How a number names its country, if it does, and the readings that follow. */
export interface InternationalReadings {
  /** The text starts with `+` or `00`, or with the region's international prefix followed by a possible number. */
  named: boolean;
  /**
   * The possible international readings, best first: several when prefixes overlap (KR `001` and `00`),
   * then one in an assigned range (`isValid`) before one that is only possible, else `00` first.
   */
  readings: ResolvedPhone[];
}

/**
 * The international readings of a number part (`splitPhoneText().number`): `+…` as written (so that
 * libphonenumber understands `+44 (0)20 …`); else `00` stripped, and the region's international prefix.
 * `+` and `00` name a country even when what follows is not possible; another international prefix does
 * so only when it is followed by a possible number, because some of them (`8~10`, `0[09]`, …) could also
 * begin a national number.
 */
export function internationalReadings(number: string, region: CountryCode | undefined): InternationalReadings {
  if (number.startsWith("+")) {
    const r = parsed(number, undefined, true);
    return { named: true, readings: r ? [r] : [] };
  }
  if (/[^\d\s().\-/]/.test(number)) return { named: false, readings: [] };
  const digits = digitsOf(number);
  const readings: ResolvedPhone[] = [];
  const add = (r: ResolvedPhone | null) => {
    if (r && !readings.some((x) => x.e164 === r.e164)) readings.push(r);
  };
  // `00` first: the contract names it, and it is what people write almost everywhere.
  const doubleZero = /^00[1-9]/.test(digits);
  if (doubleZero) add(readInternational(digits.slice(2)));
  const idd = region ? iddPattern(region)?.exec(digits) : null;
  if (idd) add(readInternational(digits.slice(idd[0].length)));
  // Both prefixes may fit (Australia's `0011` and `00` before `1 415…`; Singapore's `009` and `00` before
  // `91…`): a reading in a range the numbering plan assigns goes first (the sort keeps the order otherwise).
  if (readings.length > 1) readings.sort((a, b) => Number(isValidNumber(b.e164)) - Number(isValidNumber(a.e164)));
  return { named: doubleZero || readings.length > 0, readings };
}

function isValidNumber(e164: string): boolean {
  try {
    return parsePhoneNumberFromString(e164)?.isValid() ?? false;
  } catch {
    return false;
  }
}

/**
 * Resolves phone text to one number: international when the text names its country (`+`, `00`, the
 * region's international prefix), else national in `region`. Null when that reading is not possible.
 * This is the acceptance rule of stored numbers and of `PATCH /v1/candidates/{id}`.
 */
export function resolvePhone(text: string | null | undefined, region?: string | null): ResolvedPhone | null {
  const split = splitPhoneText(text);
  if (!split) return null;
  const r = knownRegion(region);
  const international = internationalReadings(split.number, r);
  const reading = international.named ? (international.readings[0] ?? null) : r ? readNational(split.number, r) : null;
  return reading && { ...reading, extension: split.extension ?? reading.extension };
}
