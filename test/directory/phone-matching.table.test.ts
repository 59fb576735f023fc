// The caller-ID matching rules as a table (docs/phone-matching.md): one directory of candidates from 16
// countries, stored the way Talemetry holds them (country code in its own part, `+44 (0)20 …`, `0044 …`,
// national only with an address country, extensions, shared switchboards), normalized by the real
// adapter code under each tenant region and indexed in a real Durable Object; then each row's query,
// `region` parameter and tenant region → the expected candidates and levels, in the contract's order.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { IndexStore } from "../../src/directory/index-store";
import { toPerson } from "../../src/domain/person";
import { parsePhoneQuery } from "../../src/phone/match";
import { parseProfilesBody } from "../../src/talemetry/hrxml";
import { normalizeCandidate } from "../../src/talemetry/normalize";
import { uniqueTenant } from "./helpers";

type Parts = {
  InternationalCountryCode?: string;
  AreaCityCode?: string;
  SubscriberNumber?: string;
  FormattedNumber?: string;
  Extension?: string;
};
type Slot = "Mobile" | "Telephone";

/** One stored candidate: its phones as HR-XML parts and, optionally, its address country. Name = id (ranking). */
interface Stored {
  id: string;
  phones: Array<[Slot, Parts | string]>;
  country?: string;
}

const WORLD: Stored[] = [
  { id: "gb-mob", phones: [["Mobile", { InternationalCountryCode: "44", AreaCityCode: "7700", SubscriberNumber: "900123" }]] },
  { id: "gb-addr", phones: [["Mobile", { AreaCityCode: "07700", SubscriberNumber: "900456" }]], country: "GB" },
  // One switchboard: the bare line, and two people behind it with their extensions, stored three ways.
  { id: "gb-board", phones: [["Telephone", "+44 (0)20 7946 0000"]] },
  { id: "gb-ext-a", phones: [["Telephone", { FormattedNumber: "+44 (0)20 7946 0000", Extension: "12" }]] },
  { id: "gb-ext-b", phones: [["Telephone", { AreaCityCode: "020", SubscriberNumber: "7946 0000", Extension: "x34" }]], country: "GB" },
  { id: "gb-0044", phones: [["Telephone", "0044 161 496 0123"]] },
  // National only and no address: read in the tenant's region, whatever that is.
  { id: "gb-noaddr", phones: [["Mobile", { AreaCityCode: "07700", SubscriberNumber: "900999" }]] },
  { id: "us-maya", phones: [["Mobile", { InternationalCountryCode: "1", AreaCityCode: "415", SubscriberNumber: "5550142" }]] },
  { id: "us-addr", phones: [["Telephone", "(212) 555-0198"]], country: "US" },
  // The same national number as gb-mob under +1.
  { id: "us-decoy", phones: [["Mobile", "+1 770 090 0123"]] },
  { id: "us-flowers", phones: [["Telephone", "+1 800 356 9377"]] },
  { id: "ca", phones: [["Mobile", "416 555 0199"]], country: "CA" },
  { id: "de-mob", phones: [["Mobile", { InternationalCountryCode: "49", AreaCityCode: "0171", SubscriberNumber: "1234567" }]] },
  // A German number whose national digits begin with 49: `491711234567` at a DE tenant reads both ways.
  { id: "de-49", phones: [["Telephone", { InternationalCountryCode: "49", SubscriberNumber: "491711234567" }]] },
  {
    id: "de-berlin",
    phones: [["Telephone", { InternationalCountryCode: "49", AreaCityCode: "(0)30", SubscriberNumber: "901820", Extension: "7" }]],
  },
  // France, Spain and the Netherlands share the national number 612345678; Italy's Rome number keeps its 0.
  { id: "fr", phones: [["Mobile", { InternationalCountryCode: "33", AreaCityCode: "06", SubscriberNumber: "12 34 56 78" }]] },
  { id: "it-rome", phones: [["Telephone", "06 1234 5678"]], country: "IT" },
  { id: "it-mob", phones: [["Mobile", "+39 312 345 6789"]] },
  { id: "es", phones: [["Mobile", "612 345 678"]], country: "ES" },
  { id: "nl", phones: [["Mobile", "06 12345678"]], country: "NL" },
  { id: "ie", phones: [["Mobile", "087 123 4567"]], country: "IE" },
  { id: "in", phones: [["Mobile", { InternationalCountryCode: "91", SubscriberNumber: "98765-43210" }]] },
  { id: "au", phones: [["Mobile", "0412 345 678"]], country: "AU" },
  { id: "br", phones: [["Mobile", "(11) 91234-5678"]], country: "BR" },
  { id: "mx", phones: [["Mobile", "55 1234 5678"]], country: "MX" },
  { id: "za", phones: [["Mobile", "082 123 4567"]], country: "ZA" },
  { id: "sg", phones: [["Mobile", "8123 4567"]], country: "SG" },
  { id: "jp", phones: [["Mobile", "090-1234-5678"]], country: "JP" },
];

