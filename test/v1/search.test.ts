// GET /v1/search end to end: contract match levels and ranking on the simulator's demo data, bad input,
// edge cache keyed by tenant + generation, write-through, tenant isolation, and zero upstream calls.
import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO } from "../../sandbox/demo-data";
import { getTenant } from "../../src/tenants/store";
import { drainBackfill } from "../helpers/directory";
import { createAccount, createCandidate, getStats, resetStats } from "../helpers/sandbox";
import { servicesFor } from "../helpers/services";
import { createTenant, type TestTenant } from "../helpers/tenants";

type SearchBody = {
  data: Array<{ id: string; name: string; match: string; matched_as: string; url: string | null }>;
  count: number;
  has_more: boolean;
};

const ready = (tenant: TestTenant) => drainBackfill(tenant.id);

function search(key: string, query: string): Promise<Response> {
  return exports.default.fetch(`http://bridge/v1/search?${query}`, { headers: { authorization: `Bearer ${key}` } });
}

async function searchOk(key: string, query: string): Promise<SearchBody & { source: string | null }> {
  const res = await search(key, query);
  expect(res.status).toBe(200);
  return { ...((await res.json()) as SearchBody), source: res.headers.get("x-search-source") };
}

let us: TestTenant;
let gb: TestTenant;
let usClient: string;
let britId: string;
let idnId: string;

beforeAll(async () => {
  ({ client_id: usClient } = await createAccount("search-us"));
  // A UK number stored with its country code, in the US tenant's CRM: a national match for a US caller ID.
  britId = await createCandidate(usClient, {
    givenName: "Brit",
    familyName: "Abroad",
    phones: [{ kind: "Mobile", InternationalCountryCode: "44", AreaCityCode: "7700", SubscriberNumber: "900555" }],
  });
  idnId = await createCandidate(usClient, { givenName: "José", familyName: "Idn", emails: ["José@Bücher.example"] });
  us = await createTenant({
    talemetryClientId: usClient,
    region: "US",
    settings: { candidate_url_template: "https://crm.example/people/{id}" },
  });
  gb = await createTenant({ talemetryClientId: (await createAccount("search-gb")).client_id, region: "GB" });
  await ready(us);
  await ready(gb);
});

describe("phone search", () => {
  it("finds the contract's example person from a national number, with the full person record", async () => {
    const body = await searchOk(us.api_key, "phone=4155550142");
    expect(body.count).toBe(1);
    expect(body.data[0]).toMatchObject({
      id: DEMO.maya.record.id,
      entity: "candidate",
      name: "Maya Ortiz",
      phones: [{ number: "+14155550142", type: "mobile", valid: true }],
      url: `https://crm.example/people/${DEMO.maya.record.id}`,
      match: "exact",
    });
  });

  it("resolves a national number with the tenant region, and E.164, 00 and punctuation alike", async () => {
    for (const q of ["07700%20900123", "%2B447700900123", "00447700900123", "447700900123", "(07700)-900-123"]) {
      const body = await searchOk(gb.api_key, `phone=${q}`);
      expect(body.data.map((d) => [d.name, d.match])).toEqual([[DEMO.oliver.record.name!.formatted, "exact"]]);
    }
  });

  it("returns every candidate sharing a number", async () => {
    const body = await searchOk(us.api_key, "phone=972-555-0177");
    expect(body.data.map((d) => d.id).sort()).toEqual([DEMO.jordan.record.id, DEMO.taylor.record.id].sort());
  });

  it("national matches only when the query named no country; partial only with partial=true, ranked last", async () => {
    // The UK number's national significant number, asked of a US tenant without a country: national.
    const national = await searchOk(us.api_key, "phone=7700900555");
    expect(national.data.map((d) => [d.id, d.match])).toEqual([[britId, "national"]]);
    // Naming the country (region=US, or +1) removes the national match; naming GB makes it exact.
    expect((await searchOk(us.api_key, "phone=7700900555&region=US")).count).toBe(0);
    expect((await searchOk(us.api_key, "phone=%2B17700900555")).count).toBe(0);
    expect((await searchOk(us.api_key, "phone=07700900555&region=GB")).data.map((d) => d.match)).toEqual(["exact"]);
    // A 7-digit local number: nothing without partial, a partial match with it.
    expect((await searchOk(us.api_key, "phone=5550142")).count).toBe(0);
    const partial = await searchOk(us.api_key, "phone=5550142&partial=true");
    expect(partial.data.find((d) => d.id === DEMO.maya.record.id)?.match).toBe("partial");
    const levels = partial.data.map((d) => ["exact", "national", "partial"].indexOf(d.match));
    expect(levels).toEqual([...levels].sort((a, b) => a - b));
  });
});

