// Phone match layer: index keys of stored phones, the query rules of the contract (+/00, region,
// tenant default, fewer than 5 digits), the three match levels and the index probes that find them.
import { describe, expect, it } from "vitest";
import type { PersonPhone } from "../../src/domain/person";
import {
  matchLevel,
  type PhoneQuery,
  parsePhoneQuery,
  personPhoneKeys,
  phoneKeys,
  phoneProbes,
  phoneQueryProblem,
  reverseDigits,
} from "../../src/phone/match";

const valid = (number: string): PersonPhone => ({ number, type: "mobile", valid: true, raw: number });
const invalid = (raw: string): PersonPhone => ({ number: raw, type: "home", valid: false, raw });

function q(text: string, opts: { region?: string; tenantRegion?: string | null } = {}): PhoneQuery {
  const r = parsePhoneQuery(text, { region: opts.region, tenantRegion: opts.tenantRegion ?? "GB" });
  if (!r.ok) throw new Error(`unexpected rejection of ${text}: ${r.error.reason}`);
  return r.query;
}

describe("phoneKeys", () => {
  it("indexes E.164, national number, calling code and the reversed national number", () => {
    expect(phoneKeys(valid("+447700900123"), "US")).toEqual({
      e164: "+447700900123",
      nsn: "7700900123",
      callingCode: "44",
      rnsn: "3210090077",
    });
  });
  it("retries an invalid phone's raw text with the tenant region", () => {
    expect(phoneKeys(invalid("07700 900123"), "GB")).toMatchObject({ e164: "+447700900123" });
    expect(phoneKeys(invalid("n/a"), "GB")).toBeNull();
    expect(phoneKeys(invalid("123"), "GB")).toBeNull();
  });
  it("ignores extensions and keeps one key set per distinct number", () => {
    const keys = personPhoneKeys(
      [valid("+14155550142"), { number: "+14155550142", type: "work", valid: true, raw: "+1 415 555 0142 ext. 7" }, invalid("x")],
      "GB",
    );
    expect(keys.map((k) => k.e164)).toEqual(["+14155550142"]);
  });
});

const e164s = (query: PhoneQuery) => query.readings.map((r) => r.e164);

