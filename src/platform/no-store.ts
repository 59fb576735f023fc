import type { MiddlewareHandler } from "hono";

/**
 * `Cache-Control: no-store` (RFC 9111 §5.2.2.5) on every answer of the paths `applies` names, errors
 * included: answers of the partner APIs carry personal data (candidates, authors) or credentials (tokens,
 * keys), and no shared or private cache may keep them. An answer that declared itself `public` (a
 * manifest, a logo) keeps its own directive.
 */
export function noStore(applies: (path: string) => boolean): MiddlewareHandler {
  return async function noStore(c, next) {
    await next();
    if (!applies(c.req.path)) return;
    const declared = c.res.headers.get("cache-control");
    if (declared && /(^|,)\s*public\b/i.test(declared)) return;
    c.res.headers.set("Cache-Control", "no-store");
  };
}
