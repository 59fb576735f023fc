import type { Env } from "../env";
import {
  authorize,
  createDeadline,
  createTalemetryClient,
  hostsFromEnv,
  PERSON_INCLUDE,
  type TalemetryClient,
  type TokenSource,
  type UpstreamStats,
} from "../talemetry";
import { decryptTalemetryCredentials } from "../tenants/store";
import type { Tenant } from "../tenants/types";
import type { SyncSource } from "./sync";
import { isUsable, readCachedToken, type TokenRecord, unwrapToken } from "./token-flight";

/** The Talemetry authorization for a tenant's stored credentials (only the tenant's DO calls this). */
export async function authorizeTenant(env: Env, tenant: Tenant): Promise<TokenRecord> {
  const creds = await decryptTalemetryCredentials(tenant, env);
  const auth = await authorize({ hosts: hostsFromEnv(env) }, { clientId: creds.client_id, secretKey: creds.secret_key });
  return { token: auth.token, expiresAt: auth.expiresAt };
}

/**
 * Tokens for a request handled by the Worker: the encrypted KV copy when usable, else the tenant's
 * Durable Object (single-flight). After a 401, the DO is asked with the rejected token.
 */
export function workerTokenSource(env: Env, tenant: Tenant): TokenSource {
  const stub = () => env.TENANT.get(env.TENANT.idFromName(tenant.id));
  const version = tenant.talemetry.credentials_version;
  return {
    async get() {
      const cached = await readCachedToken(env.KV, env.CREDENTIALS_KEY, tenant.id, version);
      if (isUsable(cached)) return cached.token;
      return unwrapToken(await stub().getToken()).token;
    },
    async refresh(rejected) {
      return unwrapToken(await stub().getToken(rejected)).token;
    },
  };
}

/** A Talemetry client for one request: one 10 s deadline over all its upstream attempts. */
export function talemetryForRequest(env: Env, tenant: Tenant, stats?: UpstreamStats): TalemetryClient {
  return createTalemetryClient({
    hosts: hostsFromEnv(env),
    tokens: workerTokenSource(env, tenant),
    defaultRegion: tenant.region,
    deadline: createDeadline(),
    stats,
  });
}

/**
 * A sync step's budget: one Match page, or the detail batches of one page (≤ 10 calls of 50 ids, 4 in
 * flight). Longer than a request's 10 s because nobody waits on it, bounded so a hung upstream
 * cannot stall the alarm.
 */
const SYNC_STEP_DEADLINE_MS = 30_000;

/** The sync loop's view of Talemetry: each upstream step gets its own deadline (a backfill is long). */
export function syncSourceFor(env: Env, tenant: Tenant, getToken: (rejected?: string) => Promise<string>): SyncSource {
  const client = createTalemetryClient({
    hosts: hostsFromEnv(env),
    tokens: { get: () => getToken(), refresh: (rejected) => getToken(rejected) },
    defaultRegion: tenant.region,
  });
  return {
    listIds: (p) =>
      client
        .withDeadline(createDeadline(SYNC_STEP_DEADLINE_MS))
        .listIds({ pageSize: p.pageSize, cursor: p.cursor, event: p.event, from: p.from, to: p.to }),
    fetchProfiles: (ids) => client.withDeadline(createDeadline(SYNC_STEP_DEADLINE_MS)).fetchProfiles(ids, PERSON_INCLUDE),
  };
}
