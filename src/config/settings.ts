/**
 * The deployment's settings: wrangler.toml vars parsed ONCE per isolate (per `env` object) into a typed
 * object. An absent var takes its default (so tests and `wrangler dev` need only the four settings the
 * README names); a var that is present but wrong is a deployment error that fails loudly — the first
 * request answers `500` naming the setting and the log says why — never a silent fallback to a default.
 */
import { z } from "zod";
import { SANDBOX_SETTING, type TalemetryHosts } from "../talemetry";
import type { Env } from "./env";

/** The rate-limiting binding counts per 10 s or 60 s window only (Workers rate limiting, `simple.period`). */
export const RATE_LIMIT_PERIODS = [10, 60] as const;

const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;

/** Talkdesk's own per-tenant budget when the vars are absent (issue 11: 1,200 requests per 60 s). */
export const DEFAULT_TALKDESK_RATE_LIMIT = { requests: 1_200, periodSeconds: 60 } as const;
/** `/oauth/token`'s budgets when the vars are absent (issue 11): per known client, and per IP for unknown clients. */
export const DEFAULT_OAUTH_RATE_LIMITS = {
  perClient: { requests: 60, periodSeconds: 60 },
  perIp: { requests: 60, periodSeconds: 60 },
} as const;

/** A positive whole number written as a decimal string, within bounds. */
const intVar = (min: number, max: number) =>
  z.string().trim().regex(/^\d+$/, "must be a whole number").transform(Number).pipe(z.number().int().min(min).max(max));

