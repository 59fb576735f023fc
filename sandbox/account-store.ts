/**
 * Data access for one simulated account, inside its Durable Object (SQLite storage, schema.ts).
 * Everything is synchronous SQL, so each public operation runs without interleaving other requests;
 * multi-statement writes still go through `transactionSync` so a failure leaves nothing half-written.
 * The only instance state is caches of what storage says (this object is the sole writer).
 */

import { BatchInsert } from "./batch-insert";
import { type Decision, type FaultRule, faultAnswer, OPS, type Op, pickRule, type StoredRule } from "./faults";
import { type CandidateRecord, emailsOf, type SeededCandidate } from "./records";
import { ACCOUNT_TABLES } from "./schema";
import { type SeedOptions, seedCandidates } from "./seed";
import { DEFAULT_TOKEN_TTL_SECONDS } from "./tokens";

export interface AccountSettings {
  latencyMs: number;
  tokenTtlSeconds: number;
  singleCandidateAsObject: boolean;
}

const DEFAULT_SETTINGS: AccountSettings = {
  latencyMs: 0,
  tokenTtlSeconds: DEFAULT_TOKEN_TTL_SECONDS,
  singleCandidateAsObject: false,
};

export interface CandidateRow {
  record: CandidateRecord;
  createdAt: number;
  deletedAt: number | null;
}

type EventKind = "created" | "updated" | "deleted";

