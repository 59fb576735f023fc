// Request logs: one structured line per request with the documented fields, and no secret — admin token,
// API key, client secret, access token, Talemetry secret or CREDENTIALS_KEY — in any line of a full run.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { buildApp } from "../../src/app";
import type { TenantEnv } from "../../src/core/context";
import { tenantAuth } from "../../src/v1/auth";
import { createAccount } from "../helpers/sandbox";

afterEach(() => vi.restoreAllMocks());

/** The app at LOG_LEVEL=debug (tests run at warn), plus a /v1 probe route that counts two upstream calls. */
function debugApp() {
  const app = buildApp();
  const v1 = app.basePath("/v1") as unknown as import("hono").Hono<TenantEnv>;
  v1.use("/log-probe", tenantAuth());
  v1.get("/log-probe", (c) => {
    c.var.services.stats.calls += 2;
    c.var.services.stats.elapsedMs += 12.5;
    return c.json({ tenant: c.get("tenant").id });
  });
  const debugEnv = { ...env, LOG_LEVEL: "debug" };
  return async (path: string, init?: RequestInit) => {
    const ctx = createExecutionContext();
    const res = await app.fetch(new Request(`http://bridge${path}`, init), debugEnv, ctx);
    await waitOnExecutionContext(ctx);
    return res;
  };
}

function captureConsole(): () => string[] {
  const spies = (["log", "info", "debug", "warn", "error"] as const).map((m) => vi.spyOn(console, m).mockImplementation(() => {}));
  return () => spies.flatMap((s) => s.mock.calls.map((args) => args.map(String).join(" ")));
}

describe("request log line", () => {
  it("has request_id, tenant_id, route, method, status, duration_ms, upstream_calls, upstream_ms and limit_ms", async () => {
    const call = debugApp();
    const admin = { authorization: `Bearer ${env.ADMIN_TOKEN}`, "content-type": "application/json" };
    const created = await call("/admin/tenants", {
      method: "POST",
      headers: admin,
      body: JSON.stringify({ name: "Log", region: "GB", talemetry: await createAccount("log") }),
    });
    const { id, api_key } = (await created.json()) as { id: string; api_key: string };

    const lines = captureConsole();
    const res = await call("/v1/log-probe", { headers: { authorization: `Bearer ${api_key}`, "x-request-id": "probe-1" } });
    expect(res.status).toBe(200);
    const requestLines = lines()
      .map((l) => JSON.parse(l))
      .filter((l) => l.msg === "request");
    expect(requestLines).toHaveLength(1);
    expect(requestLines[0]).toMatchObject({
      level: "info",
      request_id: "probe-1",
      tenant_id: id,
      route: "/v1/log-probe",
      method: "GET",
      status: 200,
      upstream_calls: 2,
      upstream_ms: 13,
    });
    expect(requestLines[0].duration_ms).toEqual(expect.any(Number));
    // The tenant's /v1 budget was asked: how long the limiter took to decide.
    expect(requestLines[0].limit_ms).toEqual(expect.any(Number));
    // The same, for the caller: the Worker's whole time, Talemetry's share and the limiter's (W3C Server Timing).
    expect(res.headers.get("server-timing")).toMatch(/^app;dur=\d+\.\d, upstream;dur=12\.5, limit;dur=\d+\.\d$/);
  });

  it("answers Server-Timing with the Worker's time only when Talemetry was not called, errors included", async () => {
    const call = debugApp();
    expect((await call("/healthz")).headers.get("server-timing")).toMatch(/^app;dur=\d+\.\d$/);
    // Refused before the limiter is asked: no `limit` either.
    const refused = await call("/v1/capabilities");
    expect(refused.status).toBe(401);
    expect(refused.headers.get("server-timing")).toMatch(/^app;dur=\d+\.\d$/);
  });

  it("respects LOG_LEVEL: at warn, successful requests write nothing", async () => {
    const { exports } = await import("cloudflare:workers");
    const lines = captureConsole();
    await exports.default.fetch("http://bridge/healthz");
    expect(lines().filter((l) => l.includes('"msg":"request"'))).toEqual([]);
  });
});

describe("redaction in a full run", () => {
  it("never logs a secret that was used", async () => {
    const call = debugApp();
    const lines = captureConsole();
    const admin = { authorization: `Bearer ${env.ADMIN_TOKEN}`, "content-type": "application/json" };
    const account = await createAccount("redaction-check");
    const talemetrySecret = account.secret_key;
    const created = await call("/admin/tenants", {
      method: "POST",
      headers: admin,
      body: JSON.stringify({ name: "Redact", region: "GB", talemetry: account }),
    });
    const tenant = (await created.json()) as { id: string; api_key: string; client_id: string; client_secret: string };
    const token = (await (
      await call("/oauth/token", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: `grant_type=client_credentials&client_id=${tenant.client_id}&client_secret=${tenant.client_secret}`,
      })
    ).json()) as { access_token: string };
    await call("/v1/log-probe", { headers: { authorization: `Bearer ${token.access_token}` } });
    await call("/v1/log-probe", { headers: { authorization: `Bearer ${tenant.api_key}` } });
    // Failures too: wrong secret, wrong admin token, a body with a secret and a bad field.
    await call("/oauth/token", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ grant_type: "client_credentials", client_id: tenant.client_id, client_secret: `${tenant.client_secret}x` }),
    });
    await call(`/admin/tenants/${tenant.id}`, { headers: { authorization: `Bearer ${env.ADMIN_TOKEN}x` } });
    await call(`/admin/tenants/${tenant.id}`, {
      method: "PATCH",
      headers: admin,
      body: JSON.stringify({ talemetry: { client_id: "c", secret_key: talemetrySecret }, region: "ZZ" }),
    });
    const rotated = (await (await call(`/admin/tenants/${tenant.id}/keys`, { method: "POST", headers: admin })).json()) as {
      api_key: string;
      client_secret: string;
    };
    await call("/v1/log-probe", { headers: { authorization: `Bearer ${tenant.api_key}` } });

    const output = lines().join("\n");
    expect(output).toContain('"msg":"request"');
    for (const secret of [
      env.ADMIN_TOKEN,
      env.CREDENTIALS_KEY,
      talemetrySecret,
      tenant.api_key,
      tenant.client_secret,
      token.access_token,
      rotated.api_key,
      rotated.client_secret,
    ]) {
      expect(output).not.toContain(secret);
    }
  });
});
