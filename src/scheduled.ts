import type { Env } from "./config/env";
import { tenantDirectory } from "./directory/api";
import { listTenantIds } from "./tenants/store";

/**
 * Cron safety net: every tenant's Durable Object keeps its own sync alarm, but an alarm can be lost
 * (e.g. a deploy that deleted it, or a failure before it was re-armed). This re-arms any that is missing.
 */
export async function rearmSyncAlarms(env: Env): Promise<{ tenants: number; rearmed: number }> {
  const ids = await listTenantIds(env);
  let rearmed = 0;
  for (const id of ids) {
    if (await tenantDirectory(env.TENANT, id).ensureScheduled(id)) rearmed++;
  }
  return { tenants: ids.length, rearmed };
}