describe("parsePhoneQuery", () => {
  it("treats +, 00 and the region's international prefix as naming the country", () => {
    expect(q("+44 7700 900123", { tenantRegion: "US" })).toMatchObject({
      readings: [{ how: "international", e164: "+447700900123", nsn: "7700900123", callingCode: "44" }],
      nationalNsns: [],
      namedCountry: true,
    });
    expect(q("00447700900123", { tenantRegion: "US" })).toMatchObject({ readings: [{ e164: "+447700900123" }], namedCountry: true });
    expect(q("011 44 7700 900123", { tenantRegion: "US" })).toMatchObject({ readings: [{ e164: "+447700900123" }], namedCountry: true });
    expect(q("0011 44 7700 900123", { tenantRegion: "AU" })).toMatchObject({ readings: [{ e164: "+447700900123" }], namedCountry: true });
    expect(q("010 44 7700 900123", { tenantRegion: "JP" })).toMatchObject({ readings: [{ e164: "+447700900123" }], namedCountry: true });
  });
  it("uses the region parameter, which also names the country", () => {
    expect(q("(415) 555-0142", { region: "us", tenantRegion: "GB" })).toMatchObject({
      readings: [{ how: "national", e164: "+14155550142" }],
      nationalNsns: [],
      namedCountry: true,
    });
    expect(q("011 44 7700 900123", { region: "US", tenantRegion: "GB" })).toMatchObject({ readings: [{ e164: "+447700900123" }] });
  });
  it("falls back to the tenant region without naming a country", () => {
    expect(q("07700 900123")).toMatchObject({ readings: [{ how: "national", e164: "+447700900123" }], namedCountry: false });
    expect(q("7700-900-123")).toMatchObject({ readings: [{ e164: "+447700900123" }], namedCountry: false });
  });
  it("reads digits that start with a country code as international without +, beside the national reading", () => {
    expect(e164s(q("447700900123", { tenantRegion: "US" }))).toEqual(["+447700900123"]);
    expect(e164s(q("491711234567", { tenantRegion: "DE" }))).toEqual(["+491711234567", "+49491711234567"]);
    expect(e164s(q("919876543210", { tenantRegion: "GB" }))).toEqual(["+919876543210"]);
    expect(q("447700900123", { tenantRegion: "US" }).namedCountry).toBe(false);
  });
  it("reads another country's national number with and without its trunk 0", () => {
    expect(q("07700 900123", { tenantRegion: "US" })).toMatchObject({ readings: [], nationalNsns: ["07700900123", "7700900123"] });
    expect(q("06 1234 5678", { tenantRegion: "GB" }).nationalNsns).toEqual(["612345678", "0612345678"]);
    expect(q("1 415 555 0142", { tenantRegion: "US" }).nationalNsns).toEqual(["4155550142", "14155550142"]);
  });
  it("reads a leading space (an unencoded +) as +, unless that reads as nothing", () => {
    expect(q(" 447700900123", { tenantRegion: "US" })).toMatchObject({
      readings: [{ how: "international", e164: "+447700900123" }],
      namedCountry: true,
    });
    expect(q("  44 7700 900123", { tenantRegion: "US" })).toMatchObject({ readings: [{ e164: "+447700900123" }], namedCountry: true });
    expect(q(" 07700 900123")).toMatchObject({ readings: [{ how: "national", e164: "+447700900123" }], namedCountry: false });
  });
  it("converts vanity letters and ignores extensions", () => {
    expect(e164s(q("1-800-FLOWERS", { tenantRegion: "US" }))).toEqual(["+18003569377"]);
    for (const text of ["020 7946 0000 x12", "020 7946 0000 ext. 12", "020 7946 0000;ext=12", "020 7946 0000 #12"]) {
      expect(q(text)).toMatchObject({ readings: [{ e164: "+442079460000" }], extension: "12" });
    }
  });
  it("gives texts that read alike the same cache key, and named/unnamed different ones", () => {
    expect(q("07700 900123").cacheKey).toBe(q("07700-900-123").cacheKey);
    expect(q("+447700900123").cacheKey).toBe(q("00 44 7700 900123").cacheKey);
    expect(q("+447700900123").cacheKey).toBe(q(" 447700900123").cacheKey);
    expect(q("+447700900123").cacheKey).not.toBe(q("07700900123").cacheKey);
    expect(q("020 7946 0000 x12").cacheKey).toBe(q("020 7946 0000").cacheKey);
  });
  it("keeps the national digits of a number that is not possible, for suffix matching", () => {
    expect(q("555 0142", { tenantRegion: "US" })).toMatchObject({
      readings: [],
      nationalNsns: ["5550142"],
      partialNsns: ["5550142"],
      namedCountry: false,
    });
    expect(q("+44 1234 56", { tenantRegion: "US" })).toMatchObject({ readings: [], partialNsns: ["123456"], namedCountry: true });
  });
  it("rejects fewer than 5 digits, overlong text and unknown regions", () => {
    for (const text of ["", "1234", "+44 12", "abc", "12-34"]) {
      expect(parsePhoneQuery(text, { tenantRegion: "GB" })).toMatchObject({ ok: false, error: { reason: "too_few_digits" } });
    }
    expect(parsePhoneQuery("1".repeat(30), { tenantRegion: "GB" })).toMatchObject({ ok: false, error: { reason: "too_long" } });
    expect(parsePhoneQuery("1 ".repeat(40), { tenantRegion: "GB" })).toMatchObject({ ok: false, error: { reason: "too_long" } });
    expect(parsePhoneQuery("07700900123", { region: "ZZ", tenantRegion: "GB" })).toMatchObject({
      ok: false,
      error: { reason: "bad_region" },
    });
    expect(parsePhoneQuery("07700900123", { region: "GBR", tenantRegion: "GB" })).toMatchObject({
      ok: false,
      error: { reason: "bad_region" },
    });
  });
  it("turns a rejection into a 400 problem naming the parameter", () => {
    const r = parsePhoneQuery("12", { tenantRegion: "GB" });
    if (r.ok) throw new Error("expected rejection");
    const err = phoneQueryProblem(r.error);
    expect(err.status).toBe(400);
    expect(err.errors).toEqual([{ field: "phone", message: expect.any(String) }]);
  });
});

