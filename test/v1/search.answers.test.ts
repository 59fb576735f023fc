// What a /v1 search answer promises beyond its matches: it never outlives the facts it shows (a change
// seen by a sync reaches the next search even when the old answer is cached, whatever field changed; a
// sync that changed nothing keeps the cache), and a search cut at 50 says so.
import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO } from "../../sandbox/demo-data";
import { getSearchGeneration } from "../../src/directory/search-cache";
import { directoryOf, drainBackfill } from "../helpers/directory";
import { createAccount, createCandidate, updateCandidate } from "../helpers/sandbox";
import { adminFetch, createTenant, type TestTenant } from "../helpers/tenants";

type SearchBody = {
  data: Array<{
    id: string;
    name: string;
    do_not_contact: boolean;
    consent: { sms: string | null };
    title: string | null;
    url: string | null;
  }>;
  count: number;
  has_more: boolean;
};

async function search(key: string, query: string): Promise<SearchBody & { source: string | null }> {
  const res = await exports.default.fetch(`http://bridge/v1/search?${query}`, { headers: { authorization: `Bearer ${key}` } });
  expect(res.status).toBe(200);
  return { ...((await res.json()) as SearchBody), source: res.headers.get("x-search-source") };
}

describe("search answers never outlive the facts they show", () => {
  let tenant: TestTenant;
  let clientId: string;

  beforeAll(async () => {
    ({ client_id: clientId } = await createAccount("fresh"));
    tenant = await createTenant({ talemetryClientId: clientId, region: "US" });
    await drainBackfill(tenant.id);
  });

  it("a do-not-contact change in Talemetry reaches a cached search as soon as the sync that saw it has run", async () => {
    const query = "phone=%2B14155550142";
    await search(tenant.api_key, query);
    const cached = await search(tenant.api_key, query);
    expect(cached.source).toBe("cache");
    expect(cached.data[0]).toMatchObject({ id: DEMO.maya.record.id, do_not_contact: false });

    await updateCandidate(clientId, DEMO.maya.record.id, { doNotContact: "Yes" });
    // Before the sync the bridge cannot know: the cached answer still stands.
    expect((await search(tenant.api_key, query)).source).toBe("cache");
    await directoryOf(tenant.id).requestSync();

    const after = await search(tenant.api_key, query);
    expect(after.source).toBe("index");
    expect(after.data[0]).toMatchObject({ id: DEMO.maya.record.id, do_not_contact: true });
    // The email search of the same person was cached before as well: also fresh now.
    expect((await search(tenant.api_key, "email=maya.ortiz@example.com")).data[0].do_not_contact).toBe(true);
  });

  it("so do consent, name and employer changes, several in one sync run", async () => {
    const query = "phone=9725550177"; // Jordan and Taylor share this number
    const before = await search(tenant.api_key, query);
    expect(before.count).toBe(2);
    expect((await search(tenant.api_key, query)).source).toBe("cache");

    await updateCandidate(clientId, DEMO.jordan.record.id, { smsConsent: "No", title: "Night Manager" });
    await updateCandidate(clientId, DEMO.taylor.record.id, { formattedName: "Tay Lee" });
    await directoryOf(tenant.id).requestSync();

    const after = await search(tenant.api_key, query);
    expect(after.source).toBe("index");
    const byId = new Map(after.data.map((d) => [d.id, d]));
    expect(byId.get(DEMO.jordan.record.id)).toMatchObject({ consent: { sms: "no" }, title: "Night Manager" });
    expect(byId.get(DEMO.taylor.record.id)?.name).toMatch(/^Tay /);
  });

  it("a sync that changes nothing keeps the cache", async () => {
    const query = "email=maya.ortiz@example.com";
    await search(tenant.api_key, query);
    const generation = await getSearchGeneration(env.KV, tenant.id);
    await directoryOf(tenant.id).requestSync();
    expect(await getSearchGeneration(env.KV, tenant.id)).toBe(generation);
    expect((await search(tenant.api_key, query)).source).toBe("cache");
  });

  it("a new candidate link template reaches cached answers at once", async () => {
    const query = "email=maya.ortiz@example.com";
    await search(tenant.api_key, query);
    expect((await search(tenant.api_key, query)).data[0].url).toBeNull();
    const res = await adminFetch(`/admin/tenants/${tenant.id}`, {
      method: "PATCH",
      body: { settings: { candidate_url_template: "https://crm.example/people/{id}" } },
    });
    expect(res.status).toBe(200);
    const after = await search(tenant.api_key, query);
    expect(after.data[0].url).toBe(`https://crm.example/people/${DEMO.maya.record.id}`);
  });
});

describe("has_more", () => {
  it("is true when a search is cut at 50 results, false otherwise", async () => {
    const { client_id: clientId } = await createAccount("many");
    const shared = { kind: "Mobile", InternationalCountryCode: "1", AreaCityCode: "646", SubscriberNumber: "5550199" } as const;
    await Promise.all(
      Array.from({ length: 51 }, (_, i) =>
        createCandidate(clientId, { givenName: "Shared", familyName: `Line${String(i).padStart(2, "0")}`, phones: [shared] }),
      ),
    );
    const tenant = await createTenant({ talemetryClientId: clientId, region: "US" });
    await drainBackfill(tenant.id);

    const cut = await search(tenant.api_key, "phone=6465550199");
    expect(cut).toMatchObject({ count: 50, has_more: true });
    expect(cut.data).toHaveLength(50);
    // The cached answer says the same.
    expect(await search(tenant.api_key, "phone=6465550199")).toMatchObject({ source: "cache", count: 50, has_more: true });

    expect(await search(tenant.api_key, "phone=4155550142")).toMatchObject({ count: 1, has_more: false });
    expect(await search(tenant.api_key, "phone=2125550000")).toMatchObject({ count: 0, has_more: false });
  });
});
