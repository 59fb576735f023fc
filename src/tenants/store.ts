/**
 * Tenants, their issued credentials and access tokens, in KV (docs/storage-schema.md).
 *
 * KV trade-offs that shape this file:
 * - No compare-and-set: tenant config (PATCH, read-modify-write, last writer wins) and key material
 *   (rotation) live in separate records, so neither can undo the other. Two rotations of one tenant at
 *   the same instant both answer, and only the last written key set works.
 * - Writes take up to 60 s to reach other locations; auth reads use `cacheTtl` ≤ 60 s, which the
 *   contract allows for revocation. Deletions are visible at once in the location that made them.
 * - At most 1,000 operations per request: nothing here lists a tenant's keys; the tenant's Durable
 *   Object purges `tenant:<id>:*` in the background.
 */
import type { Env } from "../config/env";
import { loadSettings, type Settings } from "../config/settings";
import { tenantDirectory } from "../directory/api";
import { bumpSearchGeneration } from "../directory/search-cache";
import { decryptSecret, encryptSecret, randomHex, randomSecret, sha256Hex, timingSafeEqualStrings } from "../platform/crypto";
import { AppError } from "../platform/errors";
import { authMemo } from "./auth-memo";
import {
  ACCESS_TOKEN_TTL_SECONDS,
  AUTH_CACHE_TTL_SECONDS,
  AUTH_KV_CACHE_TTL_SECONDS,
  AUTH_MEMO_TTL_SECONDS,
  accessTokenKey,
  apiKeyKey,
  KV_MIN_EXPIRATION_TTL_SECONDS,
  oauthClientKey,
  TENANT_INDEX_PREFIX,
  tenantIndexKey,
  tenantKey,
} from "./keys";
import { tenantLocationHint } from "./location";
import { applySettingsPatch, DEFAULT_SETTINGS, withDefaultSettings } from "./settings";
import type {
  AccessTokenRecord,
  ApiKeyRecord,
  CredentialRecord,
  IssuedCredentials,
  NewTenant,
  TalemetryCredentials,
  Tenant,
  TenantPatch,
  TenantView,
} from "./types";

/** Prefix of client secrets. */
export const CLIENT_SECRET_PREFIX = "tlk_cs_";
/** Prefix of access tokens (lets `/v1` auth tell them from API keys without a second lookup). */
export const ACCESS_TOKEN_PREFIX = "tlk_at_";
/** Prefix of our OAuth client ids (not secret). */
export const CLIENT_ID_PREFIX = "tlk_ci_";

/** Shape of anything we issue: prefix, then base64url. Other strings are refused without a KV read. */
const ISSUED_SECRET = /^tlk_[a-z]+_[A-Za-z0-9_-]{20,128}$/;
const CLIENT_ID = /^tlk_ci_[0-9a-f]{32}$/;
const TENANT_ID = /^ten_[0-9a-f]{24}$/;

/** API keys say which world they belong to (like Stripe's live/test keys): production issues `tlk_live_`. */
export function apiKeyPrefix(environment: Settings["environment"]): string {
  return environment === "production" ? "tlk_live_" : "tlk_test_";
}

/**
 * An API key names where its records are: `tlk_test_<tenant hex><client hex>_<256-bit secret>`. The ids
 * are not secret; naming them lets authentication read the tenant and its credential record in ONE
 * bulk KV get (every /v1 and Talkdesk request pays for authentication), instead of first looking the
 * key's hash up. The secret part alone carries the entropy; the whole key's hash must equal the one the
 * credential record holds.
 */
const LOCATED_API_KEY = /^tlk_(?:live|test)_([0-9a-f]{24})([0-9a-f]{32})_[A-Za-z0-9_-]{43}$/;

function newApiKey(env: Env, tenantId: string, clientId: string): string {
  const locator = `${tenantId.slice("ten_".length)}${clientId.slice(CLIENT_ID_PREFIX.length)}_`;
  return randomSecret(apiKeyPrefix(loadSettings(env).environment) + locator);
}

/** The tenant's Durable Object (owned by the directory module), created near the tenant's callers. */
function directory(env: Env, tenant: Pick<Tenant, "id" | "location_hint">) {
  return tenantDirectory(env.TENANT, tenant);
}

/** Binds the encrypted Talemetry secret to its tenant (AES-GCM additional data). */
const talemetrySecretContext = (tenantId: string) => `talemetry-secret:${tenantId}`;

/**
 * KV allows one write per second per key; beyond that `put` throws. That is the caller writing too fast,
 * so it becomes a retryable 429 (as cloudflare/workers-oauth-provider does), not a 500.
 */
