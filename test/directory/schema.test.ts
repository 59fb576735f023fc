// The tenant Durable Object's SQLite schema (src/directory/schema.ts): an object holding the tables of the
// unversioned code (created by its statements, verbatim below) is adopted as version 1 at its next start
// with every row kept; a new object gets exactly the same schema; a foreign table shape is refused; a
// purged object migrates again on its next use.
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ActivityStore, type ClaimOutcome, type StoredActivity } from "../../src/directory/activities";
import type { EmailHit, IndexChange, PhoneHit } from "../../src/directory/index-store";
import { IndexStore } from "../../src/directory/index-store";
import { MIGRATIONS_TABLE, migrate } from "../../src/directory/migrate";
import { migrateTenantStorage, TENANT_MIGRATIONS } from "../../src/directory/schema";
import type { Person } from "../../src/domain/person";
import { parsePhoneQuery, personPhoneKeys } from "../../src/phone/match";
import { person, phone, uniqueTenant } from "./helpers";

/**
 * The schema statements of the code before versions (commit 2e26925), verbatim: `INDEX_SCHEMA` of
 * src/directory/index-schema.ts, then `SCHEMA` of src/directory/activities.ts. Each store ran its list on
 * construction, so a deployed object holds these tables — some of them, or all.
 */
const LEGACY_INDEX_SCHEMA: readonly string[] = [
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
  `CREATE TABLE IF NOT EXISTS dir_meta (k TEXT PRIMARY KEY, v INTEGER NOT NULL) WITHOUT ROWID`,
  `INSERT OR IGNORE INTO dir_meta (k, v) SELECT 'seq', COALESCE(MAX(seq), 0) FROM dir_candidates`,
];
const LEGACY_ACTIVITY_SCHEMA: readonly string[] = [
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
];

const T0 = "2026-11-25T10:00:00Z";

/** The RPC methods of TenantDirectory these tests call. */
interface Directory {
  searchEmail(email: string): Promise<EmailHit[]>;
  searchPhone(query: unknown, partial: boolean): Promise<PhoneHit[]>;
  changes(afterSeq: number, highWater: number | null, limit: number): Promise<{ highWater: number; rows: IndexChange[] }>;
  getActivity(id: string): Promise<StoredActivity | null>;
  claimActivity(keys: string[], bodyHash: string): Promise<ClaimOutcome>;
  purge(tenantId?: string): Promise<void>;
}

function directory(name: string): DurableObjectStub & Directory {
  return env.TENANT.get(env.TENANT.idFromName(name)) as never;
}

/** Every table of the bridge (not the runtime's `_cf_` ones) with its rows, in a stable order. */
function dumpTables(sql: SqlStorage): Record<string, string[]> {
  const tables = sql
    .exec<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\' ORDER BY name`)
    .toArray();
  const dump: Record<string, string[]> = {};
  for (const { name } of tables) {
    dump[name] = sql
      .exec(`SELECT * FROM ${name}`)
      .toArray()
      .map((row) => JSON.stringify(row))
      .sort();
  }
  return dump;
}

/** The tables and indexes of the bridge as SQLite records them, whitespace collapsed. */
function schemaOf(sql: SqlStorage): { type: string; name: string; sql: string }[] {
  return sql
    .exec<{ type: string; name: string; sql: string }>(
      `SELECT type, name, sql FROM sqlite_master
       WHERE sql IS NOT NULL AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\' AND name != ? ORDER BY name`,
      MIGRATIONS_TABLE,
    )
    .toArray()
    .map((row) => ({ ...row, sql: row.sql.replace(/\s+/g, " ") }));
}

function recorded(sql: SqlStorage): { version: number; name: string }[] {
  return sql.exec<{ version: number; name: string }>(`SELECT version, name FROM ${MIGRATIONS_TABLE} ORDER BY version`).toArray();
}

/**
 * Rows as the code before versions wrote them: its store's statements (it had no change log, so today's
 * store, which logs, cannot stand in for it). `seq` is the counter after the writes.
 */
