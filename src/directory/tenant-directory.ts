import { DurableObject } from "cloudflare:workers";
import type { Env } from "../config/env";
import { loadSettings, talemetryHosts } from "../config/settings";
import { type CandidateDetails, type Person, toPerson } from "../domain/person";
import type { PhoneQuery } from "../phone/match";
import { AppError } from "../platform/errors";
import { createLogger, type Logger } from "../platform/logger";
import { isoSeconds } from "../platform/time";
import { AUTH_CACHE_TTL_SECONDS, KV_PROPAGATION_SECONDS } from "../tenants/keys";
import { syncIntervalSeconds, talemetryConcurrency } from "../tenants/settings";
import { getTenant } from "../tenants/store";
import type { Tenant } from "../tenants/types";
import {
  type Activity,
  ActivityEditLocks,
  ActivityStore,
  CLAIM_LEASE_MS,
  type ClaimRelease,
  ClaimSignals,
  type EditGrant,
  type KeyClaimOutcome,
  type StoredActivity,
} from "./activities";
import { type ClaimResult, type CompletedActivity, type SyncStatus, TENANT_DELETED_DETAIL, type TenantDirectoryApi } from "./api";
import { CHANGE_RETENTION_MS, type FeedPage, type FeedPosition, feedNow, feedPage, logEntry, pruneChanges } from "./change-log";
import { type EmailHit, type IndexChange, IndexStore, type PhoneHit } from "./index-store";
import { purgeTenantKv } from "./purge";
import { planReconcile, probeChangesFeed, reconcileIntervalSeconds, startReconcile } from "./reconcile";
import { migrateTenantStorage } from "./schema";
import { bumpSearchGeneration } from "./search-cache";
import { isoCeil, planBackfill, planIncremental, restartFull } from "./sync";
import { type Plan, runPages, type SyncSink } from "./sync-pipeline";
import { INITIAL_SYNC_STATE, type ReconcileReport, retryDelayMs, type SyncState } from "./sync-state";
import { readCachedToken, TokenFlight, type TokenOutcome, type TokenRecord, tokenOutcome, writeCachedToken } from "./token-flight";
import { authorizeTenant, syncSourceFor } from "./upstream";
import {
  type AttemptOutcome,
  type AttemptResult,
  type ClaimOutcome,
  type NewSubscription,
  type ReplayTarget,
  type StoredDelivery,
  type StoredSubscription,
  type WebhookMessage,
  WebhookStore,
} from "./webhooks";

const SYNC_KEY = "sync";
const TENANT_KEY = "tenant_id";
const DELETED_KEY = "deleted";
/**
 * A sync request (`requestSync`) not yet taken by a run. Kept apart from the sync state, which a run under
 * way writes back page by page and at its end from its own copy: a request saved into that state while
 * the run was awaiting Talemetry would be overwritten and lost.
 */
const SYNC_REQUEST_KEY = "sync_request";

/** What `requestSync` asked for; requests made before a run takes them are merged. */
interface SyncRequest {
  full: boolean;
  reconcile: boolean;
}

/** What a deleted tenant's Durable Object keeps: the one key that survives its purges. */
export interface Tombstone {
  tenant_id: string;
  /** When `purge()` was called (epoch ms). */
  deleted_at: number;
  /** When the final purge runs: set once the first purge wiped the storage; null before. */
  final_purge_at: number | null;
  /** The final purge ran: nothing is left but this record. */
  done: boolean;
}

/**
 * Why deleting a tenant leaves a tombstone and purges twice. The deletion removes the auth records from
 * KV at once, but another location may have read them just before the delete reached it (up to
 * KV_PROPAGATION_SECONDS) and serve that read for AUTH_CACHE_TTL_SECONDS more: a request there still
 * authenticates, and must not bring the tenant back.
 * - Refusal here: from `purge()` on, every method of this object refuses (the caller answers 401), and the
 *   tombstone is written again in the same critical section as `deleteAll()`. So no index rows, activity
 *   records or idempotency claims are written into the wiped storage, and no Talemetry authorization runs:
 *   the token copy in KV, which only this object writes, is never re-created.
 * - A second purge for the rest: what the Worker writes to KV by itself (the CRM users list and user-map
 *   caches, after a Talemetry call made with a token copy that location still has cached) is removed by a
 *   final purge of `tenant:<id>:*` once the last such request can have finished: both windows, plus a
 *   minute for the request's own 10 s deadline and clock margin. Refusing those writes in the Worker
 *   instead would cost every request a Durable Object round trip.
 */
