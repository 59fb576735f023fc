import { tenantPrefix } from "../tenants/keys";

/**
 * Deletes a tenant's KV keys (`tenant:<id>:*`) in bounded batches. A request or alarm may make at most
 * 1,000 KV operations, so each call lists and deletes one page and says whether anything is left; the
 * Durable Object's alarm calls it again until done.
 */
export const PURGE_BATCH = 200;

export async function purgeTenantKv(kv: KVNamespace, tenantId: string): Promise<boolean> {
  const page = await kv.list({ prefix: tenantPrefix(tenantId), limit: PURGE_BATCH });
  await Promise.all(page.keys.map((k) => kv.delete(k.name)));
  return page.list_complete && page.keys.length < PURGE_BATCH;
}
