// The tenant's Durable Object for tests: a narrow typed stub and a bounded backfill drain.

import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { SyncStatus } from "../../src/directory/tenant-directory";
import type { Person } from "../../src/domain/person";
import type { TalkdeskDirectory } from "../../src/talkdesk/upstream";

/** The DO methods tests call, named: the inferred RPC types of the whole class are too deep for tsc. */
export interface TestDirectory extends TalkdeskDirectory {
  syncStatus(): Promise<SyncStatus>;
  requestSync(opts?: { full?: boolean }): Promise<SyncStatus>;
  getIndexed(id: string): Promise<Person | null>;
}

/** The tenant's Durable Object. */
export function directoryOf(tenantId: string): DurableObjectStub & TestDirectory {
  return env.TENANT.get(env.TENANT.idFromName(tenantId)) as never;
}

/**
 * Runs the tenant's alarm until its backfill is done (bounded). A failure count left by earlier failed
 * runs is tolerated for a few runs (the first successful run clears it); a failure that persists throws.
 */
export async function drainBackfill(tenantId: string): Promise<void> {
  const stub = directoryOf(tenantId);
  for (let i = 0; i < 50; i++) {
    const status = await stub.syncStatus();
    if (status.state === "idle" && status.checkpoint !== null) return;
    if (status.state === "failing" && i > 3) throw new Error(`sync failing: ${status.last_error}`);
    await runDurableObjectAlarm(stub);
  }
  throw new Error("backfill did not finish");
}
