import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../core/context";
import { bearerToken } from "../platform/authorization";
import { timingSafeEqualStrings } from "../platform/crypto";
import { AppError } from "../platform/errors";

/**
 * Shorter ADMIN_TOKENs are treated as unset: an empty or trivial secret must never open the admin API
 * (an empty token would otherwise equal an empty `Bearer` credential).
 */
export const MIN_ADMIN_TOKEN_LENGTH = 32;

/**
 * Admits only `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant time; anything else is a 401
 * problem. Mount before body parsing so strangers cannot make the Worker read bodies.
 */
export function adminAuth(): MiddlewareHandler<AppEnv> {
  return async function adminAuth(c, next) {
    const expected = c.env.ADMIN_TOKEN ?? "";
    const presented = bearerToken(c.req.header("authorization"));
    if (expected.length < MIN_ADMIN_TOKEN_LENGTH) {
      c.get("logger")?.error("admin API disabled: ADMIN_TOKEN is unset or too short", { min_length: MIN_ADMIN_TOKEN_LENGTH });
      throw new AppError("unauthorized", "The admin API needs a valid admin token.");
    }
    if (presented === null || !(await timingSafeEqualStrings(presented, expected))) {
      throw new AppError("unauthorized", "The admin API needs a valid admin token.");
    }
    await next();
  };
}
