// GET /v1/search end to end: contract match levels and ranking on the simulator's demo data, bad input,
// edge cache keyed by tenant + generation, write-through, tenant isolation, and zero upstream calls.
import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO } from "../../sandbox/demo-data";
import { getTenant } from "../../src/tenants/store";
import { drainBackfill } from "../helpers/directory";
import { createCandidate, getStats, resetStats, uniqueClientId } from "../helpers/sandbox";
import { servicesFor } from "../helpers/services";
import { createTenant, type TestTenant } from "../helpers/tenants";

type SearchBody = { data: Array<{ id: string; name: string; match: string; url: string | null }>; count: number };

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

beforeAll(async () => {
  usClient = uniqueClientId("search-us");
  // A UK number stored with its country code, in the US tenant's CRM: a national match for a US caller ID.
  britId = await createCandidate(usClient, {
    givenName: "Brit",
    familyName: "Abroad",
    phones: [{ kind: "Mobile", InternationalCountryCode: "44", AreaCityCode: "7700", SubscriberNumber: "900555" }],
  });
  us = await createTenant({
    talemetryClientId: usClient,
    region: "US",
    settings: { candidate_url_template: "https://crm.example/people/{id}" },
  });
  gb = await createTenant({ talemetryClientId: uniqueClientId("search-gb"), region: "GB" });
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

describe("email search", () => {
  it("is exact, trimmed and case-insensitive", async () => {
    const body = await searchOk(us.api_key, `email=${encodeURIComponent("  MAYA.Ortiz@Example.com ")}`);
    expect(body.data.map((d) => [d.id, d.match])).toEqual([[DEMO.maya.record.id, "exact"]]);
    expect((await searchOk(us.api_key, "email=maya.ortiz@example.co")).count).toBe(0);
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
    const clientA = uniqueClientId("iso-a");
    const a = await createTenant({ talemetryClientId: clientA, region: "US" });
    const b = await createTenant({ talemetryClientId: uniqueClientId("iso-b"), region: "US" });
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
