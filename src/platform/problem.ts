import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { platformSettings } from "./context";
import type { AppError, ErrorCode } from "./errors";
import { CODE_SLUG } from "./errors";

/** RFC 9457 §3 media type. */
export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/** Short, stable titles (RFC 9457 §3.1.3: the title does not change between occurrences). */
export const CODE_TITLE: Record<ErrorCode, string> = {
  bad_request: "Bad request",
  unauthorized: "Unauthorized",
  forbidden: "Forbidden",
  not_found: "Not found",
  method_not_allowed: "Method not allowed",
  conflict: "Conflict",
  gone: "Gone",
  invalid: "Validation failed",
  payload_too_large: "Payload too large",
  unsupported_media_type: "Unsupported media type",
  rate_limited: "Too many requests",
  entity_not_supported: "Entity type not supported",
  upstream_auth: "CRM credentials rejected",
  upstream_unavailable: "CRM unavailable",
  internal: "Internal error",
};

/** The problem document, for OpenAPI responses of every router. */
export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: "https://bridge.example.com/problems/invalid" }),
    title: z.string().openapi({ example: "Validation failed" }),
    status: z.number().int().openapi({ example: 422 }),
    detail: z.string(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    request_id: z.string().optional().openapi({ description: "Also in the X-Request-Id header; quote it when reporting a problem." }),
  })
  .openapi("Problem", { description: "RFC 9457 problem details (application/problem+json)." });

/** The problem document's body type. */
export type Problem = z.infer<typeof ProblemSchema>;

/** `<base>/problems/<slug>`: the deployment's public URL, else the origin the request came to. */
export function problemType(c: Context, code: ErrorCode): string {
  const base = platformSettings(c)?.publicUrl ?? new URL(c.req.url).origin;
  return `${base}/problems/${CODE_SLUG[code]}`;
}

/** The RFC 9457 body for `err`. Only `detail` and `errors` come from the error: both are wire-safe by contract. */
export function problemBody(c: Context, err: AppError): Problem {
  const body: Problem = { type: problemType(c, err.code), title: CODE_TITLE[err.code], status: err.status, detail: err.detail };
  if (err.errors && err.errors.length > 0) body.errors = err.errors;
  const requestId = c.get("requestId") as string | undefined;
  if (requestId) body.request_id = requestId;
  return body;
}

/**
 * Renders `err` as `application/problem+json`, with `Retry-After` when the error carries one and
 * `WWW-Authenticate: Bearer` on 401 (RFC 9110 §11.6.1 requires a challenge on every 401).
 */
export function renderProblem(c: Context, err: AppError): Response {
  const headers: Record<string, string> = { "Content-Type": PROBLEM_CONTENT_TYPE };
  if (err.retryAfter !== undefined) headers["Retry-After"] = String(Math.max(1, Math.ceil(err.retryAfter)));
  if (err.status === 401) headers["WWW-Authenticate"] = "Bearer";
  return c.body(JSON.stringify(problemBody(c, err)), err.status as ContentfulStatusCode, headers);
}

/**
 * Renders `err` as Talkdesk expects (`{"message"}`, docs/contracts/talkdesk-bridge.md), with `Retry-After`
 * when set. The Talkdesk router maps contract-specific outcomes (e.g. upstream 404 on actions → 400) itself.
 */
export function renderMessage(c: Context, err: AppError): Response {
  const headers: Record<string, string> = {};
  if (err.retryAfter !== undefined) headers["Retry-After"] = String(Math.max(1, Math.ceil(err.retryAfter)));
  return c.json({ message: err.detail }, err.status as ContentfulStatusCode, headers);
}
