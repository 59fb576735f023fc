// Test-only generators: possible phone numbers of several countries and the many ways people write them.
import fc from "fast-check";
import { parsePhoneNumberFromString } from "libphonenumber-js";

export interface Plan {
  region: string;
  callingCode: string;
  prefix: string;
  length: number;
  /** Whether `<cc><nsn>` without `+` is unambiguous under this region (false where national numbers
   * may be as long as that, e.g. Germany: `4915…` is also a possible national number there). */
  bareInternational: boolean;
}

/** Ranges that are possible numbers (libphonenumber `isPossible`), including fictional test ranges. */
export const PLANS: Plan[] = [
  { region: "GB", callingCode: "44", prefix: "7700900", length: 10, bareInternational: true },
  { region: "GB", callingCode: "44", prefix: "20", length: 10, bareInternational: true },
  { region: "US", callingCode: "1", prefix: "415555", length: 10, bareInternational: true },
  { region: "FR", callingCode: "33", prefix: "6", length: 9, bareInternational: true },
  { region: "DE", callingCode: "49", prefix: "151", length: 11, bareInternational: false },
  { region: "AU", callingCode: "61", prefix: "4", length: 9, bareInternational: true },
  { region: "IE", callingCode: "353", prefix: "85", length: 9, bareInternational: true },
];

export interface GeneratedNumber {
  plan: Plan;
  nsn: string;
  e164: string;
  /** libphonenumber's national format, e.g. `07700 900123`, `(415) 555-0123`. */
  national: string;
}

/** A possible number of one of the plans. */
export const arbNumber: fc.Arbitrary<GeneratedNumber> = fc
  .record({
    plan: fc.constantFrom(...PLANS),
    digits: fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 12, maxLength: 12 }),
  })
  .map(({ plan, digits }) => {
    const nsn = (plan.prefix + digits.join("")).slice(0, plan.length);
    const parsed = parsePhoneNumberFromString(`+${plan.callingCode}${nsn}`);
    return { plan, nsn, e164: parsed?.number ?? "", national: parsed?.formatNational() ?? "" };
  })
  .filter((n) => n.e164 !== "");

/** Regroups a digit string with random separators (spaces, dashes, dots, parentheses around a group). */
export function arbPunctuated(digits: string): fc.Arbitrary<string> {
  return fc
    .record({
      cuts: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 8 }),
      seps: fc.array(fc.constantFrom(" ", "-", ".", " - ", "  ", ""), { minLength: 8, maxLength: 8 }),
      parens: fc.boolean(),
    })
    .map(({ cuts, seps, parens }) => {
      const groups: string[] = [];
      let i = 0;
      for (const cut of cuts) {
        if (i >= digits.length) break;
        groups.push(digits.slice(i, i + cut));
        i += cut;
      }
      if (i < digits.length) groups.push(digits.slice(i));
      if (parens && groups.length > 1) groups[0] = `(${groups[0]})`;
      return groups.reduce((acc, g, k) => (k === 0 ? g : acc + seps[k % seps.length] + g), "");
    });
}

export type Written = { text: string; region?: string; tenantRegion: string; namesCountry: boolean; how: string };

/** The supported ways to write one number, each with the parameters it needs. */
export function arbWritten(n: GeneratedNumber, otherRegion: string): fc.Arbitrary<Written> {
  const { plan, nsn } = n;
  const nationalDigits = n.national.replace(/\D/g, "");
  const options: fc.Arbitrary<Written>[] = [
    fc.constant({ text: n.e164, tenantRegion: otherRegion, namesCountry: true, how: "e164" }),
    arbPunctuated(nsn).map((t) => ({ text: `+${plan.callingCode} ${t}`, tenantRegion: otherRegion, namesCountry: true, how: "+ spaced" })),
    arbPunctuated(plan.callingCode + nsn).map((t) => ({ text: `00${t}`, tenantRegion: otherRegion, namesCountry: true, how: "00" })),
    fc.constant({ text: `00 ${plan.callingCode} ${nsn}`, tenantRegion: otherRegion, namesCountry: true, how: "00 spaced" }),
    fc.constant({ text: n.national, tenantRegion: plan.region, namesCountry: false, how: "national" }),
    arbPunctuated(nationalDigits).map((t) => ({ text: t, tenantRegion: plan.region, namesCountry: false, how: "national punctuated" })),
    arbPunctuated(nationalDigits).map((t) => ({
      text: t,
      region: plan.region,
      tenantRegion: otherRegion,
      namesCountry: true,
      how: "region param",
    })),
  ];
  if (plan.bareInternational) {
    options.push(
      fc.constant({ text: plan.callingCode + nsn, tenantRegion: plan.region, namesCountry: false, how: "international without +" }),
    );
  }
  return fc.oneof(...options);
}

