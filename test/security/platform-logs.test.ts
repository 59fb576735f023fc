// Phone numbers and emails in platform logs (issue 11). /v1/search carries them in its query string and
// every /v1 request a credential in Authorization. The Worker's own JSON lines never hold the URL (the
// request line names the route pattern): checked here at LOG_LEVEL=debug. What Cloudflare records by
// itself is set in wrangler.toml, checked here for every environment: query strings redacted from URLs in
// Workers Logs and traces (`observability.redact_query_string`), invocation logs off (they also record
// request headers), Logpush off.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { drainBackfill } from "../helpers/directory";
import { createAccount, seedAccount } from "../helpers/sandbox";
import { createTenant, type TestTenant } from "../helpers/tenants";
import { v1 } from "../v1/helpers";

const wranglerToml = Object.values(
  import.meta.glob("../../wrangler.toml", { query: "?raw", import: "default", eager: true }) as Record<string, string>,
)[0];

/**
 * `key = value` lines by environment (`(top level)` or the env's name) and table, the env prefix taken off
 * the table name: `[env.staging.observability.logs]` → staging / `observability.logs`; keys before any
 * table are under `""`. Enough TOML for this file's flat settings.
 */
function settingsByEnvironment(toml: string): Map<string, Map<string, Map<string, string>>> {
  const out = new Map<string, Map<string, Map<string, string>>>();
  let environment = "(top level)";
  let table = "";
  for (const raw of toml.split("\n")) {
    const line = raw.trim();
    const header = /^\[\[?([^\]]+)\]\]?$/.exec(line);
    if (header) {
      const name = header[1]!;
      const inEnv = /^env\.([a-z]+)(?:\.(.+))?$/.exec(name);
      environment = inEnv ? inEnv[1]! : "(top level)";
      table = inEnv ? (inEnv[2] ?? "") : name;
      continue;
    }
    const pair = /^([A-Za-z_]+)\s*=\s*(.+)$/.exec(line);
    if (!pair) continue;
    const tables = out.get(environment) ?? new Map<string, Map<string, string>>();
    const keys = tables.get(table) ?? new Map<string, string>();
    keys.set(pair[1]!, pair[2]!.trim());
    tables.set(table, keys);
    out.set(environment, tables);
  }
  return out;
}

describe("wrangler.toml: what Cloudflare keeps of a request", () => {
  const environments = settingsByEnvironment(wranglerToml);

  it("covers every environment", () => {
    expect([...environments.keys()]).toEqual(expect.arrayContaining(["(top level)", "sandbox", "staging", "production"]));
  });

  it.each(["(top level)", "sandbox", "staging", "production"])("%s: query strings redacted, invocation logs and Logpush off", (name) => {
    const tables = environments.get(name)!;
    expect(tables.get("observability")?.get("enabled"), "observability on (our own JSON lines)").toBe("true");
    expect(tables.get("observability")?.get("redact_query_string")).toBe("true");
    expect(tables.get("observability.logs")?.get("invocation_logs")).toBe("false");
    expect(tables.get("")?.get("logpush")).toBe("false");
  });
});

describe("the Worker's own logs", () => {
  let tenant: TestTenant;
  beforeAll(async () => {
    const { client_id: clientId } = await createAccount("pii-logs");
    await seedAccount(clientId, 6);
    tenant = await createTenant({ talemetryClientId: clientId, region: "US" });
    await drainBackfill(tenant.id);
  });

  it("hold no phone number or email from a search's query string, at debug level", async () => {
    const email = "maya.ortiz@example.com";
    const lines: string[] = [];
    for (const level of ["log", "info", "debug", "warn", "error"] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        lines.push(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" "));
      });
    }
    const vars = env as unknown as Record<string, string>;
    const level = vars.LOG_LEVEL;
    vars.LOG_LEVEL = "debug";
    try {
      const searches = [
        `/search?phone=${encodeURIComponent("+14155550142")}`,
        "/search?phone=4155550142&region=US",
        "/search?phone=5550142&partial=true",
        `/search?email=${encodeURIComponent(email)}`,
        "/search?phone=not-a-number-4155550142",
      ];
      for (const path of searches) expect((await v1(tenant.api_key, path)).status).toBeLessThan(500);
    } finally {
      vars.LOG_LEVEL = level;
      vi.restoreAllMocks();
    }
    const requestLines = lines.filter((l) => l.includes('"msg":"request"'));
    expect(requestLines.length).toBeGreaterThanOrEqual(5);
    for (const line of lines) {
      expect(line).not.toMatch(/4155550142|5550142|maya\.ortiz|maya%2Eortiz|maya\.ortiz%40/i);
      expect(line).not.toContain("/search?");
    }
  });
});
