/**
 * The per-request services object: built once when a request's tenant is known (`bindTenant`, called
 * by the authentication middleware of both callers) and read from `c.var.services`, so no route or core
 * function builds a Talemetry client or a Durable Object stub itself.
 */
import type { Context } from "hono";
import type { Env } from "../config/env";
import { type Settings, talemetryHosts } from "../config/settings";
import { type TenantDirectoryApi, tenantDirectory } from "../directory/api";
import { workerTokenSource } from "../directory/upstream";
import type { WebhookMessage } from "../directory/webhooks";
import { setRequestTenant } from "../platform/context";
import type { Logger } from "../platform/logger";
import { createDeadline, createStats, createTalemetryClient, type TalemetryClient, type UpstreamStats } from "../talemetry";
import type { Tenant } from "../tenants/types";
import type { TenantEnv } from "./context";

/** What a request acting for a tenant may use. */
export interface Services {
  readonly tenant: Tenant;
  readonly settings: Settings;
  readonly logger: Logger;
  readonly kv: KVNamespace;
  /** The tenant's Durable Object: directory index, sync, token single-flight, activity records. */
  readonly directory: TenantDirectoryApi;
  /**
   * Talemetry for this request, made on first use. Every call it makes counts in `stats` and stops at
   * the request's one deadline (10 s over every upstream attempt of the request, retries included),
   * which starts with the request's first upstream work.
   */
  readonly talemetry: TalemetryClient;
  /** The request's upstream counters (`upstream_calls` in the request log line). */
  readonly stats: UpstreamStats;
  /** CREDENTIALS_KEY: encrypts secrets at rest and derives the tenant's feed-cursor key. Never logged. */
  readonly credentialsKey: string;
  /** The webhook delivery queue (replays are enqueued by the routes). */
  readonly webhookQueue: Queue<WebhookMessage>;
}

/** Builds the services of one request. Cheap: the client and the stub are made only when first used. */
export function createServices(env: Env, init: { tenant: Tenant; settings: Settings; logger: Logger }): Services {
  const stats = createStats();
  let directory: TenantDirectoryApi | undefined;
  let talemetry: TalemetryClient | undefined;
  const services: Services = {
    ...init,
    kv: env.KV,
    stats,
    credentialsKey: env.CREDENTIALS_KEY,
    webhookQueue: env.WEBHOOKS,
    get directory() {
      directory ??= tenantDirectory(env.TENANT, init.tenant);
      return directory;
    },
    get talemetry() {
      if (!talemetry) {
        stats.deadline ??= createDeadline();
        talemetry = createTalemetryClient({
          hosts: talemetryHosts(env),
          tokens: workerTokenSource({
            kv: env.KV,
            credentialsKey: env.CREDENTIALS_KEY,
            tenant: init.tenant,
            directory: services.directory,
          }),
          defaultRegion: init.tenant.region,
          stats,
        });
      }
      return talemetry;
    },
  };
  return services;
}

/**
 * Makes `tenant` the request's tenant: `c.var.tenant`, `c.var.services`, and the request log line's
 * tenant and upstream counters. Called by each caller's authentication once the credential checks out.
 */
export function bindTenant<E extends TenantEnv>(c: Context<E>, tenant: Tenant): Services {
  const logger = c.get("logger");
  const services = createServices(c.env, { tenant, settings: c.get("settings"), logger });
  c.set("tenant", tenant);
  c.set("services", services);
  setRequestTenant(c, tenant.id);
  const meta = c.get("requestMeta");
  if (meta) meta.upstream = services.stats;
  return services;
}
