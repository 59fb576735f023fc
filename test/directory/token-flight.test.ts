// Single-flight Talemetry authorization through the tenant's Durable Object: however many requests find
// the token revoked or missing at once, the upstream sees one authorization call.

import { evictDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DEMO } from "../../sandbox/demo-data";
import { talemetryTokenKey } from "../../src/tenants/keys";
import { getTenant } from "../../src/tenants/store";
import { createAccount, getStats, resetStats, revokeTokens } from "../helpers/sandbox";
import { servicesFor } from "../helpers/services";
import { createTenant } from "../helpers/tenants";

async function tenantFor(label: string) {
  const { client_id: clientId } = await createAccount(label);
  const created = await createTenant({ talemetryClientId: clientId, region: "US" });
  const tenant = (await getTenant(env, created.id))!;
  // One read so a token exists (in the DO and in KV) before the scenario starts.
  await servicesFor(tenant).talemetry.fetchProfiles([DEMO.maya.record.id]);
  return { clientId, tenant };
}

describe("single-flight token refresh", () => {
  it("50 concurrent reads after the token is revoked upstream cause exactly one authorization", async () => {
    const { clientId, tenant } = await tenantFor("flight");
    await revokeTokens(clientId);
    await resetStats(clientId);

    const results = await Promise.all(Array.from({ length: 50 }, () => servicesFor(tenant).talemetry.fetchProfiles([DEMO.maya.record.id])));
    expect(results.every((r) => r.length === 1 && r[0].name === "Maya Ortiz")).toBe(true);
    const stats = await getStats(clientId);
    expect(stats.calls.authorize).toBe(1);
    // Each read was refused once with the revoked token and retried once with the new one.
    expect(stats.calls.profiles).toBe(100);
  });

  it("50 concurrent reads with no cached token anywhere (KV copy gone, DO evicted) authorize once", async () => {
    const { clientId, tenant } = await tenantFor("cold");
    await env.KV.delete(talemetryTokenKey(tenant.id, tenant.talemetry.credentials_version));
    await evictDurableObject(env.TENANT.get(env.TENANT.idFromName(tenant.id)));
    await revokeTokens(clientId);
    await resetStats(clientId);

    await Promise.all(Array.from({ length: 50 }, () => servicesFor(tenant).talemetry.fetchProfiles([DEMO.maya.record.id])));
    expect((await getStats(clientId)).calls.authorize).toBe(1);
  });

  it("a valid cached token is reused without any authorization", async () => {
    const { clientId, tenant } = await tenantFor("warm");
    await resetStats(clientId);
    await Promise.all(Array.from({ length: 20 }, () => servicesFor(tenant).talemetry.fetchProfiles([DEMO.maya.record.id])));
    const stats = await getStats(clientId);
    expect(stats.calls.authorize).toBe(0);
    expect(stats.calls.profiles).toBe(20);
  });

  it("the KV copy of the token is encrypted", async () => {
    const { tenant } = await tenantFor("sealed");
    const sealed = await env.KV.get(talemetryTokenKey(tenant.id, tenant.talemetry.credentials_version));
    expect(sealed).toBeTruthy();
    expect(sealed).not.toMatch(/TGC-/);
  });
});
