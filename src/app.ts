/**
 * Builds the bridge app: request ids and request logs on everything, one error handler that answers each
 * caller in its own format, and the routers per caller (docs/architecture.md).
 */
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import { adminRoutes } from "./admin/routes";
import { DEPRECATIONS } from "./config/deprecations";
import type { Env } from "./config/env";
import { ConfigError, loadSettings } from "./config/settings";
import type { AppEnv } from "./core/context";
import { deprecationIndex } from "./docs/openapi";
import { documentFor, registerDocs } from "./docs/routes";
import { announceDeprecations, checkDeprecation, type Deprecation } from "./platform/deprecation";
import { AppError, toAppError, UpstreamError } from "./platform/errors";
import { requestLogger } from "./platform/logger";
import { methodsByPath } from "./platform/methods";
import { noStore } from "./platform/no-store";
import { renderMessage, renderProblem } from "./platform/problem";
import { requestId } from "./platform/request-id";
import { createRouter } from "./platform/validation";
import { talkdeskDocsPage } from "./talkdesk/docs-page";
import { talkdeskRoutes } from "./talkdesk/routes";
import { registerV1SecurityScheme } from "./v1/auth";
import { oauthRoutes, renderOAuthError } from "./v1/oauth";
import { v1Routes } from "./v1/v1";

/** Who is calling, by path: each caller gets errors in the format its contract fixes. */
export type Caller = "talkdesk" | "oauth" | "problem";

/** `/talkdesk/*` → `{"message"}`; `/oauth/*` → RFC 6749 JSON; everything else → problem+json. */
export function callerOf(path: string): Caller {
  if (path === "/talkdesk" || path.startsWith("/talkdesk/")) return "talkdesk";
  if (path === "/oauth" || path.startsWith("/oauth/")) return "oauth";
  return "problem";
}

/** Paths whose answers may carry personal data or a credential: the partner APIs and the operators' API. */
export function carriesPersonalData(path: string): boolean {
  return callerOf(path) !== "problem" || path === "/v1" || path.startsWith("/v1/") || path === "/admin" || path.startsWith("/admin/");
}

/** Renders an AppError in the caller's format. */
export function renderError(c: Context, err: AppError): Response {
  switch (callerOf(c.req.path)) {
    case "talkdesk":
      return renderMessage(c, err);
    case "oauth":
      return renderOAuthError(c, err);
    case "problem":
      return renderProblem(c, err);
  }
}

/** Internal reasons go to the log (redacted by the logger), never to the wire. */
function logError(c: Context<AppEnv>, thrown: unknown, err: AppError): void {
  const logger = c.get("logger");
  if (!logger) return;
  // 501 answers a request for an entity Talemetry does not have: the caller's choice, not a failure.
  if (err.status >= 500 && err.code !== "entity_not_supported") {
    const fields: Record<string, unknown> = { code: err.code, status: err.status, error: thrown };
    // A stack helps only for the unexpected; our own errors say what happened in their code and detail.
    const expected = thrown instanceof AppError || thrown instanceof UpstreamError;
    if (!expected && thrown instanceof Error && thrown.stack) fields.stack = thrown.stack;
    const cause = thrown instanceof AppError ? thrown.cause : undefined;
    if (cause !== undefined) fields.cause = cause;
    if (cause instanceof UpstreamError || thrown instanceof UpstreamError) {
      const upstream = (thrown instanceof UpstreamError ? thrown : cause) as UpstreamError;
      fields.upstream_status = upstream.upstreamStatus;
      fields.upstream_detail = upstream.upstreamDetail;
    }
    logger.error("request failed", fields);
  } else {
    logger.debug("request refused", { code: err.code, status: err.status, detail: err.detail });
  }
}

/** The deployment's secrets, scrubbed literally from every log line of a request. */
function deploymentSecrets(env: Env): string[] {
  return [env.ADMIN_TOKEN, env.CREDENTIALS_KEY, env.SANDBOX_CONTROL_TOKEN].filter(
    (s): s is string => typeof s === "string" && s.length > 0,
  );
}

/**
 * Puts the deployment's settings on the context, parsed once per isolate. A misconfigured deployment
 * answers every request `500` naming the bad setting (never its value) and logs why, rather than
 * running on a silent default.
 */
function settingsMiddleware(): MiddlewareHandler<AppEnv> {
  return async function settings(c, next) {
    try {
      c.set("settings", loadSettings(c.env));
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      console.error(JSON.stringify({ level: "error", msg: "misconfigured deployment", setting: err.setting, reason: err.reason }));
      throw new AppError("internal", `The bridge is misconfigured: setting ${err.setting} ${err.reason}.`);
    }
    await next();
  };
}

/** Options of `buildApp`. */
export interface AppOptions {
  /** The deprecated operations and fields (default: src/config/deprecations.ts, the one place to mark them). */
  deprecations?: readonly Deprecation[];
}

/** Builds the Worker's Hono app. */
export function buildApp(options: AppOptions = {}): OpenAPIHono<AppEnv> {
  const deprecations = options.deprecations ?? DEPRECATIONS;
  for (const d of deprecations) checkDeprecation(d);
  const app = createRouter<AppEnv>();
  app.use("*", requestId());
  app.use("*", settingsMiddleware());
  app.use("*", requestLogger({ secrets: (c) => deploymentSecrets(c.env) }));

  app.onError((thrown, c) => {
    const err = toAppError(thrown);
    logError(c, thrown, err);
    return renderError(c, err);
  });
  // A known path asked with another method is a 405 naming the methods it answers (RFC 9110 §15.5.6),
  // for every router. The routes are read on first use: every router is mounted by then.
  let methodsOf: ((path: string) => string[]) | null = null;
  app.notFound((c) => {
    methodsOf ??= methodsByPath(app.routes);
    const allowed = methodsOf(c.req.path);
    if (allowed.length === 0) return renderError(c, new AppError("not_found", "No such route."));
    const res = renderError(c, new AppError("method_not_allowed", `${c.req.method} is not allowed here; use ${allowed.join(", ")}.`));
    res.headers.set("Allow", allowed.join(", "));
    return res;
  });
  // Partner and operator answers carry personal data or credentials: never stored by a cache.
  app.use("*", noStore(carriesPersonalData));
  // Deprecation, Sunset and Link on the answers of deprecated operations and of those carrying deprecated
  // fields (RFC 9745, RFC 8594), from the same document that marks them (built once, on first use).
  app.use(
    "*",
    announceDeprecations(
      () => deprecationIndex(app.getOpenAPI31Document({ openapi: "3.1.0", info: { title: "", version: "" } }), deprecations),
      (origin) => `${origin}/docs#deprecations`,
    ),
  );

  app.get("/healthz", (c) => c.json({ status: "ok" }));

  registerV1SecurityScheme(app);
  app.route("/admin", adminRoutes({ document: (c) => documentFor(app, c, "admin", deprecations) }));
  app.route("/oauth", oauthRoutes());
  app.route("/v1", v1Routes());

  app.route("/talkdesk", talkdeskRoutes());

  // /openapi.json and /docs describe every router above (the document is built per request).
  registerDocs(app, deprecations, { talkdesk: { title: "Talemetry for Talkdesk", markdown: talkdeskDocsPage } });

  return app;
}
