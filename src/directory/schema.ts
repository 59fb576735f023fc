import { type Migration, type MigrationResult, type MigrationStorage, migrate } from "./migrate";

/**
 * The schema of the tenant Durable Object's SQLite database, as numbered migrations (see ./migrate.ts and
 * docs/storage-schema.md, "Schema migrations"). The directory index tables are prefixed `dir_`
 * (./index-store.ts), the activity records and idempotency claims `act_` (./activities.ts): one database
 * holds both.
 *
 * To change the schema, append a migration with the next version. Never edit one that has been deployed:
 * objects that recorded its version will not run it again.
 */
export const TENANT_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "directory index, activity records, idempotency claims",
    // The statements of the unversioned schema, verbatim (`IF NOT EXISTS` included): objects created
    // before versions existed hold exactly these tables, and migration 1 adopts them (see migrate.ts).
    up: [
      // ---- directory index (./index-store.ts)
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
      // ---- activity records and idempotency claims (./activities.ts)
      `CREATE TABLE IF NOT EXISTS act_activities (
        id TEXT PRIMARY KEY,
        entity_id TEXT NOT NULL,
        note_id TEXT NOT NULL,
        type TEXT NOT NULL,
        body TEXT NOT NULL,
        occurred_at TEXT NOT NULL,
        user_id TEXT,
        direction TEXT,
        duration_seconds INTEGER,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      )`,
      // state: 'pending' (an attempt holds it until lease_until) or 'done' (response holds the answer).
      // uncertain = 1 when a released attempt may have written the note. owner identifies the attempt
      // holding the lease, so a late attempt cannot release a claim another one took over.
      `CREATE TABLE IF NOT EXISTS act_idempotency (
        key TEXT PRIMARY KEY,
        body_hash TEXT NOT NULL,
        activity_id TEXT NOT NULL,
        state TEXT NOT NULL,
        owner TEXT NOT NULL,
        lease_until INTEGER NOT NULL,
        uncertain INTEGER NOT NULL,
        response TEXT,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      )`,
      `CREATE INDEX IF NOT EXISTS act_idempotency_expires ON act_idempotency (expires_at)`,
    ],
  },
  {
    version: 2,
    name: "change log of the /v1 person records (change feed and webhooks)",
    up: [
      // One row per change of a candidate's /v1 record, written in the same transaction as the index
      // write that saw it (./index-store.ts). `seq` comes from the index's own counter (`dir_meta`), so the
      // log and the rows share one order. `record` is NULL while the entry is its candidate's latest (the
      // row holds the record then); when the candidate changes again or is removed, the record it had is
      // copied here first, so every entry keeps the record as of its change without storing each twice.
      `CREATE TABLE dir_changes (
        seq INTEGER PRIMARY KEY,
        candidate_id TEXT NOT NULL,
        event TEXT NOT NULL,
        occurred_at INTEGER NOT NULL,
        record TEXT
      )`,
      `CREATE INDEX dir_changes_occurred_at ON dir_changes (occurred_at)`,
      // The seq of the candidate's latest log entry: its record last changed then. Rows indexed before the
      // log existed keep NULL and read as their row seq (their record changed at or before it); the index
      // is on that expression, so no existing row is rewritten here (a large index would not fit the 30 s
      // a migration may take). The `from=beginning` snapshot pages by it.
      `ALTER TABLE dir_candidates ADD COLUMN feed_seq INTEGER`,
      `CREATE INDEX dir_candidates_feed_seq ON dir_candidates (COALESCE(feed_seq, seq))`,
      // The log holds every change after this seq: a feed position below it is past retention (410).
      // Changes before the log existed were never logged, so it starts at the counter's current value.
      `INSERT INTO dir_meta (k, v) SELECT 'feed_pruned', v FROM dir_meta WHERE k = 'seq'`,
    ],
  },
  {
    version: 3,
    name: "webhook subscriptions and delivery attempts",
    up: [
      // One row per subscription (./webhooks.ts). `secret` is the whsec_ signing secret as an AES-GCM
      // envelope under CREDENTIALS_KEY (context: tenant and subscription id). `cursor`: every change-log entry
      // up to it was delivered (2xx) or given up; the next matching entry after it is the head, retried in
      // place, so deliveries of one subscription keep the log's order. `head_attempts`/`head_failed_at`
      // count the head's failures; `failing_since`: the first failure with no success since (3 days →
      // disabled, `disabled_reason` says why); `retry_at`: a retry is queued for then; `lease_*`: the one
      // consumer delivering right now.
      `CREATE TABLE wh_subscriptions (
        id TEXT PRIMARY KEY,
        url TEXT NOT NULL,
        events TEXT NOT NULL,
        description TEXT,
        status TEXT NOT NULL,
        disabled_reason TEXT,
        secret TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        cursor INTEGER NOT NULL,
        head_attempts INTEGER NOT NULL DEFAULT 0,
        head_failed_at INTEGER,
        failing_since INTEGER,
        retry_at INTEGER,
        lease_owner TEXT,
        lease_until INTEGER
      )`,
      // One row per delivery attempt: `status` NULL on a timeout or network error; `outcome` delivered,
      // failed, dead_lettered (given up after the retry window) or replayed.
      `CREATE TABLE wh_deliveries (
        id TEXT PRIMARY KEY,
        subscription_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        event TEXT NOT NULL,
        attempt INTEGER NOT NULL,
        status INTEGER,
        duration_ms INTEGER NOT NULL,
        at INTEGER NOT NULL,
        outcome TEXT NOT NULL
      )`,
      `CREATE INDEX wh_deliveries_subscription ON wh_deliveries (subscription_id, at)`,
    ],
  },
  {
    version: 4,
    name: "webhook retry tickets",
    up: [
      // The ticket of the scheduled retry (./webhooks.ts, `claim`): the retry's queue message carries it,
      // and only the message holding the current ticket may act as that retry before `retry_at`. NULL when
      // no retry is scheduled, or once a message has taken it.
      `ALTER TABLE wh_subscriptions ADD COLUMN retry_ticket TEXT`,
    ],
  },
  {
    version: 5,
    name: "webhook failure streaks without idle time",
    up: [
      // A subscription is disabled after 3 days of failing deliveries (./webhooks.ts, `attempted`); time
      // with nothing to deliver — after a give-up left nothing pending — is no failure. `idle_since`: the
      // streak is paused since then; `idle_ms`: the streak's earlier pauses, added up.
      `ALTER TABLE wh_subscriptions ADD COLUMN idle_since INTEGER`,
      `ALTER TABLE wh_subscriptions ADD COLUMN idle_ms INTEGER NOT NULL DEFAULT 0`,
      // A streak with no failing head (its last head given up, nothing failing since) is paused since that
      // give-up: the latest dead-letter record, or — pruned — the streak's start.
      `UPDATE wh_subscriptions SET idle_since = COALESCE(
         (SELECT MAX(d.at) FROM wh_deliveries d WHERE d.subscription_id = wh_subscriptions.id AND d.outcome = 'dead_lettered'),
         failing_since)
       WHERE failing_since IS NOT NULL AND head_failed_at IS NULL AND status = 'active'`,
    ],
  },
];

/** Brings a tenant object's database to the current schema (once per object start; see TenantDirectory). */
export function migrateTenantStorage(storage: MigrationStorage): MigrationResult {
  return migrate(storage, TENANT_MIGRATIONS);
}
