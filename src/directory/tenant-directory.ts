import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";

export interface SyncStatus {
  state: "idle" | "running" | "backfilling" | "failing";
  indexed: number;
  checkpoint: string | null;
  last_success_at: string | null;
  last_error?: string;
}

/**
 * One instance per tenant (idFromName(tenantId)). Owns everything that must be strongly consistent:
 * the directory index (SQLite), sync cursor and alarm, single-flight Talemetry authorization,
 * idempotency claims and activity records. See ../shared/design/ARCHITECTURE.md.
 */
export class TenantDirectory extends DurableObject<Env> {
  /** Called once when the tenant is created: remembers its id and starts the backfill. */
  async init(tenantId: string): Promise<void> {
    await this.ctx.storage.put("tenant_id", tenantId);
  }

  async syncStatus(): Promise<SyncStatus> {
    return { state: "idle", indexed: 0, checkpoint: null, last_success_at: null };
  }

  /** Runs an incremental sync now (`full`: re-read everything). */
  async requestSync(_opts: { full?: boolean } = {}): Promise<SyncStatus> {
    return this.syncStatus();
  }

  /** Deletes everything this tenant owns, in the background (alarm), KV keys included. */
  async purge(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }
}
