import type { TenantDirectory } from "../directory/tenant-directory";
import type { WebhookMessage } from "../directory/webhooks";

/**
 * Bindings, vars and secrets of the bridge Worker, as wrangler.toml declares them. Vars arrive as
 * strings; read them only through `loadSettings` (config/settings.ts), which checks them once.
 */
export interface Env {
  KV: KVNamespace;
  TENANT: DurableObjectNamespace<TenantDirectory>;
  TENANT_RATE_LIMIT: RateLimit;
  /** Talkdesk's per-tenant budget: its own binding (own namespace), so /v1 and Talkdesk never share a counter. */
  TALKDESK_RATE_LIMIT: RateLimit;
  /** `/oauth/token`: token requests per known client id. */
  OAUTH_CLIENT_RATE_LIMIT: RateLimit;
  /** `/oauth/token`: token requests per client IP that name no client we issued. */
  OAUTH_IP_RATE_LIMIT: RateLimit;
  /** Present only where the built-in simulator is deployed (local, tests, sandbox). */
  TALEMETRY_SANDBOX?: Fetcher;
  /** Webhook deliveries: "deliver what is pending for subscription S" (this Worker consumes it). */
  WEBHOOKS: Queue<WebhookMessage>;
  /** Deliveries given up after the retry window land here (this Worker consumes it and records them). */
  WEBHOOKS_DLQ: Queue<WebhookMessage>;

  ENVIRONMENT?: string;
  TALEMETRY_MATCH_URL?: string;
  TALEMETRY_PROFILES_URL?: string;
  LOG_LEVEL?: string;
  RATE_LIMIT_REQUESTS?: string;
  RATE_LIMIT_PERIOD_SECONDS?: string;
  TALKDESK_RATE_LIMIT_REQUESTS?: string;
  TALKDESK_RATE_LIMIT_PERIOD_SECONDS?: string;
  OAUTH_CLIENT_RATE_LIMIT_REQUESTS?: string;
  OAUTH_CLIENT_RATE_LIMIT_PERIOD_SECONDS?: string;
  OAUTH_IP_RATE_LIMIT_REQUESTS?: string;
  OAUTH_IP_RATE_LIMIT_PERIOD_SECONDS?: string;
  SYNC_INTERVAL_SECONDS?: string;
  TALKDESK_PAGE_SIZE?: string;
  MAX_BODY_BYTES?: string;
  PUBLIC_URL?: string;
  WEBHOOKS_ALLOW_LOCALHOST?: string;
  WEBHOOK_RETRY_BASE_SECONDS?: string;

  /** Secrets. */
  ADMIN_TOKEN: string;
  CREDENTIALS_KEY: string;
  /** The simulator's control token, where one is bound: lets `POST /admin/sandbox-accounts` create accounts. */
  SANDBOX_CONTROL_TOKEN?: string;
}
