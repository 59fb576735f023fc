/**
 * Records as stored in KV (see docs/storage-schema.md). None holds a plaintext secret: the Talemetry
 * secret key is AES-GCM encrypted, issued keys appear only as SHA-256 hashes.
 */

/** A tenant's change to one activity type: rename a built-in, add a new one (name required), or hide one. */
export interface ActivityTypeOverride {
  name?: string;
  hidden?: boolean;
}

/** Per-tenant settings. `null` means "not set": the deployment default applies. */
export interface TenantSettings {
  /** Author of notes written without a user (docs/contracts/v1-api.md, "Activities"). */
  default_author_email: string | null;
  /** Overrides of the built-in activity types, by type id. */
  activity_types: Record<string, ActivityTypeOverride>;
  /** The type of an activity created without one; null → `note`. Always one of the tenant's visible types. */
  default_activity_type: string | null;
  /** Link to a candidate in Talemetry; `{id}` is replaced by the candidate id. */
  candidate_url_template: string | null;
  /** Directory sync interval; null → SYNC_INTERVAL_SECONDS. */
  sync_interval_seconds: number | null;
  /** Talemetry calls a sync run keeps in flight (1–4); null → 4. A `429` halves it for the rest of the pass. */
  talemetry_concurrency: number | null;
  /** Time between reconcile passes; null → weekly (daily for an account without the changes feed). */
  reconcile_interval_seconds: number | null;
  /** Where the tenant's Durable Object is created (a Cloudflare location hint); null → from `region`. */
  location_hint: LocationHint | null;
}

/** Cloudflare's Durable Object location hints (see src/tenants/location.ts). */
export type LocationHint = "wnam" | "enam" | "sam" | "weur" | "eeur" | "apac" | "oc" | "afr" | "me";

/**
 * The stored tenant configuration (`tenant:<id>`). Key material lives in the separate credential record
 * (`CredentialRecord`), so that an operator's PATCH (read-modify-write, last writer wins: KV has no
 * compare-and-set) can never undo a concurrent key rotation.
 */
export interface Tenant {
  id: string;
  name: string;
  /** ISO 3166-1 alpha-2: the default region for phone numbers without a country. */
  region: string;
  settings: TenantSettings;
  talemetry: {
    client_id: string;
    /** `encryptSecret` envelope of the Talemetry secret key, bound to the tenant id. */
    secret_key_encrypted: string;
    /**
     * Bumped whenever the Talemetry credentials change, so caches of Talemetry tokens (keyed by it)
     * stop being used for the old credentials.
     */
    credentials_version: number;
  };
  /** Our OAuth client id for this tenant (not secret; never changes, names the credential record). */
  oauth_client_id: string;
  /**
   * The location hint its Durable Object was created with (src/tenants/location.ts), fixed at creation:
   * an object never moves. Absent on tenants created before hints existed.
   */
  location_hint?: LocationHint | null;
  created_at: string;
  updated_at: string;
}

/**
 * The tenant's current key material (`oauthclient:<client_id>`): the single source of truth for which
 * API key, client secret and access tokens are valid. Written only by create, rotate and delete.
 */
export interface CredentialRecord {
  tenant_id: string;
  /** SHA-256 hex of the current client secret. */
  secret_hash: string;
  /** SHA-256 hex of the current API key: the one key that resolves to this tenant. */
  api_key_hash: string;
  /** Bumped by every rotation; access tokens issued under another version are refused. */
  key_version: number;
  rotated_at: string;
}

/** `apikey:<sha256>`: finds the tenant of an API key; valid only while the credential record names the hash. */
export interface ApiKeyRecord {
  tenant_id: string;
  client_id: string;
  key_version: number;
}

/** `accesstoken:<sha256>`: an issued access token; valid only under the credential record's current key_version. */
export interface AccessTokenRecord {
  tenant_id: string;
  client_id: string;
  key_version: number;
  /** Unix seconds; checked as well as the KV expiration, because edge caches may serve a record briefly past it. */
  expires_at: number;
}

/** A change to one activity type override; `null` removes the field (or, for the whole entry, the override). */
export interface ActivityTypeOverridePatch {
  name?: string | null;
  hidden?: boolean | null;
}

/** A settings change, applied as a JSON merge patch (RFC 7396): a given value replaces, `null` resets. */
export interface TenantSettingsPatch {
  default_author_email?: string | null;
  activity_types?: Record<string, ActivityTypeOverridePatch | null>;
  default_activity_type?: string | null;
  candidate_url_template?: string | null;
  sync_interval_seconds?: number | null;
  talemetry_concurrency?: number | null;
  reconcile_interval_seconds?: number | null;
  location_hint?: LocationHint | null;
}

/** Talemetry API credentials as given by an operator. */
export interface TalemetryCredentials {
  client_id: string;
  secret_key: string;
}

/** What creating a tenant takes. */
export interface NewTenant {
  name: string;
  region: string;
  talemetry: TalemetryCredentials;
  settings?: TenantSettingsPatch;
}

/** What an operator may change on a tenant. */
export interface TenantPatch {
  name?: string;
  region?: string;
  talemetry?: TalemetryCredentials;
  settings?: TenantSettingsPatch;
}

/** Secrets issued when a tenant is created; shown once, stored only as hashes. */
export interface IssuedCredentials {
  api_key: string;
  client_id: string;
  client_secret: string;
}

/** The tenant as operators see it: no secrets, no hashes. */
export interface TenantView {
  id: string;
  name: string;
  region: string;
  client_id: string;
  key_version: number;
  talemetry: { client_id: string; credentials_version: number };
  settings: TenantSettings;
  /** Where its Durable Object was created (null: no hint, or created before hints existed). */
  location_hint: LocationHint | null;
  created_at: string;
  updated_at: string;
}
