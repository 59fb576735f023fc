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
import { type Deprecation, fieldTarget, operationTarget } from "../platform/deprecation";
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
  {
    name: "Changes and webhooks",
    description: [
      "Every candidate created, changed or deleted, as a feed (`GET /v1/changes`) or as signed webhooks (Standard Webhooks). " +
        "A subscriber receives the changes made after it subscribed, in order; the feed's `from=beginning` lists every candidate first.",
      "**Verifying a delivery.** Check the signature on the raw body, before parsing it, with the Standard Webhooks library of your " +
        "language (it also refuses a `webhook-timestamp` more than 5 minutes off). Treat `webhook-id` as the event's identity: a retry " +
        "or a replay repeats it. Answer `2xx` within 10 s; do the work afterwards. Node.js (`npm install standardwebhooks`):",
      [
        "```js",
        'import { Webhook } from "standardwebhooks";',
        "const wh = new Webhook(process.env.BRIDGE_WEBHOOK_SECRET); // the whsec_… secret from POST /v1/webhooks",
        "// rawBody: the request body exactly as received (a string); throws WebhookVerificationError unless it checks out",
        "const event = wh.verify(rawBody, {",
        '  "webhook-id": req.headers["webhook-id"],',
        '  "webhook-timestamp": req.headers["webhook-timestamp"],',
        '  "webhook-signature": req.headers["webhook-signature"],',
        "});",
        '// event = { type: "candidate.updated", timestamp: "…", data: { id: "…", candidate: { … } } }',
        "```",
      ].join("\n"),
      "Without a library: `webhook-signature` is `v1,` + base64(HMAC-SHA256(key, `<webhook-id>.<webhook-timestamp>.<raw body>`)), " +
        "where key is the base64-decoded part of the secret after `whsec_`; compare in constant time.",
    ].join("\n\n"),
  },
  { name: "Unsupported entities", description: "Talemetry has no client contacts or companies: these answer `501`." },
  { name: "Admin", description: "For operators of the bridge, not TalentLynk: `Authorization: Bearer <ADMIN_TOKEN>`." },
];

/** The "Rate limits and retries" section: the budget, its headers, the backoff, and where it is counted. */
export function rateLimitsAndRetries(ctx: DocumentContext): string {
  const { requests, periodSeconds } = ctx.settings.rateLimit;
  return [
    `Each tenant may make **${requests} requests per ${periodSeconds} seconds** (this deployment, \`${ctx.settings.environment}\`). The budget is counted **per Cloudflare location**: requests answered in different locations count separately, so a client spread over several regions may get more in total, and one that pins a location gets exactly this.`,
    `Every \`/v1\` answer, errors included, carries \`RateLimit-Limit: ${requests}\` and \`RateLimit-Policy: "tenant";q=${requests};w=${periodSeconds}\` (IETF RateLimit header fields draft). The limiter only says "allowed or not", so the bridge invents no remaining count. \`POST /oauth/token\` has its own budget per client id.`,
    "Over budget → `429` problem with `Retry-After` (seconds). Talemetry unavailable or throttling → `503` with `Retry-After`; a request still running under the same `Idempotency-Key`, or another change of the same activity still running → `409` with `Retry-After`.",
    "How to retry: wait at least `Retry-After` when it is given; otherwise back off exponentially — 1 s, 2 s, 4 s … capped at 60 s, with random jitter (full jitter: a random wait between 0 and the current step) — and give up after about 5 attempts. Retry only `429`, `503`, `409` with `Retry-After`, and network errors: other `4xx` answers will not change on their own. Send an `Idempotency-Key` with `POST /v1/activities` so a retry after a lost answer creates nothing twice; `PATCH` requests are safe to repeat.",
  ].join("\n\n");
}

