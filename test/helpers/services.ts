// The per-request services object for tests that call core functions or Talemetry directly, built as the
// tenant middleware builds it (src/core/services.ts).
import { env } from "cloudflare:workers";
import { loadSettings } from "../../src/config/settings";
import { createServices, type Services } from "../../src/core/services";
import { createLogger } from "../../src/platform/logger";
import type { Tenant } from "../../src/tenants/types";

/** A fresh request's services for `tenant` (its own 10 s upstream deadline and counters). */
export function servicesFor(tenant: Tenant): Services {
  return createServices(env, { tenant, settings: loadSettings(env), logger: createLogger({ level: "error" }) });
}