describe("caller ID in every format (issue 9)", () => {
  const oliver = DEMO.oliver.record.id;
  const ids = (body: SearchBody) => body.data.map((d) => [d.id, d.match, d.matched_as]);

  it("finds a UK candidate at a US tenant from WhatsApp's international digits, an unencoded +, and 011", async () => {
    // Oliver's number is stored national-only (07700 900123) with a GB address: it is British at any tenant.
    for (const q of ["447700900123", "%2B447700900123", "+447700900123", "011%2044%207700%20900123", "00447700900123"]) {
      expect(ids(await searchOk(us.api_key, `phone=${q}`)), q).toEqual([[oliver, "exact", "+447700900123"]]);
    }
    expect(ids(await searchOk(us.api_key, "phone=919876543210"))).toEqual([[DEMO.priya.record.id, "exact", "+919876543210"]]);
  });

  it("finds a foreign national number with its trunk 0 as national, naming the digits it matched", async () => {
    expect(ids(await searchOk(us.api_key, "phone=07700%20900123"))).toEqual([[oliver, "national", "7700900123"]]);
    expect(ids(await searchOk(us.api_key, "phone=07700%20900123&region=GB"))).toEqual([[oliver, "exact", "+447700900123"]]);
  });

  it("ignores extensions and reads vanity letters", async () => {
    const maya = [[DEMO.maya.record.id, "exact", "+14155550142"]];
    for (const q of ["4155550142%20x99", "%2B1%20415%20555%200142%20ext.%2012", "415-555-0142%3Bext%3D7", "415%20555%200142%20%2312"]) {
      expect(ids(await searchOk(us.api_key, `phone=${q}`)), q).toEqual(maya);
    }
    // 1-800-FLOWERS is +18003569377: asked for, not refused as "fewer than 5 digits".
    const vanity = await search(us.api_key, "phone=1-800-FLOWERS");
    expect(vanity.status).toBe(200);
  });

  it("a number PATCH accepts is a number search finds, in E.164, international without + and national with its region", async () => {
    const res = await exports.default.fetch(`http://bridge/v1/candidates/${DEMO.camille.record.id}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${gb.api_key}`, "content-type": "application/json" },
      body: JSON.stringify({
        phones: [
          { number: "1-800-FLOWERS", type: "work", region: "US" },
          { number: "011 49 171 7654321", type: "mobile", region: "US" },
          { number: "06 8765 4321", type: "home", region: "IT" },
          { number: "0033 6 11 22 33 44", type: "other" },
        ],
      }),
    });
    expect(res.status).toBe(200);
    const phones = ((await res.json()) as { phones: Array<{ number: string }> }).phones.map((p) => p.number);
    expect(phones.sort()).toEqual(["+18003569377", "+33611223344", "+390687654321", "+491717654321"]);
    const forms: Array<[string, string]> = [
      ["%2B18003569377", "18003569377"],
      ["%2B491717654321", "491717654321"],
      ["%2B390687654321", "390687654321"],
      ["%2B33611223344", "33611223344"],
    ];
    for (const [e164, bare] of forms) {
      for (const q of [e164, bare])
        expect(ids(await searchOk(gb.api_key, `phone=${q}`))[0], q).toEqual([DEMO.camille.record.id, "exact", expect.any(String)]);
    }
    for (const [national, region] of [
      ["(800) 356-9377", "US"],
      ["0171 7654321", "DE"],
      ["06 8765 4321", "IT"],
      ["06 11 22 33 44", "FR"],
    ]) {
      const body = await searchOk(gb.api_key, `phone=${encodeURIComponent(national)}&region=${region}`);
      expect(
        body.data.map((d) => [d.id, d.match]),
        national,
      ).toEqual([[DEMO.camille.record.id, "exact"]]);
    }
  });
});

describe("email search", () => {
  it("is exact, trimmed and case-insensitive", async () => {
    const body = await searchOk(us.api_key, `email=${encodeURIComponent("  MAYA.Ortiz@Example.com ")}`);
    expect(body.data.map((d) => [d.id, d.match, d.matched_as])).toEqual([[DEMO.maya.record.id, "exact", "maya.ortiz@example.com"]]);
    expect(body.has_more).toBe(false);
    expect((await searchOk(us.api_key, "email=maya.ortiz@example.co")).count).toBe(0);
  });

  it("accepts internationalized domains", async () => {
    const body = await searchOk(us.api_key, `email=${encodeURIComponent(" JOSÉ@BÜCHER.example ")}`);
    expect(body.data.map((d) => [d.id, d.matched_as])).toEqual([[idnId, "josé@bücher.example"]]);
  });
});

