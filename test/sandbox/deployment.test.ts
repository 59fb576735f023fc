// The simulator is served only through the bridge's service binding (issue 11): sandbox/wrangler.toml
// turns off the workers.dev URL and preview URLs and declares no route, at the top level and in every
// [env.*] (wrangler does not inherit these settings into environments).
import { describe, expect, it } from "vitest";

const files = import.meta.glob("../../sandbox/wrangler.toml", { query: "?raw", import: "default", eager: true }) as Record<string, string>;
const toml = Object.values(files)[0];

/** The top level and each environment's own keys (`[env.X]`, `[env.X.vars]`, `[[env.X.…]]` belong to X). */
function scopes(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>([["(top level)", []]]);
  let scope = "(top level)";
  let table = "";
  for (const raw of text.split("\n")) {
    const line = raw.replace(/#.*$/, "").trim();
    if (!line) continue;
    const header = /^\[\[?([^\]]+)\]\]?$/.exec(line);
    if (header) {
      table = header[1].trim();
      const env = /^env\.([^.]+)/.exec(table);
      scope = env ? env[1] : "(top level)";
      if (!out.has(scope)) out.set(scope, []);
      out.get(scope)!.push(`[${table}]`);
      continue;
    }
    // Keys directly in the scope's own table (`[env.X]` or the top level), not in its sub-tables.
    const own = table === "" || table === `env.${scope}`;
    out.get(scope)!.push(own ? line : `${table}.${line}`);
  }
  return out;
}

describe("sandbox/wrangler.toml", () => {
  const all = scopes(toml);

  it("has the top level and the sandbox environment", () => {
    expect([...all.keys()]).toEqual(["(top level)", "sandbox"]);
  });

  for (const [scope, lines] of all) {
    it(`${scope}: no workers.dev URL, no preview URLs, no route`, () => {
      expect(lines).toContain("workers_dev = false");
      expect(lines).toContain("preview_urls = false");
      expect(lines.filter((l) => /^(\[\[?)?(env\.[^.\]]+\.)?routes?\b/.test(l) || /\broutes?\s*=/.test(l))).toEqual([]);
    });
  }
});
