/**
 * Data access for one simulated account, inside its Durable Object (SQLite storage, schema.ts).
 * Everything is synchronous SQL, so each public operation runs without interleaving other requests;
 * multi-statement writes still go through `transactionSync` so a failure leaves nothing half-written.
 * The only instance state is caches of what storage says (this object is the sole writer): the ones
 * every upstream call reads (settings, fault rules, token expiries, which ids have a stored row) keep
 * a call's work in this object to the one statement that counts it.
 *
 * Seeded candidates are not stored: they are derived from the seed configuration on demand
 * (seed-plan.ts, seed.ts). What is stored is what differs — the demo candidates, candidates created
 * through the control API, and an override row for each derived candidate changed or deleted.
 */

import { DEMO_CANDIDATES } from "./demo-data";
import { type Decision, type FaultRule, faultAnswer, OPS, type Op, pickRule, type StoredRule } from "./faults";
import { derivedEvents, listingQuery, mergePositions, type OverrideState, type Position, passesExclusions, type Window } from "./match";
import { type CandidateRecord, emailsOf, type SeededCandidate } from "./records";
import { ACCOUNT_SCHEMA_VERSION, ACCOUNT_TABLES, CANDIDATE_TABLE_NAMES } from "./schema";
import { demoCandidates, generateRecord, indexOfEmail } from "./seed";
import { planFor, type SeedConfig, type SeedPlan } from "./seed-plan";
import { DEFAULT_TOKEN_TTL_SECONDS } from "./tokens";
import type { IdsRequest } from "./upstream-schemas";

/** A seeding request: everything of `SeedConfig` but the number of demo candidates that exist. */
export type SeedOptions = Omit<SeedConfig, "demoTotal">;

/** Derived indexes looked up per query when a listing checks for overrides (≤ 100 bound parameters). */
const OVERRIDE_BATCH = 90;

export interface AccountSettings {
  latencyMs: number;
  tokenTtlSeconds: number;
  singleCandidateAsObject: boolean;
  /** Talemetry's `track_candidate_last_changes` feature: off, `updated`/`deleted` listings are refused. */
  trackCandidateLastChanges: boolean;
}

const DEFAULT_SETTINGS: AccountSettings = {
  latencyMs: 0,
  tokenTtlSeconds: DEFAULT_TOKEN_TTL_SECONDS,
  singleCandidateAsObject: false,
  trackCandidateLastChanges: true,
};

export interface CandidateRow {
  record: CandidateRecord;
  createdAt: number;
  deletedAt: number | null;
  /** The derived index (seed-plan.ts) of a seeded candidate, overridden or not; null for others. */
  index: number | null;
  /** Whether a row exists in storage (false: a derived candidate as seeded, never written). */
  stored: boolean;
}

type EventKind = "created" | "updated" | "deleted";

