import { DurableObject } from "cloudflare:workers";
import type { Env } from "../config/env";
import { loadSettings, talemetryHosts } from "../config/settings";
import { type CandidateDetails, type Person, toPerson } from "../domain/person";
import type { PhoneQuery } from "../phone/match";
import { createLogger } from "../platform/logger";
import { syncIntervalSeconds } from "../tenants/settings";
import { getTenant } from "../tenants/store";
import type { Tenant } from "../tenants/types";
import { type Activity, ActivityStore, CLAIM_LEASE_MS, ClaimSignals, type StoredActivity } from "./activities";
import type { ClaimResult, CompletedActivity, SyncStatus, TenantDirectoryApi } from "./api";
import { type EmailHit, type IndexChange, IndexStore, type PhoneHit } from "./index-store";
import { purgeTenantKv } from "./purge";
import { migrateTenantStorage } from "./schema";
import { bumpSearchGeneration } from "./search-cache";
import { backfillPage, incrementalPage, isoCeil, restartFull, type SyncSink } from "./sync";
import { INITIAL_SYNC_STATE, retryDelayMs, type SyncState } from "./sync-state";
import { readCachedToken, TokenFlight, type TokenOutcome, type TokenRecord, tokenOutcome, writeCachedToken } from "./token-flight";
import { authorizeTenant, syncSourceFor } from "./upstream";

const SYNC_KEY = "sync";
const TENANT_KEY = "tenant_id";
const PURGING_KEY = "purging";
/**
 * Bounded work per alarm invocation: a backfill or an incremental window yields after this many pages (of
 * 500 ids) or this long, its position committed, and continues by an immediate alarm — so an eviction
 * loses at most one page.
 */
const PAGES_PER_RUN = 4;
const RUN_BUDGET_MS = 20_000;

/**
 * One instance per tenant (`idFromName(tenantId)`). Owns everything that must be strongly consistent:
 * the directory index (SQLite), its sync cursor and schedule (alarm), the single-flight Talemetry
 * authorization, and (see activities) idempotency claims and activity records.
 * See docs/architecture.md.
 */
export class TenantDirectory extends DurableObject<Env> implements TenantDirectoryApi {
  private flight: TokenFlight | null = null;
  private flightVersion = -1;
  private indexStore: IndexStore | null = null;
  /** Serializes sync runs inside this instance (alarm, admin request and cron may overlap at awaits). */
  private syncing: Promise<void> | null = null;
  /** The SQLite tables are at the current schema version (false again after a purge drops them). */
  private schemaReady = false;

