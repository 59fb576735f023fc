/**
 * KV key names and TTLs: the only place they are spelled. Every prefix is documented in
 * docs/storage-schema.md. Keys a tenant owns live under `tenant:<id>:` so the tenant's Durable Object
 * can list and purge them in the background; the lookup records (`apikey:`, `oauthclient:`,
 * `accesstoken:`) are found by hash or client id, so they cannot be under the tenant prefix: the
 * store deletes them itself, and access tokens expire on their own.
 */

/** The tenant record. */
export const tenantKey = (tenantId: string) => `tenant:${tenantId}`;

/** The prefix of every other key the tenant owns (note the trailing colon: `ten_a:` never matches `ten_ab:`). */
export const tenantPrefix = (tenantId: string) => `tenant:${tenantId}:`;

/** A key the tenant owns, e.g. `tenantScopedKey(id, "users")` → `tenant:<id>:users`. */
export const tenantScopedKey = (tenantId: string, ...parts: string[]) => `${tenantPrefix(tenantId)}${parts.join(":")}`;

/** The Talemetry token, AES-GCM sealed; versioned so a credentials change ignores old tokens at once. */
export const talemetryTokenKey = (tenantId: string, credentialsVersion: number) =>
  tenantScopedKey(tenantId, "talemetry-token", `v${credentialsVersion}`);

/** The tenant's search generation (part of every search cache key; bumped when a search answer may change). */
export const searchGenerationKey = (tenantId: string) => tenantScopedKey(tenantId, "search-gen");

/** The cached list of the tenant's Talemetry users. */
export const usersKey = (tenantId: string) => tenantScopedKey(tenantId, "users");

/** Caller email (trimmed, lower-cased) → the Talemetry user it maps to. */
export const userMapKey = (tenantId: string, email: string) => tenantScopedKey(tenantId, "usermap", email.trim().toLowerCase());

/** One entry per live tenant, listed by the cron. */
export const TENANT_INDEX_PREFIX = "tenants-index:";
export const tenantIndexKey = (tenantId: string) => `${TENANT_INDEX_PREFIX}${tenantId}`;

/** API key record, by SHA-256 hex of the key. */
export const apiKeyKey = (keyHash: string) => `apikey:${keyHash}`;

/** OAuth client record, by our client id. */
export const oauthClientKey = (clientId: string) => `oauthclient:${clientId}`;

/** Access token record, by SHA-256 hex of the token. */
export const accessTokenKey = (tokenHash: string) => `accesstoken:${tokenHash}`;

/** Access tokens live one hour (docs/contracts/v1-api.md, "Authentication"). */
export const ACCESS_TOKEN_TTL_SECONDS = 3600;

/** KV refuses `expirationTtl` below 60 s (the local simulator enforces it too). */
export const KV_MIN_EXPIRATION_TTL_SECONDS = 60;

/**
 * Edge cache time for reads of auth records and tenant records. The contract allows revocation to take
 * up to 60 s to reach every location; KV's own edge cache is 60 s by default, and KV refuses less than
 * 30 s (enforced locally). More than 60 would break the contract.
 */
export const AUTH_CACHE_TTL_SECONDS = 60;

/**
 * The window above in two layers on the hot path: the KV read of the auth records is edge-cached for
 * AUTH_KV_CACHE_TTL_SECONDS (KV's minimum), and what it proved is remembered in the isolate for
 * AUTH_MEMO_TTL_SECONDS (src/tenants/auth-memo.ts): together never more than AUTH_CACHE_TTL_SECONDS.
 */
export const AUTH_KV_CACHE_TTL_SECONDS = 30;
export const AUTH_MEMO_TTL_SECONDS = AUTH_CACHE_TTL_SECONDS - AUTH_KV_CACHE_TTL_SECONDS;

/**
 * How long a KV write or delete may take to reach every location (Cloudflare: "up to 60 seconds or
 * more"; the contract's revocation bound). A location may read an auth record just before a delete
 * reaches it and then serve that read from its edge cache for AUTH_CACHE_TTL_SECONDS more.
 */
export const KV_PROPAGATION_SECONDS = 60;
