/**
 * SQLite schema of the simulator's Durable Objects. One object per account (`idFromName(client_id)`)
 * and one token registry (`idFromName("__registry")`); both are instances of the same class, each
 * creating only its own tables. See sandbox/README.md, "Storage".
 */

/** Bumped when the account tables change shape; an account stored under another version is rebuilt. */
export const ACCOUNT_SCHEMA_VERSION = "2";

// Settings, the seed configuration, the schema version and the owning client id.
export const META_TABLE = "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)";

/** The tables of candidate data: dropped and recreated when the schema version changes. */
export const CANDIDATE_TABLE_NAMES = ["candidates", "events", "emails"];

export const ACCOUNT_TABLES = [
  META_TABLE,
  // Stored candidates only: created through the API or control routes, the demo candidates, and
  // overrides of derived (seeded) candidates that were changed or deleted — `idx` is then the derived
  // index (seed-plan.ts), NULL otherwise. One compact JSON record each (records.ts); deleted candidates
  // stay with deleted_at set, because the Match API still lists them under `created` and `deleted`.
  `CREATE TABLE IF NOT EXISTS candidates (
     id TEXT PRIMARY KEY,
     data TEXT NOT NULL,
     lifecycle TEXT,
     source TEXT,
     created_at INTEGER NOT NULL,
     deleted_at INTEGER,
     idx INTEGER
   )`,
  "CREATE INDEX IF NOT EXISTS candidates_by_created ON candidates (created_at, id)",
  "CREATE INDEX IF NOT EXISTS candidates_by_idx ON candidates (idx) WHERE idx IS NOT NULL",
  // The stored part of the Match API's event log (derived candidates' seeded events are not stored);
  // the primary key is the keyset order of a listing.
  `CREATE TABLE IF NOT EXISTS events (
     kind TEXT NOT NULL,
     at INTEGER NOT NULL,
     id TEXT NOT NULL,
     PRIMARY KEY (kind, at, id)
   ) WITHOUT ROWID`,
  // Lower-cased emails of current stored candidates: Talemetry merges by email, so one owner each (409).
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
