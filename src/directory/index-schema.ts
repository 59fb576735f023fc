/**
 * The directory index schema in the tenant's Durable Object SQLite. Tables are prefixed `dir_` because
 * the same database also holds the Durable Object's other state (idempotency claims, activity records).
 * Every statement is idempotent, so running the whole list on each construction is safe and cheap.
 */
export const INDEX_SCHEMA: readonly string[] = [
  // One row per candidate. `record` is the person record exactly as search/GET return it; `extras`
  // holds what only Talkdesk contacts need (e.g. address). `seq` is the change sequence number that
  // Talkdesk contact sync pages by: UNIQUE (so it is indexed and never shared), bumped only when
  // `hash` changes. `sort_name` is the ranking tie-breaker (lower-cased name).
  `CREATE TABLE IF NOT EXISTS dir_candidates (
     id TEXT PRIMARY KEY,
     record TEXT NOT NULL,
     extras TEXT,
     hash TEXT NOT NULL,
     contact_hash TEXT NOT NULL,
     seq INTEGER NOT NULL UNIQUE,
     sort_name TEXT NOT NULL,
     seen_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   )`,
  `CREATE INDEX IF NOT EXISTS dir_candidates_seen_at ON dir_candidates (seen_at)`,
  // One row per distinct E.164 of a candidate. Each lookup column has its own index so exact,
  // national and both suffix directions are index probes (see phoneProbes in src/phone/match.ts).
  `CREATE TABLE IF NOT EXISTS dir_phone_keys (
     candidate_id TEXT NOT NULL,
     e164 TEXT NOT NULL,
     nsn TEXT NOT NULL,
     rnsn TEXT NOT NULL,
     calling_code TEXT NOT NULL,
     PRIMARY KEY (candidate_id, e164)
   ) WITHOUT ROWID`,
  `CREATE INDEX IF NOT EXISTS dir_phone_keys_e164 ON dir_phone_keys (e164)`,
  `CREATE INDEX IF NOT EXISTS dir_phone_keys_nsn ON dir_phone_keys (nsn)`,
  `CREATE INDEX IF NOT EXISTS dir_phone_keys_rnsn ON dir_phone_keys (rnsn)`,
  `CREATE TABLE IF NOT EXISTS dir_email_keys (
     candidate_id TEXT NOT NULL,
     email TEXT NOT NULL,
     PRIMARY KEY (candidate_id, email)
   ) WITHOUT ROWID`,
  `CREATE INDEX IF NOT EXISTS dir_email_keys_email ON dir_email_keys (email)`,
  // The sequence counter lives apart from the rows: MAX(seq) would hand out a number again after the
  // newest row is removed, and a Talkdesk checkpoint already past it would then skip the new row.
  `CREATE TABLE IF NOT EXISTS dir_meta (k TEXT PRIMARY KEY, v INTEGER NOT NULL) WITHOUT ROWID`,
  `INSERT OR IGNORE INTO dir_meta (k, v) SELECT 'seq', COALESCE(MAX(seq), 0) FROM dir_candidates`,
];

/** Creates the index tables if missing. */
export function ensureIndexSchema(sql: SqlStorage): void {
  for (const statement of INDEX_SCHEMA) sql.exec(statement);
}
