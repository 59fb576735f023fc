// Property tests of the directory's phone search inside a real Durable Object: every supported way of
// writing a number finds the same candidates, and the SQL index probes agree with the reference
// definition of the match levels (`matchLevel`) on random directories and queries. Bounded runs.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { IndexStore, MAX_SEARCH_RESULTS } from "../../src/directory/index-store";
import type { Person } from "../../src/domain/person";
import {
  MATCH_RANK,
  type MatchLevel,
  matchLevel,
  type PhoneMatch,
  type PhoneQuery,
  parsePhoneQuery,
  personPhoneKeys,
} from "../../src/phone/match";
import { resolvePhone } from "../../src/phone/resolve";
import { arbNumber, arbWritten, PLANS } from "../helpers/phone-formats";
import { person, phone, uniqueTenant, withStore } from "./helpers";

const SEEN = "2026-11-25T10:00:00Z";

describe("the same number in any supported format", () => {
  it("finds the same candidates", async () => {
    await withStore(uniqueTenant("formats"), (_unused, state) => {
      const arb = arbNumber.chain((n) => {
        const other = PLANS.find((p) => p.region !== n.plan.region)!.region;
        return fc.tuple(fc.constant(n), fc.array(arbWritten(n, other), { minLength: 3, maxLength: 6 }));
      });
      fc.assert(
        fc.property(arb, ([n, writings]) => {
          const store = new IndexStore(state.storage, n.plan.region);
          store.clear();
          // Two holders of the number (one stored valid as E.164, one invalid as the national text the
          // tenant region resolves), a decoy with the same national number in another country, noise.
          store.upsert(person("holder-a", { name: "Ann", phones: [phone(n.e164)] }), SEEN);
          store.upsert(
            person("holder-b", { name: "Bea", phones: [{ number: n.national, type: "home", valid: false, raw: n.national }] }),
            SEEN,
          );
          const decoy =
            PLANS.filter((p) => p.callingCode !== n.plan.callingCode)
              .map((p) => resolvePhone(`+${p.callingCode}${n.nsn}`))
              .find((r) => r !== null && r.nsn === n.nsn)?.e164 ?? null;
          if (decoy) store.upsert(person("decoy", { name: "Cid", phones: [phone(decoy)] }), SEEN);
          store.upsert(person("noise", { name: "Dot", phones: [phone("+35312345678")] }), SEEN);

          for (const w of writings) {
            const r = parsePhoneQuery(w.text, { region: w.region, tenantRegion: w.tenantRegion });
            expect(r.ok, `${w.how}: ${w.text}`).toBe(true);
            if (!r.ok) continue;
            const hits = store.searchPhone(r.query);
            const exact = hits.filter((h) => h.match === "exact").map((h) => h.person.id);
            const national = hits.filter((h) => h.match === "national").map((h) => h.person.id);
            expect(exact, `${w.how}: ${w.text}`).toEqual(["holder-a", "holder-b"]);
            expect(national, `${w.how}: ${w.text}`).toEqual(decoy && !w.namesCountry ? ["decoy"] : []);
          }
        }),
        { numRuns: 100 },
      );
    });
  });
});

/** Where a match's reading stands in the query's order for its level (the first reading wins a tie). */
function readingIndex(query: PhoneQuery, m: PhoneMatch): number {
  if (m.level === "exact") return query.readings.findIndex((r) => r.e164 === m.matchedAs);
  return (m.level === "national" ? query.nationalNsns : query.partialNsns).indexOf(m.matchedAs);
}