const TENANTS = ["GB", "US", "CA", "DE", "FR", "IT", "ES", "NL", "IE", "IN", "AU", "BR", "MX", "ZA", "SG", "JP"] as const;
type TenantRegion = (typeof TENANTS)[number];

function hrxml(s: Stored) {
  return {
    CandidateRecordInfo: { Id: { IdValue: s.id } },
    Resume: {
      StructuredXMLResume: {
        ContactInfo: {
          PersonName: { FormattedName: s.id },
          ContactMethod: [
            ...s.phones.map(([slot, parts]) => ({ [slot]: parts })),
            ...(s.country ? [{ PostalAddress: { CountryCode: s.country, Municipality: "Somewhere" } }] : []),
          ],
        },
      },
    },
  };
}

const objects = new Map<TenantRegion, DurableObjectStub>();

beforeAll(async () => {
  const parsed = parseProfilesBody({ result: { Candidates: { Candidate: WORLD.map(hrxml) } } });
  expect(parsed.rejected).toBe(0);
  for (const region of TENANTS) {
    const stub = env.TENANT.get(env.TENANT.idFromName(uniqueTenant(`table-${region}`)));
    objects.set(region, stub);
    await runInDurableObject(stub, (_instance, state) => {
      const store = new IndexStore(state.storage, region);
      const people = parsed.candidates.map((c) => ({ person: toPerson(normalizeCandidate(c, { defaultRegion: region }), {}) }));
      store.upsertMany(people, "2026-11-25T10:00:00Z");
    });
  }
});

/** [query, region parameter ("" = none), tenant region, expected "id:level …" in result order, partial?] */
type Row = [string, string, TenantRegion, string, ("partial" | undefined)?];

