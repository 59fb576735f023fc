/**
 * §1 Authorization validator — `POST /talkdesk/auth` (docs/contracts/talkdesk-bridge.md).
 *
 * `200 {}` (nothing for Talkdesk to store) when the key is ours and the tenant's Talemetry credentials
 * work; `401` when the key is unknown (the envelope middleware) or Talemetry rejects the credentials;
 * `503` when Talemetry cannot be reached — an outage is not a wrong key.
 */
import type { Hono } from "hono";
import { unwrapToken } from "../../directory/token-flight";
import type { TalkdeskEnv } from "../envelope";
import { readEnvelope } from "../envelope";
import { talkdeskCall } from "../errors";
import { authValidationRequestSchema } from "../schemas";

/** Registers `POST /auth`. */
export function registerAuthValidator(app: Hono<TalkdeskEnv>): void {
  app.post("/auth", async (c) => {
    readEnvelope(c, authValidationRequestSchema);
    // The tenant's Durable Object hands out its cached token, or authorizes once (single-flight): an
    // operator pressing "validate" repeatedly never costs more than one Talemetry authorization.
    await talkdeskCall("auth", async () => unwrapToken(await c.var.services.directory.getToken()));
    return c.json({}, 200);
  });
}
