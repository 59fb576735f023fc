/**
 * One error model for the whole bridge. Code raises `AppError`; each caller's router renders it in
 * its own format (problem+json for /v1 and /admin, `{"message"}` for Talkdesk, RFC 6749 for /oauth).
 * Upstream failures are `UpstreamError`s, mapped to callers by the single table in
 * docs/architecture.md ("Deadlines and upstream errors") — see `upstreamToAppError`.
 */

import { HTTPException } from "hono/http-exception";

export type ErrorCode =
  | "bad_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "method_not_allowed"
  | "conflict"
  | "gone"
  | "invalid"
  | "payload_too_large"
  | "unsupported_media_type"
  | "rate_limited"
  | "entity_not_supported"
  | "upstream_auth"
  | "upstream_unavailable"
  | "internal";

export const CODE_STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  gone: 410,
  invalid: 422,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  entity_not_supported: 501,
  upstream_auth: 502,
  upstream_unavailable: 503,
  internal: 500,
};

/** Problem type slugs (the `type` URI ends with `/problems/<slug>`). */
export const CODE_SLUG: Record<ErrorCode, string> = {
  bad_request: "bad-request",
  unauthorized: "unauthorized",
  forbidden: "forbidden",
  not_found: "not-found",
  method_not_allowed: "method-not-allowed",
  conflict: "conflict",
  gone: "gone",
  invalid: "invalid",
  payload_too_large: "payload-too-large",
  unsupported_media_type: "unsupported-media-type",
  rate_limited: "rate-limited",
  entity_not_supported: "entity-not-supported",
  upstream_auth: "upstream-auth",
  upstream_unavailable: "upstream-unavailable",
  internal: "internal",
};

export interface FieldError {
  field: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** Safe for the wire. Never put secrets, tokens or raw upstream bodies here. */
  readonly detail: string;
  readonly errors?: FieldError[];
  /** Seconds, for 429/503. */
  readonly retryAfter?: number;

  constructor(code: ErrorCode, detail: string, opts: { errors?: FieldError[]; retryAfter?: number; cause?: unknown } = {}) {
    super(detail, { cause: opts.cause });
    this.name = "AppError";
    this.code = code;
    this.status = CODE_STATUS[code];
    this.detail = detail;
    this.errors = opts.errors;
    this.retryAfter = opts.retryAfter;
  }
}

/** How an upstream (Talemetry) call failed, after retries. */
export type UpstreamKind = "auth" | "not_found" | "conflict" | "invalid" | "throttled" | "unavailable";

export class UpstreamError extends Error {
  readonly kind: UpstreamKind;
  /** Upstream HTTP status, when there was an answer. For logs only. */
  readonly upstreamStatus?: number;
  /** Seconds the caller should wait, for throttled/unavailable. */
  readonly retryAfter?: number;
  /** Upstream's own message/code, for logs only (may be dirty; never rendered to callers). */
  readonly upstreamDetail?: string;

  constructor(
    kind: UpstreamKind,
    message: string,
    opts: { upstreamStatus?: number; retryAfter?: number; upstreamDetail?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = "UpstreamError";
    this.kind = kind;
    this.upstreamStatus = opts.upstreamStatus;
    this.retryAfter = opts.retryAfter;
    this.upstreamDetail = opts.upstreamDetail;
  }
}

/** The contract's "Errors" table, /v1 column: never pass Talemetry's status through blindly. */
export function upstreamToAppError(err: UpstreamError): AppError {
  switch (err.kind) {
    case "auth":
      return new AppError("upstream_auth", "The CRM rejected this tenant's stored Talemetry credentials.", { cause: err });
    case "not_found":
      return new AppError("not_found", "The CRM has no such record.", { cause: err });
    case "conflict":
      return new AppError(
        "conflict",
        "The CRM refused the change because it conflicts with another record (for example an email already used by another candidate).",
        { cause: err },
      );
    case "invalid":
      return new AppError("invalid", "The CRM refused the change as invalid.", { cause: err });
    case "throttled":
    case "unavailable":
      return new AppError("upstream_unavailable", "The CRM is unavailable or throttling; retry later.", {
        retryAfter: Math.max(1, Math.ceil(err.retryAfter ?? 5)),
        cause: err,
      });
  }
}

/** Client-error statuses that Hono and its validators throw as `HTTPException`, by our code. */
const HTTP_STATUS_CODE: Partial<Record<number, ErrorCode>> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  409: "conflict",
  410: "gone",
  413: "payload_too_large",
  415: "unsupported_media_type",
  422: "invalid",
  429: "rate_limited",
};

const UPSTREAM_KINDS: readonly UpstreamKind[] = ["auth", "not_found", "conflict", "invalid", "throttled", "unavailable"];

/**
 * `err` as an `UpstreamError`, also when it crossed a Durable Object RPC boundary: workerd rethrows a
 * remote error as a plain `Error` that keeps `name` and own properties (`kind`, `retryAfter`, …) but not
 * the class, so `instanceof` alone would turn a rejected credential or an outage into a 500.
 */
export function asUpstreamError(err: unknown): UpstreamError | null {
  if (err instanceof UpstreamError) return err;
  if (!(err instanceof Error) || err.name !== "UpstreamError") return null;
  const remote = err as Error & { kind?: unknown; upstreamStatus?: unknown; retryAfter?: unknown; upstreamDetail?: unknown };
  if (typeof remote.kind !== "string" || !UPSTREAM_KINDS.includes(remote.kind as UpstreamKind)) return null;
  return new UpstreamError(remote.kind as UpstreamKind, remote.message, {
    upstreamStatus: typeof remote.upstreamStatus === "number" ? remote.upstreamStatus : undefined,
    retryAfter: typeof remote.retryAfter === "number" ? remote.retryAfter : undefined,
    upstreamDetail: typeof remote.upstreamDetail === "string" ? remote.upstreamDetail : undefined,
    cause: err,
  });
}

/**
 * An `AppError` thrown inside a Durable Object (e.g. a deleted tenant's refusal): RPC rethrows it as a
 * plain `Error` keeping `name` and own properties, as for `asUpstreamError`. Its `detail` was written
 * for the wire by our own code.
 */
function asRemoteAppError(err: unknown): AppError | null {
  if (!(err instanceof Error) || err.name !== "AppError") return null;
  const remote = err as Error & { code?: unknown; detail?: unknown; retryAfter?: unknown };
  if (typeof remote.code !== "string" || !Object.hasOwn(CODE_STATUS, remote.code)) return null;
  return new AppError(remote.code as ErrorCode, typeof remote.detail === "string" ? remote.detail : remote.message, {
    retryAfter: typeof remote.retryAfter === "number" ? remote.retryAfter : undefined,
    cause: err,
  });
}

/** Normalizes anything thrown into an AppError (unknown errors become a safe 500). */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const remoteApp = asRemoteAppError(err);
  if (remoteApp) return remoteApp;
  const upstream = asUpstreamError(err);
  if (upstream) return upstreamToAppError(upstream);
  if (err instanceof HTTPException) {
    // Hono's own messages ("Malformed JSON in request body", "Unsupported Media Type") are safe for the wire.
    const code = HTTP_STATUS_CODE[err.status];
    if (code) return new AppError(code, err.message || "The request was refused.", { cause: err });
  }
  return new AppError("internal", "Internal error.", { cause: err });
}
