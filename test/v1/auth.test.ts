// Caller authentication for /v1 (tenantAuth): Bearer access token or API key → tenant on the context;
// anything else → 401 problem with WWW-Authenticate: Bearer. Exercised on a probe route mounted on the real app.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { Hono } from "hono";
import { beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/app";
import { authenticateApiKey, authenticateBearer } from "../../src/core/authentication";
import type { TenantEnv } from "../../src/core/context";
import { tenantAuth } from "../../src/v1/auth";
import { adminFetch, bearer, createTenant, issueToken, type TestTenant } from "../helpers/tenants";

const app = buildApp();
const v1 = app.basePath("/v1") as unknown as Hono<TenantEnv>;
v1.use("/auth-probe", tenantAuth());
v1.get("/auth-probe", (c) => c.json({ tenant_id: c.get("tenant").id }));

async function probe(headers: Record<string, string> = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await app.fetch(new Request("http://bridge/v1/auth-probe", { headers }), env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

async function expect401(res: Response): Promise<void> {
  expect(res.status).toBe(401);
  expect(res.headers.get("www-authenticate")).toBe("Bearer");
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  expect(await res.json()).toMatchObject({ status: 401, type: expect.stringMatching(/\/problems\/unauthorized$/) });
}

let a: TestTenant;
let b: TestTenant;
beforeAll(async () => {
  [a, b] = await Promise.all([createTenant(), createTenant()]);
});

describe("accepted credentials", () => {
  it("the tenant's API key", async () => {
    const res = await probe(bearer(a.api_key));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ tenant_id: a.id });
  });

  it("an access token, scoped to its own tenant", async () => {
    const [ta, tb] = await Promise.all([issueToken(a), issueToken(b)]);
    expect(await (await probe(bearer(ta))).json()).toEqual({ tenant_id: a.id });
    expect(await (await probe(bearer(tb))).json()).toEqual({ tenant_id: b.id });
  });
});

describe("refused credentials", () => {
  it.each([
    ["no Authorization", () => ({})],
    ["an empty bearer", () => ({ authorization: "Bearer" })],
    ["the API key without scheme", () => ({ authorization: a.api_key })],
    ["the API key as Basic", () => ({ authorization: `Basic ${btoa(`${a.api_key}:`)}` })],
    ["a made-up key", () => bearer("tlk_test_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")],
    ["a made-up access token", () => bearer("tlk_at_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")],
    ["the client secret", () => bearer(a.client_secret)],
    ["the admin token", () => bearer(env.ADMIN_TOKEN)],
    ["garbage", () => bearer("x".repeat(5000))],
  ])("%s", async (_name, headers) => {
    await expect401(await probe(headers()));
  });

  it("credentials of a deleted tenant", async () => {
    const t = await createTenant();
    const tok = await issueToken(t);
    await adminFetch(`/admin/tenants/${t.id}`, { method: "DELETE" });
    await expect401(await probe(bearer(t.api_key)));
    await expect401(await probe(bearer(tok)));
  });

  it("credentials from before a rotation", async () => {
    const t = await createTenant();
    const tok = await issueToken(t);
    await adminFetch(`/admin/tenants/${t.id}/keys`, { method: "POST" });
    await expect401(await probe(bearer(t.api_key)));
    await expect401(await probe(bearer(tok)));
  });
});

describe("authenticateApiKey (reused by the Talkdesk router)", () => {
  it("resolves only current API keys, never access tokens or secrets", async () => {
    expect((await authenticateApiKey(env, a.api_key))?.id).toBe(a.id);
    expect(await authenticateApiKey(env, await issueToken(a))).toBeNull();
    expect(await authenticateApiKey(env, a.client_secret)).toBeNull();
    expect(await authenticateApiKey(env, "")).toBeNull();
    expect((await authenticateBearer(env, a.api_key))?.id).toBe(a.id);
  });
});
