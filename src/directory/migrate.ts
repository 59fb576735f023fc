/**
 * Versioned schema migrations for a Durable Object's SQLite database (docs/storage-schema.md, "Schema
 * migrations").
 *
 * Migrations are numbered 1, 2, 3… and applied in order, each exactly once, each in its own transaction
 * together with the row that records it. The applied versions are rows of `schema_migrations` rather
 * than `PRAGMA user_version`: Durable Object SQLite refuses that pragma (SQLITE_AUTH), and a row also
 * says what was applied and when. `deleteAll()` drops the table with everything else, so a purged
 * object starts again from version 0.
 *
 * A migration is never edited once deployed: objects that already recorded its version never run it
 * again. Change the schema by appending a migration.
 */

/** One schema change. */
export interface Migration {
  /** 1 for the first, then consecutive: the list's order is the order of application. */
  readonly version: number;
  /** What it changes, in a few words; recorded with the version. */
  readonly name: string;
  /**
   * SQL statements run in order, or a function for what SQL alone cannot express (e.g. recomputing a
   * derived column in code). Either runs inside the migration's transaction: a throw undoes all of it.
   */
  readonly up: readonly string[] | ((sql: SqlStorage) => void);
}

/** `ctx.storage`: migrations need `transactionSync` (DO SQLite refuses `BEGIN`). */
export type MigrationStorage = Pick<DurableObjectStorage, "sql" | "transactionSync">;

export interface MigrationResult {
  /** The version recorded before this run (0: none). */
  from: number;
  /** The version recorded after it. */
  to: number;
  /** The versions this run applied, in order. */
  applied: number[];
  /**
   * Tables of the unversioned schema were found and adopted as version 1 (objects created before the
   * schema had versions ran the same statements as migration 1, without recording it).
   */
  adopted: boolean;
}

/** The table recording applied migrations (no `_cf_` prefix: that one is reserved by the runtime). */
export const MIGRATIONS_TABLE = "schema_migrations";

/**
 * Brings the database up to the last of `migrations`. Cheap when it is current (one read). A database
 * recording a version newer than the list (the code was rolled back) is left as it is: migrations only
 * add, so the older code still works on it (see the rules in docs/storage-schema.md).
 */
export function migrate(storage: MigrationStorage, migrations: readonly Migration[]): MigrationResult {
  checkOrder(migrations);
  const sql = storage.sql;
  sql.exec(`CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const from = sql.exec<{ v: number }>(`SELECT COALESCE(MAX(version), 0) AS v FROM ${MIGRATIONS_TABLE}`).one().v;
  const result: MigrationResult = { from, to: from, applied: [], adopted: false };
  for (const migration of migrations) {
    if (migration.version <= from) continue;
    storage.transactionSync(() => {
      if (migration.version === 1) result.adopted = checkAdoptable(sql, migration);
      if (typeof migration.up === "function") migration.up(sql);
      else for (const statement of migration.up) sql.exec(statement);
      sql.exec(
        `INSERT INTO ${MIGRATIONS_TABLE} (version, name, applied_at) VALUES (?, ?, ?)`,
        migration.version,
        migration.name,
        new Date().toISOString(),
      );
    });
    result.applied.push(migration.version);
    result.to = migration.version;
  }
  return result;
}

function checkOrder(migrations: readonly Migration[]): void {
  migrations.forEach((migration, i) => {
    if (migration.version !== i + 1) {
      throw new Error(`migration list out of order: position ${i + 1} holds version ${migration.version}`);
    }
  });
}

const CREATE_IF_NOT_EXISTS = /^\s*CREATE\s+(TABLE|INDEX)\s+IF\s+NOT\s+EXISTS\s+(\w+)/i;

/**
 * Migration 1 is written as `CREATE … IF NOT EXISTS` so that it also runs over the tables an unversioned
 * object already holds, keeping their rows. Before it does, every such table and index must have been
 * created by exactly the same statement — SQLite keeps each object's CREATE text in `sqlite_master`, minus
 * `IF NOT EXISTS` — else the object holds a schema migration 1 does not describe, and recording version 1
 * over it would be a lie that later migrations build on. Returns whether anything was adopted.
 */
function checkAdoptable(sql: SqlStorage, migration: Migration): boolean {
  if (typeof migration.up === "function") return false;
  let adopted = false;
  for (const statement of migration.up) {
    const name = CREATE_IF_NOT_EXISTS.exec(statement)?.[2];
    if (!name) continue;
    const existing = sql.exec<{ sql: string }>(`SELECT sql FROM sqlite_master WHERE name = ?`, name).toArray()[0];
    if (!existing) continue;
    if (normalizeCreate(existing.sql) !== normalizeCreate(statement)) {
      throw new Error(`cannot adopt the unversioned schema: ${name} differs from migration 1 (${existing.sql})`);
    }
    adopted = true;
  }
  return adopted;
}

/** A CREATE statement as comparable text: without `IF NOT EXISTS`, whitespace collapsed. */
function normalizeCreate(statement: string): string {
  return statement
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^CREATE (TABLE|INDEX) IF NOT EXISTS /i, "CREATE $1 ");
}
