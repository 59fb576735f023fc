// Who may see and change what under /v1: every route needs a bearer credential (401 + WWW-Authenticate
// otherwise); access tokens work like API keys; another tenant's credential never sees or changes this
// tenant's activities or candidates (which live in another Talemetry account); request ids on every
// answer; secrets never in answers.
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/app";
import { createCandidate, getCandidate } from "../helpers/sandbox";
import { BRIDGE, issueToken, type TestTenant } from "../helpers/tenants";
import { activityBody, expectProblem, tenantWithDefaults, v1 } from "./helpers";

let a: TestTenant;
let b: TestTenant;
beforeAll(async () => {
  [a, b] = await Promise.all([tenantWithDefaults(), tenantWithDefaults()]);
});

/** Every /v1 route the app registers, as [METHOD, path with sample ids]. */
function v1Routes(): Array<[string, string]> {
  const seen = new Set<string>();
  for (const r of buildApp().routes) {
    if (!r.path.startsWith("/v1/") || r.method === "ALL") continue;
    seen.add(`${r.method} ${r.path.replace(":id", r.path.includes("activities") ? "act_000000000000000000000000" : "abc")}`);
  }
  return [...seen].map((s) => s.split(" ") as [string, string]);
}

describe("authentication", () => {
  const routes = v1Routes();

  it("covers every contract route", () => {
    expect(routes.map(([m, p]) => `${m} ${p}`)).toEqual(
      expect.arrayContaining([
        "GET /v1/candidates/abc",
        "PATCH /v1/candidates/abc",
        "POST /v1/activities",
        "GET /v1/users",
        "GET /v1/activity-types",
        "GET /v1/capabilities",
        "GET /v1/search",
      ]),
    );
  });

  it.each(routes)("%s %s without a credential → 401", async (method, path) => {
    const res = await exports.default.fetch(`${BRIDGE}${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: method === "GET" ? undefined : "{}",
    });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe("Bearer");
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.headers.get("x-request-id")).toBeTruthy();
  });

  it("an access token from /oauth/token works like the API key", async () => {
    const token = await issueToken(a);
    const res = await v1(token, "/activity-types");
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBeTruthy();
  });
});

describe("tenant isolation: activities", () => {
  it("another tenant can neither read nor change this tenant's activity", async () => {
    const mine = await v1(a.api_key, "/activities", { method: "POST", json: activityBody({ body: "tenant A's call" }) });
    expect(mine.status).toBe(201);
    expectProblem(await v1(b.api_key, `/activities/${mine.body.id}`), 404, "not-found");
    expectProblem(await v1(b.api_key, `/activities/${mine.body.id}`, { method: "PATCH", json: { body: "hijacked" } }), 404, "not-found");
    expect((await v1(a.api_key, `/activities/${mine.body.id}`)).body.body).toBe("tenant A's call");
    const note = (await getCandidate(a.talemetry.client_id, mine.body.entity_id)).record.notes.find((n) => n.Text.includes(mine.body.id));
    expect(note?.Text).toContain("tenant A's call");
  });
});

describe("tenant isolation: candidates of another Talemetry account", () => {
  let secret: string;
  beforeAll(async () => {
    secret = await createCandidate(a.talemetry.client_id, {
      givenName: "Only",
      familyName: "InA",
      emails: ["only.in.a@example.com"],
      phones: [{ kind: "Mobile", InternationalCountryCode: "44", SubscriberNumber: "7700900777" }],
    });
  });

  it("is visible to its own tenant", async () => {
    expect((await v1(a.api_key, `/candidates/${secret}`)).body).toMatchObject({ id: secret, emails: ["only.in.a@example.com"] });
  });

  it("is not found, not changed and not annotated through another tenant", async () => {
    expectProblem(await v1(b.api_key, `/candidates/${secret}`), 404, "not-found");
    expectProblem(
      await v1(b.api_key, `/candidates/${secret}`, { method: "PATCH", json: { emails: ["stolen@example.com"] } }),
      404,
      "not-found",
    );
    expectProblem(await v1(b.api_key, "/activities", { method: "POST", json: activityBody({ entity_id: secret }) }), 404, "not-found");
    const stored = await getCandidate(a.talemetry.client_id, secret);
    expect(JSON.stringify(stored.record.contact)).toContain("only.in.a@example.com");
    expect(stored.record.notes).toEqual([]);
  });

  it("another tenant's search never finds it, even after this tenant wrote it through", async () => {
    await v1(a.api_key, `/candidates/${secret}`, { method: "PATCH", json: { phones: [{ number: "+447700900778", type: "mobile" }] } });
    expect((await v1(a.api_key, "/search?phone=%2B447700900778")).body.count).toBe(1);
    expect((await v1(b.api_key, "/search?phone=%2B447700900778")).body.count).toBe(0);
  });
});

describe("secrets", () => {
  it("never appear in answers", async () => {
    const answers = await Promise.all([
      v1(a.api_key, "/capabilities"),
      v1(a.api_key, "/activities", { method: "POST", json: activityBody({ type: "nope" }) }),
      v1(a.api_key, "/candidates/00000000-0000-4000-8000-000000000000"),
    ]);
    for (const res of answers) {
      const text = JSON.stringify(res.body);
      for (const secret of [a.api_key, a.client_secret, a.talemetry.secret_key]) expect(text).not.toContain(secret);
    }
  });
});
