// Settings are parsed once from the vars with zod (src/config/settings.ts): absent → the documented
// default; present but wrong → a ConfigError naming the setting (never echoing its value), which the app
// answers with a 500 naming the setting and a log line; and wrangler.toml's announced rate limit agrees
// with the rate-limiting binding it configures, in every environment (/v1's and Talkdesk's, each in a
// namespace of its own).
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { buildApp } from "../../src/app";
import type { Env } from "../../src/config/env";
import { ConfigError, loadSettings, parseSettings } from "../../src/config/settings";

const wranglerToml = Object.values(
  import.meta.glob("../../wrangler.toml", { query: "?raw", import: "default", eager: true }) as Record<string, string>,
)[0];

function configErrorOf(vars: Record<string, string>): ConfigError {
  try {
    parseSettings(vars as Partial<Env>);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error(`no ConfigError for ${JSON.stringify(vars)}`);
}

afterEach(() => vi.restoreAllMocks());

describe("parseSettings", () => {
  it("gives every absent var its default", () => {
    expect(parseSettings({})).toEqual({
      environment: "local",
      matchUrl: "sandbox",
      profilesUrl: "sandbox",
      logLevel: "info",
      rateLimit: { requests: 600, periodSeconds: 60 },
      talkdeskRateLimit: { requests: 1200, periodSeconds: 60 },
      oauthRateLimit: { perClient: { requests: 60, periodSeconds: 60 }, perIp: { requests: 60, periodSeconds: 60 } },
      syncIntervalSeconds: 60,
      talkdeskPageSize: 100,
      maxBodyBytes: 65_536,
      publicUrl: null,
      webhooks: { allowLocalhost: false, retryBaseSeconds: 10 },
    });
  });

  it("reads present vars, normalising URLs and case", () => {
    const settings = parseSettings({
      ENVIRONMENT: "staging",
      TALEMETRY_MATCH_URL: "http://127.0.0.1:9000/",
      TALEMETRY_PROFILES_URL: "https://api2.talemetry.com",
      LOG_LEVEL: "WARN",
      RATE_LIMIT_REQUESTS: "1200",
      RATE_LIMIT_PERIOD_SECONDS: "10",
      TALKDESK_RATE_LIMIT_REQUESTS: "300",
      TALKDESK_RATE_LIMIT_PERIOD_SECONDS: "10",
      OAUTH_CLIENT_RATE_LIMIT_REQUESTS: "30",
      OAUTH_IP_RATE_LIMIT_PERIOD_SECONDS: "10",
      PUBLIC_URL: "https://bridge.example.com/",
    });
    expect(settings).toMatchObject({
      environment: "staging",
      matchUrl: "http://127.0.0.1:9000",
      profilesUrl: "https://api2.talemetry.com",
      logLevel: "warn",
      rateLimit: { requests: 1200, periodSeconds: 10 },
      talkdeskRateLimit: { requests: 300, periodSeconds: 10 },
      oauthRateLimit: { perClient: { requests: 30, periodSeconds: 60 }, perIp: { requests: 60, periodSeconds: 10 } },
      publicUrl: "https://bridge.example.com",
    });
  });

  it.each([
    ["RATE_LIMIT_REQUESTS", "lots"],
    ["RATE_LIMIT_REQUESTS", "0"],
    ["RATE_LIMIT_PERIOD_SECONDS", "30"],
    ["TALKDESK_RATE_LIMIT_REQUESTS", "-1"],
    ["TALKDESK_RATE_LIMIT_PERIOD_SECONDS", "45"],
    ["OAUTH_CLIENT_RATE_LIMIT_REQUESTS", "0"],
    ["OAUTH_IP_RATE_LIMIT_PERIOD_SECONDS", "90"],
    ["SYNC_INTERVAL_SECONDS", "-5"],
    ["TALKDESK_PAGE_SIZE", "5000"],
    ["MAX_BODY_BYTES", "1.5e6"],
    ["TALEMETRY_MATCH_URL", "ftp://talemetry.example"],
    ["TALEMETRY_PROFILES_URL", "api2.talemetry.com"],
    ["LOG_LEVEL", "verbose"],
    ["ENVIRONMENT", "live"],
    ["PUBLIC_URL", "bridge.example.com"],
    ["PUBLIC_URL", "http://bridge.example.com"],
  ])("refuses %s=%s, naming the setting and not its value", (setting, value) => {
    const err = configErrorOf({ [setting]: value });
    expect(err.setting).toBe(setting);
    expect(err.message).toContain(setting);
    expect(err.message).not.toContain(value);
  });
});

describe("loadSettings", () => {
  it("refuses the simulator where it is not bound", () => {
    const unbound = { ...env, TALEMETRY_SANDBOX: undefined, TALEMETRY_MATCH_URL: "https://api.talemetry.com" } as Env;
    expect(() => loadSettings(unbound)).toThrow(ConfigError);
    expect(() => loadSettings(unbound)).toThrow(/TALEMETRY_PROFILES_URL/);
  });

  it("parses an env once, and again when its vars change", () => {
    const local = { ...env } as Env;
    expect(loadSettings(local)).toBe(loadSettings(local));
    (local as unknown as Record<string, string>).LOG_LEVEL = "error";
    expect(loadSettings(local).logLevel).toBe("error");
  });
});

describe("a misconfigured deployment", () => {
  it("answers 500 naming the setting, and logs why", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const app = buildApp();
    const ctx = createExecutionContext();
    const res = await app.fetch(new Request("http://bridge/healthz"), { ...env, TALKDESK_PAGE_SIZE: "lots" }, ctx);
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(500);
    const body = (await res.json()) as { detail: string };
    expect(body.detail).toContain("TALKDESK_PAGE_SIZE");
    expect(body.detail).not.toContain("lots");
    expect(logged.mock.calls.map((c) => String(c[0])).some((line) => line.includes('"setting":"TALKDESK_PAGE_SIZE"'))).toBe(true);
  });
});

