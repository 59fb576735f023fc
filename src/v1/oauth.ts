/**
 * `POST /oauth/token`: OAuth 2.0 client credentials grant (RFC 6749 §4.4), as docs/contracts/v1-api.md
 * ("Authentication") fixes it. Errors are RFC 6749 §5.2 JSON, never problem+json: OAuth client
 * libraries parse `error` / `error_description`.
 */
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../core/context";
import { basicCredentials } from "../platform/authorization";
import { isJsonContentType, mediaTypeOf, readBodyWithLimit } from "../platform/body";
import { setRequestTenant } from "../platform/context";
import { AppError } from "../platform/errors";
import { createRouter } from "../platform/validation";
import { findOAuthClient, issueAccessToken, verifyClientCredentials } from "../tenants/store";
import { spendTokenBudget } from "./oauth-throttle";

/** Error codes of RFC 6749 §5.2 used here, plus the two generic ones for our own failures. */
export type OAuthErrorCode = "invalid_request" | "invalid_client" | "unsupported_grant_type" | "server_error" | "temporarily_unavailable";

/** An RFC 6749 §5.2 error. `basicChallenge`: the client used HTTP Basic, so a 401 must challenge Basic. */
export class OAuthError extends AppError {
  readonly oauthCode: OAuthErrorCode;
  readonly basicChallenge: boolean;

  constructor(
    oauthCode: "invalid_request" | "unsupported_grant_type" | "invalid_client",
    detail: string,
    opts: { basicChallenge?: boolean } = {},
  ) {
    super(oauthCode === "invalid_client" ? "unauthorized" : "bad_request", detail);
    this.name = "OAuthError";
    this.oauthCode = oauthCode;
    this.basicChallenge = opts.basicChallenge ?? false;
  }
}

/** RFC 6749 §5.1: token answers (and errors) must not be cached. */
const NO_STORE = { "Cache-Control": "no-store", Pragma: "no-cache" };

/** The RFC 6749 code for any AppError (ours or thrown from below, e.g. a body over the limit). */
function oauthCodeOf(err: AppError): OAuthErrorCode {
  if (err instanceof OAuthError) return err.oauthCode;
  if (err.status === 401) return "invalid_client";
  if (err.status === 429 || err.status === 503) return "temporarily_unavailable";
  if (err.status >= 500) return "server_error";
  return "invalid_request";
}

/** Renders an error the RFC 6749 §5.2 way, for everything under `/oauth`. */
export function renderOAuthError(c: Context, err: AppError): Response {
  const headers: Record<string, string> = { ...NO_STORE };
  if (err instanceof OAuthError && err.basicChallenge && err.status === 401)
    headers["WWW-Authenticate"] = 'Basic realm="oauth", charset="UTF-8"';
  if (err.retryAfter !== undefined) headers["Retry-After"] = String(Math.max(1, Math.ceil(err.retryAfter)));
  return c.json({ error: oauthCodeOf(err), error_description: err.detail }, err.status as ContentfulStatusCode, headers);
}

const FORM = "application/x-www-form-urlencoded";
const PARAMS = ["grant_type", "client_id", "client_secret", "scope"] as const;
type TokenParams = Partial<Record<(typeof PARAMS)[number], string>>;

