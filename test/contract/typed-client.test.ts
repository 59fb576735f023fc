// A partner's client, generated from the served document: openapi-typescript types (tools/openapi/run.mjs
// writes .build/openapi/v1-api.d.ts from /openapi.json before tsc and the tests) and openapi-fetch drive
// search, candidate read and change, and activity creation against the bridge. If the document lies
// about a path, parameter, body or answer, this file does not compile or these tests fail.
import { exports } from "cloudflare:workers";
import createClient from "openapi-fetch";
import { beforeAll, describe, expect, it } from "vitest";
import type { components, paths } from "../../.build/openapi/v1-api";
import { DEMO } from "../../sandbox/demo-data";
import { drainBackfill } from "../helpers/directory";
import { createAccount } from "../helpers/sandbox";
import { BRIDGE, createTenant, type TestTenant } from "../helpers/tenants";

type Candidate = components["schemas"]["Candidate"];

let tenant: TestTenant;
let client: ReturnType<typeof createClient<paths>>;

beforeAll(async () => {
  const { client_id } = await createAccount("typed");
  tenant = await createTenant({
    talemetryClientId: client_id,
    region: "US",
    settings: { default_author_email: "amy@agency.example" },
  });
  await drainBackfill(tenant.id);
  client = createClient<paths>({
    baseUrl: BRIDGE,
    headers: { authorization: `Bearer ${tenant.api_key}` },
    // Through the Worker (and so through the contract hook, test/contract/setup.ts).
    fetch: (request) => exports.default.fetch(request),
  });
});

describe("a client typed from /openapi.json", () => {
  it("searches by phone and reads the match, its reading and has_more", async () => {
    const { data, error, response } = await client.GET("/v1/search", { params: { query: { phone: "4155550142" } } });
    expect(error).toBeUndefined();
    expect(response.headers.get("x-search-source")).toMatch(/^(index|cache)$/);
    const first = data!.data[0];
    expect(first).toMatchObject({ id: DEMO.maya.record.id, match: "exact" });
    const hasMore: boolean = data!.has_more;
    expect(hasMore).toBe(false);
  });

  it("reads a candidate and replaces its phones; a bad phone is a typed problem", async () => {
    const id = DEMO.maya.record.id;
    const read = await client.GET("/v1/candidates/{id}", { params: { path: { id } } });
    const candidate: Candidate = read.data!;
    expect(candidate.consent.sms).toMatch(/^(yes|no)$|^$/);
    const patched = await client.PATCH("/v1/candidates/{id}", {
      params: { path: { id } },
      body: {
        phones: [
          { number: "+1 415 555 0142", type: "mobile" },
          { number: "020 7946 0958", type: "work", region: "GB" },
        ],
      },
    });
    expect(patched.error).toBeUndefined();
    expect(patched.data!.phones.map((p) => p.number)).toEqual(["+14155550142", "+442079460958"]);
    const refused = await client.PATCH("/v1/candidates/{id}", { params: { path: { id } }, body: { phones: [{ number: "12" }] } });
    expect(refused.response.status).toBe(422);
    expect(refused.error!.errors?.[0].field).toBe("phones[0].number");
  });

  it("creates an activity without a type and reads back the type applied", async () => {
    const created = await client.POST("/v1/activities", {
      params: { header: { "idempotency-key": crypto.randomUUID() } },
      body: { entity_id: DEMO.maya.record.id, body: "Typed client says hello." },
    });
    expect(created.response.status).toBe(201);
    expect(created.data!.type).toBe("note");
    const read = await client.GET("/v1/activities/{id}", { params: { path: { id: created.data!.id } } });
    expect(read.data).toEqual(created.data);
  });
});