const ROWS: Row[] = [
  // ---- GB tenant -------------------------------------------------------------------------------
  ["07700 900123", "", "GB", "gb-mob:exact us-decoy:national"],
  ["07700900123", "", "GB", "gb-mob:exact us-decoy:national"],
  ["7700 900123", "", "GB", "gb-mob:exact us-decoy:national"],
  ["+44 7700 900123", "", "GB", "gb-mob:exact"],
  ["0044 7700 900123", "", "GB", "gb-mob:exact"],
  ["447700900123", "", "GB", "gb-mob:exact us-decoy:national"],
  [" 447700900123", "", "GB", "gb-mob:exact"],
  ["+1 770 090 0123", "", "GB", "us-decoy:exact"],
  ["020 7946 0000", "", "GB", "gb-board:exact gb-ext-a:exact gb-ext-b:exact"],
  ["020 7946 0000 x99", "", "GB", "gb-board:exact gb-ext-a:exact gb-ext-b:exact"],
  ["+44 20 7946 0000 ext. 12", "", "GB", "gb-board:exact gb-ext-a:exact gb-ext-b:exact"],
  ["+44 (0)20 7946 0000", "", "GB", "gb-board:exact gb-ext-a:exact gb-ext-b:exact"],
  ["020 7946 0000;ext=34", "", "GB", "gb-board:exact gb-ext-a:exact gb-ext-b:exact"],
  ["020 7946 0000 #34", "", "GB", "gb-board:exact gb-ext-a:exact gb-ext-b:exact"],
  ["0161 496 0123", "", "GB", "gb-0044:exact"],
  ["+44 161 496 0123", "", "GB", "gb-0044:exact"],
  ["07700 900456", "", "GB", "gb-addr:exact"],
  ["07700 900999", "", "GB", "gb-noaddr:exact"],
  // Same level: the better reading first (GB's own reading 612345678, then Italy's digits as given).
  ["06 1234 5678", "", "GB", "es:national fr:national nl:national it-rome:national"],
  ["0612345678", "", "GB", "es:national fr:national nl:national it-rome:national"],
  ["612 345 678", "", "GB", "es:national fr:national nl:national"],
  ["612 345 678", "ES", "GB", "es:exact"],
  ["06 12 34 56 78", "FR", "GB", "fr:exact"],
  ["06 12345678", "NL", "GB", "nl:exact"],
  ["06 1234 5678", "IT", "GB", "it-rome:exact"],
  ["+39 06 1234 5678", "", "GB", "it-rome:exact"],
  ["0039 06 1234 5678", "", "GB", "it-rome:exact"],
  ["390612345678", "", "GB", "it-rome:exact"],
  ["+39 6 1234 5678", "", "GB", ""],
  ["+49 171 1234567", "", "GB", "de-mob:exact"],
  ["491711234567", "", "GB", "de-mob:exact de-49:national"],
  [" 491711234567", "", "GB", "de-mob:exact"],
  ["+44 7700 900000", "", "GB", ""],
  ["07700 900124", "", "GB", ""],
  ["12345", "", "GB", ""],
  ["00000 00000", "", "GB", ""],
  ["0800 FLOWERS", "", "GB", "us-flowers:national"],
  ["1-800-FLOWERS", "", "GB", "us-flowers:exact"],
  ["+1 800 FLOWERS", "", "GB", "us-flowers:exact"],
  ["919876543210", "", "GB", "in:exact"],
  ["+91 98765 43210", "", "GB", "in:exact"],
  ["98765 43210", "", "GB", "in:national"],
  ["98765 43210", "IN", "GB", "in:exact"],
  ["876 543 210", "", "GB", ""],
  ["876 543 210", "", "GB", "in:partial", "partial"],
  ["0412 345 678", "", "GB", "au:national"],
  ["0412 345 678", "AU", "GB", "au:exact"],
  ["+61 412 345 678", "", "GB", "au:exact"],
  ["61412345678", "", "GB", "au:exact"],
  ["087 123 4567", "", "GB", "ie:national"],
  ["087 123 4567", "IE", "GB", "ie:exact"],
  ["353 87 123 4567", "", "GB", "ie:exact"],
  ["082 123 4567", "", "GB", "za:national"],
  ["082 123 4567", "ZA", "GB", "za:exact"],
  ["27821234567", "", "GB", "za:exact"],
  ["090-1234-5678", "", "GB", "jp:national"],
  ["090-1234-5678", "JP", "GB", "jp:exact"],
  ["81 90 1234 5678", "", "GB", "jp:exact"],
  ["8123 4567", "", "GB", "sg:national"],
  ["8123 4567", "SG", "GB", "sg:exact"],
  ["+65 8123 4567", "", "GB", "sg:exact"],
  ["55 1234 5678", "", "GB", "mx:national"],
  ["55 1234 5678", "MX", "GB", "mx:exact"],
  ["+52 55 1234 5678", "", "GB", "mx:exact"],
  ["(11) 91234-5678", "BR", "GB", "br:exact"],
  ["5511912345678", "", "GB", "br:exact"],
  ["11 91234 5678", "", "GB", "br:national"],
  ["(212) 555-0198", "", "GB", "us-addr:national"],
  ["(212) 555-0198", "US", "GB", "us-addr:exact"],
  ["416 555 0199", "", "GB", "ca:national"],
  ["416 555 0199", "CA", "GB", "ca:exact"],
  ["416 555 0199", "US", "GB", "ca:exact"],
  ["(415) 555-0142", "", "GB", "us-maya:national"],
  ["+1 (415) 555-0142", "", "GB", "us-maya:exact"],
  ["14155550142", "", "GB", "us-maya:exact"],
  // 011 is NANP's international prefix, not GB's: digits only there.
  ["011 1 415 555 0142", "", "GB", ""],
  // ---- US tenant -------------------------------------------------------------------------------
  ["4155550142", "", "US", "us-maya:exact"],
  ["(415) 555-0142", "", "US", "us-maya:exact"],
  ["+14155550142", "", "US", "us-maya:exact"],
  ["0014155550142", "", "US", "us-maya:exact"],
  ["011 1 415 555 0142", "", "US", "us-maya:exact"],
  ["1 415 555 0142", "", "US", "us-maya:exact"],
  [" 1 415 555 0142", "", "US", "us-maya:exact"],
  ["447700900123", "", "US", "gb-mob:exact"],
  [" 447700900123", "", "US", "gb-mob:exact"],
  ["011 44 7700 900123", "", "US", "gb-mob:exact"],
  ["07700 900123", "", "US", "gb-mob:national us-decoy:national"],
  ["07700 900123", "GB", "US", "gb-mob:exact"],
  ["7700900123", "", "US", "us-decoy:exact gb-mob:national"],
  ["1-800-FLOWERS", "", "US", "us-flowers:exact"],
  ["1 800 356 9377", "", "US", "us-flowers:exact"],
  ["800-FLOWERS", "", "US", "us-flowers:exact"],
  ["491711234567", "", "US", "de-mob:exact de-49:national"],
  ["0171 1234567", "", "US", "de-mob:national"],
  ["0171 1234567", "DE", "US", "de-mob:exact"],
  ["+49 (0)30 901820 ext. 7", "", "US", "de-berlin:exact"],
  ["030 901820", "DE", "US", "de-berlin:exact"],
  ["030 901820", "", "US", "de-berlin:national"],
  ["919876543210", "", "US", "in:exact"],
  ["0091 98765 43210", "", "US", "in:exact"],
  ["61 412 345 678", "", "US", "au:exact"],
  ["0412 345 678", "", "US", "au:national"],
  ["+44 20 7946 0000", "", "US", "gb-board:exact gb-ext-a:exact gb-ext-b:exact"],
  ["020 7946 0000", "", "US", "gb-board:national gb-ext-a:national gb-ext-b:national"],
  ["2079460000", "", "US", "gb-board:national gb-ext-a:national gb-ext-b:national"],
  ["+1 212 555 0198", "", "US", "us-addr:exact"],
  ["212-555-0198 x5", "", "US", "us-addr:exact"],
  ["416 555 0199", "", "US", "ca:exact"],
  ["+1 416 555 0199", "", "US", "ca:exact"],
  ["12345", "", "US", ""],
  ["+999 1234 5678", "", "US", ""],
  ["0044 12345", "", "US", ""],
  ["+1 999 555 0000", "", "US", ""],
  ["555 0142", "", "US", ""],
  ["555 0142", "", "US", "us-maya:partial", "partial"],
  ["1234 5678", "", "US", "au:partial br:partial es:partial fr:partial it-rome:partial jp:partial mx:partial nl:partial", "partial"],
  // National only without an address at a US tenant: read in US, where it is not possible — unfindable.
  ["+44 7700 900999", "", "US", ""],
  ["07700 900999", "", "US", ""],
  // National only with a GB address: British, whatever the tenant.
  ["+44 7700 900456", "", "US", "gb-addr:exact"],
  ["07700 900456", "", "US", "gb-addr:national"],
  ["(11) 91234-5678", "", "US", "br:national"],
  ["+55 11 91234 5678", "", "US", "br:exact"],
  ["0039 06 1234 5678", "", "US", "it-rome:exact"],
  ["011 39 06 1234 5678", "", "US", "it-rome:exact"],
  // 0612345678 is a possible US number, so its national digits come first.
  ["06 1234 5678", "", "US", "it-rome:national es:national fr:national nl:national"],
  ["3123456789", "", "US", "it-mob:national"],
  ["+39 312 345 6789", "", "US", "it-mob:exact"],
  // ---- DE tenant: two readings of one digit string ------------------------------------------------
  ["491711234567", "", "DE", "de-mob:exact de-49:exact"],
  ["0171 1234567", "", "DE", "de-mob:exact"],
  ["01711234567", "", "DE", "de-mob:exact"],
  ["+49 171 1234567", "", "DE", "de-mob:exact"],
  ["00 49 171 1234567", "", "DE", "de-mob:exact"],
  ["030 901820", "", "DE", "de-berlin:exact"],
  ["030 901820 ext. 7", "", "DE", "de-berlin:exact"],
  ["07700 900123", "", "DE", "gb-mob:national us-decoy:national"],
  ["447700900123", "", "DE", "gb-mob:exact"],
  // No address: the tenant's region (DE) decided what gb-noaddr's national-only number means.
  ["07700 900999", "", "DE", "gb-noaddr:exact"],
  ["+44 7700 900999", "", "DE", ""],
  ["1234567", "", "DE", "de-49:partial de-mob:partial ie:partial sg:partial za:partial", "partial"],
  // ---- IT tenant: the leading zero --------------------------------------------------------------
  ["06 1234 5678", "", "IT", "it-rome:exact es:national fr:national nl:national"],
  ["0612345678", "", "IT", "it-rome:exact es:national fr:national nl:national"],
  ["612345678", "", "IT", "es:national fr:national nl:national"],
  ["6 1234 5678", "", "IT", "es:national fr:national nl:national"],
  ["312 345 6789", "", "IT", "it-mob:exact"],
  ["+39 06 1234 5678", "", "IT", "it-rome:exact"],
  ["390612345678", "", "IT", "it-rome:exact"],
  // ---- FR, ES, NL: one national number, three countries -------------------------------------------
  ["06 12 34 56 78", "", "FR", "fr:exact es:national nl:national it-rome:national"],
  ["+33 6 12 34 56 78", "", "FR", "fr:exact"],
  ["+33 06 12 34 56 78", "", "FR", "fr:exact"],
  ["33612345678", "", "FR", "fr:exact es:national nl:national"],
  ["612 345 678", "", "ES", "es:exact fr:national nl:national"],
  ["+34 612 345 678", "", "ES", "es:exact"],
  ["0034 612345678", "", "ES", "es:exact"],
  ["06 12345678", "", "NL", "nl:exact es:national fr:national it-rome:national"],
  ["+31 6 1234 5678", "", "NL", "nl:exact"],
  ["0031 6 12345678", "", "NL", "nl:exact"],
  // ---- IE, IN ------------------------------------------------------------------------------------
  ["087 123 4567", "", "IE", "ie:exact"],
  ["+353 87 123 4567", "", "IE", "ie:exact"],
  ["00353871234567", "", "IE", "ie:exact"],
  ["871234567", "", "IE", "ie:exact"],
  ["98765 43210", "", "IN", "in:exact"],
  ["098765 43210", "", "IN", "in:exact"],
  ["+91 98765-43210", "", "IN", "in:exact"],
  ["919876543210", "", "IN", "in:exact"],
  // ---- AU: 0011 is the international prefix -------------------------------------------------------
  ["0412 345 678", "", "AU", "au:exact"],
  ["0011 61 412 345 678", "", "AU", "au:exact"],
  ["0011 44 7700 900123", "", "AU", "gb-mob:exact"],
  ["+61 412 345 678", "", "AU", "au:exact"],
  ["412 345 678", "", "AU", "au:exact"],
  ["61412345678", "", "AU", "au:exact"],
  // ---- BR, MX, ZA, SG, JP, CA --------------------------------------------------------------------
  ["(11) 91234-5678", "", "BR", "br:exact"],
  ["011 91234 5678", "", "BR", "br:exact"],
  ["+55 (11) 91234-5678", "", "BR", "br:exact"],
  ["0021 44 7700 900123", "", "BR", "gb-mob:exact"],
  ["55 1234 5678", "", "MX", "mx:exact"],
  ["+52 55 1234 5678", "", "MX", "mx:exact"],
  ["00 52 55 1234 5678", "", "MX", "mx:exact"],
  ["082 123 4567", "", "ZA", "za:exact"],
  ["+27 82 123 4567", "", "ZA", "za:exact"],
  ["27821234567", "", "ZA", "za:exact"],
  ["8123 4567", "", "SG", "sg:exact"],
  ["+65 8123 4567", "", "SG", "sg:exact"],
  ["6581234567", "", "SG", "sg:exact"],
  ["001 44 7700 900123", "", "SG", "gb-mob:exact"],
  ["090-1234-5678", "", "JP", "jp:exact"],
  ["010 81 90 1234 5678", "", "JP", "jp:exact"],
  ["010 44 7700 900123", "", "JP", "gb-mob:exact"],
  ["+81 90-1234-5678", "", "JP", "jp:exact"],
  ["416-555-0199", "", "CA", "ca:exact"],
  ["011 44 7700 900123", "", "CA", "gb-mob:exact"],
  ["(415) 555-0142", "", "CA", "us-maya:exact"],
];