function overview(ctx: DocumentContext): string {
  const problems = (Object.keys(CODE_SLUG) as ErrorCode[])
    .filter((code) => code !== "forbidden")
    .map((code) => `- \`${CODE_STATUS[code]}\` **${CODE_SLUG[code]}** — ${CODE_TITLE[code]}`)
    .join("\n");
  return [
    "The CRM partner API of the Talemetry edge bridge: read and update candidates, search them by phone or email, log activities (notes), list users and activity types — on top of the Talemetry recruiting CRM.",
    "## Authentication",
    "Every `/v1` call sends `Authorization: Bearer <access token or API key>`. Get an access token (1 hour) from `POST /oauth/token` with the client credentials the bridge operator issued, as a form or JSON body or with HTTP Basic. Missing or invalid credentials → `401` with `WWW-Authenticate: Bearer`.",
    "## Errors",
    `Every error of \`/v1\` is RFC 9457 \`application/problem+json\`: \`{"type": "${ctx.baseUrl}/problems/<slug>", "title", "status", "detail", "errors": [{"field": "phones[0].number", "message"}], "request_id"}\`. When Talemetry fails: its rejection of the tenant's stored credentials → \`502\` \`upstream-auth\`; its \`429\`, \`5xx\`, a network error or no answer within 10 s → \`503\` with \`Retry-After\`; its \`404\` → \`404\`; its \`409\`/\`422\` → the same status with a safe message.`,
    problems,
    "## Requests",
    `Bodies are JSON (\`Content-Type: application/json\`, else \`415\`) of at most ${ctx.settings.maxBodyBytes} bytes (else \`413\`). Every answer carries \`X-Request-Id\`; quote it when reporting a problem.`,
    "## Rate limits and retries",
    rateLimitsAndRetries(ctx),
    "## Idempotency",
    "`POST /v1/activities` accepts `Idempotency-Key`: the same key with the same body (compared after validation, with defaults applied) within 24 hours returns the first result (`201`, same id, `Idempotent-Replayed: true`) and creates nothing new, also when both requests arrive at the same moment; the same key with another body → `409`, also after a failed attempt.",
    "## Versioning and deprecation",
    'The version is in the path (`/v1`); within it, changes only add (new operations, optional fields, new values where documented as open). A breaking change gets a new version beside this one, announced at least 6 months ahead. A deprecated operation or field is marked `deprecated` here and answers with `Deprecation` (RFC 9745, the date), `Sunset` (RFC 8594, when it stops working) and `Link: <…>; rel="deprecation"`; the changelog lists every change.',
    "## License",
    "This description may be used to build and test clients of this bridge. The service itself is proprietary: access is granted per tenant by the bridge's operator.",
  ].join("\n\n");
}

/** Who a document is for: partners (`/v1`, `/oauth`, served publicly) or operators (`/admin`, behind the admin token). */
export type Audience = "partner" | "admin";

const PATH_PREFIXES: Record<Audience, readonly string[]> = { partner: ["/v1/", "/oauth/"], admin: ["/admin/"] };

const ADMIN_OVERVIEW =
  "The operators' API of the Talemetry edge bridge: onboard tenants, change their settings, rotate their keys and control their directory sync. Every call sends `Authorization: Bearer <ADMIN_TOKEN>`; errors are RFC 9457 problem+json. Not for partners: TalentLynk's API is described in `/openapi.json`.";

/** The argument of `getOpenAPI31Document`. */
export function documentConfig(ctx: DocumentContext, audience: Audience = "partner"): Parameters<OpenAPIHono["getOpenAPI31Document"]>[0] {
  const base = new URL(ctx.baseUrl);
  const admin = audience === "admin";
  return {
    openapi: "3.1.0",
    info: {
      title: admin ? "Talemetry edge bridge — admin API" : "Talemetry edge bridge — CRM partner API",
      version: API_VERSION,
      description: admin ? ADMIN_OVERVIEW : overview(ctx),
      license: { name: "Proprietary; this description may be used to build clients", url: `${ctx.baseUrl}/docs#license` },
    },
    servers: [
      {
        url: "{scheme}://{host}",
        description: `A bridge deployment: by default this one (${ctx.settings.environment}); the sandbox deployment serves the same API against a Talemetry simulator.`,
        variables: {
          scheme: { enum: ["https", "http"], default: base.protocol.replace(":", "") },
          host: { default: base.host, description: "The deployment's host (and port)." },
        },
      },
    ],
    tags: TAGS.filter((t) => (t.name === "Admin") === admin),
  };
}

/** The version of the partner API's description (the path says `/v1`; this counts its additions). */
export const API_VERSION = "1.1.0";

type Schema = Record<string, unknown>;