/** Reads the token request's parameters from a form or JSON body (both allowed by the contract). */
async function readTokenParams(c: Context<AppEnv>): Promise<TokenParams> {
  const contentType = c.req.header("content-type");
  const isForm = mediaTypeOf(contentType) === FORM;
  if (!isForm && !isJsonContentType(contentType)) {
    throw new OAuthError("invalid_request", `Send the parameters as ${FORM} or application/json.`);
  }
  const text = new TextDecoder().decode(await readBodyWithLimit(c.req.raw, c.var.settings.maxBodyBytes));
  const params: TokenParams = {};
  if (isForm) {
    const form = new URLSearchParams(text);
    for (const name of PARAMS) {
      const values = form.getAll(name);
      // RFC 6749 §3.2: request parameters MUST NOT be included more than once.
      if (values.length > 1) throw new OAuthError("invalid_request", `Parameter ${name} is repeated.`);
      if (values.length === 1) params[name] = values[0];
    }
    return params;
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new OAuthError("invalid_request", "The body is not valid JSON.");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw new OAuthError("invalid_request", "The body must be a JSON object.");
  for (const name of PARAMS) {
    const value = (body as Record<string, unknown>)[name];
    if (value === undefined || value === null) continue;
    if (typeof value !== "string") throw new OAuthError("invalid_request", `Parameter ${name} must be a string.`);
    params[name] = value;
  }
  return params;
}

const TokenRequestSchema = z
  .object({
    grant_type: z.literal("client_credentials"),
    client_id: z.string().optional().openapi({ description: "Or HTTP Basic (RFC 6749 §2.3.1)." }),
    client_secret: z.string().optional().openapi({ description: "Or HTTP Basic (RFC 6749 §2.3.1)." }),
    scope: z.string().optional().openapi({ description: "Ignored: a token grants the tenant's whole /v1 API." }),
  })
  .openapi("TokenRequest");

const TokenResponseSchema = z
  .object({ access_token: z.string(), token_type: z.literal("Bearer"), expires_in: z.number().int().openapi({ example: 3600 }) })
  .openapi("TokenResponse");

const OAuthErrorSchema = z
  .object({
    error: z.enum(["invalid_request", "invalid_client", "unsupported_grant_type", "server_error", "temporarily_unavailable"]),
    error_description: z.string(),
  })
  .openapi("OAuthError", { description: "RFC 6749 §5.2 error." });

/** Name of the token endpoint's HTTP Basic client authentication scheme in the OpenAPI document. */
export const CLIENT_BASIC_SCHEME = "ClientBasic";

/** Builds the `/oauth` sub-app (mounted by app.ts). */
export function oauthRoutes(): OpenAPIHono<AppEnv> {
  const oauth = createRouter<AppEnv>();
  oauth.openAPIRegistry.registerComponent("securitySchemes", CLIENT_BASIC_SCHEME, {
    type: "http",
    scheme: "basic",
    description: "client_id and client_secret, form-urlencoded then Base64 (RFC 6749 §2.3.1). Alternatively in the body.",
  });
  // Documented by hand: the handler parses two media types and answers RFC 6749 errors, which the
  // validating `openapi()` helper (415 and problem+json on failure) would not.
  oauth.openAPIRegistry.registerPath({
    method: "post",
    path: "/token",
    operationId: "issueAccessToken",
    tags: ["Authentication"],
    summary: "Get an access token (OAuth 2.0 client credentials)",
    security: [{ [CLIENT_BASIC_SCHEME]: [] }, {}],
    request: {
      body: {
        required: true,
        content: { [FORM]: { schema: TokenRequestSchema }, "application/json": { schema: TokenRequestSchema } },
      },
    },
    responses: {
      200: { description: "An access token, valid 1 hour.", content: { "application/json": { schema: TokenResponseSchema } } },
      400: { description: "invalid_request or unsupported_grant_type.", content: { "application/json": { schema: OAuthErrorSchema } } },
      401: {
        description: "invalid_client: unknown client id or wrong secret.",
        content: { "application/json": { schema: OAuthErrorSchema } },
      },
      413: {
        description: "invalid_request: the body is larger than MAX_BODY_BYTES.",
        content: { "application/json": { schema: OAuthErrorSchema } },
      },
      429: {
        description:
          "temporarily_unavailable, with `Retry-After`: over the client's budget (60 token requests per minute by default, whatever the secret), over the budget of the caller's address for unknown client ids (60 per minute), or the token could not be stored (KV's write rate).",
        content: { "application/json": { schema: OAuthErrorSchema } },
      },
      500: {
        description: "server_error: a bug; the details are in the bridge's log.",
        content: { "application/json": { schema: OAuthErrorSchema } },
      },
    },
  });

  oauth.post("/token", async function tokenEndpoint(c) {
    const basic = basicCredentials(c.req.header("authorization"));
    const usedBasic = basic !== null;
    if (basic === "malformed") throw new OAuthError("invalid_client", "The Basic credentials cannot be decoded.", { basicChallenge: true });
    const params = await readTokenParams(c);
    if (!params.grant_type) throw new OAuthError("invalid_request", "Parameter grant_type is required.");
    if (params.grant_type !== "client_credentials")
      throw new OAuthError("unsupported_grant_type", "Only grant_type=client_credentials is supported.");
    if (basic && params.client_secret !== undefined) {
      // RFC 6749 §2.3: a client MUST NOT use more than one authentication method per request.
      throw new OAuthError("invalid_request", "Send the client credentials either with HTTP Basic or in the body, not both.");
    }
    if (basic && params.client_id !== undefined && params.client_id !== basic.username) {
      throw new OAuthError("invalid_request", "client_id in the body differs from the Basic credentials.");
    }
    const clientId = basic ? basic.username : params.client_id;
    const clientSecret = basic ? basic.password : params.client_secret;
    if (!clientId || !clientSecret) {
      throw new OAuthError("invalid_client", "Client authentication is required (client_id and client_secret).", {
        basicChallenge: usedBasic,
      });
    }
    // The budget is picked (and spent) before the secret is checked, so its answer says nothing about the secret.
    const client = await findOAuthClient(c.env, clientId);
    await spendTokenBudget(c, client ? clientId : null);
    const tenant = await verifyClientCredentials(c.env, clientId, clientSecret, client);
    if (!tenant) throw new OAuthError("invalid_client", "Unknown client or wrong client secret.", { basicChallenge: usedBasic });
    setRequestTenant(c, tenant.id);
    const { access_token, expires_in } = await issueAccessToken(c.env, tenant);
    return c.json({ access_token, token_type: "Bearer" as const, expires_in }, 200, NO_STORE);
  });

  return oauth;
}
