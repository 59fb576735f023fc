/**
 * Guards /__control/*. Without a configured SANDBOX_CONTROL_TOKEN the routes do not exist (404), so a
 * deployment that forgot the secret exposes nothing; with it, `Authorization: Bearer <token>` compared
 * in constant time.
 */
import type { MiddlewareHandler } from "hono";
import type { SandboxEnv } from "./env";
import { fail, toResponse } from "./reply";
import { sameSecret } from "./secure";

export function controlAuth(): MiddlewareHandler<{ Bindings: SandboxEnv }> {
  return async function controlAuth(c, next) {
    const expected = c.env.SANDBOX_CONTROL_TOKEN;
    if (!expected) return toResponse(fail(404, "not_found", "Not found"));
    const presented = /^Bearer +(\S+)\s*$/i.exec(c.req.header("authorization") ?? "")?.[1];
    if (presented === undefined || !(await sameSecret(presented, expected))) {
      const reply = fail(401, "unauthorized", "Control routes need Authorization: Bearer <SANDBOX_CONTROL_TOKEN>");
      reply.headers["www-authenticate"] = 'Bearer realm="talemetry-sandbox-control"';
      return toResponse(reply);
    }
    await next();
  };
}