const HEADERS = {
  "X-Request-Id": {
    description: "This request's id (also in problem bodies as `request_id`); quote it when reporting a problem.",
    schema: { type: "string" },
  },
  "Server-Timing": {
    description:
      "W3C Server Timing: `app;dur=<ms>`, the request's time in the bridge; `upstream;dur=<ms>` when Talemetry was called, the time its answers took; `limit;dur=<ms>` when the tenant's rate limit was asked, the time its decision took.",
    schema: { type: "string" },
  },
  "Cache-Control": {
    description: "`no-store`: the answer carries personal data or credentials.",
    schema: { type: "string", enum: ["no-store"] },
  },
  Pragma: { description: "`no-cache` (RFC 6749 §5.1, for HTTP/1.0 caches).", schema: { type: "string", enum: ["no-cache"] } },
  "RateLimit-Limit": { description: "The tenant's request budget per window.", schema: { type: "integer" } },
  "RateLimit-Policy": { description: 'The budget and window, e.g. `"tenant";q=600;w=60`.', schema: { type: "string" } },
  "Retry-After": { description: "Seconds to wait before retrying.", schema: { type: "integer", minimum: 1 } },
  "WWW-Authenticate": {
    description: "The authentication scheme to use: `Bearer` on /v1; `Basic` on /oauth/token when Basic was tried.",
    schema: { type: "string" },
  },
  Deprecation: {
    description: "RFC 9745: this operation (or a field of its answer) is deprecated since this date (`@<Unix seconds>`).",
    schema: { type: "string" },
  },
  Sunset: { description: "RFC 8594: the date the deprecated operation or field stops working (HTTP-date).", schema: { type: "string" } },
  Link: { description: 'Where the deprecation is explained (`rel="deprecation"`, RFC 9745 §3).', schema: { type: "string" } },
} satisfies Record<string, { description: string; schema: Schema }>;
type ResponseObject = { description?: string; headers?: Record<string, unknown>; content?: Record<string, { schema?: Schema }> };
type OperationObject = {
  operationId?: string;
  description?: string;
  deprecated?: boolean;
  responses?: Record<string, ResponseObject>;
};

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

/** Every operation of `doc` with its method and path. */
export function operationsOf(doc: OpenApiDocument): Array<{ method: string; path: string; op: OperationObject }> {
  const out: Array<{ method: string; path: string; op: OperationObject }> = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = (item as Record<string, OperationObject | undefined>)[method];
      if (op) out.push({ method, path, op });
    }
  }
  return out;
}

/** The headers of one answer, as the bridge sends them (src/app.ts, v1.ts, oauth.ts, platform/problem.ts). */
function headersOf(path: string, method: string, status: string): Array<keyof typeof HEADERS> {
  const names: Array<keyof typeof HEADERS> = ["X-Request-Id", "Server-Timing", "Cache-Control"];
  const v1 = path.startsWith("/v1/");
  const oauth = path.startsWith("/oauth/");
  if (v1) names.push("RateLimit-Limit", "RateLimit-Policy");
  if (oauth) names.push("Pragma");
  if (status === "401" && (v1 || oauth)) names.push("WWW-Authenticate");
  const busy = status === "409" && path.startsWith("/v1/activities") && (method === "post" || method === "patch");
  if (status === "429" || status === "503" || busy) names.push("Retry-After");
  return names;
}

/**
 * Adds the headers each answer carries, and the deprecation headers to the operations `announced`
 * (`"<METHOD> <path>"`: deprecated themselves, or answering with a deprecated field).
 */
function withHeaders(doc: OpenApiDocument, announced: ReadonlySet<string>): void {
  const ref = (name: keyof typeof HEADERS) => ({ $ref: `#/components/headers/${name}` });
  const used = new Set<keyof typeof HEADERS>();
  for (const { method, path, op } of operationsOf(doc)) {
    for (const [status, response] of Object.entries(op.responses ?? {})) {
      if ("$ref" in response) continue;
      const names = headersOf(path, method, status);
      if (announced.has(`${method.toUpperCase()} ${path}`)) names.push("Deprecation", "Sunset", "Link");
      const headers: Record<string, unknown> = { ...(response.headers ?? {}) };
      for (const name of names) {
        headers[name] = ref(name);
        used.add(name);
      }
      response.headers = headers;
    }
  }
  const components = Object.fromEntries([...used].sort().map((name) => [name, HEADERS[name]]));
  const headers = { ...(doc.components?.headers ?? {}), ...components } as NonNullable<
    NonNullable<OpenApiDocument["components"]>["headers"]
  >;
  doc.components = { ...doc.components, headers };
}

/** `$ref` targets named anywhere in `value`, as component type and name. */
function refsIn(value: unknown, out: Set<string>): void {
  if (Array.isArray(value)) {
    for (const v of value) refsIn(v, out);
  } else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k === "$ref" && typeof v === "string" && v.startsWith("#/components/")) out.add(v.slice("#/components/".length));
      else refsIn(v, out);
    }
  }
}

/**
 * Keeps the paths of `audience` and only the components they use (schemas reached through `$ref`s,
 * security schemes named by an operation): one registry holds every router's, and each document shows
 * its own.
 */
