// The authorization validator (contract §1) through the Worker against the simulator: Talkdesk's sample
// shape with our api_key, 200 {} for a good key, 401 for an unknown key or rejected Talemetry
// credentials, 503 + Retry-After for an outage, and never more than one Talemetry authorization.
import { describe, expect, it } from "vitest";
import { accountCredentials, clearFaults, createAccount, getStats, resetStats, setFaults } from "../helpers/sandbox";
import { adminFetch, createTenant } from "../helpers/tenants";
import { syncedTenant, talkdesk } from "./helpers";

/** Points the tenant at (possibly wrong) Talemetry credentials; the cached token of the old ones is dropped. */
async function setTalemetryCredentials(tenantId: string, credentials: { client_id: string; secret_key: string }): Promise<void> {
  const res = await adminFetch(`/admin/tenants/${tenantId}`, { method: "PATCH", body: { talemetry: credentials } });
  expect(res.status).toBe(200);
}

describe("POST /talkdesk/auth", () => {
  it("answers 200 {} for the tenant's api_key (Talkdesk's sample with our auth field)", async () => {
    const tenant = await createTenant();
    const res = await talkdesk("/auth", { auth: { api_key: tenant.api_key } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
  });

  it("answers 401 {message} for an unknown key and for Talkdesk's own username/password sample", async () => {
    for (const auth of [
      { api_key: "tlk_test_unknownunknownunknownunknown" },
      { api_key: "x", username: "john.doe@example.com", password: "605b32dd" },
    ]) {
      const res = await talkdesk("/auth", { auth });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ message: expect.any(String) });
    }
    const missing = await talkdesk("/auth", { auth: { username: "john.doe@example.com", password: "605b32dd" } });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toContain("auth.api_key");
  });

  it("answers 401 when Talemetry rejects the tenant's stored credentials", async () => {
    const tenant = await createTenant();
    await setTalemetryCredentials(tenant.id, { client_id: tenant.talemetry.client_id, secret_key: "not-the-secret" });
    const res = await talkdesk("/auth", { auth: { api_key: tenant.api_key } });
    expect(res.status).toBe(401);
    expect(res.body.message).toMatch(/Talemetry rejected/);
    expect(JSON.stringify(res.body)).not.toContain("not-the-secret");
  });

  it("answers 503 with Retry-After when Talemetry cannot be reached: an outage is not a wrong key", async () => {
    const tenant = await createTenant();
    const { client_id: clientId } = await createAccount("auth-outage");
    await setFaults(clientId, [{ op: "authorize", status: 503 }]);
    await setTalemetryCredentials(tenant.id, accountCredentials(clientId));
    const res = await talkdesk("/auth", { auth: { api_key: tenant.api_key } });
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ message: expect.any(String) });
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    await clearFaults(clientId);
  });

  it("costs at most one Talemetry authorization, also when Talkdesk validates several times at once", async () => {
    const { tenant, clientId } = await syncedTenant(5, { label: "auth-once" });
    await resetStats(clientId);
    // Cached token: no authorization at all.
    expect((await talkdesk("/auth", { auth: { api_key: tenant.api_key } })).status).toBe(200);
    expect((await getStats(clientId)).calls.authorize).toBe(0);

    // New credentials (the cached token is of the old ones): one authorization for three validations.
    await setTalemetryCredentials(tenant.id, accountCredentials(clientId));
    await resetStats(clientId);
    const answers = await Promise.all([1, 2, 3].map(() => talkdesk("/auth", { auth: { api_key: tenant.api_key } })));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect((await getStats(clientId)).calls.authorize).toBe(1);
  });
});