function writeLegacyRows(sql: SqlStorage, rows: { person: Person; seq: number; extras?: string }[], seq: number): void {
  for (const { person: p, seq: rowSeq, extras } of rows) {
    sql.exec(
      `INSERT INTO dir_candidates (id, record, extras, hash, contact_hash, seq, sort_name, seen_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      p.id,
      JSON.stringify(p),
      extras ?? null,
      `hash-${p.id}-${rowSeq}`,
      `contact-${p.id}`,
      rowSeq,
      p.name.toLowerCase(),
      T0,
      T0,
    );
    for (const k of personPhoneKeys(p.phones, "GB")) {
      sql.exec(`INSERT INTO dir_phone_keys VALUES (?, ?, ?, ?, ?)`, p.id, k.e164, k.nsn, k.rnsn, k.callingCode);
    }
    for (const email of p.emails) sql.exec(`INSERT INTO dir_email_keys VALUES (?, ?)`, p.id, email.toLowerCase());
  }
  sql.exec(`UPDATE dir_meta SET v = ? WHERE k = 'seq'`, seq);
}

/** Every recorded version with its name: the whole deployed list. */
const ALL_VERSIONS = TENANT_MIGRATIONS.map((m) => ({ version: m.version, name: m.name }));

/** Empties the object's storage (what its constructor migrated included): a database as before any code ran. */
async function wipe(storage: DurableObjectStorage): Promise<void> {
  await storage.deleteAll();
  expect(dumpTables(storage.sql)).toEqual({});
}

function activity(id: string): StoredActivity {
  return {
    id,
    entity: "candidate",
    entity_id: "c1",
    type: "call",
    body: `note of ${id}`,
    occurred_at: "2026-11-22T10:03:00Z",
    user_id: "u-123",
    direction: "outbound",
    duration_seconds: 60,
    created_at: "2026-11-22T10:04:00Z",
    updated_at: "2026-11-22T10:04:00Z",
    note_id: `n-${id}`,
  };
}

describe("tenant object schema", () => {
  it("adopts an object holding the unversioned schema at its next start and keeps every row", async () => {
    const stub = directory(uniqueTenant("legacy"));
    const before = await runInDurableObject(stub, async (_instance, state) => {
      await wipe(state.storage);
      const sql = state.storage.sql;
      // The old code: each store ran its statements, then wrote through today's store code.
      for (const statement of LEGACY_INDEX_SCHEMA) sql.exec(statement);
      for (const statement of LEGACY_ACTIVITY_SCHEMA) sql.exec(statement);
      writeLegacyRows(
        sql,
        [
          {
            person: person("c1", { emails: ["maya@example.com"], phones: [phone("+447700900123")] }),
            seq: 1,
            extras: '{"address":"1 High St"}',
          },
          { person: person("c2", { emails: ["sam@example.com", "sam@work.example"], phones: [phone("+12025550143", "work")] }), seq: 2 },
        ],
        3, // c3 was written and removed: the seq counter is past every row (a reused seq would break Talkdesk paging)
      );
      const activities = new ActivityStore(state.storage);
      const done = activities.claim(["k-done"], "h1", Date.now());
      if (done.kind !== "claimed") throw new Error(done.kind);
      activities.complete({ ...activity(done.activityId) }, { key: done.key });
      activities.claim(["k-pending"], "h2", Date.now());
      activities.complete(activity("act_plain"), null);

      const dump = dumpTables(sql);
      for (const table of ["dir_candidates", "dir_phone_keys", "dir_email_keys", "dir_meta", "act_activities", "act_idempotency"]) {
        expect(dump[table]?.length, table).toBeGreaterThan(0);
      }
      expect(dump[MIGRATIONS_TABLE]).toBeUndefined();
      return { dump, schema: schemaOf(sql), doneId: done.activityId };
    });

    await evictDurableObject(stub); // the next call starts a new instance: its constructor migrates

    const after = await runInDurableObject(stub, (_instance, state) => {
      const { [MIGRATIONS_TABLE]: _versions, ...tables } = dumpTables(state.storage.sql);
      return { tables, schema: schemaOf(state.storage.sql), versions: recorded(state.storage.sql) };
    });
    // Adopted as version 1 with every row; the later migrations only added (migration 2: the change log,
    // an empty `feed_seq` on each row, where the log starts; migration 3: the webhook tables).
    const { dir_changes, dir_candidates, dir_meta, wh_subscriptions, wh_deliveries, ...rest } = after.tables;
    const { dir_candidates: rowsBefore, dir_meta: metaBefore, ...restBefore } = before.dump;
    expect(rest).toEqual(restBefore);
    expect([dir_changes, wh_subscriptions, wh_deliveries]).toEqual([[], [], []]); // migrations 2 and 3: new, empty tables
    expect(dir_candidates).toEqual(rowsBefore!.map((row) => JSON.stringify({ ...JSON.parse(row), feed_seq: null })));
    expect(dir_meta).toEqual([...metaBefore!, JSON.stringify({ k: "feed_pruned", v: 3 })].sort());
    const untouched = (schema: typeof before.schema) =>
      schema.filter((o) => o.name !== "dir_candidates" && before.schema.some((b) => b.name === o.name));
    expect(untouched(after.schema)).toEqual(untouched(before.schema));
    expect(after.versions).toEqual(ALL_VERSIONS);

    // The object serves what it held before, through its own methods.
    expect((await stub.searchEmail("sam@work.example")).map((h) => h.person.id)).toEqual(["c2"]);
    const query = parsePhoneQuery("07700 900123", { tenantRegion: "GB" });
    if (!query.ok) throw new Error(query.error.message);
    expect((await stub.searchPhone(query.query, false)).map((h) => h.person.id)).toEqual(["c1"]);
    const page = await stub.changes(0, null, 10);
    expect(page.rows.map((r) => [r.person.id, r.seq, r.extras])).toEqual([
      ["c1", 1, { address: "1 High St" }],
      ["c2", 2, null],
    ]);
    expect(page.highWater).toBe(3);
    expect(await stub.getActivity("act_plain")).toMatchObject({ note_id: "n-act_plain" });
    expect(await stub.claimActivity(["k-done"], "h1")).toMatchObject({ kind: "done", activity: { id: before.doneId } });
    expect(await stub.claimActivity(["k-done"], "other body")).toEqual({ kind: "conflict" });
    // The seq counter survived: a new row continues after the removed c3, never reusing 3.
    const seq = await runInDurableObject(stub, (_instance, state) => new IndexStore(state.storage, "GB").upsert(person("c4"), T0).seq);
    expect(seq).toBe(4);
  });

  it("adopts an object that holds only some of the old tables and creates the rest", async () => {
    const stub = directory(uniqueTenant("legacy-part"));
    await runInDurableObject(stub, async (_instance, state) => {
      await wipe(state.storage);
      // An object whose activities were never used: the old ActivityStore never ran its statements.
      for (const statement of LEGACY_INDEX_SCHEMA) state.storage.sql.exec(statement);
      writeLegacyRows(state.storage.sql, [{ person: person("c1", { emails: ["a@example.com"] }), seq: 1 }], 1);
    });
    await evictDurableObject(stub);
    const after = await runInDurableObject(stub, (_instance, state) => {
      const result = migrateTenantStorage(state.storage); // already current: nothing more to do
      return { result, tables: dumpTables(state.storage.sql), versions: recorded(state.storage.sql) };
    });
    const last = TENANT_MIGRATIONS.length;
    expect(after.result).toEqual({ from: last, to: last, applied: [], adopted: false });
    expect(after.versions).toEqual(ALL_VERSIONS);
    expect(after.tables.dir_candidates).toHaveLength(1);
    expect(after.tables.act_activities).toEqual([]);
    expect(after.tables.act_idempotency).toEqual([]);
    expect((await stub.searchEmail("a@example.com")).map((h) => h.person.id)).toEqual(["c1"]);
  });

  it("gives a new object exactly the schema of an adopted one: the unversioned code's, then every later migration", async () => {
    const stub = directory(uniqueTenant("fresh"));
    const { fresh, legacy, versions } = await runInDurableObject(stub, async (_instance, state) => {
      const fresh = schemaOf(state.storage.sql);
      const versions = recorded(state.storage.sql);
      await wipe(state.storage);
      for (const statement of [...LEGACY_INDEX_SCHEMA, ...LEGACY_ACTIVITY_SCHEMA]) state.storage.sql.exec(statement);
      migrateTenantStorage(state.storage);
      return { fresh, legacy: schemaOf(state.storage.sql), versions };
    });
    expect(versions).toEqual(ALL_VERSIONS);
    expect(fresh.length).toBeGreaterThan(0);
    expect(fresh).toEqual(legacy);
  });

  it("refuses to adopt a table that migration 1 did not create, and changes nothing", async () => {
    const stub = directory(uniqueTenant("foreign"));
    const outcome = await runInDurableObject(stub, async (_instance, state) => {
      await wipe(state.storage);
      const sql = state.storage.sql;
      sql.exec(`CREATE TABLE dir_email_keys (candidate_id TEXT NOT NULL, email TEXT NOT NULL)`);
      sql.exec(`INSERT INTO dir_email_keys VALUES ('c1', 'a@example.com')`);
      let error = "";
      try {
        migrateTenantStorage(state.storage);
      } catch (err) {
        error = String(err);
      }
      return { error, tables: dumpTables(sql) };
    });
    expect(outcome.error).toMatch(/cannot adopt .*dir_email_keys/);
    expect(outcome.tables).toEqual({
      dir_email_keys: [JSON.stringify({ candidate_id: "c1", email: "a@example.com" })],
      [MIGRATIONS_TABLE]: [],
    });
  });

  it("makes no tables again after a purge dropped every table: the deleted tenant's object refuses", async () => {
    const name = uniqueTenant("purged");
    const stub = directory(name);
    await runInDurableObject(stub, (_instance, state) => new IndexStore(state.storage, "GB").upsert(person("c1"), T0));
    await stub.purge(name);
    for (let i = 0; i < 5 && (await runDurableObjectAlarm(stub)); i++);
    expect(await runInDurableObject(stub, (_instance, state) => dumpTables(state.storage.sql))).toEqual({});
    // The same instance is called again: refused (its tombstone), and the schema is not made again.
    await expect(stub.searchEmail("a@example.com")).rejects.toMatchObject({ name: "AppError", code: "unauthorized" });
    expect(await runInDurableObject(stub, (_instance, state) => dumpTables(state.storage.sql))).toEqual({});
  });

  it("migration 5 pauses the failure streak of a subscription whose last failing event was given up, from that give-up", async () => {
    const stub = directory(uniqueTenant("wh-streak"));
    const DAY = 24 * 3600_000;
    const now = Date.now();
    await runInDurableObject(stub, async (_instance, state) => {
      await wipe(state.storage);
      migrate(state.storage, TENANT_MIGRATIONS.slice(0, 4));
      const sql = state.storage.sql;
      const insert = (id: string, status: string, headFailedAt: number | null, failingSince: number | null) =>
        sql.exec(
          `INSERT INTO wh_subscriptions (id, url, events, status, secret, created_at, cursor, head_failed_at, failing_since) VALUES (?, 'https://hooks.example.com/x', '["updated"]', ?, 'v1.x.y', ?, 0, ?, ?)`,
          id,
          status,
          now - 10 * DAY,
          headFailedAt,
          failingSince,
        );
      insert("wh_paused", "active", null, now - 4 * DAY); // its event given up 2 days ago (below), nothing failing since
      insert("wh_pruned", "active", null, now - 9 * DAY); // given up so long ago that the record is pruned
      insert("wh_failing", "active", now - DAY, now - 2 * DAY); // an event failing right now
      insert("wh_fine", "active", null, null);
      insert("wh_disabled", "disabled", null, now - 5 * DAY);
      sql.exec(
        `INSERT INTO wh_deliveries (id, subscription_id, seq, event, attempt, status, duration_ms, at, outcome) VALUES ('dlv_1', 'wh_paused', 1, 'updated', 15, NULL, 0, ?, 'dead_lettered'), ('dlv_2', 'wh_paused', 1, 'updated', 14, 500, 3, ?, 'failed')`,
        now - 2 * DAY,
        now - 2 * DAY - 1000,
      );
    });
    await evictDurableObject(stub); // the next call starts a new instance: its constructor migrates

    const rows = await runInDurableObject(stub, (_instance, state) =>
      state.storage.sql
        .exec<{ id: string; idle_since: number | null; idle_ms: number }>(
          `SELECT id, idle_since, idle_ms FROM wh_subscriptions ORDER BY id`,
        )
        .toArray(),
    );
    expect(rows).toEqual([
      { id: "wh_disabled", idle_since: null, idle_ms: 0 },
      { id: "wh_failing", idle_since: null, idle_ms: 0 },
      { id: "wh_fine", idle_since: null, idle_ms: 0 },
      { id: "wh_paused", idle_since: now - 2 * DAY, idle_ms: 0 },
      { id: "wh_pruned", idle_since: now - 9 * DAY, idle_ms: 0 },
    ]);
  });
});
