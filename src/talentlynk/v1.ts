import type { OpenAPIHono } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { readSettings } from "../env";
import type { TenantEnv } from "../platform/context";
import { AppError } from "../platform/errors";
import { createRouter } from "../platform/validation";
import { tenantAuth } from "./auth";
import { registerSearch } from "./search";
import { registerCandidates } from "./candidates";
import { registerUnsupportedEntities } from "./unsupported-entities";
import { registerCapabilities } from "./capabilities";
import { registerActivities } from "./activities";
import { registerUsers } from "./users";
import { registerActivityTypes } from "./activity-types";

export type V1Router = OpenAPIHono<TenantEnv>;

/**
 * Per-tenant request budget (contracts/talentlynk-api.md, "Rate limits"): the Workers rate-limiting
 * binding, keyed by tenant. It only says allowed or not, so we send `RateLimit-Limit` and
 * `RateLimit-Policy` (IETF draft) and never invent a remaining count.
 */
export function tenantRateLimit(): MiddlewareHandler<TenantEnv> {
  return async function tenantRateLimit(c, next) {
    const { requests, periodSeconds } = readSettings(c.env).rateLimit;
    const headers = { "RateLimit-Limit": String(requests), "RateLimit-Policy": `"tenant";q=${requests};w=${periodSeconds}` };
    const { success } = await c.env.TENANT_RATE_LIMIT.limit({ key: c.get("tenant").id });
    if (!success) {
      for (const [k, v] of Object.entries(headers)) c.header(k, v);
      throw new AppError("rate_limited", `Over this tenant's budget of ${requests} requests per ${periodSeconds} s.`, { retryAfter: periodSeconds });
    }
    await next();
    for (const [k, v] of Object.entries(headers)) c.res.headers.set(k, v);
  };
}

/** The /v1 router: authentication, then the tenant's rate limit, then the routes of the contract. */
export function v1Routes(): V1Router {
  const app = createRouter<TenantEnv>();
  app.use("*", tenantAuth());
  app.use("*", tenantRateLimit());
  registerSearch(app);
  registerCandidates(app);
  registerUnsupportedEntities(app);
  registerCapabilities(app);
  registerActivities(app);
  registerUsers(app);
  registerActivityTypes(app);
  return app;
}
