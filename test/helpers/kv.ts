// Everything in the bridge's KV namespace as text, for tests that look for what must never be stored.
import { env } from "cloudflare:workers";

/** Every key, value and metadata of the KV namespace, following list cursors. */
export async function dumpKv(): Promise<string[]> {
  const dump: string[] = [];
  let cursor: string | undefined;
  do {
    const page: KVNamespaceListResult<unknown, string> = await env.KV.list({ cursor });
    for (const key of page.keys) dump.push(key.name, (await env.KV.get(key.name)) ?? "", JSON.stringify(key.metadata ?? null));
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return dump;
}
