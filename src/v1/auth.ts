/**
 * Caller authentication for `/v1` (docs/contracts/v1-api.md, "Authentication"): `Authorization: Bearer`
 * with an access token from `/oauth/token` or the tenant's API key.
 */
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Env as HonoEnv, MiddlewareHandler } from "hono";
import { authenticateBearer } from "../core/authentication";
import type { TenantEnv } from "../core/context";
import { bindTenant } from "../core/services";
import { GENERATION_CACHE_TTL_SECONDS, GENERATION_MEMO_TTL_SECONDS, INITIAL_SEARCH_GENERATION } from "../directory/search-cache";
import { bearerToken } from "../platform/authorization";
import { AppError } from "../platform/errors";
import { searchGenerationKey } from "../tenants/keys";
import type { RideAlong } from "../tenants/store";

/** Name of the `/v1` security scheme in the OpenAPI document; routes declare `security: [{ [V1_SECURITY_SCHEME]: [] }]`. */
export const V1_SECURITY_SCHEME = "TenantBearer";

/** Registers the `/v1` bearer scheme on an OpenAPI router (once, on the root app). */
export function registerV1SecurityScheme<E extends HonoEnv>(app: OpenAPIHono<E>): void {
  app.openAPIRegistry.registerComponent("securitySchemes", V1_SECURITY_SCHEME, {
    type: "http",
    scheme: "bearer",
    description: "An access token from POST /oauth/token (1 hour), or the tenant's API key.",
  });
}

/**
 * Requires a valid bearer credential and puts the tenant on the context as `tenant` (typed by
 * `TenantEnv`). Anything else is a 401 problem with `WWW-Authenticate: Bearer`; the message does not
 * say whether the credential was unknown, rotated or expired.
 */
export function tenantAuth(): MiddlewareHandler<TenantEnv> {
  return async function tenantAuth(c, next) {
    const credential = bearerToken(c.req.header("authorization"));
    if (!credential) throw new AppError("unauthorized", "Send Authorization: Bearer <access token or API key>.");
    // The search generation rides along with the auth records (same KV round trip): search, the hot
    // path, then needs no read of its own, and other routes pay nothing for it.
    const ride: RideAlong = {
      keysFor: (id) => [searchGenerationKey(id)],
      values: new Map(),
      cacheTtl: GENERATION_CACHE_TTL_SECONDS,
      memoTtl: GENERATION_MEMO_TTL_SECONDS,
    };
    const tenant = await authenticateBearer(c.env, credential, ride);
    if (!tenant) throw new AppError("unauthorized", "The access token or API key is invalid, expired or revoked.");
    bindTenant(c, tenant);
    c.set("searchGeneration", ride.values.get(searchGenerationKey(tenant.id)) ?? INITIAL_SEARCH_GENERATION);
    await next();
  };
}
