// The admin and token routes join the app's OpenAPI document: paths, "Admin"/"Authentication" tags,
// security schemes and the problem schema (the docs page serves this document).
import { describe, expect, it } from "vitest";
import { buildApp } from "../../src/app";

describe("OpenAPI document", () => {
  const doc = buildApp().getOpenAPI31Document({ openapi: "3.1.0", info: { title: "bridge", version: "1" } });

  it("describes every admin route under the Admin tag with the admin bearer scheme", () => {
    const expected: Array<[string, string]> = [
      ["/admin/tenants", "post"],
      ["/admin/tenants/{id}", "get"],
      ["/admin/tenants/{id}", "patch"],
      ["/admin/tenants/{id}", "delete"],
      ["/admin/tenants/{id}/keys", "post"],
      ["/admin/tenants/{id}/sync", "get"],
      ["/admin/tenants/{id}/sync", "post"],
    ];
    for (const [path, method] of expected) {
      const op = (doc.paths?.[path] as Record<string, { tags?: string[]; security?: unknown[] }> | undefined)?.[method];
      expect(op, `${method} ${path}`).toBeDefined();
      expect(op!.tags).toEqual(["Admin"]);
      expect(op!.security).toEqual([{ AdminToken: [] }]);
    }
    expect(doc.components?.securitySchemes).toMatchObject({ AdminToken: { type: "http", scheme: "bearer" }, TenantBearer: { type: "http", scheme: "bearer" } });
    expect(doc.components?.schemas).toHaveProperty("Problem");
  });

  it("describes POST /oauth/token with both media types", () => {
    const op = (doc.paths?.["/oauth/token"] as Record<string, { requestBody?: { content?: Record<string, unknown> } }>)?.post;
    expect(Object.keys(op?.requestBody?.content ?? {}).sort()).toEqual(["application/json", "application/x-www-form-urlencoded"]);
  });
});
