// Property (issue 9): for any indexed candidate and any of its stored numbers — however Talemetry holds
// it (country code apart, `+cc (0)…`, `00cc…`, national only with an address country or in the tenant's
// region, with an extension) — searching that number in E.164, as international digits without `+`, and
// in national form with the right `region` finds the candidate as `exact`, at any tenant region. Stored
// forms go through the real adapter normalizer and a real Durable Object index. Bounded runs.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { IndexStore } from "../../src/directory/index-store";
import { toPerson } from "../../src/domain/person";
import { parsePhoneQuery } from "../../src/phone/match";
import { type HrxmlCandidate, parseProfilesBody } from "../../src/talemetry/hrxml";
import { normalizeCandidate } from "../../src/talemetry/normalize";
import { arbCountryNumber, COUNTRY_REGIONS, type CountryNumber } from "../helpers/phone-formats";
import { uniqueTenant, withStore } from "./helpers";

type StoredForm = "parts" | "e164" | "plus-trunk" | "double-zero" | "national-address" | "national-tenant";

interface StoredPhone {
  n: CountryNumber;
  form: StoredForm;
  extension: string | null;
}

/** HR-XML phone parts of a number in one of the forms people and imports leave in a CRM. */
function parts({ n, form, extension }: StoredPhone): Record<string, string> {
  const { callingCode: cc } = n.plan;
  const ext: Record<string, string> = extension ? { Extension: extension } : {};
  switch (form) {
    case "parts":
      return { InternationalCountryCode: cc, SubscriberNumber: n.nsn, ...ext };
    case "e164":
      return { FormattedNumber: n.e164, ...ext };
    case "plus-trunk":
      return { FormattedNumber: `+${cc} (0)${n.national.replace(/^0/, "")}`, ...ext };
    case "double-zero":
      return { FormattedNumber: `00${cc} ${n.nsn}`, ...ext };
    default:
      return { FormattedNumber: n.national, ...ext };
  }
}

const arbStoredPhone = (tenantRegion: string) =>
  fc
    .record({
      n: arbCountryNumber,
      form: fc.constantFrom<StoredForm>("parts", "e164", "plus-trunk", "double-zero", "national-address", "national-tenant"),
      extension: fc.option(fc.integer({ min: 1, max: 9999 }).map(String), { nil: null }),
    })
    // `(0)` only where 0 is the trunk prefix; a national-only number without an address is read in the
    // tenant's region, so it is only this country's number at a tenant of this country.
    .filter((p) => (p.form !== "plus-trunk" || p.n.plan.trunkZero) && (p.form !== "national-tenant" || p.n.plan.region === tenantRegion));

const arbDirectory = fc.constantFrom(...COUNTRY_REGIONS).chain((tenantRegion) =>
  fc.record({
    tenantRegion: fc.constant(tenantRegion),
    candidates: fc.array(
      // One candidate per stored number: a national-only number needs its own address country.
      arbStoredPhone(tenantRegion),
      { minLength: 1, maxLength: 6 },
    ),
  }),
);

function hrxml(id: string, phone: StoredPhone) {
  const address = phone.form === "national-address" ? [{ PostalAddress: { CountryCode: phone.n.plan.region } }] : [];
  return {
    CandidateRecordInfo: { Id: { IdValue: id } },
    Resume: {
      StructuredXMLResume: { ContactInfo: { PersonName: { FormattedName: id }, ContactMethod: [{ Mobile: parts(phone) }, ...address] } },
    },
  };
}

describe("any stored number of any indexed candidate", () => {
  it("is found as exact in E.164, international without +, and national with its region", async () => {
    await withStore(uniqueTenant("issue9-property"), (_unused, state) => {
      fc.assert(
        fc.property(arbDirectory, ({ tenantRegion, candidates }) => {
          const store = new IndexStore(state.storage, tenantRegion);
          store.clear();
          const parsed = parseProfilesBody({ result: { Candidates: { Candidate: candidates.map((p, i) => hrxml(`c${i}`, p)) } } });
          store.upsertMany(
            parsed.candidates.map((c: HrxmlCandidate) => ({
              person: toPerson(normalizeCandidate(c, { defaultRegion: tenantRegion }), {}),
            })),
            "2026-11-25T10:00:00Z",
          );
          candidates.forEach(({ n }, i) => {
            const forms: Array<[string, string | null]> = [
              [n.e164, null],
              [`${n.plan.callingCode}${n.nsn}`, null],
              [n.national, n.plan.region],
            ];
            for (const [text, region] of forms) {
              const q = parsePhoneQuery(text, { region, tenantRegion });
              expect(q.ok, text).toBe(true);
              if (!q.ok) continue;
              const hit = store.searchPhone(q.query).find((h) => h.person.id === `c${i}`);
              expect(hit?.match, `${text} (region ${region}) at ${tenantRegion}, stored ${JSON.stringify(parts(candidates[i]!))}`).toBe(
                "exact",
              );
              expect(hit?.matchedAs).toBe(n.e164);
            }
          });
        }),
        { numRuns: 150 },
      );
    });
  });
});