/** `sandbox` (the simulator binding) or an absolute http(s) URL without query or fragment. */
const hostVar = z
  .string()
  .trim()
  .refine((value) => value === SANDBOX_SETTING || /^https?:\/\/[^\s?#]+$/i.test(value), `must be "${SANDBOX_SETTING}" or an http(s) URL`)
  .transform((value) => value.replace(/\/+$/, ""));

/** A rate-limiting window: the binding counts per 10 s or 60 s only. */
const periodVar = intVar(1, 60).refine(
  (n) => (RATE_LIMIT_PERIODS as readonly number[]).includes(n),
  "must be 10 or 60 (the rate-limiting binding's periods)",
);

/** Vars as wrangler.toml spells them; each default is what a local run needs. */
const VarsSchema = z.object({
  ENVIRONMENT: z.enum(["local", "sandbox", "staging", "production"]).default("local"),
  TALEMETRY_MATCH_URL: hostVar.default(SANDBOX_SETTING),
  TALEMETRY_PROFILES_URL: hostVar.default(SANDBOX_SETTING),
  LOG_LEVEL: z.string().trim().toLowerCase().pipe(z.enum(LOG_LEVELS)).default("info"),
  RATE_LIMIT_REQUESTS: intVar(1, 1_000_000).default(600),
  RATE_LIMIT_PERIOD_SECONDS: periodVar.default(60),
  TALKDESK_RATE_LIMIT_REQUESTS: intVar(1, 1_000_000).default(DEFAULT_TALKDESK_RATE_LIMIT.requests),
  TALKDESK_RATE_LIMIT_PERIOD_SECONDS: periodVar.default(DEFAULT_TALKDESK_RATE_LIMIT.periodSeconds),
  OAUTH_CLIENT_RATE_LIMIT_REQUESTS: intVar(1, 1_000_000).default(DEFAULT_OAUTH_RATE_LIMITS.perClient.requests),
  OAUTH_CLIENT_RATE_LIMIT_PERIOD_SECONDS: periodVar.default(DEFAULT_OAUTH_RATE_LIMITS.perClient.periodSeconds),
  OAUTH_IP_RATE_LIMIT_REQUESTS: intVar(1, 1_000_000).default(DEFAULT_OAUTH_RATE_LIMITS.perIp.requests),
  OAUTH_IP_RATE_LIMIT_PERIOD_SECONDS: periodVar.default(DEFAULT_OAUTH_RATE_LIMITS.perIp.periodSeconds),
  SYNC_INTERVAL_SECONDS: intVar(10, 86_400).default(60),
  // The directory serves at most 1,000 rows a call and contact sync reads one row more than a page.
  TALKDESK_PAGE_SIZE: intVar(1, 999).default(100),
  MAX_BODY_BYTES: intVar(1_024, 1_048_576).default(65_536),
  // Only a local deployment (its walkthrough and tests) may deliver webhooks to localhost/127.0.0.1.
  WEBHOOKS_ALLOW_LOCALHOST: z.enum(["true", "false"]).default("false"),
  // First retry wait of a failed webhook delivery (doubling after); the contract allows at most 30 s.
  WEBHOOK_RETRY_BASE_SECONDS: intVar(1, 30).default(10),
  PUBLIC_URL: z
    .string()
    .trim()
    // https only (Talkdesk sends the API key in every request it makes to this base); http for localhost.
    .refine(
      (value) => value === "" || /^(https:\/\/[^\s/?#]+|http:\/\/(localhost|127\.0\.0\.1)(:\d+)?)(\/[^\s?#]*)?$/i.test(value),
      "must be empty or an https URL (http only for localhost)",
    )
    .transform((value) => (value === "" ? null : value.replace(/\/+$/, "")))
    .default(null),
});

/** The typed settings every module reads (never `env.<VAR>` directly). */
export interface Settings {
  environment: "local" | "sandbox" | "staging" | "production";
  /** `sandbox` or an http(s) URL (no trailing slash): the Match API host. */
  matchUrl: string;
  /** `sandbox` or an http(s) URL (no trailing slash): authorization, profiles, writes, users. */
  profilesUrl: string;
  logLevel: (typeof LOG_LEVELS)[number];
  /** Must equal the `TENANT_RATE_LIMIT` binding's `simple` config (checked against wrangler.toml by a test). */
  rateLimit: { requests: number; periodSeconds: number };
  /**
   * Talkdesk's own per-tenant budget; must equal the `TALKDESK_RATE_LIMIT` binding's `simple` config
   * (checked against wrangler.toml by a test). Separate from `/v1`'s, so neither caller can spend the other's.
   */
  talkdeskRateLimit: { requests: number; periodSeconds: number };
  /**
   * `/oauth/token`'s budgets: per known client id (`OAUTH_CLIENT_RATE_LIMIT` binding) and per client IP
   * for requests naming no client we issued (`OAUTH_IP_RATE_LIMIT`); each must equal its binding's
   * `simple` config (checked against wrangler.toml by a test).
   */
  oauthRateLimit: { perClient: { requests: number; periodSeconds: number }; perIp: { requests: number; periodSeconds: number } };
  syncIntervalSeconds: number;
  talkdeskPageSize: number;
  maxBodyBytes: number;
  /** The deployment's public origin, or null: then each request's own origin. */
  publicUrl: string | null;
  webhooks: {
    /** `localhost` and `127.0.0.1` are allowed webhook hosts (local only; staging and production never set it). */
    allowLocalhost: boolean;
    /** The wait before a failed delivery's first retry; each later wait doubles (src/core/webhook-schedule.ts). */
    retryBaseSeconds: number;
  };
}

/** A var that is present but unusable. `setting` is the var's name; the message never echoes its value. */
export class ConfigError extends Error {
  constructor(
    readonly setting: string,
    readonly reason: string,
  ) {
    super(`Setting ${setting} ${reason}.`);
    this.name = "ConfigError";
  }
}

/**
 * Parses the vars; throws `ConfigError` naming the first bad one. Pure: no caching and no binding checks
 * (see `loadSettings`).
 */
export function parseSettings(env: Partial<Env>): Settings {
  // Only the vars this schema knows: bindings and secrets are not settings and are never echoed.
  const vars: Record<string, unknown> = {};
  for (const key of Object.keys(VarsSchema.shape)) {
    const value = (env as Record<string, unknown>)[key];
    if (value !== undefined) vars[key] = value;
  }
  const parsed = VarsSchema.safeParse(vars);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(String(issue?.path[0] ?? "(unknown)"), issue?.message ?? "is invalid");
  }
  const v = parsed.data;
  return {
    environment: v.ENVIRONMENT,
    matchUrl: v.TALEMETRY_MATCH_URL,
    profilesUrl: v.TALEMETRY_PROFILES_URL,
    logLevel: v.LOG_LEVEL,
    rateLimit: { requests: v.RATE_LIMIT_REQUESTS, periodSeconds: v.RATE_LIMIT_PERIOD_SECONDS },
    talkdeskRateLimit: { requests: v.TALKDESK_RATE_LIMIT_REQUESTS, periodSeconds: v.TALKDESK_RATE_LIMIT_PERIOD_SECONDS },
    oauthRateLimit: {
      perClient: { requests: v.OAUTH_CLIENT_RATE_LIMIT_REQUESTS, periodSeconds: v.OAUTH_CLIENT_RATE_LIMIT_PERIOD_SECONDS },
      perIp: { requests: v.OAUTH_IP_RATE_LIMIT_REQUESTS, periodSeconds: v.OAUTH_IP_RATE_LIMIT_PERIOD_SECONDS },
    },
    syncIntervalSeconds: v.SYNC_INTERVAL_SECONDS,
    talkdeskPageSize: v.TALKDESK_PAGE_SIZE,
    maxBodyBytes: v.MAX_BODY_BYTES,
    publicUrl: v.PUBLIC_URL,
    webhooks: { allowLocalhost: v.WEBHOOKS_ALLOW_LOCALHOST === "true", retryBaseSeconds: v.WEBHOOK_RETRY_BASE_SECONDS },
  };
}

/**
 * Parsed once per isolate: the runtime hands an isolate the same `env` for every request. Kept with the
 * raw values it was parsed from, so an `env` whose vars are changed in place (tests do) is parsed again
 * rather than served stale. A cache of derived, immutable data — not coordination state.
 */
const parsedByEnv = new WeakMap<object, { raw: unknown[]; settings: Settings }>();

const VAR_NAMES = Object.keys(VarsSchema.shape);

function rawVars(env: Env): unknown[] {
  return VAR_NAMES.map((key) => (env as unknown as Record<string, unknown>)[key] ?? null);
}

/** Whether `env` still holds the values the settings were parsed from (several reads per request: no copies). */
function sameVars(env: Env, raw: unknown[]): boolean {
  for (let i = 0; i < VAR_NAMES.length; i++)
    if (((env as unknown as Record<string, unknown>)[VAR_NAMES[i]] ?? null) !== raw[i]) return false;
  return true;
}

/**
 * The settings of this deployment, checked against its bindings.
 * @throws ConfigError when a var is present but wrong, or names the simulator where it is not bound.
 */
export function loadSettings(env: Env): Settings {
  const cached = parsedByEnv.get(env);
  if (cached && sameVars(env, cached.raw)) return cached.settings;
  const raw = rawVars(env);
  const settings = parseSettings(env);
  for (const [key, host] of [
    ["TALEMETRY_MATCH_URL", settings.matchUrl],
    ["TALEMETRY_PROFILES_URL", settings.profilesUrl],
  ] as const) {
    if (host === SANDBOX_SETTING && !env.TALEMETRY_SANDBOX) {
      throw new ConfigError(key, `is "${SANDBOX_SETTING}" but the TALEMETRY_SANDBOX service binding is missing`);
    }
  }
  parsedByEnv.set(env, { raw, settings });
  return settings;
}

/** Where Talemetry is, from the settings and the simulator binding (contract "Configuration"). */
export function talemetryHosts(env: Env): TalemetryHosts {
  const settings = loadSettings(env);
  return { matchUrl: settings.matchUrl, profilesUrl: settings.profilesUrl, sandbox: env.TALEMETRY_SANDBOX };
}