export class AccountStore {
  private ready = false;
  private cachedSettings: AccountSettings | null = null;

  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly defaultSeedCount: number,
  ) {}

  private get sql(): SqlStorage {
    return this.storage.sql;
  }

  /**
   * Creates the schema and, on the account's first use, seeds it (contract data must exist before the
   * first call). The object remembers whose account it is and refuses to serve another client id.
   */
  ensure(clientId: string): void {
    if (this.ready) return;
    for (const statement of ACCOUNT_TABLES) this.sql.exec(statement);
    const owner = this.meta("client_id");
    if (owner === null) {
      this.storage.transactionSync(() => {
        this.setMeta("client_id", clientId);
        this.replaceCandidates(seedCandidates({ clientId, count: this.defaultSeedCount }));
      });
    } else if (owner !== clientId) {
      throw new Error(`account object of ${owner} addressed as ${clientId}`);
    }
    this.ready = true;
  }

  clientId(): string {
    return this.meta("client_id") ?? "";
  }

  // --- meta and settings ---------------------------------------------------------------------------

  private meta(key: string): string | null {
    const row = this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key).toArray()[0];
    return row ? row.value : null;
  }

  private setMeta(key: string, value: string): void {
    this.sql.exec("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, value);
  }

  settings(): AccountSettings {
    if (!this.cachedSettings) {
      const raw = this.meta("settings");
      this.cachedSettings = { ...DEFAULT_SETTINGS, ...(raw ? (JSON.parse(raw) as Partial<AccountSettings>) : {}) };
    }
    return this.cachedSettings;
  }

  updateSettings(change: Partial<AccountSettings>): AccountSettings {
    const next = { ...this.settings(), ...change };
    this.setMeta("settings", JSON.stringify(next));
    this.cachedSettings = next;
    return next;
  }

  // --- calls, faults and tokens --------------------------------------------------------------------

  /**
   * Counts one upstream call, consumes the fault rule that applies to it, and checks its token:
   * everything the Worker needs to decide how (and whether) to answer.
   */
  begin(op: Op, token: string | null, now: number): Decision {
    this.sql.exec("INSERT INTO calls (op, n) VALUES (?, 1) ON CONFLICT(op) DO UPDATE SET n = n + 1", op);
    const rule = this.consumeRule(op);
    const settings = this.settings();
    return {
      delayMs: settings.latencyMs + (rule?.latencyMs ?? 0),
      hang: rule?.hang === true,
      fault: rule?.status !== undefined ? faultAnswer({ ...rule, status: rule.status }) : null,
      afterApply: rule?.afterApply === true,
      tokenOk: token === null || this.tokenValid(token, now),
    };
  }

  private consumeRule(op: Op): FaultRule | null {
    const rows = this.sql
      .exec<{ ord: number; rule: string; remaining: number | null }>("SELECT ord, rule, remaining FROM faults ORDER BY ord")
      .toArray();
    if (rows.length === 0) return null;
    const rules: StoredRule[] = rows.map((r) => ({ rule: JSON.parse(r.rule) as FaultRule, remaining: r.remaining }));
    const index = pickRule(rules, op);
    if (index < 0) return null;
    const { ord, remaining } = rows[index];
    if (remaining !== null) {
      if (remaining <= 1) this.sql.exec("DELETE FROM faults WHERE ord = ?", ord);
      else this.sql.exec("UPDATE faults SET remaining = remaining - 1 WHERE ord = ?", ord);
    }
    return rules[index].rule;
  }

  faults(): Array<FaultRule & { remaining: number | null }> {
    return this.sql
      .exec<{ rule: string; remaining: number | null }>("SELECT rule, remaining FROM faults ORDER BY ord")
      .toArray()
      .map((r) => ({ ...(JSON.parse(r.rule) as FaultRule), remaining: r.remaining }));
  }

  replaceFaults(rules: readonly FaultRule[]): void {
    this.storage.transactionSync(() => {
      this.sql.exec("DELETE FROM faults");
      rules.forEach((rule, ord) => {
        const remaining = rule.times ?? null;
        this.sql.exec("INSERT INTO faults (ord, rule, remaining) VALUES (?, ?, ?)", ord, JSON.stringify(rule), remaining);
      });
    });
  }

  calls(): Record<Op, number> {
    const counts = Object.fromEntries(OPS.map((op) => [op, 0])) as Record<Op, number>;
    for (const row of this.sql.exec<{ op: Op; n: number }>("SELECT op, n FROM calls")) counts[row.op] = row.n;
    return counts;
  }

  resetCalls(): void {
    this.sql.exec("DELETE FROM calls");
  }

  storeToken(token: string, expiresAt: number, now: number): void {
    // Expired tokens are useless here; dropping them keeps the table as small as the live set.
    this.sql.exec("DELETE FROM tokens WHERE expires_at <= ?", now);
    this.sql.exec("INSERT INTO tokens (token, expires_at) VALUES (?, ?)", token, expiresAt);
  }

  tokenValid(token: string, now: number): boolean {
    const row = this.sql.exec<{ expires_at: number }>("SELECT expires_at FROM tokens WHERE token = ?", token).toArray()[0];
    return row !== undefined && now < row.expires_at;
  }

  activeTokens(now: number): number {
    return this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM tokens WHERE expires_at > ?", now).one().n;
  }

  revokeTokens(): number {
    const n = this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM tokens").one().n;
    this.sql.exec("DELETE FROM tokens");
    return n;
  }

  // --- candidates ----------------------------------------------------------------------------------

  /** Wipes candidates, events and the email index, and reseeds (settings, tokens and faults stay). */
  reseed(options: SeedOptions): number {
    let count = 0;
    this.storage.transactionSync(() => {
      count = this.replaceCandidates(seedCandidates(options));
    });
    return count;
  }

  private replaceCandidates(candidates: Iterable<SeededCandidate>): number {
    this.sql.exec("DELETE FROM candidates");
    this.sql.exec("DELETE FROM events");
    this.sql.exec("DELETE FROM emails");
    const rows = new BatchInsert(this.sql, "INSERT INTO candidates (id, data, lifecycle, source, created_at, deleted_at)", 6);
    const events = new BatchInsert(this.sql, "INSERT OR IGNORE INTO events (kind, at, id)", 3);
    const emails = new BatchInsert(this.sql, "INSERT OR IGNORE INTO emails (email, id)", 2);
    let count = 0;
    for (const c of candidates) {
      const { record } = c;
      rows.add(record.id, JSON.stringify(record), record.lifecycle, record.source, c.createdAt, c.deletedAt);
      events.add("created", c.createdAt, record.id);
      for (const at of c.updatedAt) events.add("updated", at, record.id);
      if (c.deletedAt === null) for (const email of emailsOf(record)) emails.add(email, record.id);
      else events.add("deleted", c.deletedAt, record.id);
      count++;
    }
    rows.flush();
    events.flush();
    emails.flush();
    return count;
  }

  /** Inserts one candidate with its whole timeline (created, updated…, deleted). Call inside a transaction. */
  private insertCandidate(c: SeededCandidate): void {
    const { record } = c;
    this.sql.exec(
      "INSERT INTO candidates (id, data, lifecycle, source, created_at, deleted_at) VALUES (?, ?, ?, ?, ?, ?)",
      record.id,
      JSON.stringify(record),
      record.lifecycle,
      record.source,
      c.createdAt,
      c.deletedAt,
    );
    this.addEvent("created", c.createdAt, record.id);
    for (const at of c.updatedAt) this.addEvent("updated", at, record.id);
    if (c.deletedAt === null) this.indexEmails(record);
    else this.addEvent("deleted", c.deletedAt, record.id);
  }

  private addEvent(kind: EventKind, at: number, id: string): void {
    // Two updates of one candidate in the same millisecond are one event, hence OR IGNORE.
    this.sql.exec("INSERT OR IGNORE INTO events (kind, at, id) VALUES (?, ?, ?)", kind, at, id);
  }

  private indexEmails(record: CandidateRecord): void {
    this.sql.exec("DELETE FROM emails WHERE id = ?", record.id);
    for (const email of emailsOf(record)) {
      this.sql.exec("INSERT OR IGNORE INTO emails (email, id) VALUES (?, ?)", email, record.id);
    }
  }

  /** A candidate by id; deleted ones only when `includeDeleted`. */
  load(id: string, includeDeleted = false): CandidateRow | null {
    const row = this.sql
      .exec<{ data: string; created_at: number; deleted_at: number | null }>(
        "SELECT data, created_at, deleted_at FROM candidates WHERE id = ?",
        id,
      )
      .toArray()[0];
    if (!row || (row.deleted_at !== null && !includeDeleted)) return null;
    return { record: JSON.parse(row.data) as CandidateRecord, createdAt: row.created_at, deletedAt: row.deleted_at };
  }

  /** Current candidates among `ids` (indexed lookups; `ids` is at most 50 long, within the bind limit). */
  loadMany(ids: readonly string[]): Map<string, CandidateRecord> {
    const out = new Map<string, CandidateRecord>();
    if (ids.length === 0) return out;
    const marks = ids.map(() => "?").join(",");
    const rows = this.sql.exec<{ id: string; data: string }>(
      `SELECT id, data FROM candidates WHERE deleted_at IS NULL AND id IN (${marks})`,
      ...ids,
    );
    for (const row of rows) out.set(row.id, JSON.parse(row.data) as CandidateRecord);
    return out;
  }

  exists(id: string): boolean {
    return this.sql.exec("SELECT 1 FROM candidates WHERE id = ?", id).toArray().length > 0;
  }

  /** The first of `emails` (any case) that belongs to a current candidate other than `exceptId`. */
  emailOwnedByOther(emails: readonly string[], exceptId: string): string | null {
    for (const email of emails) {
      const hit = this.sql
        .exec("SELECT id FROM emails WHERE email = ? AND id <> ? LIMIT 1", email.trim().toLowerCase(), exceptId)
        .toArray();
      if (hit.length > 0) return email;
    }
    return null;
  }

  /** The current candidate that owns one of `emails` (any case), or null (§7's `existing_id`). */
  emailOwner(emails: readonly string[]): string | null {
    for (const email of emails) {
      const hit = this.sql.exec<{ id: string }>("SELECT id FROM emails WHERE email = ? LIMIT 1", email.trim().toLowerCase()).toArray();
      if (hit.length > 0) return hit[0].id;
    }
    return null;
  }

  /** Stores a changed record and records its `updated` event at `at`. */
  save(record: CandidateRecord, at: number): void {
    this.storage.transactionSync(() => {
      this.sql.exec(
        "UPDATE candidates SET data = ?, lifecycle = ?, source = ? WHERE id = ?",
        JSON.stringify(record),
        record.lifecycle,
        record.source,
        record.id,
      );
      this.indexEmails(record);
      this.addEvent("updated", at, record.id);
    });
  }

  create(candidate: SeededCandidate): void {
    this.storage.transactionSync(() => this.insertCandidate(candidate));
  }

  /** Marks a candidate deleted: it leaves the profiles call and frees its emails; its events stay. */
  remove(id: string, at: number): void {
    this.storage.transactionSync(() => {
      this.sql.exec("UPDATE candidates SET deleted_at = ? WHERE id = ?", at, id);
      this.sql.exec("DELETE FROM emails WHERE id = ?", id);
      this.addEvent("deleted", at, id);
    });
  }

  counts(): { current: number; deleted: number } {
    const row = this.sql
      .exec<{ current: number; deleted: number }>(
        "SELECT count(*) - count(deleted_at) AS current, count(deleted_at) AS deleted FROM candidates",
      )
      .one();
    return { current: row.current, deleted: row.deleted };
  }

  /** Runs a listing query built by match.ts. */
  query(sql: string, params: ReadonlyArray<string | number>): Array<{ id: string; at: number }> {
    return this.sql.exec<{ id: string; at: number }>(sql, ...params).toArray();
  }
}
