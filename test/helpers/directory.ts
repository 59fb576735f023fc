// The tenant's Durable Object for tests: a narrow typed stub and a bounded backfill drain.

import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { type TenantDirectoryApi, tenantDirectory } from "../../src/directory/api";

/** The DO methods tests call: the directory's own RPC interface. */
export type TestDirectory = TenantDirectoryApi;

/** The tenant's Durable Object, through the one typed accessor the Worker uses. */
export function directoryOf(tenantId: string): DurableObjectStub & TestDirectory {
  return tenantDirectory(env.TENANT, tenantId) as DurableObjectStub & TestDirectory;
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

/**
 * Requests syncs until `done()` holds (bounded). A sync request joins a run already under way, which may
 * have read Talemetry before the test's change: one request is not proof the change was seen.
 */
export async function syncUntil(tenantId: string, done: () => Promise<boolean>, tries = 6): Promise<void> {
  for (let i = 0; i < tries; i++) {
    await directoryOf(tenantId).requestSync();
    if (await done()) return;
  }
  throw new Error("the change never reached the directory");
}

/** `syncUntil` the candidate's indexed title is `title` (null: until it is gone). */
export function syncUntilTitle(tenantId: string, id: string, title: string | null): Promise<void> {
  return syncUntil(tenantId, async () => {
    const person = await directoryOf(tenantId).getIndexed(id);
    return title === null ? person === null : person?.title === title;
  });
}
