// The migration runner (src/directory/migrate.ts) on a real tenant Durable Object's SQLite: a later
// migration applies once and only once (also across a restart), in one transaction with its version, a
// failing one leaves nothing, the list must be in order, and a database newer than the code is left alone.
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { IndexStore } from "../../src/directory/index-store";
import { MIGRATIONS_TABLE, type Migration, migrate } from "../../src/directory/migrate";
import { TENANT_MIGRATIONS } from "../../src/directory/schema";
import { person, uniqueTenant } from "./helpers";

const T0 = "2026-11-25T10:00:00Z";

/** The deployed schema's version: the test migrations below come after it. */
const N = TENANT_MIGRATIONS.length;

/** A test-only next migration: a column, filled from the rows already there. */
const ADD_NICKNAME: Migration = {
  version: N + 1,
  name: "test: candidate nickname",
  up: [`ALTER TABLE dir_candidates ADD COLUMN nickname TEXT`, `UPDATE dir_candidates SET nickname = 'nick-' || id`],
};

/** Versions 1…n. */
function deployed(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}

function stubFor(label: string): DurableObjectStub {
  return env.TENANT.get(env.TENANT.idFromName(uniqueTenant(label)));
}

function versions(sql: SqlStorage): number[] {
  return sql
    .exec<{ version: number }>(`SELECT version FROM ${MIGRATIONS_TABLE} ORDER BY version`)
    .toArray()
    .map((r) => r.version);
}

function columns(sql: SqlStorage, table: string): string[] {
  return sql.exec(`SELECT * FROM ${table} LIMIT 0`).columnNames;
}

describe("schema migrations", () => {
  it("applies a later migration once and only once, keeping the rows", async () => {
    const stub = stubFor("m2");
    const runs = await runInDurableObject(stub, (_instance, state) => {
      const store = new IndexStore(state.storage, "GB");
      store.upsert(person("c1"), T0);
      store.upsert(person("c2"), T0);
      let counted = 0;
      const count: Migration = {
        version: N + 2,
        name: "test: counts its runs",
        up: (sql) => {
          counted++;
          sql.exec(`UPDATE dir_candidates SET nickname = nickname || '!'`);
        },
      };
      const list = [...TENANT_MIGRATIONS, ADD_NICKNAME, count];
      const first = migrate(state.storage, list);
      const second = migrate(state.storage, list);
      const nicknames = state.storage.sql
        .exec<{ id: string; nickname: string }>(`SELECT id, nickname FROM dir_candidates ORDER BY id`)
        .toArray();
      return { first, second, counted, nicknames, versions: versions(state.storage.sql), count: store.count() };
    });
    expect(runs.first).toEqual({ from: N, to: N + 2, applied: [N + 1, N + 2], adopted: false });
    expect(runs.second).toEqual({ from: N + 2, to: N + 2, applied: [], adopted: false });
    expect(runs.counted).toBe(1);
    expect(runs.nicknames).toEqual([
      { id: "c1", nickname: "nick-c1!" },
      { id: "c2", nickname: "nick-c2!" },
    ]);
    expect(runs.versions).toEqual(deployed(N + 2));
    expect(runs.count).toBe(2);

    // A restart runs the deployed list (up to version N only): a database already past it is left as it is
    // (a rolled-back deploy), and the store still works on it.
    await evictDurableObject(stub);
    const afterRestart = await runInDurableObject(stub, (_instance, state) => {
      const store = new IndexStore(state.storage, "GB");
      store.upsert(person("c3"), T0);
      return { versions: versions(state.storage.sql), columns: columns(state.storage.sql, "dir_candidates"), count: store.count() };
    });
    expect(afterRestart.versions).toEqual(deployed(N + 2));
    expect(afterRestart.columns).toContain("nickname");
    expect(afterRestart.count).toBe(3);
  });

  it("records a migration in the same transaction as its changes: a failing one leaves nothing", async () => {
    const outcome = await runInDurableObject(stubFor("m2-fail"), (_instance, state) => {
      const sql = state.storage.sql;
      new IndexStore(state.storage, "GB").upsert(person("c1"), T0);
      const broken: Migration = { ...ADD_NICKNAME, up: [...(ADD_NICKNAME.up as string[]), `UPDATE no_such_table SET x = 1`] };
      let error = "";
      try {
        migrate(state.storage, [...TENANT_MIGRATIONS, broken]);
      } catch (err) {
        error = String(err);
      }
      const left = { versions: versions(sql), columns: columns(sql, "dir_candidates") };
      // Fixed and deployed again, it applies.
      const retried = migrate(state.storage, [...TENANT_MIGRATIONS, ADD_NICKNAME]);
      return { error, left, retried, nickname: sql.exec<{ n: string }>(`SELECT nickname AS n FROM dir_candidates`).one().n };
    });
    expect(outcome.error).toMatch(/no_such_table/);
    expect(outcome.left.versions).toEqual(deployed(N));
    expect(outcome.left.columns).not.toContain("nickname");
    expect(outcome.retried.applied).toEqual([N + 1]);
    expect(outcome.nickname).toBe("nick-c1");
  });

  it("refuses a list whose versions are not 1, 2, 3… in order, before applying anything", async () => {
    const outcome = await runInDurableObject(stubFor("order"), (_instance, state) => {
      const attempt = (list: Migration[]) => {
        try {
          migrate(state.storage, list);
          return "applied";
        } catch (err) {
          return String(err);
        }
      };
      return {
        gap: attempt([...TENANT_MIGRATIONS, { ...ADD_NICKNAME, version: N + 2 }]),
        duplicate: attempt([...TENANT_MIGRATIONS, ADD_NICKNAME, ADD_NICKNAME]),
        versions: versions(state.storage.sql),
        columns: columns(state.storage.sql, "dir_candidates"),
      };
    });
    expect(outcome.gap).toMatch(new RegExp(`out of order: position ${N + 1} holds version ${N + 2}`));
    expect(outcome.duplicate).toMatch(new RegExp(`out of order: position ${N + 2} holds version ${N + 1}`));
    expect(outcome.versions).toEqual(deployed(N));
    expect(outcome.columns).not.toContain("nickname");
  });
});
