/**
 * SQLite schema of the simulator's Durable Objects. One object per account (`idFromName(client_id)`)
 * and one token registry (`idFromName("__registry")`); both are instances of the same class, each
 * creating only its own tables. See sandbox/README.md, "Storage".
 */

export const ACCOUNT_TABLES = [
  // Settings, the seeded flag and the owning client id.
  "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
  // One compact JSON record per candidate (records.ts); deleted candidates stay with deleted_at set,
  // because the Match API still lists them under `created` and `deleted`.
  `CREATE TABLE IF NOT EXISTS candidates (
     id TEXT PRIMARY KEY,
     data TEXT NOT NULL,
     lifecycle TEXT,
     source TEXT,
     created_at INTEGER NOT NULL,
     deleted_at INTEGER
   )`,
  "CREATE INDEX IF NOT EXISTS candidates_by_created ON candidates (created_at, id)",
  // The Match API's event log; the primary key is the keyset order of a listing.
  `CREATE TABLE IF NOT EXISTS events (
     kind TEXT NOT NULL,
     at INTEGER NOT NULL,
     id TEXT NOT NULL,
     PRIMARY KEY (kind, at, id)
   ) WITHOUT ROWID`,
  // Lower-cased emails of current candidates: Talemetry merges by email, so one owner each (409).
  `CREATE TABLE IF NOT EXISTS emails (
     email TEXT NOT NULL,
     id TEXT NOT NULL,
     PRIMARY KEY (email, id)
   ) WITHOUT ROWID`,
  "CREATE INDEX IF NOT EXISTS emails_by_candidate ON emails (id)",
  "CREATE TABLE IF NOT EXISTS tokens (token TEXT PRIMARY KEY, expires_at INTEGER NOT NULL) WITHOUT ROWID",
  "CREATE TABLE IF NOT EXISTS calls (op TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID",
  // Fault rules in order; remaining NULL = unlimited.
  "CREATE TABLE IF NOT EXISTS faults (ord INTEGER PRIMARY KEY, rule TEXT NOT NULL, remaining INTEGER)",
];

export const REGISTRY_TABLES = [
  // token → account. Validity (expiry, revocation) is the account's business; this only routes.
  `CREATE TABLE IF NOT EXISTS registry_tokens (
     token TEXT PRIMARY KEY,
     client_id TEXT NOT NULL,
     expires_at INTEGER NOT NULL
   ) WITHOUT ROWID`,
  "CREATE INDEX IF NOT EXISTS registry_tokens_by_expiry ON registry_tokens (expires_at)",
  // Every account ever used, so a global reset can find them all.
  "CREATE TABLE IF NOT EXISTS registry_accounts (client_id TEXT PRIMARY KEY) WITHOUT ROWID",
];

/** The registry's object name; client ids starting with "__" are refused so none can collide with it. */
export const REGISTRY_NAME = "__registry";
export const RESERVED_PREFIX = "__";