export class AccountStore {
  private ready = false;
  private cachedSettings: AccountSettings | null = null;
  private cachedPlan: SeedPlan | null = null;
  /** Whether any derived candidate has an override row (most listings then skip the lookups). */
  private anyOverride: boolean | null = null;
  /** The fault rules in order, with their uses left (null: not read yet). */
  private faultRows: Array<StoredRule & { ord: number }> | null = null;
  /** Expiry of tokens found in storage; a token not in it is looked up (and refused when absent). */
  private tokenExpiries = new Map<string, number>();
  /**
   * Ids that may have a row in `candidates` (null: not read yet). A superset: an insert rolled back
   * leaves its id here, which costs one lookup that finds nothing; nothing stored is ever missing.
   */
  private storedIdSet: Set<string> | null = null;

  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly defaultSeedCount: number,
  ) {}

  private get sql(): SqlStorage {
    return this.storage.sql;
  }

  /**
   * Whether this object holds the created account `clientId` (POST /__control/accounts): an account
   * that was never created has no tables and no secret, and answers nothing. Reading creates nothing,
   * so probing unknown client ids leaves no storage behind. An account stored under an older schema
   * keeps its secret, settings, tokens, faults and counters and is reseeded with the default data.
   */
  open(clientId: string): boolean {
    if (this.ready) return true;
    if (this.sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").toArray().length === 0) return false;
    const owner = this.meta("client_id");
    if (owner === null || this.meta("secret_sha256") === null) return false;
    if (owner !== clientId) throw new Error(`account object of ${owner} addressed as ${clientId}`);
    if (this.meta("schema") !== ACCOUNT_SCHEMA_VERSION) {
      this.storage.transactionSync(() => {
        for (const table of CANDIDATE_TABLE_NAMES) this.sql.exec(`DROP TABLE IF EXISTS ${table}`);
        for (const statement of ACCOUNT_TABLES) this.sql.exec(statement);
        this.setMeta("schema", ACCOUNT_SCHEMA_VERSION);
        this.replaceCandidates({ clientId, count: this.defaultSeedCount });
      });
    }
    this.ready = true;
    return true;
  }

  /**
   * Creates the account: its tables, the SHA-256 of its secret key (never the key) and the default
   * seed. False when it exists already. Leftovers of an account that was never created (an older
   * simulator's implicit accounts) are dropped first.
   */
  createAccount(clientId: string, secretSha256: string): boolean {
    if (this.open(clientId)) return false;
    this.storage.transactionSync(() => {
      const tables = this.sql.exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").toArray();
      for (const { name } of tables) if (!name.startsWith("_cf") && !name.startsWith("sqlite_")) this.sql.exec(`DROP TABLE "${name}"`);
      for (const statement of ACCOUNT_TABLES) this.sql.exec(statement);
      this.setMeta("client_id", clientId);
      this.setMeta("schema", ACCOUNT_SCHEMA_VERSION);
      this.setMeta("secret_sha256", secretSha256);
      this.replaceCandidates({ clientId, count: this.defaultSeedCount });
    });
    this.cachedSettings = null;
    this.ready = true;
    return true;
  }

  /** The SHA-256 (hex) of the account's secret key. */
  secretSha256(): string {
    return this.meta("secret_sha256") ?? "";
  }

  /** Replaces the secret key's digest: the old key stops working (issued tokens stay valid). */
  replaceSecret(secretSha256: string): void {
    this.setMeta("secret_sha256", secretSha256);
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
    this.faultRows ??= this.sql
      .exec<{ ord: number; rule: string; remaining: number | null }>("SELECT ord, rule, remaining FROM faults ORDER BY ord")
      .toArray()
      .map((r) => ({ ord: r.ord, rule: JSON.parse(r.rule) as FaultRule, remaining: r.remaining }));
    const rows = this.faultRows;
    if (rows.length === 0) return null;
    const index = pickRule(rows, op);
    if (index < 0) return null;
    const row = rows[index];
    if (row.remaining !== null) {
      if (row.remaining <= 1) {
        this.sql.exec("DELETE FROM faults WHERE ord = ?", row.ord);
        rows.splice(index, 1);
      } else {
        this.sql.exec("UPDATE faults SET remaining = remaining - 1 WHERE ord = ?", row.ord);
        row.remaining -= 1;
      }
    }
    return row.rule;
  }

  faults(): Array<FaultRule & { remaining: number | null }> {
    return this.sql
      .exec<{ rule: string; remaining: number | null }>("SELECT rule, remaining FROM faults ORDER BY ord")
      .toArray()
      .map((r) => ({ ...(JSON.parse(r.rule) as FaultRule), remaining: r.remaining }));
  }

  replaceFaults(rules: readonly FaultRule[]): void {
    this.faultRows = null;
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
    this.tokenExpiries.clear();
    this.sql.exec("DELETE FROM tokens WHERE expires_at <= ?", now);
    this.sql.exec("INSERT INTO tokens (token, expires_at) VALUES (?, ?)", token, expiresAt);
  }

  /** The token's expiry when this account holds it (expired or not), else null. */
  private tokenExpiry(token: string): number | null {
    let expiresAt = this.tokenExpiries.get(token);
    if (expiresAt === undefined) {
      const row = this.sql.exec<{ expires_at: number }>("SELECT expires_at FROM tokens WHERE token = ?", token).toArray()[0];
      if (row === undefined) return null;
      expiresAt = row.expires_at;
      this.tokenExpiries.set(token, expiresAt);
    }
    return expiresAt;
  }

  tokenValid(token: string, now: number): boolean {
    const expiresAt = this.tokenExpiry(token);
    return expiresAt !== null && now < expiresAt;
  }

  /** Whether this account issued the token and still holds it (expired or not; revoked ones are gone). */
  holdsToken(token: string): boolean {
    return this.tokenExpiry(token) !== null;
  }

  activeTokens(now: number): number {
    return this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM tokens WHERE expires_at > ?", now).one().n;
  }

  revokeTokens(): number {
    this.tokenExpiries.clear();
    const n = this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM tokens").one().n;
    this.sql.exec("DELETE FROM tokens");
    return n;
  }

  // --- candidates ---------------------------------------------------------------------------------

  /** Wipes stored candidates, events and the email index, and reseeds (settings, tokens and faults stay). */
  reseed(options: SeedOptions): number {
    let count = 0;
    this.storage.transactionSync(() => {
      count = this.replaceCandidates(options);
    });
    return count;
  }

  /** Stores the seed configuration and the demo candidates; the generated ones are derived from it. */
  private replaceCandidates(options: SeedOptions): number {
    this.storedIdSet = null;
    this.sql.exec("DELETE FROM candidates");
    this.sql.exec("DELETE FROM events");
    this.sql.exec("DELETE FROM emails");
    this.sql.exec("DELETE FROM meta WHERE key = 'derived_deleted'");
    this.setMeta("seed", JSON.stringify({ count: options.count, seed: options.seed, demo: options.demo }));
    this.cachedPlan = null;
    this.anyOverride = false;
    for (const candidate of demoCandidates(this.plan())) this.insertCandidate(candidate, null);
    return options.count;
  }

  /** The derivation of this account's seeded candidates. */
  plan(): SeedPlan {
    if (!this.cachedPlan) {
      const seed = JSON.parse(this.meta("seed") ?? "{}") as Partial<SeedOptions>;
      this.cachedPlan = planFor({
        clientId: this.clientId(),
        count: seed.count ?? this.defaultSeedCount,
        seed: seed.seed,
        demo: seed.demo,
        demoTotal: DEMO_CANDIDATES.length,
      });
    }
    return this.cachedPlan;
  }

  /** Inserts one candidate with its whole timeline (created, updated…, deleted). Call inside a transaction. */
  private insertCandidate(c: SeededCandidate, index: number | null): void {
    const { record } = c;
    this.sql.exec(
      "INSERT INTO candidates (id, data, lifecycle, source, created_at, deleted_at, idx) VALUES (?, ?, ?, ?, ?, ?, ?)",
      record.id,
      JSON.stringify(record),
      record.lifecycle,
      record.source,
      c.createdAt,
      c.deletedAt,
      index,
    );
    this.storedIdSet?.add(record.id);
    if (index === null) this.addEvent("created", c.createdAt, record.id);
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

  private storedRow(row: { data: string; created_at: number; deleted_at: number | null; idx: number | null }): CandidateRow {
    return {
      record: JSON.parse(row.data) as CandidateRecord,
      createdAt: row.created_at,
      deletedAt: row.deleted_at,
      index: row.idx,
      stored: true,
    };
  }

  /** A candidate by id (a stored row wins over the derivation); deleted ones only when `includeDeleted`. */
  load(id: string, includeDeleted = false): CandidateRow | null {
    const row = this.sql
      .exec<{ data: string; created_at: number; deleted_at: number | null; idx: number | null }>(
        "SELECT data, created_at, deleted_at, idx FROM candidates WHERE id = ?",
        id,
      )
      .toArray()[0];
    let found: CandidateRow | null;
    if (row) found = this.storedRow(row);
    else {
      const skeleton = this.plan().find(id);
      found = skeleton && {
        record: generateRecord(this.plan(), skeleton),
        createdAt: skeleton.createdAt,
        deletedAt: skeleton.deletedAt,
        index: skeleton.index,
        stored: false,
      };
    }
    if (!found || (found.deletedAt !== null && !includeDeleted)) return null;
    return found;
  }

  /**
   * The stored rows among `ids` (at most 50, within the bind limit): each one's record JSON, or null when
   * it is deleted. Ids without a row are derived candidates as seeded, or unknown: the caller derives
   * them (profiles.ts). Most calls name no stored candidate and cost no query.
   */
  storedRecords(ids: readonly string[]): Map<string, string | null> {
    const out = new Map<string, string | null>();
    this.storedIdSet ??= new Set(
      this.sql
        .exec<{ id: string }>("SELECT id FROM candidates")
        .toArray()
        .map((r) => r.id),
    );
    const stored = this.storedIdSet;
    const maybe = ids.filter((id) => stored.has(id));
    if (maybe.length === 0) return out;
    const rows = this.sql.exec<{ id: string; data: string; deleted_at: number | null }>(
      `SELECT id, data, deleted_at FROM candidates WHERE id IN (${maybe.map(() => "?").join(",")})`,
      ...maybe,
    );
    for (const row of rows) out.set(row.id, row.deleted_at === null ? row.data : null);
    return out;
  }

  /** Whether the id is taken, by a stored or a derived candidate (deleted ones included). */
  exists(id: string): boolean {
    return this.sql.exec("SELECT 1 FROM candidates WHERE id = ?", id).toArray().length > 0 || this.plan().find(id) !== null;
  }

  /**
   * The first of `emails` (any case) that belongs to a current candidate other than `exceptId`, with
   * that candidate's id. Stored candidates are in the emails table; a derived one is found through the
   * index its generated emails carry (seed.ts), unless a stored override replaced it.
   */
  emailOwner(emails: readonly string[], exceptId: string): { email: string; id: string } | null {
    const plan = this.plan();
    for (const email of emails) {
      const key = email.trim().toLowerCase();
      const hit = this.sql.exec<{ id: string }>("SELECT id FROM emails WHERE email = ? AND id <> ? LIMIT 1", key, exceptId).toArray()[0];
      if (hit) return { email, id: hit.id };
      const index = indexOfEmail(key);
      if (index === null || index < 0 || index >= plan.generated) continue;
      const skeleton = plan.skeleton(index);
      if (skeleton.deletedAt !== null || skeleton.id === exceptId) continue;
      if (this.sql.exec("SELECT 1 FROM candidates WHERE id = ?", skeleton.id).toArray().length > 0) continue;
      if (emailsOf(generateRecord(plan, skeleton)).includes(key)) return { email, id: skeleton.id };
    }
    return null;
  }

  /**
   * Stores a changed record and records its `updated` event at `at`. A derived candidate's first write
   * stores its override row (with its derived index and creation time).
   */
  save(previous: CandidateRow, record: CandidateRecord, at: number): void {
    this.storage.transactionSync(() => {
      if (previous.stored) {
        this.sql.exec(
          "UPDATE candidates SET data = ?, lifecycle = ?, source = ? WHERE id = ?",
          JSON.stringify(record),
          record.lifecycle,
          record.source,
          record.id,
        );
        this.indexEmails(record);
      } else this.insertOverride(record, previous, null);
      this.addEvent("updated", at, record.id);
    });
  }

  private insertOverride(record: CandidateRecord, previous: CandidateRow, deletedAt: number | null): void {
    this.insertCandidate({ record, createdAt: previous.createdAt, updatedAt: [], deletedAt }, previous.index);
    this.anyOverride = true;
  }

  create(candidate: SeededCandidate): void {
    this.storage.transactionSync(() => this.insertCandidate(candidate, null));
  }

  /** Marks a candidate deleted: it leaves the profiles call and frees its emails; its events stay. */
  remove(previous: CandidateRow, at: number): void {
    this.storage.transactionSync(() => {
      if (previous.stored) {
        this.sql.exec("UPDATE candidates SET deleted_at = ? WHERE id = ?", at, previous.record.id);
        this.sql.exec("DELETE FROM emails WHERE id = ?", previous.record.id);
        this.addEvent("deleted", at, previous.record.id);
      } else this.insertOverride(previous.record, previous, at);
    });
  }

  counts(): { current: number; deleted: number } {
    const row = this.sql
      .exec<{ plain_current: number; plain_deleted: number; overridden_deleted: number }>(
        `SELECT coalesce(sum(idx IS NULL AND deleted_at IS NULL), 0) AS plain_current,
                coalesce(sum(idx IS NULL AND deleted_at IS NOT NULL), 0) AS plain_deleted,
                coalesce(sum(idx IS NOT NULL AND deleted_at IS NOT NULL), 0) AS overridden_deleted
         FROM candidates`,
      )
      .one();
    // Overrides exist only for derived candidates that were current when first written.
    const derivedDeleted = this.derivedDeleted();
    return {
      current: this.plan().generated - derivedDeleted - row.overridden_deleted + row.plain_current,
      deleted: derivedDeleted + row.overridden_deleted + row.plain_deleted,
    };
  }

  /** How many derived candidates the seed deletes: a scan of the derivation, done once per seeding. */
  private derivedDeleted(): number {
    const cached = this.meta("derived_deleted");
    if (cached !== null) return Number(cached);
    const n = this.plan().countDeleted();
    this.setMeta("derived_deleted", String(n));
    return n;
  }

  /** Bytes of this account's SQLite database (the figure that shows what an override costs). */
  storageBytes(): number {
    return this.sql.databaseSize;
  }

  /**
   * One page of a Match API listing, plus one position to tell whether another page follows: the
   * stored rows' query merged with the derived candidates' events.
   */
  listing(request: IdsRequest, window: Window, limit: number): Position[] {
    const q = listingQuery(request, window.after);
    const stored = this.sql.exec<{ id: string; at: number }>(q.sql, ...q.params).toArray();
    return mergePositions(stored, this.derivedListing(request, window, limit), limit);
  }

  private derivedListing(request: IdsRequest, window: Window, limit: number): Position[] {
    const out: Position[] = [];
    let batch: Array<Position & { index: number; lifecycle: string | null; source: string | null }> = [];
    const flush = () => {
      const overrides = this.overridesOf(batch.map((e) => e.index));
      for (const e of batch) {
        const o = overrides.get(e.index);
        if (window.kind === "all" && o?.deleted) continue;
        if (!passesExclusions(request, o ? o.lifecycle : e.lifecycle, o ? o.source : e.source)) continue;
        out.push({ at: e.at, id: e.id });
      }
      batch = [];
    };
    for (const event of derivedEvents(this.plan(), window)) {
      batch.push(event);
      if (batch.length >= Math.min(OVERRIDE_BATCH, limit - out.length)) {
        flush();
        if (out.length >= limit) break;
      }
    }
    flush();
    return out.slice(0, limit);
  }

  /** The stored overrides of these derived indexes (at most OVERRIDE_BATCH of them). */
  private overridesOf(indexes: readonly number[]): Map<number, OverrideState> {
    const out = new Map<number, OverrideState>();
    this.anyOverride ??= this.sql.exec("SELECT 1 FROM candidates WHERE idx IS NOT NULL LIMIT 1").toArray().length > 0;
    if (!this.anyOverride || indexes.length === 0) return out;
    const rows = this.sql.exec<{ idx: number; deleted_at: number | null; lifecycle: string | null; source: string | null }>(
      `SELECT idx, deleted_at, lifecycle, source FROM candidates WHERE idx IN (${indexes.map(() => "?").join(",")})`,
      ...indexes,
    );
    for (const r of rows) out.set(r.idx, { deleted: r.deleted_at !== null, lifecycle: r.lifecycle, source: r.source });
    return out;
  }
}