describe("phone matching table", () => {
  it("covers at least 150 cases across the 16 countries", () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(150);
    expect(new Set(ROWS.map((r) => r[2])).size).toBe(TENANTS.length);
  });

  it.each(ROWS)("%j (region %j) at a %s tenant → %j %s", async (query, region, tenant, expected, partial) => {
    const parsed = parsePhoneQuery(query, { region: region || null, tenantRegion: tenant });
    if (!parsed.ok) throw new Error(`${query}: ${parsed.error.message}`);
    const hits = await runInDurableObject(objects.get(tenant)!, (_instance, state) =>
      new IndexStore(state.storage, tenant).searchPhone(parsed.query, { partial: partial === "partial" }),
    );
    expect(hits.map((h) => `${h.person.id}:${h.match}`).join(" ")).toBe(expected);
  });

  it("says which reading each result matched", async () => {
    const search = async (query: string, tenant: TenantRegion, partial = false) => {
      const parsed = parsePhoneQuery(query, { tenantRegion: tenant });
      if (!parsed.ok) throw new Error(parsed.error.message);
      const hits = await runInDurableObject(objects.get(tenant)!, (_instance, state) =>
        new IndexStore(state.storage, tenant).searchPhone(parsed.query, { partial }),
      );
      return hits.map((h) => [h.person.id, h.match, h.matchedAs]);
    };
    // Both readings exact; the international one (the query's first reading) first.
    expect(await search("491711234567", "DE")).toEqual([
      ["de-mob", "exact", "+491711234567"],
      ["de-49", "exact", "+49491711234567"],
    ]);
    expect(await search("06 1234 5678", "GB")).toEqual([
      ["es", "national", "612345678"],
      ["fr", "national", "612345678"],
      ["nl", "national", "612345678"],
      ["it-rome", "national", "0612345678"],
    ]);
    expect(await search(" 447700900123", "US")).toEqual([["gb-mob", "exact", "+447700900123"]]);
    expect(await search("555 0142", "US", true)).toEqual([["us-maya", "partial", "5550142"]]);
  });
});
