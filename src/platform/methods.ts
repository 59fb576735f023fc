/**
 * Which methods a path answers, from the routes an app registered: a request with another method on a
 * known path is a `405` with `Allow` (RFC 9110 §15.5.6), not a `404`. Paths with a wildcard are
 * middleware (`use("*")`, `post("*")`), never a resource of their own, and are left out.
 */

/** A registered route as Hono lists it (`app.routes`). */
export interface RegisteredRoute {
  method: string;
  path: string;
}

/** `/v1/candidates/:id` → a regular expression for one path segment per parameter (`:id{…}` keeps its own pattern). */
function pathPattern(path: string): RegExp {
  const source = path
    .split("/")
    .map((segment) => {
      const param = /^:[A-Za-z_][A-Za-z0-9_]*(?:\{(.+)\})?$/.exec(segment);
      if (param) return param[1] ? `(?:${param[1]})` : "[^/]+";
      return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("/");
  return new RegExp(`^${source}/?$`);
}

/**
 * A function answering the methods `routes` register for a concrete path, in `Allow` order (sorted,
 * `HEAD` wherever `GET` is: Hono answers HEAD with the GET handler); empty for an unknown path.
 */
export function methodsByPath(routes: readonly RegisteredRoute[]): (path: string) => string[] {
  const compiled = new Map<string, { pattern: RegExp; methods: Set<string> }>();
  for (const route of routes) {
    if (route.method === "ALL" || route.path.includes("*")) continue;
    const entry = compiled.get(route.path) ?? { pattern: pathPattern(route.path), methods: new Set<string>() };
    entry.methods.add(route.method.toUpperCase());
    compiled.set(route.path, entry);
  }
  return (path) => {
    const methods = new Set<string>();
    for (const { pattern, methods: registered } of compiled.values()) {
      if (pattern.test(path)) for (const m of registered) methods.add(m);
    }
    if (methods.has("GET")) methods.add("HEAD");
    return [...methods].sort();
  };
}