async function kvPut(env: Env, key: string, value: string, options?: KVNamespacePutOptions): Promise<void> {
  try {
    await env.KV.put(key, value, options);
  } catch (err) {
    if (/\b429\b|too many requests/i.test(err instanceof Error ? err.message : String(err))) {
      throw new AppError("rate_limited", "Too many changes to this record at once; retry shortly.", { retryAfter: 1, cause: err });
    }
    throw err;
  }
}

async function kvGetJson<T>(env: Env, key: string, cached: boolean): Promise<T | null> {
  return env.KV.get<T>(key, cached ? { type: "json", cacheTtl: AUTH_CACHE_TTL_SECONDS } : { type: "json" });
}

function nowIso(): string {
  return new Date().toISOString();
}

/**
 * Creates a tenant: config, credential record, API key record, cron index entry; then its Durable
 * Object's `init` (which starts the directory backfill). If `init` fails, the records are removed again
 * so no half-made tenant holds working keys. Secrets are returned once and stored only hashed/encrypted.
 */
export async function createTenant(env: Env, input: NewTenant): Promise<{ tenant: Tenant; credentials: IssuedCredentials }> {
  const id = `ten_${randomHex(12)}`;
  const now = nowIso();
  const clientId = `${CLIENT_ID_PREFIX}${randomHex(16)}`;
  const credentials: IssuedCredentials = {
    api_key: newApiKey(env, id, clientId),
    client_id: clientId,
    client_secret: randomSecret(CLIENT_SECRET_PREFIX),
  };
  const settings = applySettingsPatch(DEFAULT_SETTINGS, input.settings ?? {});
  const tenant: Tenant = {
    id,
    name: input.name,
    region: input.region,
    settings,
    talemetry: {
      client_id: input.talemetry.client_id,
      secret_key_encrypted: await encryptSecret(input.talemetry.secret_key, env.CREDENTIALS_KEY, talemetrySecretContext(id)),
      credentials_version: 1,
    },
    oauth_client_id: credentials.client_id,
    location_hint: tenantLocationHint({ region: input.region, settings }),
    created_at: now,
    updated_at: now,
  };
  const [apiKeyHash, secretHash] = await Promise.all([sha256Hex(credentials.api_key), sha256Hex(credentials.client_secret)]);
  const credentialRecord: CredentialRecord = {
    tenant_id: id,
    secret_hash: secretHash,
    api_key_hash: apiKeyHash,
    key_version: 1,
    rotated_at: now,
  };
  const apiKeyRecord: ApiKeyRecord = { tenant_id: id, client_id: credentials.client_id, key_version: 1 };
  // Config first: a lookup record that resolves must always find its tenant.
  await kvPut(env, tenantKey(id), JSON.stringify(tenant));
  await Promise.all([
    kvPut(env, oauthClientKey(credentials.client_id), JSON.stringify(credentialRecord)),
    kvPut(env, apiKeyKey(apiKeyHash), JSON.stringify(apiKeyRecord)),
    kvPut(env, tenantIndexKey(id), "", { metadata: { created_at: now } }),
  ]);
  try {
    await directory(env, tenant).init(id);
  } catch (err) {
    await Promise.allSettled([
      env.KV.delete(oauthClientKey(credentials.client_id)),
      env.KV.delete(apiKeyKey(apiKeyHash)),
      env.KV.delete(tenantIndexKey(id)),
      env.KV.delete(tenantKey(id)),
    ]);
    throw err;
  }
  return { tenant, credentials };
}

/**
 * Reads a tenant. `cached: true` lets the edge serve it for up to AUTH_CACHE_TTL_SECONDS (hot paths);
 * admin reads are uncached so an operator sees their own change.
 */
export async function getTenant(env: Env, id: string, opts: { cached?: boolean } = {}): Promise<Tenant | null> {
  if (!TENANT_ID.test(id)) return null;
  return kvGetJson<Tenant>(env, tenantKey(id), opts.cached ?? false);
}

/** The tenant's credential record (key version, hashes), uncached. */
export async function getCredentialRecord(env: Env, tenant: Pick<Tenant, "oauth_client_id">): Promise<CredentialRecord | null> {
  return kvGetJson<CredentialRecord>(env, oauthClientKey(tenant.oauth_client_id), false);
}

/**
 * Changes name, region, Talemetry credentials (re-encrypted; `credentials_version` bumped) and settings
 * (JSON merge patch, see `applySettingsPatch`). Returns null for an unknown tenant. Last writer wins.
 */
