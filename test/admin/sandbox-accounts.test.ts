// POST /admin/sandbox-accounts: operators of the sandbox environment create Talemetry accounts on the
// built-in simulator (which has no public URL) through the admin API, then onboard a tenant with them.
// Closed without the admin token, 404 where no simulator is bound, 409 for a taken client id.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { buildApp } from "../../src/app";
import { drainBackfill } from "../helpers/directory";
import { adminFetch } from "../helpers/tenants";

describe("POST /admin/sandbox-accounts", () => {
  it("creates a simulator account whose credentials onboard a working tenant", async () => {
    const res = await adminFetch("/admin/sandbox-accounts", { method: "POST", body: {} });
    expect(res.status).toBe(201);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const account = (await res.json()) as { client_id: string; secret_key: string };
    expect(account.secret_key.length).toBeGreaterThanOrEqual(32);

    const created = await adminFetch("/admin/tenants", {
      method: "POST",
      body: { name: "Sandbox tenant", region: "US", talemetry: account },
    });
    expect(created.status).toBe(201);
    const tenant = (await created.json()) as { id: string; api_key: string };
    await drainBackfill(tenant.id);
    const search = await adminFetch(`/admin/tenants/${tenant.id}/sync`);
    expect(((await search.json()) as { indexed: number }).indexed).toBeGreaterThan(0);
  });

  it("takes a chosen client id once (409 the second time)", async () => {
    const clientId = `ops-${crypto.randomUUID().slice(0, 8)}`;
    expect((await adminFetch("/admin/sandbox-accounts", { method: "POST", body: { client_id: clientId } })).status).toBe(201);
    const again = await adminFetch("/admin/sandbox-accounts", { method: "POST", body: { client_id: clientId } });
    expect(again.status).toBe(409);
    expect(await again.text()).not.toContain("secret");
  });

  it("refuses a malformed client id with 422 naming it", async () => {
    const res = await adminFetch("/admin/sandbox-accounts", { method: "POST", body: { client_id: "../x" } });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { errors: Array<{ field: string }> }).errors.map((e) => e.field)).toEqual(["client_id"]);
  });

  it("is closed without the admin token", async () => {
    const res = await adminFetch("/admin/sandbox-accounts", { method: "POST", body: {}, headers: { authorization: "Bearer nope" } });
    expect(res.status).toBe(401);
  });

  it("is a 404 where no simulator is bound", async () => {
    const production = {
      ...env,
      TALEMETRY_SANDBOX: undefined,
      TALEMETRY_MATCH_URL: "https://api.talemetry.com",
      TALEMETRY_PROFILES_URL: "https://api2.talemetry.com",
    };
    const ctx = createExecutionContext();
    const res = await buildApp().fetch(
      new Request("http://bridge/admin/sandbox-accounts", {
        method: "POST",
        headers: { authorization: `Bearer ${env.ADMIN_TOKEN}`, "content-type": "application/json" },
        body: "{}",
      }),
      production,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(404);
  });
});
