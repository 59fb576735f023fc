import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";

/**
 * One instance per tenant (idFromName(tenantId)). Owns everything that must be strongly consistent:
 * the directory index (SQLite), sync cursor and alarm, single-flight Talemetry authorization,
 * idempotency claims and activity records. See ../../../shared/design/ARCHITECTURE.md.
 */
export class TenantDirectory extends DurableObject<Env> {
  async ping(): Promise<string> {
    return "pong";
  }
}