export async function patchTenant(env: Env, id: string, patch: TenantPatch): Promise<Tenant | null> {
  const current = await getTenant(env, id);
  if (!current) return null;
  const next: Tenant = { ...current, talemetry: { ...current.talemetry }, updated_at: nowIso() };
  if (patch.name !== undefined) next.name = patch.name;
  if (patch.region !== undefined) next.region = patch.region;
  if (patch.settings !== undefined) {
    const hint = patch.settings.location_hint;
    if (hint !== undefined && hint !== (current.settings.location_hint ?? null)) {
      // An object never moves (Cloudflare, "Data location"): a new hint could only mislead.
      throw new AppError("invalid", "The settings are invalid.", {
        errors: [
          {
            field: "settings.location_hint",
            message: `Fixed when the tenant was created: its directory lives at ${current.location_hint ?? "Cloudflare's choice (no hint)"}.`,
          },
        ],
      });
    }
    next.settings = applySettingsPatch(current.settings, patch.settings);
  }
  if (patch.talemetry !== undefined) {
    next.talemetry = {
      client_id: patch.talemetry.client_id,
      secret_key_encrypted: await encryptSecret(patch.talemetry.secret_key, env.CREDENTIALS_KEY, talemetrySecretContext(id)),
      credentials_version: current.talemetry.credentials_version + 1,
    };
  }
  await kvPut(env, tenantKey(id), JSON.stringify(next));
  // This isolate's requests see the change at once (others within the auth cache window).
  authMemo.forgetTenant(id);
  // Search answers show `url` (the template, applied at read time): cached ones must not outlive it.
  if (next.settings.candidate_url_template !== current.settings.candidate_url_template) await bumpSearchGeneration(env.KV, id);
  return next;
}

/**
 * Deletes a tenant. Its keys stop working at once (in this location; elsewhere within KV's propagation):
 * the credential record, API key record and cron index entry go first, then the Durable Object's
 * `purge()` starts the background clean-up of the directory and `tenant:<id>:*`, and the config goes
 * last, so a failed delete can simply be retried. Returns false for an unknown tenant.
 */
export async function deleteTenant(env: Env, id: string): Promise<boolean> {
  const tenant = await getTenant(env, id);
  if (!tenant) return false;
  const credential = await getCredentialRecord(env, tenant);
  await Promise.all([
    env.KV.delete(oauthClientKey(tenant.oauth_client_id)),
    credential ? env.KV.delete(apiKeyKey(credential.api_key_hash)) : Promise.resolve(),
    env.KV.delete(tenantIndexKey(id)),
  ]);
  authMemo.forgetTenant(id);
  await directory(env, tenant).purge(id);
  await env.KV.delete(tenantKey(id));
  return true;
}

/**
 * Issues a new API key and client secret (client id unchanged) and bumps `key_version`, so the old key,
 * old secret and every access token issued before stop working. Returns null for an unknown tenant.
 */
export async function rotateTenantKeys(env: Env, id: string): Promise<{ api_key: string; client_secret: string } | null> {
  const tenant = await getTenant(env, id);
  if (!tenant) return null;
  const current = await getCredentialRecord(env, tenant);
  if (!current) return null;
  const api_key = newApiKey(env, id, tenant.oauth_client_id);
  const client_secret = randomSecret(CLIENT_SECRET_PREFIX);
  const [apiKeyHash, secretHash] = await Promise.all([sha256Hex(api_key), sha256Hex(client_secret)]);
  const keyVersion = current.key_version + 1;
  const apiKeyRecord: ApiKeyRecord = { tenant_id: id, client_id: tenant.oauth_client_id, key_version: keyVersion };
  const next: CredentialRecord = {
    tenant_id: id,
    secret_hash: secretHash,
    api_key_hash: apiKeyHash,
    key_version: keyVersion,
    rotated_at: nowIso(),
  };
  // New key record first (inert until the credential record names it), then the switch, then clean-up.
  await kvPut(env, apiKeyKey(apiKeyHash), JSON.stringify(apiKeyRecord));
  await kvPut(env, oauthClientKey(tenant.oauth_client_id), JSON.stringify(next));
  authMemo.forgetTenant(id);
  await env.KV.delete(apiKeyKey(current.api_key_hash));
  return { api_key, client_secret };
}

/** The tenant's Talemetry credentials in clear, for the adapter. Never log or return them. */
export async function decryptTalemetryCredentials(tenant: Tenant, env: Env): Promise<TalemetryCredentials> {
  return {
    client_id: tenant.talemetry.client_id,
    secret_key: await decryptSecret(tenant.talemetry.secret_key_encrypted, env.CREDENTIALS_KEY, talemetrySecretContext(tenant.id)),
  };
}

