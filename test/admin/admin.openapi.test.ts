// The admin API's own OpenAPI document: served at /admin/openapi.json behind the admin token (401
// without it), with every admin route under the Admin tag and the admin bearer scheme — and nothing of
// it in the partners' public /openapi.json.
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { adminFetch, BRIDGE } from "../helpers/tenants";

type Doc = {
  info: { title: string };
  paths: Record<string, Record<string, { tags?: string[]; security?: unknown[]; operationId?: string }>>;
  components: { securitySchemes?: Record<string, unknown>; schemas?: Record<string, unknown> };
};

let admin: Doc;
let partner: Doc;
beforeAll(async () => {
  const res = await adminFetch("/admin/openapi.json");
  expect(res.status).toBe(200);
  admin = await res.json();
  partner = await (await exports.default.fetch(`${BRIDGE}/openapi.json`)).json();
});

describe("/admin/openapi.json", () => {
  it("needs the admin token", async () => {
    const anonymous = await exports.default.fetch(`${BRIDGE}/admin/openapi.json`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).not.toContain("/admin/tenants");
    const wrong = await exports.default.fetch(`${BRIDGE}/admin/openapi.json`, { headers: { authorization: "Bearer nope" } });
    expect(wrong.status).toBe(401);
  });

  it("describes every admin route under the Admin tag with the admin bearer scheme and an operationId", () => {
    const expected: Array<[string, string, string]> = [
      ["/admin/tenants", "post", "createTenant"],
      ["/admin/tenants/{id}", "get", "getTenant"],
      ["/admin/tenants/{id}", "patch", "updateTenant"],
      ["/admin/tenants/{id}", "delete", "deleteTenant"],
      ["/admin/tenants/{id}/keys", "post", "rotateTenantKeys"],
      ["/admin/tenants/{id}/sync", "get", "getSyncStatus"],
      ["/admin/tenants/{id}/sync", "post", "requestSync"],
      ["/admin/sandbox-accounts", "post", "createSandboxAccount"],
    ];
    for (const [path, method, operationId] of expected) {
      const op = admin.paths[path]?.[method];
      expect(op, `${method} ${path}`).toBeDefined();
      expect(op.tags).toEqual(["Admin"]);
      expect(op.security).toEqual([{ AdminToken: [] }]);
      expect(op.operationId).toBe(operationId);
    }
    expect(Object.keys(admin.paths).every((p) => p.startsWith("/admin/"))).toBe(true);
    expect(Object.keys(admin.components.securitySchemes ?? {})).toEqual(["AdminToken"]);
    expect(admin.components.schemas).toHaveProperty("Problem");
  });

  it("is not part of the partners' document", () => {
    expect(Object.keys(partner.paths).filter((p) => p.startsWith("/admin"))).toEqual([]);
    expect(partner.components.securitySchemes).not.toHaveProperty("AdminToken");
    expect(partner.components.schemas).not.toHaveProperty("Tenant");
    expect(JSON.stringify(partner)).not.toContain("ADMIN_TOKEN");
  });
});
