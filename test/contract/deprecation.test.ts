// Change management: one entry in the deprecation list (src/config/deprecations.ts, here a test list
// handed to buildApp) marks an operation or a field deprecated with its dates. The operation's answers —
// and those of every operation whose answer carries the field — then send Deprecation (RFC 9745),
// Sunset (RFC 8594) and Link rel="deprecation", and /openapi.json and /docs show them deprecated.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/app";
import { DEPRECATIONS } from "../../src/config/deprecations";
import { checkDeprecation, type Deprecation, deprecationHeaders } from "../../src/platform/deprecation";
import { BRIDGE, createTenant, type TestTenant } from "../helpers/tenants";

const TEST_DEPRECATIONS: Deprecation[] = [
  { target: "GET /v1/capabilities", deprecated: "2026-12-01", sunset: "2027-06-01", instead: "Read the limits from /docs instead." },
  { target: "ActivityType.name", deprecated: "2027-01-15", sunset: "2027-07-15", instead: "Use `label`." },
];

const app = buildApp({ deprecations: TEST_DEPRECATIONS });

async function call(path: string, headers: Record<string, string> = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await app.fetch(new Request(`${BRIDGE}${path}`, { headers }), env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

let tenant: TestTenant;
beforeAll(async () => {
  tenant = await createTenant();
});

describe("a deprecated operation", () => {
  it("answers with Deprecation, Sunset and Link, errors included", async () => {
    for (const auth of [{ authorization: `Bearer ${tenant.api_key}` }, {} as Record<string, string>]) {
      const res = await call("/v1/capabilities", auth);
      expect(res.headers.get("deprecation")).toBe(`@${Date.UTC(2026, 11, 1) / 1000}`);
      expect(res.headers.get("sunset")).toBe("Tue, 01 Jun 2027 00:00:00 GMT");
      expect(res.headers.get("link")).toBe(`<${BRIDGE}/docs#deprecations>; rel="deprecation"; type="text/html"`);
    }
  });

  it("is marked deprecated in /openapi.json with its dates, and its headers documented", async () => {
    const doc = (await (await call("/openapi.json")).json()) as any;
    const op = doc.paths["/v1/capabilities"].get;
    expect(op.deprecated).toBe(true);
    expect(op.description).toContain("since 2026-12-01; it stops working on 2027-06-01");
    expect(Object.keys(op.responses["200"].headers)).toEqual(expect.arrayContaining(["Deprecation", "Sunset", "Link"]));
    expect(doc.paths["/v1/users"].get.deprecated).toBeUndefined();
  });
});

describe("a deprecated field", () => {
  it("is announced by every operation whose answer carries it, and by no other", async () => {
    const types = await call("/v1/activity-types", { authorization: `Bearer ${tenant.api_key}` });
    expect(types.status).toBe(200);
    expect(types.headers.get("deprecation")).toBe(`@${Date.UTC(2027, 0, 15) / 1000}`);
    expect(types.headers.get("sunset")).toBe("Thu, 15 Jul 2027 00:00:00 GMT");
    const users = await call("/v1/users", { authorization: `Bearer ${tenant.api_key}` });
    expect(users.headers.get("deprecation")).toBeNull();
    expect(users.headers.get("sunset")).toBeNull();
  });

  it("is deprecated in the schema of /openapi.json, and listed on /docs with the operation", async () => {
    const doc = (await (await call("/openapi.json")).json()) as any;
    expect(doc.components.schemas.ActivityType.properties.name).toMatchObject({ deprecated: true });
    expect(Object.keys(doc.paths["/v1/activity-types"].get.responses["200"].headers)).toContain("Sunset");
    const html = await (await call("/docs")).text();
    expect(html).toContain('id="deprecations"');
    expect(html).toContain("<code>GET /v1/capabilities</code>");
    expect(html).toContain("<code>ActivityType.name</code>");
    expect(html).toMatch(/<span class="path">\/v1\/capabilities<\/span> <strong class="deprecated">deprecated<\/strong>/);
  });
});

describe("the deprecation list", () => {
  it("of the deployment is well-formed (today: nothing of v1 is deprecated), and the served app announces nothing", async () => {
    for (const d of DEPRECATIONS) checkDeprecation(d);
    const res = await buildApp().fetch(
      new Request(`${BRIDGE}/v1/capabilities`, { headers: { authorization: `Bearer ${tenant.api_key}` } }),
      env,
      createExecutionContext(),
    );
    expect(res.headers.get("deprecation")).toBeNull();
  });

  it("refuses entries that cannot be announced correctly", () => {
    expect(() => checkDeprecation({ ...TEST_DEPRECATIONS[0], target: "capabilities" })).toThrow(/malformed/);
    expect(() => checkDeprecation({ ...TEST_DEPRECATIONS[0], sunset: "2026-11-01" })).toThrow(/sunset/);
    expect(() => checkDeprecation({ ...TEST_DEPRECATIONS[0], deprecated: "soon" })).toThrow(/no day/);
    expect(() => buildApp({ deprecations: [{ ...TEST_DEPRECATIONS[0], sunset: "2026-01-01" }] })).toThrow();
  });

  it("announces the earliest dates when several entries concern one answer", () => {
    expect(deprecationHeaders(TEST_DEPRECATIONS, "https://x/docs#deprecations")).toEqual({
      Deprecation: `@${Date.UTC(2026, 11, 1) / 1000}`,
      Sunset: "Tue, 01 Jun 2027 00:00:00 GMT",
      Link: '<https://x/docs#deprecations>; rel="deprecation"; type="text/html"',
    });
  });
});
