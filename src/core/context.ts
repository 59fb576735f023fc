/**
 * Hono env types of the bridge: the variables every request has, and those of requests acting for a
 * tenant (`/v1` and `/talkdesk`), whose `services` are built once by `bindTenant` (core/services.ts).
 */
import type { Env } from "../config/env";
import type { Settings } from "../config/settings";
import type { PlatformVariables } from "../platform/context";
import type { Tenant } from "../tenants/types";
import type { Services } from "./services";

/** Context variables of every request: the platform's, with the full settings. */
export interface AppVariables extends PlatformVariables {
  settings: Settings;
}

/** Context variables of routes behind tenant authentication. */
export interface TenantVariables extends AppVariables {
  tenant: Tenant;
  /** What the request may use beyond itself: Talemetry, the tenant's directory, KV, the logger. */
  services: Services;
  /** The tenant's search generation, read with the auth records (see v1 `tenantAuth`). */
  searchGeneration: string;
}

/** Hono env type of the bridge app and of sub-apps that need no tenant. */
export type AppEnv = { Bindings: Env; Variables: AppVariables };

/** Hono env type of sub-apps mounted behind tenant authentication. */
export type TenantEnv = { Bindings: Env; Variables: TenantVariables };
