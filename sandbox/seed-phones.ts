/**
 * Messy phone numbers, the way recruiting CRMs really hold them: a plausible number per country, then
 * one of many ways a human or an import could have split it into HR-XML parts — with or without the
 * country code, trunk "0" kept or not, parentheses, dots, spaces, "+"/"00" inside a part, extensions,
 * everything crammed into SubscriberNumber — or no number at all ("n/a", "call me").
 */
import type { Rng } from "./prng";
import type { PhoneParts } from "./records";
import type { Country } from "./seed-data";

/** A number in its parts, before it is written down messily. `trunk` is the national prefix ("0"). */
interface CanonicalNumber {
  cc: string;
  trunk: string;
  area: string;
  sub: string;
}

const CALLING_CODES: Record<Country, string> = {
  US: "1",
  GB: "44",
  DE: "49",
  FR: "33",
  AU: "61",
  IN: "91",
  BR: "55",
  MX: "52",
};

const US_AREAS = ["212", "312", "415", "469", "512", "617", "713", "972", "206", "305", "404", "602"];

function canonical(rng: Rng, country: Country, mobile: boolean): CanonicalNumber {
  const cc = CALLING_CODES[country];
  switch (country) {
    case "US":
      return { cc, trunk: "", area: rng.pick(US_AREAS), sub: rng.digits(7) };
    case "GB":
      if (mobile) {
        // Not Ofcom's drama range 07700 900000–900999: it holds only 1,000 numbers, and the demo
        // candidates and tests use it for their fictional numbers, which must not get a seeded twin.
        return { cc, trunk: "0", area: rng.pick(["7911", "7456", "7123", "7400", "7825"]), sub: rng.digits(6) };
      }
      return rng.chance(0.6)
        ? { cc, trunk: "0", area: "20", sub: `7${rng.digits(7, false)}` }
        : { cc, trunk: "0", area: "161", sub: rng.digits(7) };
    case "DE":
      if (mobile) return { cc, trunk: "0", area: rng.pick(["151", "160", "170", "176"]), sub: rng.digits(8) };
      return rng.chance(0.5)
        ? { cc, trunk: "0", area: "30", sub: rng.digits(rng.int(6, 8)) }
        : { cc, trunk: "0", area: "89", sub: rng.digits(7) };
    case "FR":
      return { cc, trunk: "0", area: mobile ? rng.pick(["6", "7"]) : rng.pick(["1", "4", "5"]), sub: rng.digits(8, false) };
    case "AU":
      return { cc, trunk: "0", area: mobile ? "4" : rng.pick(["2", "3", "7", "8"]), sub: rng.digits(8) };
    case "IN":
      return mobile
        ? { cc, trunk: "0", area: "", sub: `${rng.pick(["9", "8", "7"])}${rng.digits(9, false)}` }
        : { cc, trunk: "0", area: rng.pick(["22", "80", "11"]), sub: rng.digits(8) };
    case "BR":
      return {
        cc,
        trunk: "0",
        area: rng.pick(["11", "21", "31"]),
        sub: mobile ? `9${rng.digits(8)}` : `3${rng.digits(7, false)}`,
      };
    case "MX":
      return { cc, trunk: "", area: rng.pick(["55", "81", "33"]), sub: rng.digits(8) };
  }
}

/** Splits digits the way people type them: "555-0177", "7946 0018", "12 34 56 78", "98765.43210". */
function grouped(rng: Rng, digits: string, country: Country): string {
  const sep = rng.pick(["", " ", " ", "-", "-", "."]);
  if (sep === "" || digits.length < 6) return digits;
  if (country === "FR" && digits.length === 8) return digits.match(/../g)!.join(sep);
  const cut = digits.length === 7 ? 3 : Math.ceil(digits.length / 2);
  return `${digits.slice(0, cut)}${sep}${digits.slice(cut)}`;
}

