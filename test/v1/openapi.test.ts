// GET /openapi.json and /docs: every registered /v1 route is in the document (generated from the same
// zod schemas that validate), with the bearer scheme, the documented errors and the rate-limit numbers
// of this environment's configuration; the docs page renders it without scripts under strict security
// headers; problem type URIs lead to their explanation.
import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/app";
import { BRIDGE } from "../helpers/tenants";

type Op = {
  security?: Array<Record<string, unknown>>;
  responses: Record<string, { headers?: Record<string, unknown> }>;
  requestBody?: unknown;
  parameters?: Array<{ name: string; in: string }>;
};
let doc: {
  openapi: string;
  info: { description: string };
  paths: Record<string, Record<string, Op>>;
  components: Record<string, Record<string, unknown>>;
};

beforeAll(async () => {
  const res = await exports.default.fetch(`${BRIDGE}/openapi.json`);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  doc = await res.json();
});

/** Every /v1 route the app registers, as [method, OpenAPI path]. */
function registeredV1Routes(): Array<[string, string]> {
  const routes = new Set<string>();
  for (const r of buildApp().routes) {
    if (!r.path.startsWith("/v1/") || r.method === "ALL") continue;
    routes.add(`${r.method.toLowerCase()} ${r.path.replace(/:([A-Za-z_]+)/g, "{$1}")}`);
  }
  return [...routes].map((r) => r.split(" ") as [string, string]);
}

describe("/openapi.json", () => {
  it("is OpenAPI 3.1", () => {
    expect(doc.openapi).toBe("3.1.0");
  });

  it("describes every registered /v1 route", () => {
    const routes = registeredV1Routes();
    expect(routes.length).toBeGreaterThanOrEqual(13);
    for (const [method, path] of routes) expect(doc.paths[path]?.[method], `${method.toUpperCase()} ${path}`).toBeDefined();
  });

  it("documents the contract's routes", () => {
    const expected = [
      "get /v1/candidates/{id}",
      "patch /v1/candidates/{id}",
      "get /v1/contacts/{id}",
      "patch /v1/contacts/{id}",
      "get /v1/companies/{id}",
      "patch /v1/companies/{id}",
      "get /v1/capabilities",
      "get /v1/search",
      "post /v1/activities",
      "get /v1/activities/{id}",
      "patch /v1/activities/{id}",
      "get /v1/users",
      "get /v1/activity-types",
      "get /v1/changes",
      "post /v1/webhooks",
      "get /v1/webhooks",
      "get /v1/webhooks/{id}",
      "delete /v1/webhooks/{id}",
      "get /v1/webhooks/{id}/deliveries",
      "post /v1/webhooks/{id}/deliveries/{delivery_id}/replay",
      "post /oauth/token",
    ];
    for (const route of expected) {
      const [method, path] = route.split(" ");
      expect(doc.paths[path]?.[method], route).toBeDefined();
    }
  });

  it("puts every /v1 route behind the bearer scheme, with 401 and 429 documented", () => {
    expect(doc.components.securitySchemes.TenantBearer).toMatchObject({ type: "http", scheme: "bearer" });
    for (const [path, item] of Object.entries(doc.paths).filter(([p]) => p.startsWith("/v1/"))) {
      for (const [method, op] of Object.entries(item)) {
        expect(op.security, `${method} ${path}`).toEqual([{ TenantBearer: [] }]);
        expect(Object.keys(op.responses), `${method} ${path}`).toEqual(expect.arrayContaining(["401", "429"]));
        expect(op.responses["429"].headers).toMatchObject({
          "Retry-After": expect.anything(),
          "RateLimit-Limit": expect.anything(),
          "RateLimit-Policy": expect.anything(),
        });
        // The budget is the same for every tenant of a deployment, so even a 401 announces it.
        expect(op.responses["401"].headers).toMatchObject({ "RateLimit-Limit": expect.anything() });
      }
    }
  });

  it("documents the errors of each write: 413, 415, 422 and the upstream failures", () => {
    for (const [method, path] of [
      ["patch", "/v1/candidates/{id}"],
      ["post", "/v1/activities"],
      ["patch", "/v1/activities/{id}"],
    ]) {
      expect(Object.keys(doc.paths[path][method].responses)).toEqual(expect.arrayContaining(["413", "415", "422", "502", "503"]));
    }
    expect(Object.keys(doc.paths["/v1/contacts/{id}"].get.responses)).toContain("501");
    expect(doc.paths["/v1/activities"].post.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: "idempotency-key", in: "header" })]),
    );
    expect(doc.components.schemas).toHaveProperty("Problem");
    expect(doc.components.schemas).toHaveProperty("Candidate");
    expect(doc.components.schemas).toHaveProperty("Activity");
  });

  it("states this environment's rate limit, from its configuration", () => {
    expect(doc.info.description).toContain(`${env.RATE_LIMIT_REQUESTS} requests per ${env.RATE_LIMIT_PERIOD_SECONDS} seconds`);
    expect(doc.info.description).toContain(`"tenant";q=${env.RATE_LIMIT_REQUESTS};w=${env.RATE_LIMIT_PERIOD_SECONDS}`);
  });
});

describe("/docs", () => {
  it("renders every /v1 operation without scripts, under strict security headers", async () => {
    const res = await exports.default.fetch(`${BRIDGE}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(csp).not.toMatch(/unsafe-inline|script-src/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");

    const html = await res.text();
    expect(html).not.toMatch(/<script|https?:\/\/cdn/i);
    for (const [, path] of registeredV1Routes()) expect(html).toContain(path);
    expect(html).toContain(`${env.RATE_LIMIT_REQUESTS} requests per ${env.RATE_LIMIT_PERIOD_SECONDS} seconds`);
    expect(html).toContain('id="problem-entity-not-supported"');
  });

  it("shows receivers how to verify a delivery, with the library and without", async () => {
    const html = await (await exports.default.fetch(`${BRIDGE}/docs`)).text();
    expect(html).toContain("<pre><code>import { Webhook } from &quot;standardwebhooks&quot;;");
    expect(html).toContain("wh.verify(rawBody");
    expect(html).toMatch(/base64\(HMAC-SHA256\(key, <code>&lt;webhook-id&gt;\.&lt;webhook-timestamp&gt;\.&lt;raw body&gt;<\/code>\)\)/);
  });

  it("allows exactly its own stylesheet", async () => {
    const res = await exports.default.fetch(`${BRIDGE}/docs`);
    const html = await res.text();
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1];
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(style));
    const hash = btoa(String.fromCharCode(...new Uint8Array(digest)));
    expect(res.headers.get("content-security-policy")).toContain(`'sha256-${hash}'`);
  });
});

describe("/problems/{slug}", () => {
  it("leads a problem's type URI to its explanation", async () => {
    const res = await exports.default.fetch(`${BRIDGE}/problems/entity-not-supported`, { redirect: "manual" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/docs#problem-entity-not-supported");
    expect((await exports.default.fetch(`${BRIDGE}/problems/nope`)).status).toBe(404);
  });
});
