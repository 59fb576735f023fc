/**
 * The OpenAPI 3.1 document the bridge serves at `/openapi.json`, the machine-readable form of
 * docs/contracts/v1-api.md (and of the admin API). Paths, parameters, bodies and
 * responses come from the same zod schemas that validate requests (`@hono/zod-openapi`); this module
 * adds what no single route knows: the overview (authentication, errors, idempotency, versioning), this
 * deployment's rate limit — from its configuration, never hard-coded — and the rate-limit headers on
 * every /v1 answer.
 */
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Env as HonoEnv } from "hono";
import type { Settings } from "../config/settings";
import { CODE_SLUG, CODE_STATUS, type ErrorCode } from "../platform/errors";
import { CODE_TITLE } from "../platform/problem";

/** The document as the generator returns it. */
export type OpenApiDocument = ReturnType<OpenAPIHono["getOpenAPI31Document"]>;

/** What the document depends on besides the routes. */
export interface DocumentContext {
  settings: Pick<Settings, "rateLimit" | "environment" | "maxBodyBytes">;
  /** The public base URL (PUBLIC_URL, else the origin the request came to). */
  baseUrl: string;
}

/** Where each problem type is explained (the `type` URI of a problem redirects here). */
export function problemAnchor(slug: string): string {
  return `problem-${slug}`;
}

const TAGS = [
  { name: "Authentication", description: "OAuth2 client credentials (RFC 6749 §4.4) for an access token that lives one hour." },
  { name: "Search", description: "The caller-ID lookup, answered from the bridge's own index and edge cache." },
  { name: "Candidates", description: "One candidate, fresh from Talemetry; change its emails and phones." },
  { name: "Activities", description: "Notes on a candidate with a type, direction and duration kept by the bridge." },
  { name: "Metadata", description: "CRM users, activity types and capabilities." },
  { name: "Unsupported entities", description: "Talemetry has no client contacts or companies: these answer `501`." },
  { name: "Admin", description: "For operators of the bridge, not TalentLynk: `Authorization: Bearer <ADMIN_TOKEN>`." },
];

function overview(ctx: DocumentContext): string {
  const { requests, periodSeconds } = ctx.settings.rateLimit;
  const problems = (Object.keys(CODE_SLUG) as ErrorCode[])
    .filter((code) => code !== "forbidden")
    .map((code) => `- \`${CODE_STATUS[code]}\` **${CODE_SLUG[code]}** — ${CODE_TITLE[code]}`)
    .join("\n");
  return [
    "The CRM partner API of the Talemetry edge bridge: read and update candidates, search them by phone or email, log activities (notes), list users and activity types — on top of the Talemetry recruiting CRM.",
    "## Authentication",
    "Every `/v1` call sends `Authorization: Bearer <access token or API key>`. Get an access token (1 hour) from `POST /oauth/token` with the client credentials the bridge operator issued, as a form or JSON body or with HTTP Basic. Missing or invalid credentials → `401` with `WWW-Authenticate: Bearer`.",
    "## Rate limits",
    `Each tenant may make **${requests} requests per ${periodSeconds} seconds** (this deployment, \`${ctx.settings.environment}\`), counted per Cloudflare location. Every \`/v1\` answer carries \`RateLimit-Limit: ${requests}\` and \`RateLimit-Policy: "tenant";q=${requests};w=${periodSeconds}\` (IETF RateLimit headers draft). The limiter only says "allowed or not", so no remaining count is invented. Over budget → \`429\` problem with \`Retry-After\`.`,
    "## Errors",
    `Every error of \`/v1\` is RFC 9457 \`application/problem+json\`: \`{"type": "${ctx.baseUrl}/problems/<slug>", "title", "status", "detail", "errors": [{"field": "phones[0].number", "message"}], "request_id"}\`. When Talemetry fails: its rejection of the tenant's stored credentials → \`502\` \`upstream-auth\`; its \`429\`, \`5xx\`, a network error or no answer within 10 s → \`503\` with \`Retry-After\`; its \`404\` → \`404\`; its \`409\`/\`422\` → the same status with a safe message.`,
    problems,
    "## Requests",
    `Bodies are JSON (\`Content-Type: application/json\`, else \`415\`) of at most ${ctx.settings.maxBodyBytes} bytes (else \`413\`). Every answer carries \`X-Request-Id\`; quote it when reporting a problem.`,
    "## Idempotency",
    "`POST /v1/activities` accepts `Idempotency-Key`: the same key with the same body (compared as parsed JSON) within 24 hours returns the first result (`201`, same id) and creates nothing new, also when both requests arrive at the same moment; the same key with another body → `409`.",
    "## Versioning",
    "The version is in the path. Breaking changes get a new version; a deprecated route answers with `Deprecation` and `Sunset` headers.",
  ].join("\n\n");
}

/** The argument of `getOpenAPI31Document`. */
export function documentConfig(ctx: DocumentContext): Parameters<OpenAPIHono["getOpenAPI31Document"]>[0] {
  return {
    openapi: "3.1.0",
    info: { title: "Talemetry edge bridge — CRM partner API", version: "1.0.0", description: overview(ctx) },
    servers: [{ url: ctx.baseUrl }],
    tags: TAGS,
  };
}

const RATE_LIMIT_HEADERS = {
  "RateLimit-Limit": { description: "The tenant's request budget per window.", schema: { type: "integer" } },
  "RateLimit-Policy": { description: 'The budget and window, e.g. `"tenant";q=600;w=60`.', schema: { type: "string" } },
  "Retry-After": { description: "Seconds to wait before retrying.", schema: { type: "integer" } },
  "X-Request-Id": { description: "This request's id (also in problem bodies as `request_id`).", schema: { type: "string" } },
} as const;

type ResponseObject = { headers?: Record<string, unknown> };
type OperationObject = { responses?: Record<string, ResponseObject> };

/**
 * Adds the headers every answer carries: `X-Request-Id` everywhere; on `/v1` also `RateLimit-Limit` and
 * `RateLimit-Policy`; `Retry-After` on `429` and `503`.
 */
function withCommonHeaders(doc: OpenApiDocument): OpenApiDocument {
  const ref = (name: string) => ({ $ref: `#/components/headers/${name}` });
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const op of Object.values(item as Record<string, OperationObject>)) {
      if (!op || typeof op !== "object" || !op.responses) continue;
      for (const [status, response] of Object.entries(op.responses)) {
        if ("$ref" in response) continue;
        const headers: Record<string, unknown> = { ...(response.headers ?? {}), "X-Request-Id": ref("X-Request-Id") };
        if (path.startsWith("/v1/")) {
          headers["RateLimit-Limit"] = ref("RateLimit-Limit");
          headers["RateLimit-Policy"] = ref("RateLimit-Policy");
        }
        if (status === "429" || status === "503") headers["Retry-After"] = ref("Retry-After");
        response.headers = headers;
      }
    }
  }
  doc.components = { ...doc.components, headers: { ...(doc.components?.headers ?? {}), ...RATE_LIMIT_HEADERS } };
  return doc;
}

/** The full document of `app` for this deployment. */
export function buildOpenApiDocument<E extends HonoEnv>(app: OpenAPIHono<E>, ctx: DocumentContext): OpenApiDocument {
  return withCommonHeaders(app.getOpenAPI31Document(documentConfig(ctx)));
}