const GARBAGE = ["n/a", "N/A", "call me", "123", "", "none", "TBD", "000-000-0000", "see resume", "0", "ask for ext"];

/** One phone number written down in one of the ways CRM data really looks. */
export function messyPhone(rng: Rng, country: Country, mobile: boolean): PhoneParts {
  if (rng.chance(0.05)) return garbagePhone(rng);
  const n = canonical(rng, country, mobile);
  const sub = grouped(rng, n.sub, country);
  const area = n.area;
  const nationalArea = `${n.trunk}${area}`;
  const variant = rng.int(0, 11);
  switch (variant) {
    case 0: // clean parts
    case 1:
      return area
        ? { InternationalCountryCode: n.cc, AreaCityCode: area, SubscriberNumber: n.sub }
        : { InternationalCountryCode: n.cc, SubscriberNumber: sub };
    case 2: // area in parentheses, punctuated subscriber
      return { InternationalCountryCode: n.cc, AreaCityCode: area ? `(${area})` : null, SubscriberNumber: sub };
    case 3: // national-only: no country code, trunk prefix kept
      return area ? { AreaCityCode: nationalArea, SubscriberNumber: sub } : { SubscriberNumber: `${n.trunk}${sub}` };
    case 4: // country code and the trunk prefix both kept ("44" + "(0)20"), a classic import error
      if (!n.trunk || !area) return { InternationalCountryCode: n.cc, AreaCityCode: area || null, SubscriberNumber: sub };
      return {
        InternationalCountryCode: n.cc,
        AreaCityCode: rng.chance(0.5) ? `(${n.trunk})${area}` : nationalArea,
        SubscriberNumber: sub,
      };
    case 5: // everything in SubscriberNumber, international
      return { SubscriberNumber: `+${n.cc} ${area ? `${area} ` : ""}${sub}` };
    case 6: // everything in SubscriberNumber, national
      if (n.cc !== "1") return { SubscriberNumber: `${nationalArea} ${sub}`.trim() };
      return {
        SubscriberNumber: rng.chance(0.5)
          ? `${area}.${n.sub.slice(0, 3)}.${n.sub.slice(3)}`
          : `(${area}) ${n.sub.slice(0, 3)}-${n.sub.slice(3)}`,
      };
    case 7: // "+" inside the country code part
      return { InternationalCountryCode: `+${n.cc}`, AreaCityCode: area || null, SubscriberNumber: sub };
    case 8: // with Talemetry's optional FormattedNumber
      return {
        InternationalCountryCode: n.cc,
        AreaCityCode: area || null,
        SubscriberNumber: n.sub,
        FormattedNumber: `+${n.cc} ${area ? `${area} ` : ""}${sub}`,
      };
    case 9: // an extension (desk phones)
      return {
        InternationalCountryCode: n.cc,
        AreaCityCode: area || null,
        SubscriberNumber: sub,
        Extension: rng.digits(rng.int(2, 4), false),
      };
    case 10: {
      // "00" international prefix typed into the subscriber part, sometimes an extension appended as text
      const ext = rng.chance(0.3) ? ` x${rng.digits(3)}` : "";
      return { SubscriberNumber: `00${n.cc} ${area ? `${area} ` : ""}${sub}${ext}` };
    }
    default: // US habit of writing the long-distance "1" in front; others: country code without area
      return n.cc === "1"
        ? { SubscriberNumber: `1-${area}-${n.sub.slice(0, 3)}-${n.sub.slice(3)}` }
        : { InternationalCountryCode: n.cc, AreaCityCode: null, SubscriberNumber: `${area}${n.sub}` };
  }
}

/** Not a phone number at all, or nothing but nulls. */
export function garbagePhone(rng: Rng): PhoneParts {
  if (rng.chance(0.2)) return { InternationalCountryCode: null, AreaCityCode: null, SubscriberNumber: null };
  return { SubscriberNumber: rng.pick(GARBAGE) };
}
