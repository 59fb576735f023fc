import type { Context } from "hono";
import type { Env } from "../env";
import type { Deadline } from "../talemetry/transport";
import type { Tenant } from "../tenants/types";
import type { Logger } from "./logger";

/**
 * Per-request facts the request log line reports. A plain object on the context (not module state:
 * production runs many isolates and many requests per isolate). Mutable on purpose: the Talemetry
 * adapter increments `upstreamCalls`, authentication fills `tenantId`.
 */
export interface RequestMeta {
  /** Calls made to Talemetry on behalf of this request (retries included). */
  upstreamCalls: number;
  /** The tenant the request acts for, once known. */
  tenantId: string | null;
  /**
   * The request's one Talemetry deadline (10 s over every upstream attempt of the request), started by
   * its first upstream work (`requestDeadline` in src/talentlynk/upstream-stats.ts).
   */
  upstreamDeadline?: Deadline;
}

/** Context variables every request has (set by the request-id and logging middleware). */
export interface AppVariables {
  requestId: string;
  logger: Logger;
  requestMeta: RequestMeta;
}

/** Context variables of routes behind tenant authentication (`/v1`, `/talkdesk`). */
export interface TenantVariables extends AppVariables {
  tenant: Tenant;
  /** The tenant's search generation, read with the auth records (see tenantAuth). */
  searchGeneration: string;
}

/** Hono env type of the bridge app and of sub-apps that need no tenant. */
export type AppEnv = { Bindings: Env; Variables: AppVariables };

/** Hono env type of sub-apps mounted behind tenant authentication. */
export type TenantEnv = { Bindings: Env; Variables: TenantVariables };

/** Fresh request facts; the logging middleware puts one on every request. */
export function newRequestMeta(): RequestMeta {
  return { upstreamCalls: 0, tenantId: null };
}

/**
 * Counts `n` Talemetry calls made for this request (reported as `upstream_calls` in the request log).
 * Safe to call on contexts without the logging middleware (for example in unit tests): it then does nothing.
 */
export function countUpstreamCall(c: Context, n = 1): void {
  const meta = c.get("requestMeta") as RequestMeta | undefined;
  if (meta) meta.upstreamCalls += n;
}

/** Records which tenant the request acts for, for the request log line. */
export function setRequestTenant(c: Context, tenantId: string): void {
  const meta = c.get("requestMeta") as RequestMeta | undefined;
  if (meta) meta.tenantId = tenantId;
}
