/**
 * Deprecations (docs/versioning.md): one entry marks an operation or a field deprecated with its dates.
 * The app then answers every request the entry concerns with `Deprecation` (RFC 9745: the date, as a
 * Structured Field Date), `Sunset` (RFC 8594: an HTTP-date) and a `Link` with `rel="deprecation"` to
 * the explanation, and the OpenAPI document and /docs mark it deprecated. Feature-neutral: the entries
 * name paths and schemas as plain strings (src/config/deprecations.ts holds the list).
 */
import type { MiddlewareHandler } from "hono";
import { platformSettings } from "./context";

/** One deprecation. */
export interface Deprecation {
  /**
   * What is deprecated: an operation as `"<METHOD> <OpenAPI path>"` (`"GET /v1/contacts/{id}"`), or a
   * field as `"<component schema>.<property>"` (`"Candidate.url"`): then every operation whose answer
   * carries that schema announces it.
   */
  target: string;
  /** The day it is deprecated (`YYYY-MM-DD`, from 00:00 UTC). */
  deprecated: string;
  /** The day it stops working (`YYYY-MM-DD`, from 00:00 UTC); at least the notice period after `deprecated`. */
  sunset: string;
  /** What to use instead, in a sentence. */
  instead: string;
}

const OPERATION_TARGET = /^(GET|POST|PUT|PATCH|DELETE) (\/\S*)$/;
const FIELD_TARGET = /^([A-Za-z][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** An operation target split into method and path, or null for a field target. */
export function operationTarget(target: string): { method: string; path: string } | null {
  const m = OPERATION_TARGET.exec(target);
  return m ? { method: m[1], path: m[2] } : null;
}

/** A field target split into schema and property, or null for an operation target. */
export function fieldTarget(target: string): { schema: string; property: string } | null {
  const m = FIELD_TARGET.exec(target);
  return m ? { schema: m[1], property: m[2] } : null;
}

/** Throws on an entry that cannot be announced correctly (a bad target or date, a sunset before the deprecation). */
export function checkDeprecation(d: Deprecation): void {
  if (!operationTarget(d.target) && !fieldTarget(d.target)) throw new Error(`deprecation target ${JSON.stringify(d.target)} is malformed`);
  for (const day of [d.deprecated, d.sunset]) {
    if (!DAY.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) throw new Error(`deprecation of ${d.target}: ${day} is no day`);
  }
  if (d.sunset <= d.deprecated) throw new Error(`deprecation of ${d.target}: the sunset must follow the deprecation`);
}

const epoch = (day: string) => Date.parse(`${day}T00:00:00Z`);

/**
 * The headers announcing `deprecations` (all concerning one answer): the earliest deprecation and sunset
 * win. `link`: where the deprecations are explained.
 */
export function deprecationHeaders(deprecations: readonly Deprecation[], link: string): Record<string, string> {
  const deprecated = Math.min(...deprecations.map((d) => epoch(d.deprecated)));
  const sunset = Math.min(...deprecations.map((d) => epoch(d.sunset)));
  return {
    // RFC 9745 §2.1: an sf-date, "@" and the Unix time in seconds.
    Deprecation: `@${Math.floor(deprecated / 1000)}`,
    // RFC 8594 §3: an HTTP-date (IMF-fixdate).
    Sunset: new Date(sunset).toUTCString(),
    Link: `<${link}>; rel="deprecation"; type="text/html"`,
  };
}

/** `/v1/candidates/{id}` → a regular expression matching request paths of that operation. */
export function operationPathPattern(path: string): RegExp {
  const source = path
    .split("/")
    .map((segment) => (/^\{[^}]+\}$/.test(segment) ? "[^/]+" : segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("/");
  return new RegExp(`^${source}/?$`);
}

/** The deprecations concerning each operation, by `"<METHOD> <OpenAPI path>"`. */
export type DeprecationIndex = ReadonlyMap<string, readonly Deprecation[]>;

/**
 * Sets the deprecation headers on every answer of a deprecated operation. `index` is asked once, on the
 * first request (it is built from the routes, all registered by then); `link` names the explanation.
 */
export function announceDeprecations(index: () => DeprecationIndex, link: (origin: string) => string): MiddlewareHandler {
  let compiled: Array<{ method: string; pattern: RegExp; deprecations: readonly Deprecation[] }> | null = null;
  return async function announceDeprecations(c, next) {
    await next();
    compiled ??= [...index()].map(([operation, deprecations]) => {
      const { method, path } = operationTarget(operation)!;
      return { method, pattern: operationPathPattern(path), deprecations };
    });
    if (compiled.length === 0) return;
    const method = c.req.method === "HEAD" ? "GET" : c.req.method;
    const found = compiled.filter((o) => o.method === method && o.pattern.test(c.req.path)).flatMap((o) => o.deprecations);
    if (found.length === 0) return;
    const origin = platformSettings(c)?.publicUrl ?? new URL(c.req.url).origin;
    for (const [name, value] of Object.entries(deprecationHeaders(found, link(origin)))) c.res.headers.set(name, value);
  };
}