describe("bad input", () => {
  it.each([
    ["", "no parameter"],
    ["phone=4155550142&email=a@b.co", "both"],
    ["phone=1234", "fewer than 5 digits"],
    ["email=not-an-email", "not an email"],
    ["phone=4155550142&region=ZZ", "unknown region"],
    ["phone=4155550142&partial=maybe", "partial not a boolean"],
  ])("%s (%s) → 400 problem+json", async (query) => {
    const res = await search(us.api_key, query);
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(await res.json()).toMatchObject({ status: 400, title: expect.any(String) });
  });

  it.each([
    ["phone=1234", "phone"],
    ["phone=%2B44%2012", "phone"],
    ["phone=call%20me", "phone"],
    ["phone=4155550142&region=ZZ", "region"],
    ["email=not-an-email", "email"],
    ["email=a%40b", "email"],
    ["email=a%20b%40example.com", "email"],
  ])("%s → 400 naming %s", async (query, field) => {
    const res = await search(us.api_key, query);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: Array<{ field: string }> }).errors.map((e) => e.field)).toEqual([field]);
  });

  it("another entity type → 501 entity-not-supported", async () => {
    const res = await search(us.api_key, "phone=4155550142&entity=company");
    expect(res.status).toBe(501);
    expect(((await res.json()) as { type: string }).type).toMatch(/\/problems\/entity-not-supported$/);
  });

  it("no credential → 401 with WWW-Authenticate, still announcing the rate limit", async () => {
    const res = await exports.default.fetch("http://bridge/v1/search?phone=4155550142");
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(res.headers.get("ratelimit-limit")).toBe("600");
    expect(res.headers.get("ratelimit-policy")).toBe('"tenant";q=600;w=60');
  });
});

describe("cache, write-through and isolation", () => {
  it("serves repeats from the edge cache and never calls Talemetry", async () => {
    await resetStats(usClient);
    const first = await searchOk(us.api_key, "phone=%2B14155550142");
    const again = await searchOk(us.api_key, "phone=%2B14155550142");
    expect(again.source).toBe("cache");
    expect(again.data).toEqual(first.data);
    for (const q of ["phone=4155550142", "email=maya.ortiz@example.com", "phone=5550142&partial=true", "phone=0000000000"]) {
      await searchOk(us.api_key, q);
      await searchOk(us.api_key, q);
    }
    const stats = await getStats(usClient);
    expect(Object.values(stats.calls).reduce((a, b) => a + b, 0)).toBe(0);
  });

  it("a bridge write-through is visible to the next search at once (the generation moves)", async () => {
    const before = await searchOk(us.api_key, "phone=%2B14155559876");
    expect(before.count).toBe(0);
    const tenant = (await getTenant(env, us.id))!;
    const details = await servicesFor(tenant).talemetry.updateContact(DEMO.maya.record.id, {
      phones: [{ use: "mobile", number: "+14155559876" }],
    });
    await env.TENANT.get(env.TENANT.idFromName(us.id)).writeThrough(details, new Date().toISOString());
    const after = await searchOk(us.api_key, "phone=%2B14155559876");
    expect(after.data.map((d) => d.id)).toEqual([DEMO.maya.record.id]);
    expect(after.source).toBe("index");
  });

  it("one tenant never sees another's rows or cache entries", async () => {
    const { client_id: clientA } = await createAccount("iso-a");
    const a = await createTenant({ talemetryClientId: clientA, region: "US" });
    const b = await createTenant({ talemetryClientId: (await createAccount("iso-b")).client_id, region: "US" });
    await createCandidate(clientA, {
      givenName: "Only",
      familyName: "InA",
      emails: ["only.in.a@example.com"],
      phones: [{ kind: "Mobile", InternationalCountryCode: "1", AreaCityCode: "212", SubscriberNumber: "5550123" }],
    });
    await ready(a);
    await ready(b);
    // A's answer is cached first; B asks the very same queries.
    expect((await searchOk(a.api_key, "phone=2125550123")).count).toBe(1);
    expect((await searchOk(a.api_key, "email=only.in.a@example.com")).count).toBe(1);
    expect((await searchOk(b.api_key, "phone=2125550123")).count).toBe(0);
    expect((await searchOk(b.api_key, "email=only.in.a@example.com")).count).toBe(0);
  });
});
