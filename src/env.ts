import type { TenantDirectory } from "./directory/tenant-directory";

/** Bindings and vars of the bridge Worker (see wrangler.toml). */
export interface Env {
  KV: KVNamespace;
  TENANT: DurableObjectNamespace<TenantDirectory>;
  TENANT_RATE_LIMIT: RateLimit;
  /** Present only where the built-in simulator is deployed (local, tests, sandbox). */
  TALEMETRY_SANDBOX?: Fetcher;

  ENVIRONMENT: string;
  TALEMETRY_MATCH_URL: string;
  TALEMETRY_PROFILES_URL: string;
  LOG_LEVEL: string;
  RATE_LIMIT_REQUESTS: string;
  RATE_LIMIT_PERIOD_SECONDS: string;
  SYNC_INTERVAL_SECONDS: string;
  TALKDESK_PAGE_SIZE: string;
  MAX_BODY_BYTES: string;
  PUBLIC_URL: string;

  /** Secrets. */
  ADMIN_TOKEN: string;
  CREDENTIALS_KEY: string;
}

export interface Settings {
  environment: string;
  matchUrl: string;
  profilesUrl: string;
  logLevel: "debug" | "info" | "warn" | "error";
  rateLimit: { requests: number; periodSeconds: number };
  syncIntervalSeconds: number;
  talkdeskPageSize: number;
  maxBodyBytes: number;
  publicUrl: string | null;
}

function int(value: string | undefined, fallback: number): number {
  const n = Number.parseInt(value ?? "", 10);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

/** Parses the string vars once per request into typed settings with safe defaults. */
export function readSettings(env: Env): Settings {
  const level = (env.LOG_LEVEL ?? "info").toLowerCase();
  return {
    environment: env.ENVIRONMENT ?? "local",
    matchUrl: env.TALEMETRY_MATCH_URL || "sandbox",
    profilesUrl: env.TALEMETRY_PROFILES_URL || "sandbox",
    logLevel: (["debug", "info", "warn", "error"].includes(level) ? level : "info") as Settings["logLevel"],
    rateLimit: { requests: int(env.RATE_LIMIT_REQUESTS, 600), periodSeconds: int(env.RATE_LIMIT_PERIOD_SECONDS, 60) },
    syncIntervalSeconds: int(env.SYNC_INTERVAL_SECONDS, 60),
    talkdeskPageSize: int(env.TALKDESK_PAGE_SIZE, 100),
    maxBodyBytes: int(env.MAX_BODY_BYTES, 65536),
    publicUrl: env.PUBLIC_URL ? env.PUBLIC_URL.replace(/\/+$/, "") : null,
  };
}
