/**
 * Multi-row INSERTs for bulk seeding. One `exec` per row costs far more than the row itself (10,000
 * candidates are ~40,000 rows with their events and emails), so rows are sent many to a statement —
 * as many as fit in the 100 bound parameters a Durable Object SQL query allows.
 */

/** Durable Object SQLite: at most 100 bound parameters per query. */
const MAX_BOUND_PARAMETERS = 100;

export class BatchInsert {
  private readonly perStatement: number;
  private readonly fullStatement: string;
  private pending: SqlStorageValue[] = [];

  constructor(
    private readonly sql: SqlStorage,
    private readonly head: string,
    private readonly columns: number,
  ) {
    this.perStatement = Math.floor(MAX_BOUND_PARAMETERS / columns);
    this.fullStatement = this.statement(this.perStatement);
  }

  private statement(rows: number): string {
    const row = `(${Array.from({ length: this.columns }, () => "?").join(", ")})`;
    return `${this.head} VALUES ${Array.from({ length: rows }, () => row).join(", ")}`;
  }

  add(...values: SqlStorageValue[]): void {
    this.pending.push(...values);
    if (this.pending.length === this.perStatement * this.columns) {
      this.sql.exec(this.fullStatement, ...this.pending);
      this.pending = [];
    }
  }

  flush(): void {
    if (this.pending.length === 0) return;
    this.sql.exec(this.statement(this.pending.length / this.columns), ...this.pending);
    this.pending = [];
  }
}
