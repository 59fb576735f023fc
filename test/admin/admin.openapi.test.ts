// The admin and token routers document themselves when mounted the way app.ts mounts them: paths,
// "Admin"/"Authentication" tags, security schemes and the problem schema (the docs page serves the
// whole app's document; this file covers the routers it owns).
import { describe, expect, it } from "vitest";
import { adminRoutes } from "../../src/admin/routes";
import type { AppEnv } from "../../src/core/context";
import { createRouter } from "../../src/platform/validation";
import { registerV1SecurityScheme } from "../../src/v1/auth";
import { oauthRoutes } from "../../src/v1/oauth";

describe("OpenAPI document", () => {
  const app = createRouter<AppEnv>();
  registerV1SecurityScheme(app);
  app.route("/admin", adminRoutes());
  app.route("/oauth", oauthRoutes());
  const doc = app.getOpenAPI31Document({ openapi: "3.1.0", info: { title: "bridge", version: "1" } });

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
    expect(doc.components?.securitySchemes).toMatchObject({
      AdminToken: { type: "http", scheme: "bearer" },
      TenantBearer: { type: "http", scheme: "bearer" },
    });
    expect(doc.components?.schemas).toHaveProperty("Problem");
  });

  it("describes POST /oauth/token with both media types", () => {
    const op = (doc.paths?.["/oauth/token"] as Record<string, { requestBody?: { content?: Record<string, unknown> } }>)?.post;
    expect(Object.keys(op?.requestBody?.content ?? {}).sort()).toEqual(["application/json", "application/x-www-form-urlencoded"]);
  });
});
