/**
 * Guards /__control/*. Without a configured SANDBOX_CONTROL_TOKEN of at least 32 characters the routes
 * do not exist (404), so a deployment that forgot the secret, or set a guessable one, exposes nothing —
 * the bridge's rule for ADMIN_TOKEN (src/admin/auth.ts). With it, `Authorization: Bearer <token>`
 * compared in constant time.
 */
import type { MiddlewareHandler } from "hono";
import type { SandboxEnv } from "./env";
import { fail, toResponse } from "./reply";
import { sameSecret } from "./secure";

/** Shorter SANDBOX_CONTROL_TOKENs are treated as unset. */
export const MIN_CONTROL_TOKEN_LENGTH = 32;

export function controlAuth(): MiddlewareHandler<{ Bindings: SandboxEnv }> {
  return async function controlAuth(c, next) {
    const expected = c.env.SANDBOX_CONTROL_TOKEN ?? "";
    if (expected.length < MIN_CONTROL_TOKEN_LENGTH) {
      if (expected)
        console.error(
          `talemetry-sandbox: control routes disabled: SANDBOX_CONTROL_TOKEN is shorter than ${MIN_CONTROL_TOKEN_LENGTH} characters`,
        );
      return toResponse(fail(404, "not_found", "Not found"));
    }
    const presented = /^Bearer +(\S+)\s*$/i.exec(c.req.header("authorization") ?? "")?.[1];
    if (presented === undefined || !(await sameSecret(presented, expected))) {
      const reply = fail(401, "unauthorized", "Control routes need Authorization: Bearer <SANDBOX_CONTROL_TOKEN>");
      reply.headers["www-authenticate"] = 'Bearer realm="talemetry-sandbox-control"';
      return toResponse(reply);
    }
    await next();
  };
}