describe("wrangler.toml", () => {
  /** [vars] sections and [[ratelimits]] of the top level and of each [env.<name>], by environment. */
  function environments(toml: string): Map<string, string> {
    const out = new Map<string, string>();
    let name = "(top level)";
    for (const line of toml.split("\n")) {
      const header = /^\[\[?env\.([a-z]+)[.\]]/.exec(line);
      if (header) name = header[1];
      out.set(name, `${out.get(name) ?? ""}${line}\n`);
    }
    return out;
  }

  it("announces the rate limit its binding enforces, in every environment", () => {
    const envs = environments(wranglerToml);
    expect([...envs.keys()]).toEqual(expect.arrayContaining(["(top level)", "sandbox", "staging", "production"]));
    for (const [name, text] of envs) {
      const requests = /^RATE_LIMIT_REQUESTS = "(\d+)"/m.exec(text)?.[1];
      const period = /^RATE_LIMIT_PERIOD_SECONDS = "(\d+)"/m.exec(text)?.[1];
      const binding = /name = "TENANT_RATE_LIMIT"[\s\S]*?simple = \{ limit = (\d+), period = (\d+) \}/.exec(text);
      expect(binding, `${name}: TENANT_RATE_LIMIT binding`).not.toBeNull();
      expect([requests, period], name).toEqual([binding?.[1], binding?.[2]]);
    }
  });

  it("gives Talkdesk its own budget binding, announced by its vars, 1,200 / 60 s, in every environment", () => {
    for (const [name, text] of environments(wranglerToml)) {
      const requests = /^TALKDESK_RATE_LIMIT_REQUESTS = "(\d+)"/m.exec(text)?.[1];
      const period = /^TALKDESK_RATE_LIMIT_PERIOD_SECONDS = "(\d+)"/m.exec(text)?.[1];
      const binding = /name = "TALKDESK_RATE_LIMIT"[\s\S]*?simple = \{ limit = (\d+), period = (\d+) \}/.exec(text);
      expect(binding, `${name}: TALKDESK_RATE_LIMIT binding`).not.toBeNull();
      expect([requests, period], name).toEqual([binding?.[1], binding?.[2]]);
      expect([requests, period], name).toEqual(["1200", "60"]);
    }
  });

  it("gives /oauth/token a per-client and a per-IP budget, announced by their vars, in every environment", () => {
    for (const [name, text] of environments(wranglerToml)) {
      // Each binding is announced by the vars of the same name.
      for (const binding of ["OAUTH_CLIENT_RATE_LIMIT", "OAUTH_IP_RATE_LIMIT"]) {
        const requests = new RegExp(`^${binding}_REQUESTS = "(\\d+)"`, "m").exec(text)?.[1];
        const period = new RegExp(`^${binding}_PERIOD_SECONDS = "(\\d+)"`, "m").exec(text)?.[1];
        const simple = new RegExp(`name = "${binding}"\\s+namespace_id = "\\d+"\\s+simple = \\{ limit = (\\d+), period = (\\d+) \\}`).exec(
          text,
        );
        expect(simple, `${name}: ${binding} binding`).not.toBeNull();
        expect([requests, period], `${name}: ${binding}`).toEqual([simple?.[1], simple?.[2]]);
      }
    }
  });

  it("allows webhooks to localhost only in the local deployment, never in sandbox, staging or production", () => {
    const envs = environments(wranglerToml);
    expect(/^WEBHOOKS_ALLOW_LOCALHOST = "true"$/m.test(envs.get("(top level)") ?? "")).toBe(true);
    for (const name of ["sandbox", "staging", "production"]) {
      expect(envs.get(name), name).toBeDefined();
      expect(/WEBHOOKS_ALLOW_LOCALHOST\s*=\s*"true"/.test(envs.get(name)!), name).toBe(false);
      expect(
        parseSettings({ WEBHOOKS_ALLOW_LOCALHOST: /WEBHOOKS_ALLOW_LOCALHOST = "(\w+)"/.exec(envs.get(name)!)?.[1] }).webhooks
          .allowLocalhost,
      ).toBe(false);
    }
    expect(configErrorOf({ WEBHOOKS_ALLOW_LOCALHOST: "yes" }).setting).toBe("WEBHOOKS_ALLOW_LOCALHOST");
    expect(configErrorOf({ WEBHOOK_RETRY_BASE_SECONDS: "31" }).setting).toBe("WEBHOOK_RETRY_BASE_SECONDS");
  });

  it("gives every environment a webhook queue, consumed by this Worker, with a dead-letter queue it also consumes", () => {
    for (const [name, text] of environments(wranglerToml)) {
      const producer = /queues\.producers\]\]\s+binding = "WEBHOOKS"\s+queue = "([\w-]+)"/.exec(text)?.[1];
      const dlq = /queues\.producers\]\]\s+binding = "WEBHOOKS_DLQ"\s+queue = "([\w-]+)"/.exec(text)?.[1];
      expect(producer, name).toBeDefined();
      expect(dlq, name).toBeDefined();
      const consumers = [...text.matchAll(/queues\.consumers\]\]\s+queue = "([\w-]+)"([^[]*)/g)].map((m) => [m[1], m[2]] as const);
      expect(consumers.map(([q]) => q).sort(), name).toEqual([producer, dlq].sort());
      expect(consumers.find(([q]) => q === producer)?.[1], name).toContain(`dead_letter_queue = "${dlq}"`);
    }
  });

  it("gives every rate-limiting binding of every environment a namespace of its own", () => {
    const ids = [...wranglerToml.matchAll(/^namespace_id = "(\d+)"/gm)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThanOrEqual(16); // four bindings × four environments
    expect(new Set(ids).size).toBe(ids.length);
  });
});