/** One possible range per country of the caller-ID requirement (issue 9), and whether it has the trunk prefix 0. */
export interface CountryPlan {
  region: string;
  callingCode: string;
  prefix: string;
  length: number;
  trunkZero: boolean;
}

export const COUNTRY_PLANS: CountryPlan[] = [
  { region: "GB", callingCode: "44", prefix: "7700900", length: 10, trunkZero: true },
  { region: "GB", callingCode: "44", prefix: "20", length: 10, trunkZero: true },
  { region: "US", callingCode: "1", prefix: "415555", length: 10, trunkZero: false },
  { region: "CA", callingCode: "1", prefix: "416555", length: 10, trunkZero: false },
  { region: "DE", callingCode: "49", prefix: "151", length: 11, trunkZero: true },
  { region: "DE", callingCode: "49", prefix: "30", length: 10, trunkZero: true },
  { region: "FR", callingCode: "33", prefix: "6", length: 9, trunkZero: true },
  { region: "IT", callingCode: "39", prefix: "06", length: 10, trunkZero: false },
  { region: "IT", callingCode: "39", prefix: "3", length: 10, trunkZero: false },
  { region: "ES", callingCode: "34", prefix: "6", length: 9, trunkZero: false },
  { region: "NL", callingCode: "31", prefix: "6", length: 9, trunkZero: true },
  { region: "IE", callingCode: "353", prefix: "85", length: 9, trunkZero: true },
  { region: "IN", callingCode: "91", prefix: "98", length: 10, trunkZero: true },
  { region: "AU", callingCode: "61", prefix: "4", length: 9, trunkZero: true },
  { region: "BR", callingCode: "55", prefix: "119", length: 11, trunkZero: true },
  { region: "MX", callingCode: "52", prefix: "55", length: 10, trunkZero: false },
  { region: "ZA", callingCode: "27", prefix: "82", length: 9, trunkZero: true },
  { region: "SG", callingCode: "65", prefix: "8", length: 8, trunkZero: false },
  { region: "JP", callingCode: "81", prefix: "90", length: 10, trunkZero: true },
];

export const COUNTRY_REGIONS = [...new Set(COUNTRY_PLANS.map((p) => p.region))];

export interface CountryNumber {
  plan: CountryPlan;
  nsn: string;
  e164: string;
  /** libphonenumber's national format (`07700 900123`, `06 1234 5678`, `(415) 555-0123`). */
  national: string;
}

/** A possible number of one of the country plans. */
export const arbCountryNumber: fc.Arbitrary<CountryNumber> = fc
  .record({
    plan: fc.constantFrom(...COUNTRY_PLANS),
    digits: fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 12, maxLength: 12 }),
  })
  .map(({ plan, digits }) => {
    const nsn = (plan.prefix + digits.join("")).slice(0, plan.length);
    const parsed = parsePhoneNumberFromString(`+${plan.callingCode}${nsn}`);
    return { plan, nsn, e164: parsed?.isPossible() ? parsed.number : "", national: parsed?.formatNational() ?? "" };
  })
  .filter((n) => n.e164 !== "" && n.nsn === n.e164.slice(n.plan.callingCode.length + 1));