  /**
   * Migrates the SQLite schema once per object start (./schema.ts), before the runtime delivers any
   * request or alarm: every method, and every store built on `ctx.storage`, then finds current tables.
   * Eager rather than lazy because many paths read SQL (index, activities, sync, tests that build a store
   * on the object's storage) and one gate at start covers them all; an up-to-date database costs one
   * read. Should a migration throw, its transaction rolls back and the runtime resets the object, so the
   * next request tries again.
   */
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => this.migrateSchema());
  }

  // ---- lifecycle ---------------------------------------------------------------------------------

  /** Called when the tenant is created: remembers its id and starts the backfill at once. */
  async init(tenantId: string): Promise<void> {
    this.ctx.storage.kv.put(TENANT_KEY, tenantId);
    this.ctx.storage.kv.delete(PURGING_KEY);
    if (!this.ctx.storage.kv.get(SYNC_KEY)) this.ctx.storage.kv.put(SYNC_KEY, INITIAL_SYNC_STATE);
    await this.ctx.storage.setAlarm(Date.now());
  }

  /** Re-arms the sync alarm if it is missing (the cron calls this for every tenant). */
  async ensureScheduled(tenantId: string): Promise<boolean> {
    if (!this.ctx.storage.kv.get(TENANT_KEY)) this.ctx.storage.kv.put(TENANT_KEY, tenantId);
    if (this.ctx.storage.kv.get(PURGING_KEY)) return false;
    if ((await this.ctx.storage.getAlarm()) !== null) return false;
    await this.ctx.storage.setAlarm(Date.now());
    return true;
  }

  /** Deletes everything this tenant owns, in the background (alarm), KV keys included. */
  async purge(tenantId?: string): Promise<void> {
    if (tenantId) this.ctx.storage.kv.put(TENANT_KEY, tenantId);
    this.ctx.storage.kv.put(PURGING_KEY, true);
    await this.ctx.storage.setAlarm(Date.now());
  }

  override async alarm(): Promise<void> {
    const tenantId = this.ctx.storage.kv.get<string>(TENANT_KEY);
    if (!tenantId) return;
    if (this.ctx.storage.kv.get(PURGING_KEY)) {
      const done = await purgeTenantKv(this.env.KV, tenantId);
      if (!done) return void (await this.ctx.storage.setAlarm(Date.now()));
      this.indexStore = null;
      this.activityStore = null;
      this.flight = null;
      await this.ctx.storage.deleteAlarm();
      await this.ctx.storage.deleteAll();
      // deleteAll() dropped the tables and the recorded versions: a later call migrates again from 0.
      this.schemaReady = false;
      return;
    }
    await this.runSync();
  }

  // ---- Talemetry token single-flight -------------------------------------------------------------

  /**
   * A usable Talemetry token for this tenant. `rejected`: a token that just got a 401 — if it is still
   * current, authorize again; concurrent callers share that one authorization.
   */
  async getToken(rejected?: string): Promise<TokenOutcome> {
    return tokenOutcome(this.currentToken(rejected));
  }

  /** `known`: the tenant config the caller already read (a sync run asks for a token on every upstream call). */
  private async currentToken(rejected?: string, known?: Tenant): Promise<TokenRecord> {
    const tenant = known ?? (await this.tenant());
    const version = tenant.talemetry.credentials_version;
    if (!this.flight || this.flightVersion !== version) {
      this.flightVersion = version;
      this.flight = new TokenFlight(
        () => authorizeTenant(this.env, tenant),
        (record) => writeCachedToken(this.env.KV, this.env.CREDENTIALS_KEY, tenant.id, version, record),
      );
      this.flight.adopt(await readCachedToken(this.env.KV, this.env.CREDENTIALS_KEY, tenant.id, version));
    }
    return this.flight.get(rejected);
  }

  // ---- index reads (the hot path: index probes, no upstream) -------------------------------------

  async searchPhone(query: PhoneQuery, partial: boolean, limit?: number): Promise<PhoneHit[]> {
    return (await this.store()).searchPhone(query, { partial, limit });
  }

  async searchEmail(email: string, limit?: number): Promise<EmailHit[]> {
    return (await this.store()).searchEmail(email, { limit });
  }

  async getIndexed(id: string): Promise<Person | null> {
    return (await this.store()).get(id);
  }

  /** One page of Talkdesk contact sync (see docs/contracts/talkdesk-bridge.md, paging scheme). */
  async changes(afterSeq: number, highWater: number | null, limit: number): Promise<{ highWater: number; rows: IndexChange[] }> {
    const store = await this.store();
    const h = highWater ?? store.maxSeq();
    return { highWater: h, rows: store.changesSince(afterSeq, h, limit) };
  }

  // ---- write-through -----------------------------------------------------------------------------

  /** The bridge itself changed a candidate: index it now so the next search sees it. */
  async writeThrough(details: CandidateDetails, at: string): Promise<Person> {
    const tenant = await this.tenant();
    const store = await this.store();
    const person = toPerson(details, { updatedAt: at });
    // seen_at in the sync loop's whole-second form, so a full pass never mistakes this row for unseen.
    const result = store.upsert(person, isoCeil(Date.now()), extrasOf(details));
    if (result.searchChanged) await bumpSearchGeneration(this.env.KV, tenant.id);
    return store.get(details.id) ?? person;
  }

  // ---- sync --------------------------------------------------------------------------------------

  async syncStatus(): Promise<SyncStatus> {
    const state = this.state();
    const indexed = (await this.store()).count();
    const view: SyncStatus = {
      state:
        state.failures > 0 ? "failing" : state.phase === "backfill" ? "backfilling" : state.running || state.window ? "running" : "idle",
      indexed,
      checkpoint: state.checkpoint,
      last_success_at: state.lastSuccessAt,
    };
    if (state.lastError) view.last_error = state.lastError;
    return view;
  }

  /** Runs an incremental sync now (`full`: start a complete re-read, continued by alarm). */
  async requestSync(opts: { full?: boolean } = {}): Promise<SyncStatus> {
    if (opts.full) this.saveState(restartFull(this.state()));
    else if (this.state().failures > 0) this.saveState({ ...this.state(), failures: 0 });
    await this.runSync();
    return this.syncStatus();
  }

  private runSync(): Promise<void> {
    if (!this.syncing) {
      this.syncing = this.syncOnce().finally(() => {
        this.syncing = null;
      });
    }
    return this.syncing;
  }

  private async syncOnce(): Promise<void> {
    const tenant = await this.tenant();
    const store = await this.store();
    const settings = loadSettings(this.env);
    const interval = syncIntervalSeconds(tenant.settings, settings.syncIntervalSeconds);
    const log = createLogger({ level: settings.logLevel, fields: { tenant_id: tenant.id, component: "sync" } });
    const source = syncSourceFor(talemetryHosts(this.env), tenant, (rejected) => this.currentToken(rejected, tenant).then((r) => r.token));
    const sink: SyncSink = {
      commit: ({ found, missing, seenAt, updatedAt, next }) =>
        this.ctx.storage.transactionSync(() => {
          let searchChanged = false;
          for (const details of found) {
            const r = store.upsert(toPerson(details, { updatedAt }), seenAt, extrasOf(details));
            searchChanged ||= r.searchChanged;
          }
          for (const id of missing) searchChanged = store.remove(id).searchChanged || searchChanged;
          this.saveState(next);
          return { searchChanged };
        }),
      dropUnseenSince: (time) => ({ searchChanged: store.removeSeenBefore(time).searchChanged }),
    };

    let state: SyncState = { ...this.state(), running: true };
    this.saveState(state);
    const started = Date.now();
    let searchChanged = false;
    let more = false;
    let pages = 0;
    try {
      do {
        pages++;
        const step =
          state.phase === "backfill"
            ? await backfillPage(source, sink, state, Date.now())
            : await incrementalPage(source, sink, state, Date.now());
        state = step.state;
        more = step.more;
        searchChanged ||= step.searchChanged;
      } while (more && pages < PAGES_PER_RUN && Date.now() - started < RUN_BUDGET_MS);
      state = { ...state, running: false };
      this.saveState(state);
      await this.ctx.storage.setAlarm(Date.now() + (more ? 0 : interval * 1000));
    } catch (err) {
      // The checkpoint/cursor in storage is the last durable step: nothing past unsynced changes.
      const failures = this.state().failures + 1;
      const reason = err instanceof Error ? err.message : "sync failed";
      state = { ...this.state(), running: false, failures, lastError: reason };
      this.saveState(state);
      log.warn("sync failed", { reason, failures });
      await this.ctx.storage.setAlarm(Date.now() + retryDelayMs(failures, interval));
    } finally {
      if (searchChanged) await bumpSearchGeneration(this.env.KV, tenant.id);
    }
  }

  // ---- helpers -----------------------------------------------------------------------------------

  private state(): SyncState {
    return { ...INITIAL_SYNC_STATE, ...(this.ctx.storage.kv.get<SyncState>(SYNC_KEY) ?? {}) };
  }

  private saveState(state: SyncState): void {
    this.ctx.storage.kv.put(SYNC_KEY, state);
  }

  private async tenant(): Promise<Tenant> {
    const id = this.ctx.storage.kv.get<string>(TENANT_KEY);
    const tenant = id ? await getTenant(this.env, id) : null;
    if (!tenant) throw new Error("tenant not found");
    return tenant;
  }

  private migrateSchema(): void {
    const result = migrateTenantStorage(this.ctx.storage);
    this.schemaReady = true;
    // A new object's first migration is routine; an upgrade or an adoption is worth a line.
    if (result.applied.length > 0 && (result.from > 0 || result.adopted)) {
      const tenantId = this.ctx.storage.kv.get<string>(TENANT_KEY) ?? null;
      const log = createLogger({ level: loadSettings(this.env).logLevel, fields: { tenant_id: tenantId, component: "storage" } });
      log.info("storage schema migrated", { from: result.from, to: result.to, adopted: result.adopted });
    }
  }

  private async store(): Promise<IndexStore> {
    if (!this.indexStore) {
      const tenant = await this.tenant().catch(() => null);
      if (!this.schemaReady) this.migrateSchema(); // after the await: a purge may have run meanwhile
      this.indexStore = new IndexStore(this.ctx.storage, tenant?.region ?? null);
    }
    return this.indexStore;
  }

  // ---- activities and idempotency (src/directory/activities.ts; used by src/talentlynk/activity-service.ts)

  private activityStore: ActivityStore | null = null;
  /** Wakes requests waiting on a busy idempotency key in this instance (instance state, not module state). */
  private readonly claimSignals = new ClaimSignals();

  private activities(): ActivityStore {
    if (!this.schemaReady) this.migrateSchema();
    this.activityStore ??= new ActivityStore(this.ctx.storage);
    return this.activityStore;
  }

  /**
   * Claims an idempotency key (see `ActivityStore.claim`). While another attempt holds it, waits here —
   * woken when that attempt completes or releases, or when its lease ends and this request may take
   * over — so two identical requests at once create one note and the second gets the first's answer.
   */
  async claimActivity(keys: string[], bodyHash: string): Promise<ClaimResult> {
    // Past one full lease, so a waiter always outlives the attempt it waits for (or takes over).
    const giveUpAt = Date.now() + CLAIM_LEASE_MS + 1_000;
    for (;;) {
      const outcome = this.activities().claim(keys, bodyHash, Date.now());
      if (outcome.kind === "done") return { kind: "done", ...this.withNote(outcome.activity) };
      if (outcome.kind !== "busy" || Date.now() >= giveUpAt) return outcome;
      await this.claimSignals.wait(outcome.key, Math.min(outcome.leaseUntil, giveUpAt) - Date.now() + 1);
    }
  }

  /** Stores a created activity and completes its claim; returns the answer (the first one, if raced). */
  async completeActivity(activity: StoredActivity, claim: { key: string } | null): Promise<CompletedActivity> {
    const answer = this.activities().complete(activity, claim);
    if (claim) this.claimSignals.signal(claim.key);
    return this.withNote(answer);
  }

  /** An activity's answer with its Talemetry note (callers name the note, e.g. Talkdesk's `external_id`). */
  private withNote(activity: Activity): CompletedActivity {
    return { activity, noteId: this.activities().get(activity.id)?.note_id ?? null };
  }

  /** Gives a claim up after a failed attempt (see `ActivityStore.release`) and wakes its waiters. */
  async releaseActivityClaim(key: string, owner: string, uncertain: boolean): Promise<void> {
    this.activities().release(key, owner, uncertain);
    this.claimSignals.signal(key);
  }

  /** One activity record with its note id, or null. */
  async getActivity(id: string): Promise<StoredActivity | null> {
    return this.activities().get(id);
  }

  /** Records a change of body/type after the note was rewritten. */
  async updateActivityRecord(id: string, change: { body?: string; type?: string }, at: string): Promise<StoredActivity | null> {
    return this.activities().update(id, change, at);
  }
}

/** What Talkdesk contacts need beyond the person record. */
function extrasOf(details: CandidateDetails): { address: string | null } {
  return { address: details.address };
}
