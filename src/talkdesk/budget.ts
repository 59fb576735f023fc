/**
 * Talkdesk's own per-tenant request budget (issue 11): every authenticated `/talkdesk/*` call counts
 * against the `TALKDESK_RATE_LIMIT` binding, keyed by tenant — a namespace of its own, so a looping
 * Talkdesk integration (each contact shown costs a Talemetry profiles read) is stopped before it spends
 * the Talemetry quota the tenant's /v1 and sync need, and /v1 traffic never starves Talkdesk either.
 * Over budget: `429 {"message"}` with `Retry-After` (the window), in Talkdesk's error format.
 */
import type { MiddlewareHandler } from "hono";
import { decideRateLimit } from "../platform/context";
import { AppError } from "../platform/errors";
import type { TalkdeskEnv } from "./envelope";

/** The 429 a spent budget answers; the message names the budget so an operator knows what to raise. */
export function talkdeskBudgetExceeded(budget: { requests: number; periodSeconds: number }): AppError {
  return new AppError(
    "rate_limited",
    `Over this tenant's Talkdesk budget of ${budget.requests} requests per ${budget.periodSeconds} s; retry after the Retry-After delay.`,
    { retryAfter: budget.periodSeconds },
  );
}

/**
 * Runs after the envelope middleware (the tenant is known). The binding only says allowed or not
 * (counted per Cloudflare location), so nothing announces a remaining count.
 */
export function talkdeskBudget(): MiddlewareHandler<TalkdeskEnv> {
  return async function talkdeskBudget(c, next) {
    const outcome = await decideRateLimit(c, c.env.TALKDESK_RATE_LIMIT, c.get("tenant").id);
    if (!outcome.success) throw talkdeskBudgetExceeded(c.var.settings.talkdeskRateLimit);
    await next();
  };
}