export const FINAL_PURGE_DELAY_MS = (KV_PROPAGATION_SECONDS + AUTH_CACHE_TTL_SECONDS + 60) * 1000;
/**
 * Bounded work per alarm invocation: a backfill or an incremental window yields after this many pages (of
 * 500 ids) or this long, every page committed as it completes, and continues by an immediate alarm. An
 * eviction loses at most the pages in flight (./sync-pipeline.ts); the bound keeps one invocation's CPU
 * time well inside the platform's limit.
 */
const PAGES_PER_RUN = 40;
const RUN_BUDGET_MS = 15_000;
/** A reconcile pass does this many pages per run, then pauses (below) so it never crowds out the delta sync. */
const RECONCILE_PAGES_PER_RUN = 20;
const RECONCILE_PAUSE_MS = 1_000;

/** When the next run is due: at once while a pass has more, else the next poll or reconcile step. */
function nextRunAt(state: SyncState, more: boolean, now: number): number {
  if (more) return now;
  const poll = state.pollDueAt ? Date.parse(state.pollDueAt) : now;
  const reconcile = state.reconcile ? now + RECONCILE_PAUSE_MS : state.reconcileDueAt ? Date.parse(state.reconcileDueAt) : poll;
  return Math.max(now, Math.min(poll, reconcile));
}

function reconcileCounts(p: { listed: number; added: number; removed: number; calls: number }) {
  return { listed: p.listed, added: p.added, removed: p.removed, upstream_calls: p.calls };
}

