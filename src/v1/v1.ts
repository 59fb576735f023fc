import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import type { TenantEnv } from "../core/context";
import { decideRateLimit } from "../platform/context";
import { AppError } from "../platform/errors";
import { createRouter } from "../platform/validation";
import { registerActivities } from "./activities";
import { registerActivityTypes } from "./activity-types";
import { tenantAuth } from "./auth";
import { registerCandidates } from "./candidates";
import { registerCapabilities } from "./capabilities";
import { registerChanges } from "./changes";
import { registerSearch } from "./search";
import { registerUnsupportedEntities } from "./unsupported-entities";
import { registerUsers } from "./users";
import { registerWebhooks } from "./webhooks";

export type V1Router = OpenAPIHono<TenantEnv>;

/**
 * `RateLimit-Limit` and `RateLimit-Policy` (IETF RateLimit headers draft) on EVERY /v1 answer — errors,
 * 401s and 429s included (docs/contracts/v1-api.md, "Rate limits"). The budget is per tenant but the
 * same for all tenants of an environment, so it can be announced before authentication.
 */
export function rateLimitHeaders(): MiddlewareHandler<TenantEnv> {
  return async function rateLimitHeaders(c, next) {
    await next();
    const { requests, periodSeconds } = c.var.settings.rateLimit;
    c.res.headers.set("RateLimit-Limit", String(requests));
    c.res.headers.set("RateLimit-Policy", `"tenant";q=${requests};w=${periodSeconds}`);
  };
}

/**
 * Per-tenant request budget: the Workers rate-limiting binding, keyed by tenant. It only says allowed or
 * not (counted per Cloudflare location), so the bridge never invents a remaining count.
 */
export function tenantRateLimit(): MiddlewareHandler<TenantEnv> {
  return async function tenantRateLimit(c, next) {
    await enforceRateLimit(c, decideRateLimit(c, c.env.TENANT_RATE_LIMIT, c.get("tenant").id));
    await next();
  };
}

/**
 * Throws the 429 when the limiter's `decision` says no. Read-only routes on the hot path (search) start
 * the decision themselves and look up their answer meanwhile, instead of waiting for it first.
 */
export async function enforceRateLimit(c: Context<TenantEnv>, decision: Promise<RateLimitOutcome>): Promise<void> {
  if ((await decision).success) return;
  const { requests, periodSeconds } = c.var.settings.rateLimit;
  throw new AppError("rate_limited", `Over this tenant's budget of ${requests} requests per ${periodSeconds} s.`, {
    retryAfter: periodSeconds,
  });
}

/** The /v1 router: limit headers, authentication, then the tenant's rate limit, then the routes of the contract. */
export function v1Routes(): V1Router {
  const app = createRouter<TenantEnv>();
  app.use("*", rateLimitHeaders());
  app.use("*", tenantAuth());
  // Search enforces the rate limit itself, overlapping the limiter with its cache lookup (hot path);
  // registered before the limiter middleware, which therefore never runs for it.
  registerSearch(app);
  app.use("*", tenantRateLimit());
  registerCandidates(app);
  registerUnsupportedEntities(app);
  registerCapabilities(app);
  registerActivities(app);
  registerUsers(app);
  registerActivityTypes(app);
  registerChanges(app);
  registerWebhooks(app);
  return app;
}
