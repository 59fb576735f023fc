import type { MiddlewareHandler } from "hono";

/** Context variables set by `requestId()`. */
export type RequestIdVariables = { requestId: string };

/** Options of `requestId`. */
export interface RequestIdOptions {
  /** Header read from the request and set on the response. */
  headerName?: string;
  /** Longest incoming id accepted; longer ones are replaced. */
  maxLength?: number;
  /** Makes a new id when the caller sent none or an unsafe one. */
  generate?: () => string;
}

// Incoming ids end up in logs and response headers: only a conservative charset is trusted, so a caller
// cannot inject log fields, header breaks or megabytes of text.
const SAFE_ID = /^[A-Za-z0-9._:-]+$/;

/**
 * Accepts a safe incoming `X-Request-Id` (so callers can correlate) or generates one, puts it on the
 * context as `requestId` and on every response, error answers included.
 */
export function requestId({
  headerName = "X-Request-Id",
  maxLength = 128,
  generate = () => crypto.randomUUID(),
}: RequestIdOptions = {}): MiddlewareHandler<{ Variables: RequestIdVariables }> {
  return async function requestId(c, next) {
    const incoming = c.req.header(headerName);
    const id = incoming && incoming.length <= maxLength && SAFE_ID.test(incoming) ? incoming : generate();
    c.set("requestId", id);
    c.header(headerName, id);
    await next();
    // The error handler or a sub-app may have built a fresh Response without the context's headers.
    // Copied rather than mutated: responses passed through from fetch have immutable headers.
    if (!c.res.headers.has(headerName)) {
      const res = new Response(c.res.body, c.res);
      res.headers.set(headerName, id);
      c.res = res;
    }
  };
}