function reconcileReport(r: ReconcileReport) {
  return { started_at: r.startedAt, finished_at: r.finishedAt, ...reconcileCounts(r) };
}

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
    // A deleted tenant's object stays empty: no tables are made again for it.
    void ctx.blockConcurrencyWhile(async () => {
      if (!this.isDeleted()) this.migrateSchema();
    });
  }

  // ---- lifecycle ---------------------------------------------------------------------------------

  /** Called when the tenant is created: remembers its id and starts the backfill at once. */
  async init(tenantId: string): Promise<void> {
    this.refuseIfDeleted();
    this.ctx.storage.kv.put(TENANT_KEY, tenantId);
    if (!this.ctx.storage.kv.get(SYNC_KEY)) this.ctx.storage.kv.put(SYNC_KEY, INITIAL_SYNC_STATE);
    await this.ctx.storage.setAlarm(Date.now());
  }

  /** Re-arms the sync alarm if it is missing (the cron calls this for every tenant). */
  async ensureScheduled(tenantId: string): Promise<boolean> {
    if (this.isDeleted()) return false;
    if (!this.ctx.storage.kv.get(TENANT_KEY)) this.ctx.storage.kv.put(TENANT_KEY, tenantId);
    if ((await this.ctx.storage.getAlarm()) !== null) return false;
    await this.ctx.storage.setAlarm(Date.now());
    return true;
  }

  /**
   * Deletes the tenant: from now on every method refuses (see `FINAL_PURGE_DELAY_MS`), and the alarm
   * purges `tenant:<id>:*` from KV and this object's storage in the background, then once more after the
   * auth cache window. Calling it again only makes sure the purge is scheduled: it never runs the final
   * purge early.
   */
  async purge(tenantId?: string): Promise<void> {
    const stone = this.tombstone();
    if (stone) {
      if (!stone.done && (await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(stone.final_purge_at ?? Date.now());
      return;
    }
    const id = tenantId ?? this.ctx.storage.kv.get<string>(TENANT_KEY);
    if (!id) return; // never initialized: nothing of a tenant here
    this.ctx.storage.kv.put(DELETED_KEY, { tenant_id: id, deleted_at: Date.now(), final_purge_at: null, done: false } satisfies Tombstone);
    await this.ctx.storage.setAlarm(Date.now());
  }

  override async alarm(): Promise<void> {
    const stone = this.tombstone();
    if (stone) return this.purgeStep(stone);
    if (!this.ctx.storage.kv.get<string>(TENANT_KEY)) return;
    // The change log keeps its retention; pruning is bounded per run and catches up over later alarms.
    if (!this.schemaReady) this.migrateSchema();
    pruneChanges(this.ctx.storage.sql, Date.now() - CHANGE_RETENTION_MS);
    this.webhooks().prune(Date.now());
    await this.runSync();
  }

  /** One alarm's share of a deleted tenant's purge: a KV batch, or — KV done — the storage wipe of a pass. */
  private async purgeStep(stone: Tombstone): Promise<void> {
    if (stone.done) return;
    const kvDone = await purgeTenantKv(this.env.KV, stone.tenant_id);
    if (!kvDone) return void (await this.ctx.storage.setAlarm(Date.now()));
    const first = stone.final_purge_at === null;
    const next: Tombstone = first ? { ...stone, final_purge_at: Date.now() + FINAL_PURGE_DELAY_MS } : { ...stone, done: true };
    this.indexStore = null;
    this.activityStore = null;
    this.webhookStore = null;
    this.flight = null;
    await this.ctx.storage.deleteAlarm();
    // No other event runs between the wipe and the tombstone written back: deleteAll() removes it too.
    await this.ctx.blockConcurrencyWhile(async () => {
      await this.ctx.storage.deleteAll();
      this.ctx.storage.kv.put(DELETED_KEY, next);
      // deleteAll() dropped the tables and the recorded versions; they are never made again (refused).
      this.schemaReady = false;
    });
    if (next.final_purge_at !== null && !next.done) await this.ctx.storage.setAlarm(next.final_purge_at);
  }

  /** The tombstone, once the tenant is deleted. */
  private tombstone(): Tombstone | null {
    return this.ctx.storage.kv.get<Tombstone>(DELETED_KEY) ?? null;
  }

  private isDeleted(): boolean {
    return this.tombstone() !== null;
  }

  /**
   * Every method's first step (and again after an await, before storage is touched): a deleted tenant's
   * object does nothing. An `AppError` crosses RPC as data (`toAppError` restores it): the caller's 401,
   * as for any credential that no longer works.
   */
  private refuseIfDeleted(): void {
    if (this.isDeleted()) throw new AppError("unauthorized", TENANT_DELETED_DETAIL);
  }

  // ---- Talemetry token single-flight -------------------------------------------------------------

  /**
   * A usable Talemetry token for this tenant. `rejected`: a token that just got a 401 — if it is still
   * current, authorize again; concurrent callers share that one authorization.
   */
  async getToken(rejected?: string): Promise<TokenOutcome> {
    this.refuseIfDeleted();
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
        // An authorization that was in flight when the tenant was deleted leaves no token behind.
        async (record) => {
          if (!this.isDeleted()) await writeCachedToken(this.env.KV, this.env.CREDENTIALS_KEY, tenant.id, version, record);
        },
      );
      this.flight.adopt(await readCachedToken(this.env.KV, this.env.CREDENTIALS_KEY, tenant.id, version));
    }
    return this.flight.get(rejected);
  }

  // ---- index reads (the hot path: index probes, no upstream) -------------------------------------

  async searchPhone(query: PhoneQuery, partial: boolean, limit?: number): Promise<PhoneHit[]> {
    this.refuseIfDeleted();
    return (await this.store()).searchPhone(query, { partial, limit });
  }

  async searchEmail(email: string, limit?: number): Promise<EmailHit[]> {
    this.refuseIfDeleted();
    return (await this.store()).searchEmail(email, { limit });
  }

  async getIndexed(id: string): Promise<Person | null> {
    this.refuseIfDeleted();
    return (await this.store()).get(id);
  }

  /** One page of Talkdesk contact sync (see docs/contracts/talkdesk-bridge.md, paging scheme). */
  async changes(afterSeq: number, highWater: number | null, limit: number): Promise<{ highWater: number; rows: IndexChange[] }> {
    this.refuseIfDeleted();
    const store = await this.store();
    const h = highWater ?? store.maxSeq();
    return { highWater: h, rows: store.changesSince(afterSeq, h, limit) };
  }

  // ---- change feed (./change-log.ts) -------------------------------------------------------------

  /** The position "now": the next page from it holds only changes made after this call. */
  async feedNow(): Promise<number> {
    this.refuseIfDeleted();
    await this.store();
    return feedNow(this.ctx.storage.sql);
  }

  /** One page of the change feed from `position` (at most `limit` entries), or `expired`. */
  async feedPage(position: FeedPosition, limit: number): Promise<FeedPage> {
    this.refuseIfDeleted();
    await this.store();
    return feedPage(this.ctx.storage.sql, position, limit);
  }

  // ---- write-through -----------------------------------------------------------------------------

  /** The bridge itself changed a candidate: index it now so the next search sees it. */
  async writeThrough(details: CandidateDetails, at: string): Promise<Person> {
    this.refuseIfDeleted();
    const tenant = await this.tenant();
    const store = await this.store();
    const person = toPerson(details, { updatedAt: at });
    // seen_at in the sync loop's whole-second form, so a full pass never mistakes this row for unseen.
    const result = store.upsert(person, isoCeil(Date.now()), extrasOf(details));
    if (result.searchChanged) await bumpSearchGeneration(this.env.KV, tenant.id);
    if (result.logged) await this.enqueueDeliveries(tenant.id);
    return store.get(details.id) ?? person;
  }

  // ---- sync --------------------------------------------------------------------------------------

  async syncStatus(): Promise<SyncStatus> {
    this.refuseIfDeleted();
    const state = this.state();
    const tenant = await this.tenant().catch(() => null);
    const indexed = (await this.store()).count();
    const view: SyncStatus = {
      state:
        state.failures > 0 ? "failing" : state.phase === "backfill" ? "backfilling" : state.running || state.window ? "running" : "idle",
      indexed,
      storage_bytes: this.ctx.storage.sql.databaseSize,
      checkpoint: state.checkpoint,
      last_success_at: state.lastSuccessAt,
      talemetry_concurrency: Math.min(talemetryConcurrency(tenant?.settings ?? {}), state.concurrency ?? Number.POSITIVE_INFINITY),
      changes_feed: state.changesFeed,
      reconcile: {
        state: state.reconcile ? "running" : "idle",
        next_at: state.reconcile ? null : state.reconcileDueAt,
        progress: state.reconcile ? reconcileCounts(state.reconcile) : null,
        last: state.lastReconcile ? reconcileReport(state.lastReconcile) : null,
      },
    };
    if (state.lastError) view.last_error = state.lastError;
    if (state.changesFeedError) view.changes_feed_error = state.changesFeedError;
    return view;
  }

  /**
   * Runs a sync now: an incremental window (`full`: start a complete re-read instead; `reconcile`: start
   * a reconcile pass unless one is under way), continued by alarm. The request is stored and taken by the
   * next run to start: this call's own, or — when a run is already under way, which this call then joins
   * and which may have read Talemetry before the request — the run the alarm starts as soon as it ends.
   */
  async requestSync(opts: { full?: boolean; reconcile?: boolean } = {}): Promise<SyncStatus> {
    this.refuseIfDeleted();
    this.storeSyncRequest(opts);
    await this.runSync();
    return this.syncStatus();
  }

  /**
   * An incremental window soon, without waiting for it: the request is stored and the alarm starts its
   * run at once (or, while a run is under way, as soon as that run ends). For a caller that must answer
   * within its own deadline.
   */
  async scheduleSync(): Promise<void> {
    this.refuseIfDeleted();
    this.storeSyncRequest({});
    await this.ctx.storage.setAlarm(Date.now());
  }

  /** Stores a sync request, merged with one still pending. */
  private storeSyncRequest(opts: { full?: boolean; reconcile?: boolean }): void {
    const pending = this.ctx.storage.kv.get<SyncRequest>(SYNC_REQUEST_KEY);
    this.ctx.storage.kv.put(SYNC_REQUEST_KEY, {
      full: Boolean(opts.full || pending?.full),
      reconcile: Boolean(opts.reconcile || pending?.reconcile),
    } satisfies SyncRequest);
  }

  /**
   * Takes the stored sync request, if any, into `state` (the start of a run): `full` restarts the
   * complete re-read, otherwise a failure streak is forgiven (the request retries at once); `reconcile`
   * starts a pass unless one is under way or the backfill is not done. Null when there was none.
   */
  private takeSyncRequest(state: SyncState): SyncState | null {
    const request = this.ctx.storage.kv.get<SyncRequest>(SYNC_REQUEST_KEY);
    if (!request) return null;
    this.ctx.storage.kv.delete(SYNC_REQUEST_KEY);
    let next = request.full ? restartFull(state) : state.failures > 0 ? { ...state, failures: 0 } : state;
    if (request.reconcile && !next.reconcile && next.phase === "incremental") next = startReconcile(next, Date.now());
    return next;
  }

  private runSync(): Promise<void> {
    if (!this.syncing) {
      this.syncing = this.syncOnce().finally(() => {
        this.syncing = null;
      });
    }
    return this.syncing;
  }

  /** The sink the sync passes write to: one SQLite transaction per page, its sync state included. */
  private syncSink(store: IndexStore): SyncSink {
    return {
      commit: ({ found, missing, touched, seenAt, updatedAt, next }) =>
        this.ctx.storage.transactionSync(() => {
          this.refuseIfDeleted(); // deleted while this run awaited Talemetry
          const entries = found.map((details) => ({ person: toPerson(details, { updatedAt }), extras: extrasOf(details) }));
          let searchChanged = store.upsertMany(entries, seenAt).searchChanged;
          for (const id of missing) searchChanged = store.remove(id).searchChanged || searchChanged;
          if (touched.length > 0) store.markSeen(touched, seenAt);
          this.saveState(next);
          return { searchChanged };
        }),
      dropUnseenSince: (time) => {
        this.refuseIfDeleted();
        return { searchChanged: store.removeSeenBefore(time).searchChanged };
      },
      unindexed: (ids) => store.unindexed(ids),
      unseenSince: (time, afterId, limit) => store.idsSeenBefore(time, afterId, limit),
    };
  }

  /**
   * One sync run (alarm or admin request; never two at once in this instance): the backfill, else the
   * incremental window when it is due (or requested), then — only while no delta work is pending and until
   * the next poll is due — a bounded part of a reconcile pass. Each pass is bounded per run and continues
   * by the next alarm; every page is one durable step (./sync-pipeline.ts).
   */
  private async syncOnce(): Promise<void> {
    const tenant = await this.tenant();
    const store = await this.store();
    const settings = loadSettings(this.env);
    const interval = syncIntervalSeconds(tenant.settings, settings.syncIntervalSeconds);
    const concurrency = talemetryConcurrency(tenant.settings);
    const log = createLogger({ level: settings.logLevel, fields: { tenant_id: tenant.id, component: "sync" } });
    const source = syncSourceFor(talemetryHosts(this.env), tenant, (rejected) => this.currentToken(rejected, tenant).then((r) => r.token));
    const sink = this.syncSink(store);

    // A request is taken here, once, in the same synchronous step that marks the run started; one made
    // after this point stays stored and is run next (the end of this run).
    const requested = this.takeSyncRequest(this.state());
    let state: SyncState = { ...(requested ?? this.state()), running: true };
    this.saveState(state);
    const stopAt = Date.now() + RUN_BUDGET_MS;
    let searchChanged = false;
    let error: unknown;
    /** The pass under way has more pages to do at once. */
    let more = false;
    const run = async (plan: Plan, maxPages: number, until: number): Promise<void> => {
      const result = await runPages({ source, sink, state, plan, concurrency, maxPages, stopAt: until });
      state = result.state;
      searchChanged ||= result.searchChanged;
      error = result.error;
      more = result.more;
    };
    const reconcileInterval = () => reconcileIntervalSeconds(tenant.settings.reconcile_interval_seconds ?? null, state.changesFeed);
    const at = (ms: number) => isoSeconds(ms);

    try {
      // Onboarding (and after a full resync): does the account list `updated` and `deleted` events?
      if (state.changesFeed === "unknown") {
        const probe = await probeChangesFeed(source, Date.now());
        if (probe.changesFeed !== "unknown") {
          state = { ...state, ...probe };
          this.saveState(state);
          if (probe.changesFeed === "unavailable") log.warn("changes feed unavailable", { reason: probe.changesFeedError });
        }
      }
      if (state.phase === "backfill") {
        await run(planBackfill, PAGES_PER_RUN, stopAt);
        // (Read back from storage: the pass's last commit is what says it ended.)
        if (this.state().phase === "incremental") {
          state = { ...state, pollDueAt: at(Date.now() + interval * 1000), reconcileDueAt: at(Date.now() + reconcileInterval() * 1000) };
        }
      } else {
        const pollDue =
          requested !== null || state.window !== null || state.pollDueAt === null || Date.parse(state.pollDueAt) <= Date.now();
        if (pollDue) {
          await run(planIncremental, PAGES_PER_RUN, stopAt);
          if (!more && error === undefined) state = { ...state, pollDueAt: at(Date.now() + interval * 1000) };
        }
        // Reconcile only between polls: never while a window is pending, and never past the next poll.
        if (error === undefined && !more && state.window === null) {
          if (!state.reconcile && state.reconcileDueAt === null) {
            state = { ...state, reconcileDueAt: at(Date.now() + reconcileInterval() * 1000) };
          } else if (!state.reconcile && Date.parse(state.reconcileDueAt ?? "") <= Date.now()) {
            state = startReconcile(state, Date.now());
          }
          if (state.reconcile) {
            const until = Math.min(stopAt, Date.parse(state.pollDueAt ?? "") || stopAt);
            await run(planReconcile({ intervalSeconds: reconcileInterval() }), RECONCILE_PAGES_PER_RUN, until);
            // Its pages continue after a pause (below), not at once: delta polls and requests go first.
            more = false;
            if (!state.reconcile && state.lastReconcile) log.info("reconcile done", { ...state.lastReconcile });
          }
        }
      }
    } catch (err) {
      error = err;
    }

    if (this.isDeleted()) return; // the run was cut off by the tenant's deletion: nothing to record
    if (error !== undefined) {
      // The position in storage is the last durable step: nothing past unsynced changes.
      const failures = this.state().failures + 1;
      const reason = error instanceof Error ? error.message : "sync failed";
      state = { ...this.state(), concurrency: state.concurrency, running: false, failures, lastError: reason };
      this.saveState(state);
      log.warn("sync failed", { reason, failures });
      await this.ctx.storage.setAlarm(Date.now() + retryDelayMs(failures, interval));
    } else {
      // A run without a failure ends a failure streak, whichever pass it ran.
      state = { ...state, running: false, failures: 0, lastError: null };
      this.saveState(state);
      await this.ctx.storage.setAlarm(nextRunAt(state, more, Date.now()));
    }
    if (searchChanged) await bumpSearchGeneration(this.env.KV, tenant.id);
    // Once per run, not per record: every subscription with a change pending gets one message.
    await this.enqueueDeliveries(tenant.id, log);
    // A request made while this run was under way (it joined the run, which may have read Talemetry
    // before it) runs next, at once. Checked after the last await of the run: a request arriving later
    // finds no run under way and starts its own.
    if (this.ctx.storage.kv.get(SYNC_REQUEST_KEY) !== undefined && !this.isDeleted()) await this.ctx.storage.setAlarm(Date.now());
  }

  // ---- webhooks (./webhooks.ts; the consumer is src/queue.ts) ------------------------------------

  private webhookStore: WebhookStore | null = null;

  private webhooks(): WebhookStore {
    this.refuseIfDeleted();
    if (!this.schemaReady) this.migrateSchema();
    this.webhookStore ??= new WebhookStore(this.ctx.storage.sql);
    return this.webhookStore;
  }

  /** Stores a subscription (its secret already encrypted by the caller), unless the tenant has `max`. */
  async webhookCreate(sub: NewSubscription, max: number): Promise<StoredSubscription | null> {
    const store = this.webhooks();
    if (store.count() >= max) return null;
    return store.create({ ...sub, now: Date.now() });
  }

  async webhookList(): Promise<StoredSubscription[]> {
    return this.webhooks().list();
  }

  async webhookGet(id: string): Promise<StoredSubscription | null> {
    return this.webhooks().get(id);
  }

  async webhookDelete(id: string): Promise<boolean> {
    return this.webhooks().delete(id);
  }

  async webhookDeliveries(id: string): Promise<StoredDelivery[] | null> {
    const store = this.webhooks();
    return store.get(id) ? store.deliveries(id) : null;
  }

  /**
   * A recorded delivery with its change and target, for a replay; null when any of them is gone,
   * `disabled` when the subscription is (the contract: nothing more is sent to it, replays included).
   */
  async webhookReplayTarget(id: string, deliveryId: string): Promise<ReplayTarget | "disabled" | "expired" | null> {
    const store = this.webhooks();
    const delivery = store.delivery(id, deliveryId);
    const target = store.target(id);
    if (!delivery || !target) return null;
    if (!target.active) return "disabled";
    const change = logEntry(this.ctx.storage.sql, delivery.seq);
    return change ? { delivery, change, url: target.url, secret: target.secret } : "expired";
  }

  async webhookClaim(id: string, owner: string, ticket: string | null): Promise<ClaimOutcome> {
    return this.webhooks().claim(id, owner, Date.now(), ticket);
  }

  async webhookRelease(id: string, owner: string): Promise<void> {
    this.webhooks().release(id, owner);
  }

  async webhookAttempted(id: string, owner: string, seq: number, result: AttemptResult): Promise<AttemptOutcome> {
    return this.webhooks().attempted(id, owner, seq, result, Date.now(), loadSettings(this.env).webhooks.retryBaseSeconds);
  }

  async webhookReplayed(id: string, delivery: StoredDelivery, result: Omit<AttemptResult, "ok">): Promise<void> {
    this.webhooks().replayed(id, delivery, result, Date.now());
  }

  /** The dead-letter consumer: gives the head up (see `WebhookStore.giveUp`); true when more is pending. */
  async webhookGiveUp(id: string, seq?: number): Promise<boolean> {
    return this.webhooks().giveUp(id, seq, Date.now());
  }

  /**
   * One queue message per subscription with a matching change pending (after a sync run or a
   * write-through that logged changes). A failed send is only logged: the change stays pending and the
   * next run sends again.
   */
  private async enqueueDeliveries(tenantId: string, log?: Logger): Promise<void> {
    if (this.isDeleted()) return;
    const ids = this.webhooks().pending(Date.now());
    if (ids.length === 0) return;
    try {
      await this.env.WEBHOOKS.sendBatch(
        ids.map((subscription) => ({ body: { v: 1, tenant: tenantId, subscription } satisfies WebhookMessage })),
      );
    } catch (err) {
      (log ?? createLogger({ level: loadSettings(this.env).logLevel, fields: { tenant_id: tenantId, component: "webhooks" } })).warn(
        "webhook enqueue failed; the next sync run sends again",
        { error: err },
      );
    }
  }

  // ---- helpers -----------------------------------------------------------------------------------

  private state(): SyncState {
    return { ...INITIAL_SYNC_STATE, ...(this.ctx.storage.kv.get<SyncState>(SYNC_KEY) ?? {}) };
  }

  private saveState(state: SyncState): void {
    this.refuseIfDeleted();
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
      this.refuseIfDeleted(); // after the await: a purge may have run meanwhile
      if (!this.schemaReady) this.migrateSchema();
      this.indexStore = new IndexStore(this.ctx.storage, tenant?.region ?? null);
    }
    return this.indexStore;
  }

  // ---- activities and idempotency (src/directory/activities.ts; used by src/talentlynk/activity-service.ts)

  private activityStore: ActivityStore | null = null;
  /** Wakes requests waiting on a busy idempotency key in this instance (instance state, not module state). */
  private readonly claimSignals = new ClaimSignals();
  /** One change of an activity at a time (instance state, see `ActivityEditLocks`). */
  private readonly editLocks = new ActivityEditLocks();

  private activities(): ActivityStore {
    this.refuseIfDeleted(); // also each turn of a claim's wait, and after every await of a caller
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
    const outcome = await this.awaitClaim(keys, bodyHash);
    if (outcome.kind !== "done") return outcome;
    return { kind: "done", ...this.withNote(JSON.parse(outcome.response) as Activity) };
  }

  /** Claims an idempotency key of another create (see `ActivityStore.claimKey`), waiting like `claimActivity`. */
  async claimKey(keys: string[], bodyHash: string): Promise<KeyClaimOutcome> {
    return this.awaitClaim(keys, bodyHash);
  }

  /** The claim loop both share: returns unless the key is busy, then waits for its owner (or its lease). */
  private async awaitClaim(keys: string[], bodyHash: string): Promise<KeyClaimOutcome> {
    this.refuseIfDeleted();
    // Past one full lease, so a waiter always outlives the attempt it waits for (or takes over).
    const giveUpAt = Date.now() + CLAIM_LEASE_MS + 1_000;
    for (;;) {
      const outcome = this.activities().claimKey(keys, bodyHash, Date.now());
      if (outcome.kind !== "busy" || Date.now() >= giveUpAt) return outcome;
      await this.claimSignals.wait(outcome.key, Math.min(outcome.leaseUntil, giveUpAt) - Date.now() + 1);
    }
  }

  /** Completes another create's claim with its answer; returns the first answer if another attempt won. */
  async completeKeyClaim(key: string, response: string): Promise<string> {
    this.refuseIfDeleted();
    const answer = this.activities().completeClaim(key, response);
    this.claimSignals.signal(key);
    return answer;
  }

  /** Gives another create's claim up after a failed attempt (see `ActivityStore.release`). */
  async releaseKeyClaim(key: string, owner: string, outcome: ClaimRelease): Promise<void> {
    return this.releaseActivityClaim(key, owner, outcome);
  }

  /** Stores a created activity and completes its claim; returns the answer (the first one, if raced). */
  async completeActivity(activity: StoredActivity, claim: { key: string } | null): Promise<CompletedActivity> {
    this.refuseIfDeleted();
    const answer = this.activities().complete(activity, claim);
    if (claim) this.claimSignals.signal(claim.key);
    return this.withNote(answer);
  }

  /** An activity's answer with its Talemetry note (callers name the note, e.g. Talkdesk's `external_id`). */
  private withNote(activity: Activity): CompletedActivity {
    return { activity, noteId: this.activities().get(activity.id)?.note_id ?? null };
  }

  /** Gives a claim up after a failed attempt (see `ActivityStore.release`) and wakes its waiters. */
  async releaseActivityClaim(key: string, owner: string, outcome: ClaimRelease): Promise<void> {
    this.refuseIfDeleted();
    this.activities().release(key, owner, outcome);
    this.claimSignals.signal(key);
  }

  /** One activity record with its note id, or null. */
  async getActivity(id: string): Promise<StoredActivity | null> {
    this.refuseIfDeleted();
    return this.activities().get(id);
  }

  /**
   * Starts a change of one activity: waits while another change of it is under way (see
   * `ActivityEditLocks`), then grants the edit with the activity as it now is. Null for an unknown activity.
   */
  async beginActivityEdit(id: string): Promise<EditGrant | null> {
    if (!this.activities().get(id)) return null;
    const owner = await this.editLocks.acquire(id);
    if (owner === null) return { kind: "busy" };
    const activity = this.activities().get(id);
    if (!activity) {
      this.editLocks.release(id, owner);
      return null;
    }
    return { kind: "granted", owner, activity };
  }

  /**
   * Ends a change: records `change` (the note was rewritten) unless null, and hands the edit on. Returns
   * the activity as it now is (null if it is gone).
   */
  async endActivityEdit(
    id: string,
    owner: string,
    change: { body: string; type: string } | null,
    at: string,
  ): Promise<StoredActivity | null> {
    try {
      return change ? this.activities().update(id, change, at) : this.activities().get(id);
    } finally {
      this.editLocks.release(id, owner);
    }
  }
}

/**
 * What Talkdesk contacts need beyond the person record. `websites` only when there are some, so rows of
 * candidates without any keep the extras (and the change sequence) they had before websites were read.
 */
function extrasOf(details: CandidateDetails): { address: string | null; websites?: string[] } {
  return details.websites.length > 0 ? { address: details.address, websites: details.websites } : { address: details.address };
}
