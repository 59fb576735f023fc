// API keys name their tenant and OAuth client (not secret) so authentication is one bulk KV read; the
// secret part is what counts. A key whose locator is real but whose secret is not is refused.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { adminFetch, createTenant } from "../helpers/tenants";

const capabilities = (key: string) =>
  exports.default.fetch("http://bridge/v1/capabilities", { headers: { authorization: `Bearer ${key}` } });

describe("located API keys", () => {
  it("accepts the issued key and refuses forged or swapped secrets under a real locator", async () => {
    const [a, b] = await Promise.all([createTenant(), createTenant()]);
    expect((await capabilities(a.api_key)).status).toBe(200);
    const [locatorA, secretA] = [a.api_key.slice(0, -43), a.api_key.slice(-43)];
    const secretB = b.api_key.slice(-43);
    expect((await capabilities(locatorA + secretB)).status).toBe(401);
    expect((await capabilities(locatorA + "A".repeat(43))).status).toBe(401);
    // B's secret under a locator naming A's tenant but B's client: the records disagree.
    const swapped = `tlk_test_${a.id.slice(4)}${b.client_id.slice(7)}_${secretB}`;
    expect((await capabilities(swapped)).status).toBe(401);
    expect(secretA).not.toEqual(secretB);
  });

  it("a rotated key stops working; the new one works", async () => {
    const t = await createTenant();
    const res = await adminFetch(`/admin/tenants/${t.id}/keys`, { method: "POST" });
    const { api_key } = (await res.json()) as { api_key: string };
    expect((await capabilities(t.api_key)).status).toBe(401);
    expect((await capabilities(api_key)).status).toBe(200);
  });
});