/**
 * Extra tenant-scoped keys a hot path wants read in the same KV round trip as the auth records (e.g.
 * search reads its generation this way): named once the tenant id is known, values left in `values`.
 */
export interface RideAlong {
  keysFor(tenantId: string): string[];
  values: Map<string, string | null>;
  /** How stale the ride-along values may be (s); the bulk get uses the stricter of this and the auth TTL. */
  cacheTtl: number;
  /** How long this isolate may reuse them after reading (s; see src/tenants/auth-memo.ts). */
  memoTtl: number;
}

/**
 * A credential this isolate proved recently (src/tenants/auth-memo.ts): its tenant, and the ride-along
 * values filled in; null when it must be read from KV.
 */
function memoized(credentialHash: string, ride?: RideAlong): Tenant | null {
  const hit = authMemo.get(credentialHash, (tenantId) => ride?.keysFor(tenantId) ?? []);
  if (!hit) return null;
  for (const [key, value] of hit.rides) ride?.values.set(key, value);
  return hit.tenant;
}

/** Remembers a credential this request proved, for AUTH_MEMO_TTL_SECONDS or `ttlSeconds` if shorter. */
function remember(credentialHash: string, tenant: Tenant, ride?: RideAlong, ttlSeconds = AUTH_MEMO_TTL_SECONDS): Tenant {
  const rides = new Map<string, string | null>();
  for (const key of ride?.keysFor(tenant.id) ?? []) rides.set(key, ride?.values.get(key) ?? null);
  authMemo.set(credentialHash, tenant, Math.min(AUTH_MEMO_TTL_SECONDS, ttlSeconds), rides, ride?.memoTtl ?? 0);
  return tenant;
}

/**
 * Reads the tenant and its credential record together — the two facts every auth check needs — in one
 * edge-cached bulk get, with any ride-along keys.
 */
async function tenantWithCredentials(
  env: Env,
  tenantId: string,
  clientId: string,
  ride?: RideAlong,
): Promise<[Tenant | null, CredentialRecord | null]> {
  if (!TENANT_ID.test(tenantId)) return [null, null];
  const keys = [tenantKey(tenantId), oauthClientKey(clientId), ...(ride?.keysFor(tenantId) ?? [])];
  // KV's minimum edge cache: what it proves is then remembered in the isolate (AUTH_MEMO_TTL_SECONDS).
  const cacheTtl = Math.min(AUTH_KV_CACHE_TTL_SECONDS, ride?.cacheTtl ?? AUTH_KV_CACHE_TTL_SECONDS);
  const values = await env.KV.get(keys, { type: "text", cacheTtl });
  for (const key of keys.slice(2)) ride?.values.set(key, values.get(key) ?? null);
  const parse = <T>(text: string | null | undefined): T | null => (text ? (JSON.parse(text) as T) : null);
  return [parse<Tenant>(values.get(keys[0])), parse<CredentialRecord>(values.get(keys[1]))];
}

/** The tenant an API key belongs to, or null when the key is unknown, rotated away or its tenant deleted. */
export async function resolveApiKey(env: Env, apiKey: string, ride?: RideAlong): Promise<Tenant | null> {
  if (!ISSUED_SECRET.test(apiKey) || apiKey.startsWith(ACCESS_TOKEN_PREFIX) || apiKey.startsWith(CLIENT_SECRET_PREFIX)) return null;
  const hash = await sha256Hex(apiKey);
  const memo = memoized(`key:${hash}`, ride);
  if (memo) return memo;
  const located = LOCATED_API_KEY.exec(apiKey);
  if (located) {
    const clientId = `${CLIENT_ID_PREFIX}${located[2]}`;
    const [tenant, credential] = await tenantWithCredentials(env, `ten_${located[1]}`, clientId, ride);
    if (!tenant || !credential || credential.tenant_id !== tenant.id || tenant.oauth_client_id !== clientId) return null;
    return (await timingSafeEqualStrings(credential.api_key_hash, hash)) ? remember(`key:${hash}`, tenant, ride) : null;
  }
  const record = await kvGetJson<ApiKeyRecord>(env, apiKeyKey(hash), true);
  if (!record) return null;
  const [tenant, credential] = await tenantWithCredentials(env, record.tenant_id, record.client_id, ride);
  if (!tenant || !credential || credential.tenant_id !== tenant.id) return null;
  // The credential record names the one current key: a key record left behind by a rotation never counts.
  return (await timingSafeEqualStrings(credential.api_key_hash, hash)) ? remember(`key:${hash}`, tenant, ride) : null;
}