/** Brute force over all candidates with the reference definition: best level (then reading) each, ranked so, capped. */
function oracle(people: Person[], tenantRegion: string, query: PhoneQuery, partial: boolean): [string, MatchLevel, string][] {
  const found: { id: string; name: string; best: PhoneMatch }[] = [];
  const order = (m: PhoneMatch) => MATCH_RANK[m.level] * 1000 + readingIndex(query, m);
  for (const p of people) {
    let best: PhoneMatch | null = null;
    for (const keys of personPhoneKeys(p.phones, tenantRegion)) {
      const m = matchLevel(query, keys, { partial });
      if (m && (best === null || order(m) < order(best))) best = m;
    }
    if (best) found.push({ id: p.id, name: p.name.toLowerCase(), best });
  }
  found.sort((a, b) => order(a.best) - order(b.best) || cmp(a.name, b.name) || cmp(a.id, b.id));
  return found.slice(0, MAX_SEARCH_RESULTS).map((f) => [f.id, f.best.level, f.best.matchedAs]);
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

describe("index probes agree with matchLevel", () => {
  it("on random directories of overlapping numbers", async () => {
    // Numbers are suffixes/extensions of one random digit string under several calling codes, so that
    // exact, national and both directions of partial matches are all common.
    // Italy (39) keeps a leading zero in its national numbers, so national probes with and without a
    // trunk 0 both find something.
    const codes = ["44", "1", "49", "33", "61", "39"];
    const arbPhoneText = (base: string) =>
      fc
        .record({ cc: fc.constantFrom(...codes), len: fc.integer({ min: 6, max: base.length }) })
        .map(({ cc, len }) => `+${cc}${cc === "39" ? "0" : ""}${base.slice(base.length - len)}`);
    const arbCase = fc
      .array(fc.integer({ min: 1, max: 9 }), { minLength: 12, maxLength: 12 })
      .map((d) => d.join(""))
      .chain((base) =>
        fc.record({
          people: fc.array(
            fc.record({
              name: fc.constantFrom("Ann", "bob", "Bob", "Cid"),
              phones: fc.array(arbPhoneText(base), { minLength: 1, maxLength: 3 }),
            }),
            { minLength: 1, maxLength: 12 },
          ),
          queries: fc.array(
            fc.record({
              digits: fc.integer({ min: 5, max: 12 }).map((len) => base.slice(base.length - len)),
              style: fc.constantFrom("plus", "plain", "region", "trunk", "bare", "space", "idd"),
              cc: fc.constantFrom(...codes),
              partial: fc.boolean(),
            }),
            { minLength: 1, maxLength: 4 },
          ),
          region: fc.constantFrom("GB", "US", "DE", "FR", "AU"),
        }),
      );

    await withStore(uniqueTenant("oracle"), (_unused, state) => {
      fc.assert(
        fc.property(arbCase, ({ people, queries, region }) => {
          const store = new IndexStore(state.storage, region);
          store.clear();
          const persons = people.map((p, i) => person(`c${i}`, { name: p.name, phones: p.phones.map((t) => phone(t)) }));
          store.upsertMany(
            persons.map((p) => ({ person: p })),
            SEEN,
          );
          for (const qd of queries) {
            const regionOfCc = { "44": "GB", "1": "US", "49": "DE", "33": "FR", "61": "AU", "39": "IT" }[qd.cc]!;
            const text = {
              plus: `+${qd.cc}${qd.digits}`,
              plain: qd.digits,
              region: qd.digits,
              trunk: `0${qd.digits}`,
              bare: `${qd.cc}${qd.digits}`,
              space: ` ${qd.cc} ${qd.digits}`,
              idd: `${region === "US" ? "011" : region === "AU" ? "0011" : "00"}${qd.cc}${qd.digits}`,
            }[qd.style];
            const r = parsePhoneQuery(text, { region: qd.style === "region" ? regionOfCc : undefined, tenantRegion: region });
            expect(r.ok).toBe(true);
            if (!r.ok) continue;
            const got = store
              .searchPhone(r.query, { partial: qd.partial })
              .map((h): [string, MatchLevel, string] => [h.person.id, h.match, h.matchedAs]);
            expect(got, `${text} ${JSON.stringify(r.query)}`).toEqual(oracle(persons, region, r.query, qd.partial));
          }
        }),
        { numRuns: 200 },
      );
    });
  });
});
