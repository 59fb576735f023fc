/**
 * How the tenant's Durable Object and the Worker reach Talemetry: the authorization call behind the
 * token single-flight, the Worker's token source (encrypted KV copy, else the Durable Object), and the
 * sync loop's view of the Match and profiles calls.
 */
import type { Env } from "../config/env";
import { talemetryHosts } from "../config/settings";
import { Lru } from "../platform/lru";
import {
  type AttemptGate,
  authorize,
  createDeadline,
  createTalemetryClient,
  PERSON_INCLUDE,
  type TalemetryHosts,
  type TokenSource,
} from "../talemetry";
import { authMemo } from "../tenants/auth-memo";
import { decryptTalemetryCredentials } from "../tenants/store";
import type { Tenant } from "../tenants/types";
import type { TenantDirectoryApi } from "./api";
import type { SyncSource } from "./sync-pipeline";
import { isUsable, readCachedToken, type TokenRecord, unwrapToken } from "./token-flight";

/** The Talemetry authorization for a tenant's stored credentials (only the tenant's DO calls this). */
export async function authorizeTenant(env: Env, tenant: Tenant): Promise<TokenRecord> {
  const creds = await decryptTalemetryCredentials(tenant, env);
  const auth = await authorize({ hosts: talemetryHosts(env) }, { clientId: creds.client_id, secretKey: creds.secret_key });
  return { token: auth.token, expiresAt: auth.expiresAt };
}

/** What the Worker's token source reads: the encrypted KV copy, and the Durable Object behind it. */
export interface WorkerTokenDeps {
  kv: KVNamespace;
  credentialsKey: string;
  tenant: Tenant;
  directory: Pick<TenantDirectoryApi, "getToken">;
}

/**
 * The Talemetry tokens this isolate last used, per tenant and credentials version: a fresh read needs no
 * KV read and no decryption while the token stays usable. Each is reused no longer than the KV read it
 * replaces could be served from KV's edge cache (TOKEN_MEMO_MS, KV's default), nor past its refresh
 * margin; a token Talemetry rejects (401) is replaced by the one the Durable Object answers, a
 * credentials change moves to another key, and a tenant deleted or changed through this isolate is
 * forgotten at once (so a deleted tenant's requests reach its object, which refuses them). A memo of
 * what the object issued, not coordination state.
 */
const tokensInUse = new Lru<string, { record: TokenRecord; until: number }>(1_000);
/** KV's default edge cache time for a read without `cacheTtl` (how stale the read copy may already be). */
const TOKEN_MEMO_MS = 60_000;

authMemo.onForgetTenant((tenantId) => {
  for (const version of tokensInUse.keys()) if (version.startsWith(`${tenantId}:`)) tokensInUse.delete(version);
});

/**
 * Tokens for a request handled by the Worker: the one this isolate last used when still usable, else
 * the encrypted KV copy when usable, else the tenant's Durable Object (single-flight). After a 401, the
 * DO is asked with the rejected token.
 */
export function workerTokenSource({ kv, credentialsKey, tenant, directory }: WorkerTokenDeps): TokenSource {
  const version = tenant.talemetry.credentials_version;
  const key = `${tenant.id}:v${version}`;
  const use = (record: TokenRecord): string => {
    tokensInUse.set(key, { record, until: Date.now() + TOKEN_MEMO_MS });
    return record.token;
  };
  return {
    async get() {
      const known = tokensInUse.get(key);
      if (known && known.until > Date.now() && isUsable(known.record)) return known.record.token;
      const cached = await readCachedToken(kv, credentialsKey, tenant.id, version);
      if (isUsable(cached)) return use(cached);
      return use(unwrapToken(await directory.getToken()));
    },
    async refresh(rejected) {
      return use(unwrapToken(await directory.getToken(rejected)));
    },
  };
}

/**
 * A sync call's budget: one Match page or one profiles call of ≤ 50 ids. Longer than a request's 10 s
 * because nobody waits on it, bounded so a hung upstream cannot stall the alarm. Each call's deadline
 * starts when it gets its slot among the calls in flight (./sync-pipeline.ts), not while it waits.
 */
const SYNC_CALL_DEADLINE_MS = 30_000;

/** The sync loop's view of Talemetry: each call gets its own deadline (a backfill is long). */
export function syncSourceFor(hosts: TalemetryHosts, tenant: Tenant, getToken: (rejected?: string) => Promise<string>): SyncSource {
  const client = createTalemetryClient({
    hosts,
    tokens: { get: () => getToken(), refresh: (rejected) => getToken(rejected) },
    defaultRegion: tenant.region,
  });
  // Each call's own deadline, and the run's admission of its HTTP attempts when it gives one.
  const scoped = (gate?: AttemptGate) => {
    const scopedClient = client.withDeadline(createDeadline(SYNC_CALL_DEADLINE_MS));
    return gate ? scopedClient.withGate(gate) : scopedClient;
  };
  return {
    listIds: (p, gate) =>
      scoped(gate).listIds(
        p.range
          ? { pageSize: p.pageSize, cursor: p.cursor, event: p.range.event, from: p.range.from, to: p.range.to }
          : { pageSize: p.pageSize, cursor: p.cursor },
      ),
    fetchProfiles: (ids, gate) => scoped(gate).fetchProfiles(ids, PERSON_INCLUDE),
    usage: () => ({ calls: client.stats.calls, throttled: client.stats.throttled }),
  };
}
