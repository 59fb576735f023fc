import type { Context, MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import { newRequestMeta, type PlatformEnv } from "./context";
import { redact } from "./redact";

/** Log levels, lowest first. */
export type LogLevel = "debug" | "info" | "warn" | "error";

const LEVEL_RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Structured JSON logger: one JSON object per line, every field redacted before it is written. */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** A logger that adds `fields` to every line. */
  child(fields: Record<string, unknown>): Logger;
}

/** Options of `createLogger`. */
export interface LoggerOptions {
  /** Lines below this level are dropped. */
  level?: LogLevel;
  /** Fields added to every line (e.g. request_id). */
  fields?: Record<string, unknown>;
  /** Literal secret values (e.g. ADMIN_TOKEN) scrubbed from every string, in addition to the patterns. */
  secrets?: readonly string[];
}

// Workers Logs parses JSON lines and keeps the console method as the level, so each level uses its own.
const SINK: Record<LogLevel, (line: string) => void> = {
  debug: (line) => console.debug(line),
  info: (line) => console.log(line),
  warn: (line) => console.warn(line),
  error: (line) => console.error(line),
};

/** Creates a logger. Cheap: build one per request, never share one across requests through module state. */
export function createLogger({ level = "info", fields = {}, secrets = [] }: LoggerOptions = {}): Logger {
  const emit = (lineLevel: LogLevel, msg: string, extra?: Record<string, unknown>) => {
    if (LEVEL_RANK[lineLevel] < LEVEL_RANK[level]) return;
    const record = redact({ ...fields, ...extra }, secrets) as Record<string, unknown>;
    SINK[lineLevel](JSON.stringify({ level: lineLevel, msg: redact(msg, secrets), time: new Date().toISOString(), ...record }));
  };
  return {
    debug: (msg, extra) => emit("debug", msg, extra),
    info: (msg, extra) => emit("info", msg, extra),
    warn: (msg, extra) => emit("warn", msg, extra),
    error: (msg, extra) => emit("error", msg, extra),
    child: (more) => createLogger({ level, fields: { ...fields, ...more }, secrets }),
  };
}

/** Options of `requestLogger`. */
export interface RequestLoggerOptions {
  /** Overrides the settings' `logLevel` (tests). */
  level?: LogLevel;
  /** The deployment's secrets, scrubbed literally from every line of the request (e.g. ADMIN_TOKEN). */
  secrets?: (c: Context) => readonly string[];
}

/**
 * Puts a request-scoped `logger` and `requestMeta` on the context and writes one line per request:
 * request_id, tenant_id, route (the matched pattern, never the raw URL: paths and queries can hold
 * identifiers and callers sometimes put keys in queries), method, status, duration_ms, upstream_calls,
 * upstream_ms. 5xx lines are `error`, all others `info`. Every answer says the same in a `Server-Timing`
 * header (W3C Server Timing): `app` (the whole request in the Worker), when Talemetry was called
 * `upstream` (the time its attempts took), and when the rate limiter was asked `limit` (the time it took to
 * decide; `limit_ms` in the line) — so a caller or a benchmark can tell the bridge's own time from the
 * upstream's, the limiter's and the network's. Mount after `requestId()`.
 */
export function requestLogger(options: RequestLoggerOptions = {}): MiddlewareHandler<PlatformEnv> {
  return async function requestLogger(c, next) {
    const started = performance.now();
    const level = options.level ?? c.get("settings")?.logLevel ?? "info";
    const requestId = c.get("requestId");
    const logger = createLogger({ level, fields: { request_id: requestId }, secrets: options.secrets?.(c) ?? [] });
    const meta = newRequestMeta();
    c.set("logger", logger);
    c.set("requestMeta", meta);
    await next();
    const status = c.res.status;
    const duration = performance.now() - started;
    const upstreamMs = meta.upstream?.elapsedMs ?? 0;
    const upstreamCalls = meta.upstream?.calls ?? 0;
    const timings = [`app;dur=${duration.toFixed(1)}`];
    if (upstreamCalls > 0) timings.push(`upstream;dur=${upstreamMs.toFixed(1)}`);
    if (meta.limitMs !== null) timings.push(`limit;dur=${meta.limitMs.toFixed(1)}`);
    serverTiming(c, timings.join(", "));
    const line = {
      request_id: requestId,
      tenant_id: meta.tenantId,
      route: handlerRoute(c),
      method: c.req.method,
      status,
      duration_ms: Math.round(duration),
      upstream_calls: upstreamCalls,
      upstream_ms: Math.round(upstreamMs),
      ...(meta.limitMs !== null ? { limit_ms: Math.round(meta.limitMs) } : {}),
    };
    if (status >= 500) logger.error("request", line);
    else logger.info("request", line);
  };
}

/** Sets `Server-Timing`; an answer passed through with immutable headers is copied first. */
function serverTiming(c: Context, value: string): void {
  try {
    c.res.headers.set("Server-Timing", value);
  } catch {
    const res = new Response(c.res.body, c.res);
    res.headers.set("Server-Timing", value);
    c.res = res;
  }
}

/** The pattern of the handler that answered (middleware are registered as method ALL), or null. */
function handlerRoute(c: Parameters<MiddlewareHandler>[0]): string | null {
  const routes = matchedRoutes(c).filter((r) => r.method !== "ALL");
  return routes.length > 0 ? routes[routes.length - 1].path : null;
}
