// The OpenAPI document is the contract: it is valid OpenAPI 3.1 (the specification's own schema, with
// @hyperjump/json-schema), it is exactly the document the Node tooling lints and types (.build/openapi/,
// written by tools/openapi/run.mjs from the same app), every operation has its stable operationId, a
// license and real server variables; and the one contract hook (./setup.ts) rejects what it should.
import { exports } from "cloudflare:workers";
import { validate } from "@hyperjump/json-schema/openapi-3-1";
import { beforeAll, describe, expect, it } from "vitest";
import linted from "../../.build/openapi/openapi.json";
import { BRIDGE } from "../helpers/tenants";
import { ContractChecker, type OpenApiDoc } from "./openapi-contract";

type Op = { operationId?: string; responses: Record<string, { headers?: Record<string, unknown> }> };
let doc: OpenApiDoc & {
  info: { license?: { name: string; url?: string } };
  servers: Array<{ url: string; variables?: Record<string, { default: string }> }>;
};

beforeAll(async () => {
  doc = await (await exports.default.fetch(`${BRIDGE}/openapi.json`)).json();
});

const operations = () =>
  Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ method, path, op: op as Op })));

describe("the served /openapi.json", () => {
  it("validates against the OpenAPI 3.1 schema", async () => {
    const output = await validate("https://spec.openapis.org/oas/3.1/schema-base", doc as never);
    expect(output.valid).toBe(true);
    // The check can fail: a document missing what 3.1 requires does not pass.
    expect((await validate("https://spec.openapis.org/oas/3.1/schema-base", { openapi: "3.1.0", paths: {} } as never)).valid).toBe(false);
  });

  it("is the document tools/openapi/run.mjs linted and generated the typed client from", () => {
    expect(doc).toEqual(linted);
  });

  it("gives every operation its stable operationId (partners' SDKs name their methods from them)", () => {
    expect(Object.fromEntries(operations().map(({ method, path, op }) => [`${method.toUpperCase()} ${path}`, op.operationId]))).toEqual({
      "POST /oauth/token": "issueAccessToken",
      "GET /v1/search": "searchCandidates",
      "GET /v1/candidates/{id}": "getCandidate",
      "PATCH /v1/candidates/{id}": "updateCandidate",
      "GET /v1/contacts/{id}": "getContact",
      "PATCH /v1/contacts/{id}": "updateContact",
      "GET /v1/companies/{id}": "getCompany",
      "PATCH /v1/companies/{id}": "updateCompany",
      "GET /v1/capabilities": "getCapabilities",
      "POST /v1/activities": "createActivity",
      "GET /v1/activities/{id}": "getActivity",
      "PATCH /v1/activities/{id}": "updateActivity",
      "GET /v1/users": "listUsers",
      "GET /v1/activity-types": "listActivityTypes",
      "GET /v1/changes": "listChanges",
      "POST /v1/webhooks": "createWebhook",
      "GET /v1/webhooks": "listWebhooks",
      "GET /v1/webhooks/{id}": "getWebhook",
      "DELETE /v1/webhooks/{id}": "deleteWebhook",
      "GET /v1/webhooks/{id}/deliveries": "listWebhookDeliveries",
      "POST /v1/webhooks/{id}/deliveries/{delivery_id}/replay": "replayWebhookDelivery",
    });
  });

  it("names a license and a server with real variables (this deployment by default)", () => {
    expect(doc.info.license).toMatchObject({ name: expect.any(String), url: `${BRIDGE}/docs#license` });
    expect(doc.servers).toEqual([
      expect.objectContaining({
        url: "{scheme}://{host}",
        variables: { scheme: expect.objectContaining({ default: "http" }), host: expect.objectContaining({ default: "bridge" }) },
      }),
    ]);
  });

  it("documents the statuses and headers every /v1 answer can carry", () => {
    for (const { method, path, op } of operations().filter((o) => o.path.startsWith("/v1/"))) {
      const name = `${method} ${path}`;
      expect(Object.keys(op.responses), name).toEqual(expect.arrayContaining(["401", "429", "500"]));
      for (const [status, response] of Object.entries(op.responses)) {
        expect(Object.keys(response.headers ?? {}), `${name} ${status}`).toEqual(
          expect.arrayContaining(["X-Request-Id", "Cache-Control", "RateLimit-Limit", "RateLimit-Policy"]),
        );
      }
      expect(Object.keys(op.responses["401"].headers ?? {}), name).toContain("WWW-Authenticate");
      expect(Object.keys(op.responses["429"].headers ?? {}), name).toContain("Retry-After");
      if (op.responses["503"]) expect(Object.keys(op.responses["503"].headers ?? {}), name).toContain("Retry-After");
    }
    const byId = Object.fromEntries(operations().map(({ op }) => [op.operationId, op]));
    expect(Object.keys(byId.searchCandidates.responses["200"].headers ?? {})).toContain("X-Search-Source");
    expect(Object.keys(byId.createActivity.responses["201"].headers ?? {})).toContain("Idempotent-Replayed");
    expect(Object.keys(byId.updateActivity.responses)).toContain("409");
    expect(Object.keys(byId.updateActivity.responses["409"].headers ?? {})).toContain("Retry-After");
    expect(Object.keys(byId.issueAccessToken.responses)).toEqual(expect.arrayContaining(["200", "400", "401", "413", "429", "500"]));
  });
});

describe("the contract hook's checker", () => {
  const checker = () => new ContractChecker(doc);
  const json = (extra: Record<string, string> = {}) =>
    new Headers({
      "content-type": "application/json",
      "x-request-id": "r",
      "cache-control": "no-store",
      "ratelimit-limit": "600",
      "ratelimit-policy": "x",
      ...extra,
    });
  const types = JSON.stringify({ data: [{ id: "call", name: "Phone call" }] });

  it("accepts a documented answer", () => {
    expect(checker().check("GET", "/v1/activity-types", 200, json(), types)).toEqual([]);
  });

  it("rejects an undocumented status, header, media type, field, or a body breaking the schema", () => {
    const c = checker();
    expect(c.check("GET", "/v1/activity-types", 418, json(), types)).toEqual([expect.stringMatching(/status 418 is not documented/)]);
    expect(c.check("GET", "/v1/activity-types", 200, json({ "x-secret": "1" }), types)).toEqual([
      expect.stringMatching(/header x-secret is not documented/),
    ]);
    expect(c.check("GET", "/v1/activity-types", 200, json({ "content-type": "text/plain" }), "hi")).toEqual([
      expect.stringMatching(/media type text\/plain/),
    ]);
    expect(
      c.check("GET", "/v1/activity-types", 200, json(), JSON.stringify({ data: [{ id: "call", name: "Call", colour: "red" }] })),
    ).toEqual([expect.stringMatching(/field data\[0\]\.colour is not documented/)]);
    expect(c.check("GET", "/v1/activity-types", 200, json(), JSON.stringify({ data: [{ id: 7 }] }))[0]).toMatch(
      /breaks the documented schema/,
    );
  });

  it("leaves paths and methods the document does not describe to other tests", () => {
    expect(checker().check("DELETE", "/v1/activity-types", 405, json(), "{}")).toEqual([]);
  });
});