describe("matchLevel", () => {
  const gb = phoneKeys(valid("+447700900123"), "GB")!;
  const us = phoneKeys(valid("+17700900123"), "GB")!;
  const longer = phoneKeys(valid("+4930700900123"), "GB")!; // nsn 30700900123 ends with 700900123
  const level = (query: PhoneQuery, stored: { e164: string; nsn: string }, partial = false) =>
    matchLevel(query, stored, { partial })?.level ?? null;

  it("exact: the same E.164 whichever way the query named the country", () => {
    expect(matchLevel(q("07700 900123"), gb, { partial: false })).toEqual({ level: "exact", matchedAs: "+447700900123" });
    expect(level(q("+447700900123"), gb)).toBe("exact");
    expect(level(q("7700900123", { region: "GB", tenantRegion: "US" }), gb)).toBe("exact");
    expect(level(q("447700900123", { tenantRegion: "US" }), gb)).toBe("exact");
  });
  it("national: same national number, other country, only when the query named none", () => {
    expect(matchLevel(q("07700 900123"), us, { partial: false })).toEqual({ level: "national", matchedAs: "7700900123" });
    expect(level(q("+447700900123"), us)).toBeNull();
    expect(level(q("7700900123", { region: "GB" }), us)).toBeNull();
    expect(matchLevel(q("07700 900123", { tenantRegion: "US" }), gb, { partial: false })).toEqual({
      level: "national",
      matchedAs: "7700900123",
    });
  });
  it("partial: a shorter suffix of at least 7 digits, only when asked", () => {
    const local = q("700 900123"); // 9 digits: a suffix of both stored numbers
    expect(level(local, longer)).toBeNull();
    expect(matchLevel(local, longer, { partial: true })).toEqual({ level: "partial", matchedAs: "700900123" });
    expect(level(q("+4930700900123"), gb, true)).toBeNull(); // 7700900123 is not a suffix
    expect(level(q("+44 1 7700 900123", { tenantRegion: "US" }), gb, true)).toBe("partial");
    // the shorter side must have 7 digits: 900123 (6) never matches partially
    const short = { e164: "+44900123", nsn: "900123" };
    expect(level(q("07700 900123"), short, true)).toBeNull();
  });
});

describe("phoneProbes", () => {
  it("lists exact, national and both suffix directions as index probes, in rank order", () => {
    const probes = phoneProbes(q("07700 900123"), { partial: true });
    expect(probes).toEqual([
      { level: "exact", matchedAs: "+447700900123", column: "e164", value: "+447700900123" },
      { level: "national", matchedAs: "7700900123", column: "nsn", value: "7700900123" },
      { level: "national", matchedAs: "07700900123", column: "nsn", value: "07700900123" },
      { level: "partial", matchedAs: "7700900123", column: "rnsn_in", values: ["3210090", "32100900", "321009007"] },
      { level: "partial", matchedAs: "7700900123", column: "rnsn_range", from: "3210090077", to: "3210090077:" },
      // the reversed prefixes of the longer reading that the first did not already probe
      { level: "partial", matchedAs: "07700900123", column: "rnsn_in", values: ["3210090077"] },
      { level: "partial", matchedAs: "07700900123", column: "rnsn_range", from: "32100900770", to: "32100900770:" },
    ]);
  });
  it("has no national probe for a named country and no suffix probes without partial", () => {
    expect(phoneProbes(q("+447700900123"), { partial: false })).toEqual([
      { level: "exact", matchedAs: "+447700900123", column: "e164", value: "+447700900123" },
    ]);
  });
  it("reverses digit strings", () => {
    expect(reverseDigits("0123456789")).toBe("9876543210");
    expect(reverseDigits("")).toBe("");
  });
});
