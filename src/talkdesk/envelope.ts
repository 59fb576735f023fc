/**
 * The envelope every Talkdesk call shares (docs/contracts/talkdesk-bridge.md, "Transport"):
 * `{"auth": {...}, "meta": {...}, "data": {...}}`, POSTed as JSON, with `auth.api_key` as the only proof
 * of who calls (Talkdesk sends no signature or auth header). `talkdeskEnvelope()` reads and authenticates
 * it once per request; each route then validates its own `meta` and `data` with `readEnvelope`.
 */
import type { Context, MiddlewareHandler } from "hono";
import type { z } from "zod";
import type { Env } from "../config/env";
import { authenticateApiKey } from "../core/authentication";
import type { TenantVariables } from "../core/context";
import { bindTenant } from "../core/services";
import { maxBodyBytes, readBodyWithLimit } from "../platform/body";
import { AppError } from "../platform/errors";
import { UNKNOWN_KEY_MESSAGE } from "./errors";
import { parseTalkdesk, talkdeskAuthSchema } from "./schemas";

/** Context variables of the authenticated Talkdesk routes. */
export interface TalkdeskVariables extends TenantVariables {
  /** The parsed request body, authenticated but not yet validated beyond `auth`. */
  talkdeskBody: Record<string, unknown>;
}

/** Hono env type of the authenticated Talkdesk routes. */
export type TalkdeskEnv = { Bindings: Env; Variables: TalkdeskVariables };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Reads the body (413 beyond MAX_BODY_BYTES), parses it as JSON whatever the Content-Type says (the
 * contract fixes JSON; a missing header is no reason to refuse Talkdesk), checks `auth.api_key`, and
 * authenticates it: `400 {"message"}` naming the field for a malformed envelope, `401` for a key that
 * is unknown, rotated away or of a deleted tenant. The key is authenticated before `meta` and `data`
 * are looked at, so an unauthenticated caller learns nothing about them.
 */
export function talkdeskEnvelope(): MiddlewareHandler<TalkdeskEnv> {
  return async function talkdeskEnvelope(c, next) {
    const bytes = await readBodyWithLimit(c.req.raw, maxBodyBytes(c));
    let body: unknown;
    try {
      body = JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes));
    } catch {
      throw new AppError("bad_request", "body must be a JSON object");
    }
    if (!isObject(body)) throw new AppError("bad_request", "body must be a JSON object");

    const auth = parseTalkdesk(talkdeskAuthSchema, body.auth ?? {}, "auth");
    if (!auth.success) throw new AppError("bad_request", auth.error.message);
    const tenant = await authenticateApiKey(c.env, auth.data.api_key);
    if (!tenant) throw new AppError("unauthorized", UNKNOWN_KEY_MESSAGE);

    bindTenant(c, tenant);
    c.set("talkdeskBody", body);
    await next();
  };
}

/** Validates the authenticated body with a component's envelope schema; `400 {"message"}` naming the field otherwise. */
export function readEnvelope<S extends z.ZodType>(c: Context<TalkdeskEnv>, schema: S): z.output<S> {
  const parsed = parseTalkdesk(schema, c.get("talkdeskBody"));
  if (!parsed.success) throw new AppError("bad_request", parsed.error.message);
  return parsed.data;
}