function selectAudience(doc: OpenApiDocument, audience: Audience): void {
  const prefixes = PATH_PREFIXES[audience];
  doc.paths = Object.fromEntries(Object.entries(doc.paths ?? {}).filter(([path]) => prefixes.some((p) => path.startsWith(p))));
  const used = new Set<string>();
  refsIn(doc.paths, used);
  const components = (doc.components ?? {}) as Record<string, Record<string, unknown>>;
  // Schemas referring to schemas: follow until nothing new is reached.
  for (let size = -1; size !== used.size; ) {
    size = used.size;
    for (const key of [...used]) {
      const [type, name] = key.split("/");
      refsIn(components[type]?.[name], used);
    }
  }
  for (const { op } of operationsOf(doc)) {
    for (const requirement of (op as { security?: Array<Record<string, unknown>> }).security ?? []) {
      for (const scheme of Object.keys(requirement)) used.add(`securitySchemes/${scheme}`);
    }
  }
  for (const [type, entries] of Object.entries(components)) {
    if (type === "headers") continue;
    const kept = Object.fromEntries(Object.entries(entries ?? {}).filter(([name]) => used.has(`${type}/${name}`)));
    if (Object.keys(kept).length > 0) components[type] = kept;
    else delete components[type];
  }
  doc.components = components as OpenApiDocument["components"];
}

const dateLine = (d: Deprecation) => `**Deprecated** since ${d.deprecated}; it stops working on ${d.sunset}. ${d.instead}`;

/** Marks deprecated operations and fields (src/config/deprecations.ts) in the document. */
function withDeprecations(doc: OpenApiDocument, deprecations: readonly Deprecation[]): void {
  const schemas = (doc.components?.schemas ?? {}) as Record<string, Schema>;
  for (const d of deprecations) {
    const field = fieldTarget(d.target);
    if (field) {
      const property = (schemas[field.schema]?.properties as Record<string, Schema> | undefined)?.[field.property];
      if (!property) continue;
      property.deprecated = true;
      property.description = [property.description, dateLine(d)].filter(Boolean).join(" ");
      continue;
    }
    const target = operationTarget(d.target)!;
    const op = (doc.paths?.[target.path] as Record<string, OperationObject> | undefined)?.[target.method.toLowerCase()];
    if (!op) continue;
    op.deprecated = true;
    op.description = [dateLine(d), op.description].filter(Boolean).join("\n\n");
  }
  // An operation whose answer carries a deprecated field announces it too (its headers, src/app.ts).
  for (const [operation, list] of deprecationIndex(doc, deprecations)) {
    const target = operationTarget(operation)!;
    const op = (doc.paths?.[target.path] as Record<string, OperationObject> | undefined)?.[target.method.toLowerCase()];
    if (op && !op.deprecated && list.some((d) => fieldTarget(d.target))) {
      op.description = [op.description, ...list.map((d) => `Its answer carries \`${d.target}\`. ${dateLine(d)}`)]
        .filter(Boolean)
        .join("\n\n");
    }
  }
}

/**
 * The deprecations concerning each operation of `doc`: its own, and those of fields its answers carry
 * (through any depth of `$ref`s). Keys are `"<METHOD> <path>"`.
 */
export function deprecationIndex(doc: OpenApiDocument, deprecations: readonly Deprecation[]): Map<string, Deprecation[]> {
  const index = new Map<string, Deprecation[]>();
  const add = (key: string, d: Deprecation) => index.set(key, [...(index.get(key) ?? []), d]);
  const components = (doc.components ?? {}) as Record<string, Record<string, unknown>>;
  for (const { method, path, op } of operationsOf(doc)) {
    const key = `${method.toUpperCase()} ${path}`;
    const reached = new Set<string>();
    refsIn(op.responses, reached);
    for (let size = -1; size !== reached.size; ) {
      size = reached.size;
      for (const ref of [...reached]) {
        const [type, name] = ref.split("/");
        refsIn(components[type]?.[name], reached);
      }
    }
    for (const d of deprecations) {
      const field = fieldTarget(d.target);
      if (d.target === key || (field && reached.has(`schemas/${field.schema}`))) add(key, d);
    }
  }
  return index;
}

/** The document of `app` for `audience` on this deployment. */
export function buildOpenApiDocument<E extends HonoEnv>(
  app: OpenAPIHono<E>,
  ctx: DocumentContext,
  audience: Audience = "partner",
  deprecations: readonly Deprecation[] = [],
): OpenApiDocument {
  const doc = app.getOpenAPI31Document(documentConfig(ctx, audience));
  selectAudience(doc, audience);
  withDeprecations(doc, deprecations);
  withHeaders(doc, new Set(deprecationIndex(doc, deprecations).keys()));
  return doc;
}
