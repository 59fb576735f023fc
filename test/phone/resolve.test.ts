// The one phone resolver (docs/phone-matching.md): +/00/the region's international prefix mean
// international, else national in the region; vanity letters, extensions; isPossible; never throws.
import fc from "fast-check";
import { getCountries, getCountryCallingCode, parsePhoneNumberFromString } from "libphonenumber-js";
import { describe, expect, it } from "vitest";
import { internationalReadings, resolvePhone, splitPhoneText } from "../../src/phone/resolve";

describe("resolvePhone", () => {
  it("reads E.164 and 00-prefixed numbers as international", () => {
    expect(resolvePhone("+447700900123", "US")).toMatchObject({ e164: "+447700900123", nsn: "7700900123", explicitCountry: true });
    expect(resolvePhone("00447700900123", "US")).toMatchObject({ e164: "+447700900123", explicitCountry: true });
    expect(resolvePhone("00 44 7700 900123", "US")).toMatchObject({ e164: "+447700900123" });
    expect(resolvePhone("+44 (0)20 7946 0000", "US")).toMatchObject({ e164: "+442079460000" });
    expect(resolvePhone("0044 (0)20 7946 0000", "US")).toMatchObject({ e164: "+442079460000" });
  });
  it("understands the region's international call prefix", () => {
    expect(resolvePhone("011 44 7700 900123", "US")).toMatchObject({ e164: "+447700900123", explicitCountry: true });
    expect(resolvePhone("011 44 7700 900123", "CA")).toMatchObject({ e164: "+447700900123", explicitCountry: true });
    expect(resolvePhone("0011 44 7700 900123", "AU")).toMatchObject({ e164: "+447700900123", explicitCountry: true });
    expect(resolvePhone("010 44 7700 900123", "JP")).toMatchObject({ e164: "+447700900123", explicitCountry: true });
    expect(resolvePhone("810 44 7700 900123", "RU")).toMatchObject({ e164: "+447700900123", explicitCountry: true });
    // Where `00` and the region's prefix both fit, a number in an assigned range wins, else `00`.
    expect(resolvePhone("0011 1 415 555 0142", "AU")).toMatchObject({ e164: "+14155550142" });
    expect(resolvePhone("0091 98020 00000", "SG")).toMatchObject({ e164: "+919802000000" });
    // Another region's prefix is just digits there: 011… is not a possible GB number.
    expect(resolvePhone("011 44 7700 900123", "GB")).toBeNull();
  });
  it("uses the region for national numbers, with any punctuation", () => {
    expect(resolvePhone("07700 900123", "GB")).toMatchObject({ e164: "+447700900123", explicitCountry: false });
    expect(resolvePhone("(972) 523-2266", "US")).toMatchObject({ e164: "+19725232266", nsn: "9725232266" });
    expect(resolvePhone("447700900123", "GB")).toMatchObject({ e164: "+447700900123" });
    expect(resolvePhone("06 1234 5678", "IT")).toMatchObject({ e164: "+390612345678", nsn: "0612345678" });
    expect(resolvePhone("07700 900123", null)).toBeNull();
  });
  it("keeps extensions apart from the number, in every usual spelling", () => {
    expect(resolvePhone("+1 415 555 0142 ext. 12", null)).toMatchObject({ e164: "+14155550142", extension: "12" });
    for (const text of [
      "020 7946 0000 x12",
      "020 7946 0000 X 12",
      "020 7946 0000 ext12",
      "020 7946 0000;ext=12",
      "020 7946 0000 #12",
      "020 7946 0000, extension 12",
    ]) {
      expect(resolvePhone(text, "GB"), text).toMatchObject({ e164: "+442079460000", extension: "12" });
    }
  });
  it("reads vanity letters as keypad digits (E.161), but not free text", () => {
    expect(resolvePhone("1-800-FLOWERS", "US")).toMatchObject({ e164: "+18003569377" });
    expect(resolvePhone("+1 800 flowers", null)).toMatchObject({ e164: "+18003569377" });
    expect(resolvePhone("0800 FLOWERS", "GB")).toMatchObject({ e164: "+448003569377" });
    expect(resolvePhone("1-800-FLOWERS x5", "US")).toMatchObject({ e164: "+18003569377", extension: "5" });
    for (const text of ["n/a", "call me", "unknown", "call me after 5", "see notes 07700"])
      expect(resolvePhone(text, "US"), text).toBeNull();
  });
  it("rejects garbage and impossible lengths without throwing", () => {
    for (const s of ["", "n/a", "call me", "123", "+999999999999999999999", "\u0000", "0".repeat(500)]) {
      expect(resolvePhone(s, "GB")).toBeNull();
    }
    expect(resolvePhone(undefined, "GB")).toBeNull();
    expect(resolvePhone("07700 900123", "ZZ")).toBeNull();
  });
});

describe("splitPhoneText and internationalReadings", () => {
  it("splits the extension off and converts letters only in a vanity number", () => {
    expect(splitPhoneText(" 1-800-FLOWERS ext. 9 ")).toEqual({ number: "1-800-3569377", extension: "9" });
    expect(splitPhoneText("#12")).toEqual({ number: "#12", extension: null });
    expect(splitPhoneText("Box 12")).toEqual({ number: "Box 12", extension: null });
  });
  it("counts an international prefix as naming a country only when a possible number follows", () => {
    expect(internationalReadings("011 44 7700 900123", "US")).toMatchObject({ named: true, readings: [{ e164: "+447700900123" }] });
    expect(internationalReadings("011 4", "US")).toEqual({ named: false, readings: [] });
    // `+` and `00` always name a country, possible or not.
    expect(internationalReadings("+44 12", "US")).toEqual({ named: true, readings: [] });
    expect(internationalReadings("0044 12", "US")).toEqual({ named: true, readings: [] });
  });
});

describe("the parse memo of `+` text", () => {
  /** What the resolver takes from a libphonenumber parse. */
  function reading(text: string) {
    try {
      const p = parsePhoneNumberFromString(text);
      return p
        ? { e164: p.number, nsn: p.nationalNumber, cc: p.countryCallingCode, country: p.country, ext: p.ext, possible: p.isPossible() }
        : null;
    } catch {
      return "throws";
    }
  }
  const callingCodes = [...new Set(getCountries().map((c) => getCountryCallingCode(c)))];
  const marks = fc.constantFrom("", "", "", " ", "-", ".", "(", ")", "/", " (0)", "(0)", " - ");

  it("relies on libphonenumber reading only the digits of `+`, digits and punctuation", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...callingCodes),
        fc.array(fc.tuple(marks, fc.integer({ min: 0, max: 9 })), { minLength: 3, maxLength: 14 }),
        (cc, rest) => {
          const text = `+${rest.reduce((out, [mark, d]) => `${out}${mark}${d}`, cc.split("").join(" "))}`;
          expect(reading(text)).toEqual(reading(`+${text.replace(/\D/g, "")}`));
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it("answers as the first parse did, punctuated or not, without sharing the answer", () => {
    const first = resolvePhone("+44 (0)20 7946 0001", "US");
    const again = resolvePhone("+4402079460001", null);
    expect(again).toEqual(first);
    expect(again).not.toBe(first);
    expect(resolvePhone("+442079460001", "DE")).toEqual(first);
  });
});
