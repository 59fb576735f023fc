import { chunkRows, MAX_BOUND_PARAMS } from "./index-queries";

/**
 * Multi-row statements for the index's page writes. A sync page writes hundreds of rows; one statement
 * per row costs far more than the rows themselves (each `exec` crosses into the runtime), so rows go in
 * as few statements as Durable Object SQLite's 100 bound parameters allow. The chunk sizes are fixed per
 * row width, so a page reuses at most two statement texts per table.
 */

/** Inserts `rows` (all of one width, in `head`'s column order); `head` is e.g. `INSERT INTO t (a, b)`. */
export function insertRows(sql: SqlStorage, head: string, rows: readonly SqlStorageValue[][]): void {
  if (rows.length === 0) return;
  const width = rows[0]!.length;
  const tuple = `(${new Array(width).fill("?").join(", ")})`;
  for (const chunk of chunkRows(rows, width)) {
    sql.exec(`${head} VALUES ${chunk.map(() => tuple).join(", ")}`, ...chunk.flat());
  }
}

/**
 * Runs `statement` once per chunk of `ids`, its `$IDS` replaced by the chunk's `?, …`; `before` and
 * `after` are bound around the chunk (the parameters written before and after `$IDS`). Returns every row
 * read and the rows written in total.
 */
export function execForIds<T extends Record<string, SqlStorageValue>>(
  sql: SqlStorage,
  statement: string,
  ids: readonly string[],
  bind: { before?: readonly SqlStorageValue[]; after?: readonly SqlStorageValue[] } = {},
): { rows: T[]; rowsWritten: number } {
  const before = bind.before ?? [];
  const after = bind.after ?? [];
  const size = Math.max(1, MAX_BOUND_PARAMS - before.length - after.length);
  const rows: T[] = [];
  let rowsWritten = 0;
  for (let i = 0; i < ids.length; i += size) {
    const chunk = ids.slice(i, i + size);
    const cursor = sql.exec<T>(statement.replace("$IDS", chunk.map(() => "?").join(", ")), ...before, ...chunk, ...after);
    for (const row of cursor) rows.push(row);
    rowsWritten += cursor.rowsWritten;
  }
  return { rows, rowsWritten };
}
