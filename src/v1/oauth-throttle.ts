/**
 * Budgets of `POST /oauth/token` (issue 11), with the Workers rate limiting binding (counted per
 * Cloudflare location, like /v1's):
 * - a client id we issued has its own budget (default 60 token requests per 60 s), counted whatever
 *   secret is presented: a holder of valid credentials cannot mint tokens (each one a KV write) without
 *   end, and a secret can be guessed at most that often;
 * - a request naming no client we issued is counted per client IP (default 60 per 60 s): no one address
 *   can probe client ids or load KV with lookups of made-up ones.
 * Malformed requests (`400`) and requests without credentials are answered before any lookup and are not
 * counted. Over budget: `429` with `Retry-After`, as RFC 6749 §5.2 JSON (`temporarily_unavailable`).
 */
import type { Context } from "hono";
import type { AppEnv } from "../core/context";
import { AppError } from "../platform/errors";

/**
 * The caller's address. Cloudflare's edge sets `CF-Connecting-IP` on every request from the internet
 * (a client cannot supply its own); without one (local runs, service bindings) all such requests share
 * one budget, which is stricter, never looser.
 */
function clientIp(c: Context<AppEnv>): string {
  return c.req.header("cf-connecting-ip")?.trim() || "unknown";
}

/**
 * Spends one token request of the budget that applies: `clientId` when it names a client we issued,
 * else the caller's IP. @throws AppError `429` (rendered RFC 6749 style by the /oauth router) when spent.
 */
export async function spendTokenBudget(c: Context<AppEnv>, knownClientId: string | null): Promise<void> {
  const limits = c.var.settings.oauthRateLimit;
  const [binding, key, budget, per] = knownClientId
    ? [c.env.OAUTH_CLIENT_RATE_LIMIT, knownClientId, limits.perClient, "client"]
    : [c.env.OAUTH_IP_RATE_LIMIT, clientIp(c), limits.perIp, "address, for unknown clients"];
  const { success } = await binding.limit({ key });
  if (!success) {
    throw new AppError("rate_limited", `Too many token requests: at most ${budget.requests} per ${budget.periodSeconds} s per ${per}.`, {
      retryAfter: budget.periodSeconds,
    });
  }
}
