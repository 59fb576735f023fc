// Property tests of phone parsing: any text is handled without throwing, and every supported way of
// writing a number (E.164, 00, international without +, national with punctuation, region param)
// resolves to the same E.164 with the right "named a country" flag. Runs are bounded for CI.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parsePhoneQuery, phoneKeys } from "../../src/phone/match";
import { digitsOf, resolvePhone, splitPhoneText } from "../../src/phone/resolve";
import { arbNumber, arbWritten, PLANS } from "../helpers/phone-formats";

const RUNS = { numRuns: 200 };

/** Strings of any UTF-16 code units, lone surrogates and control characters included. */
const anyUnits = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 80 });
/** Strings that look like phone numbers, where parsers have the most branches. */
const phoneish = fc.string({ unit: fc.constantFrom(..."+0123456789 ()-.x#*/extEXT,;\u00a0\uff11"), maxLength: 40 });
const anyText = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: "binary", maxLength: 80 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  anyUnits,
  phoneish,
);
const anyRegion = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.constantFrom("GB", "us", "ZZ", "", " de ", "XYZ"),
  fc.string({ maxLength: 3 }),
);

describe("never throws", () => {
  it("resolvePhone on arbitrary text and regions", () => {
    fc.assert(
      fc.property(anyText, anyRegion, (text, region) => {
        const r = resolvePhone(text, region);
        if (r) expect(r.e164).toMatch(/^\+\d{2,18}$/);
      }),
      RUNS,
    );
  });

  it("parsePhoneQuery on arbitrary text and regions, with well-formed results", () => {
    fc.assert(
      fc.property(anyText, anyRegion, anyRegion, (text, region, tenantRegion) => {
        const r = parsePhoneQuery(text, { region, tenantRegion: tenantRegion ?? null });
        if (r.ok) {
          // At least 5 digits once vanity letters are keypad digits and an extension is split off.
          expect(digitsOf(splitPhoneText(text)?.number ?? "").length).toBeGreaterThanOrEqual(5);
          for (const nsn of [...r.query.nationalNsns, ...r.query.partialNsns]) expect(nsn).toMatch(/^\d+$/);
          for (const reading of r.query.readings) expect(reading.e164).toBe(`+${reading.callingCode}${reading.nsn}`);
          if (r.query.namedCountry) expect(r.query.nationalNsns).toEqual([]);
          expect(typeof r.query.cacheKey).toBe("string");
        } else {
          expect(["too_few_digits", "too_long", "bad_region"]).toContain(r.error.reason);
        }
      }),
      RUNS,
    );
  });

  it("phoneKeys on arbitrary stored phones", () => {
    fc.assert(
      fc.property(anyText, fc.boolean(), anyRegion, (text, valid, region) => {
        const keys = phoneKeys({ number: text, type: "other", valid, raw: text }, region);
        if (keys) expect(keys.rnsn).toBe([...keys.nsn].reverse().join(""));
      }),
      RUNS,
    );
  });
});

describe("every supported format resolves alike", () => {
  it("to a reading with the same E.164, naming the country exactly when the contract says", () => {
    const arb = arbNumber.chain((n) => {
      const other = PLANS.find((p) => p.region !== n.plan.region)!.region;
      return fc.tuple(fc.constant(n), arbWritten(n, other));
    });
    fc.assert(
      fc.property(arb, ([n, w]) => {
        const r = parsePhoneQuery(w.text, { region: w.region, tenantRegion: w.tenantRegion });
        expect(r.ok, `${w.how}: ${w.text}`).toBe(true);
        if (!r.ok) return;
        const reading = r.query.readings.find((x) => x.e164 === n.e164);
        expect(reading, `${w.how}: ${w.text}`).toBeDefined();
        expect(reading?.nsn).toBe(n.nsn);
        expect(r.query.namedCountry, w.how).toBe(w.namesCountry);
      }),
      RUNS,
    );
  });
});