/**
 * The credential record of an OAuth client id we issued (edge-cached like every auth read), or null. Lets
 * the token endpoint pick its budget (per client, or per IP for unknown clients) before the secret check.
 */
export async function findOAuthClient(env: Env, clientId: string): Promise<CredentialRecord | null> {
  return CLIENT_ID.test(clientId) ? kvGetJson<CredentialRecord>(env, oauthClientKey(clientId), true) : null;
}

/**
 * Checks OAuth client credentials (RFC 6749 §2.3.1) and returns the tenant, or null. An unknown client
 * id costs the same hashing as a wrong secret, so timing does not reveal which client ids exist.
 * `client`: the record `findOAuthClient` already read for this id (else it is read here).
 */
export async function verifyClientCredentials(
  env: Env,
  clientId: string,
  clientSecret: string,
  client?: CredentialRecord | null,
): Promise<Tenant | null> {
  const secretHash = await sha256Hex(clientSecret);
  const record = client !== undefined ? client : await findOAuthClient(env, clientId);
  const matches = await timingSafeEqualStrings(record?.secret_hash ?? "", secretHash);
  if (!record || !matches) return null;
  const tenant = await getTenant(env, record.tenant_id, { cached: true });
  return tenant && tenant.oauth_client_id === clientId ? tenant : null;
}

/**
 * Issues a one-hour access token for the tenant, under its current key version. Stored only as a hash,
 * with a KV expiration so it disappears by itself.
 */
export async function issueAccessToken(env: Env, tenant: Tenant): Promise<{ access_token: string; expires_in: number }> {
  const credential = await getCredentialRecord(env, tenant);
  if (!credential) throw new AppError("unauthorized", "The client is no longer registered.");
  const access_token = randomSecret(ACCESS_TOKEN_PREFIX);
  const record: AccessTokenRecord = {
    tenant_id: tenant.id,
    client_id: tenant.oauth_client_id,
    key_version: credential.key_version,
    expires_at: Math.floor(Date.now() / 1000) + ACCESS_TOKEN_TTL_SECONDS,
  };
  await kvPut(env, accessTokenKey(await sha256Hex(access_token)), JSON.stringify(record), {
    expirationTtl: Math.max(ACCESS_TOKEN_TTL_SECONDS, KV_MIN_EXPIRATION_TTL_SECONDS),
  });
  return { access_token, expires_in: ACCESS_TOKEN_TTL_SECONDS };
}

/** The tenant of a valid access token, or null when unknown, expired, issued before a rotation, or its tenant deleted. */
export async function resolveAccessToken(env: Env, token: string, ride?: RideAlong): Promise<Tenant | null> {
  if (!token.startsWith(ACCESS_TOKEN_PREFIX) || !ISSUED_SECRET.test(token)) return null;
  const hash = await sha256Hex(token);
  const memo = memoized(`token:${hash}`, ride);
  if (memo) return memo;
  const record = await kvGetJson<AccessTokenRecord>(env, accessTokenKey(hash), true);
  const left = (record?.expires_at ?? 0) - Date.now() / 1000;
  if (!record || left <= 0) return null;
  const [tenant, credential] = await tenantWithCredentials(env, record.tenant_id, record.client_id, ride);
  if (!tenant || !credential || credential.tenant_id !== tenant.id) return null;
  // Remembered no longer than the token lives.
  return credential.key_version === record.key_version ? remember(`token:${hash}`, tenant, ride, left) : null;
}

/** Ids of all live tenants (for the cron), from the `tenants-index:` entries, following KV's list cursor. */
export async function listTenantIds(env: Env): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page: KVNamespaceListResult<unknown, string> = await env.KV.list({ prefix: TENANT_INDEX_PREFIX, cursor });
    for (const key of page.keys) ids.push(key.name.slice(TENANT_INDEX_PREFIX.length));
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return ids;
}

/** The tenant as operators see it: no secrets, no hashes. */
export function tenantView(tenant: Tenant, credential: Pick<CredentialRecord, "key_version"> | null): TenantView {
  return {
    id: tenant.id,
    name: tenant.name,
    region: tenant.region,
    client_id: tenant.oauth_client_id,
    key_version: credential?.key_version ?? 0,
    talemetry: { client_id: tenant.talemetry.client_id, credentials_version: tenant.talemetry.credentials_version },
    settings: withDefaultSettings(tenant.settings),
    location_hint: tenant.location_hint ?? null,
    created_at: tenant.created_at,
    updated_at: tenant.updated_at,
  };
}
