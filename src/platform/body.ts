import type { MiddlewareHandler } from "hono";
import { type PlatformEnv, platformSettings } from "./context";
import { AppError } from "./errors";

/** `application/json` and `application/<anything>+json`, parameters (charset) ignored. */
const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;

/** The media type of a Content-Type header value, lower-cased, without parameters ("" when absent). */
export function mediaTypeOf(contentType: string | null | undefined): string {
  return (contentType ?? "").split(";")[0].trim().toLowerCase();
}

/** True when the Content-Type names JSON. */
export function isJsonContentType(contentType: string | null | undefined): boolean {
  return JSON_MEDIA_TYPE.test(mediaTypeOf(contentType));
}

/**
 * Reads the whole request body, refusing (413) more than `maxBytes`. Checks Content-Length first, then
 * counts while streaming, because Content-Length may be absent (chunked) or lie.
 */
export async function readBodyWithLimit(request: Request, maxBytes: number): Promise<Uint8Array> {
  const tooLarge = () => new AppError("payload_too_large", `The request body is larger than ${maxBytes} bytes.`);
  const declared = Number(request.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/** The body limit when no settings are on the context (unit tests): the deployment default. */
const DEFAULT_MAX_BODY_BYTES = 65_536;

/** The request's body limit (the `MAX_BODY_BYTES` setting). */
export function maxBodyBytes(c: Parameters<MiddlewareHandler>[0]): number {
  return platformSettings(c)?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
}

/** Options of `jsonBody`. */
export interface JsonBodyOptions {
  /**
   * A required body must be sent as JSON (415 otherwise, even when empty). An optional body may be
   * absent; an empty body with a JSON Content-Type then reads as `{}`.
   */
  required?: boolean;
}

/**
 * Guards a JSON route before validation: 415 unless the body is `application/json` (validators silently
 * read a body of another type as `{}`), 413 beyond MAX_BODY_BYTES. The body is buffered once and handed on.
 */
export function jsonBody({ required = true }: JsonBodyOptions = {}): MiddlewareHandler<PlatformEnv> {
  return async function jsonBody(c, next) {
    const contentType = c.req.header("content-type");
    const isJson = isJsonContentType(contentType);
    if (required && !isJson) throw unsupportedMediaType();
    const bytes = await readBodyWithLimit(c.req.raw, maxBodyBytes(c));
    if (bytes.byteLength > 0 && !isJson) throw unsupportedMediaType();
    const body = bytes.byteLength === 0 && !required && isJson ? new TextEncoder().encode("{}") : bytes;
    c.req.raw = withBody(c.req.raw, body);
    await next();
  };
}

/** A copy of `request` carrying `body` (the original stream has been consumed). */
export function withBody(request: Request, body: Uint8Array): Request {
  return new Request(request.url, {
    method: request.method,
    headers: request.headers,
    body: body.byteLength > 0 ? body : null,
    cf: request.cf,
  });
}

function unsupportedMediaType(): AppError {
  return new AppError("unsupported_media_type", "Send the request body as application/json.");
}
