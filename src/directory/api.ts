/**
 * The tenant Durable Object's RPC surface, and the one place a stub of it is made. Callers get a stub
 * typed by this interface rather than by the class: the RPC types the runtime infers for the whole class
 * are deeper than the compiler follows, and the class `implements` this interface, so the two cannot drift.
 */
import type { CandidateDetails, Person } from "../domain/person";
import type { PhoneQuery } from "../phone/match";
import type { Tenant } from "../tenants/types";
import type { Activity, ClaimOutcome, ClaimRelease, EditGrant, KeyClaimOutcome, StoredActivity } from "./activities";
import type { FeedPage, FeedPosition } from "./change-log";
import type { EmailHit, IndexChange, PhoneHit } from "./index-store";
import type { TokenOutcome } from "./token-flight";
import type {
  AttemptOutcome,
  AttemptResult,
  NewSubscription,
  ReplayTarget,
  StoredDelivery,
  StoredSubscription,
  ClaimOutcome as WebhookClaimOutcome,
} from "./webhooks";

/** The directory's sync status, as `GET /admin/tenants/{id}/sync` shows it. */
export interface SyncStatus {
  state: "idle" | "running" | "backfilling" | "failing";
  indexed: number;
  /** Bytes of the tenant object's SQLite storage (index, activity records, claims). */
  storage_bytes: number;
  checkpoint: string | null;
  last_success_at: string | null;
  last_error?: string;
  /** Talemetry calls a sync run keeps in flight now (the tenant's setting, halved after a `429` until the pass ends). */
  talemetry_concurrency: number;
  /** Whether the account lists `updated`/`deleted` events (see ./sync-state.ts `ChangesFeed`). */
  changes_feed: "unknown" | "available" | "unavailable";
  /** Why the changes feed is unavailable (safe text). */
  changes_feed_error?: string;
  reconcile: {
    state: "idle" | "running";
    /** When the next pass starts (null while one runs, or before the backfill is done). */
    next_at: string | null;
    /** The pass under way: ids listed so far, candidates added and removed, Talemetry calls. */
    progress: ReconcileCounts | null;
    /** The last finished pass: what it found and fixed. */
    last: (ReconcileCounts & { started_at: string; finished_at: string }) | null;
  };
}

/** What a reconcile pass found and fixed. */
export interface ReconcileCounts {
  listed: number;
  added: number;
  removed: number;
  upstream_calls: number;
}

/** A stored activity's answer and the Talemetry note behind it (null if the record is gone). */
export interface CompletedActivity {
  activity: Activity;
  noteId: string | null;
}

/** A claim's outcome across RPC: a finished claim also names the note its first attempt wrote. */
export type ClaimResult = Exclude<ClaimOutcome, { kind: "done" }> | ({ kind: "done" } & CompletedActivity);

/**
 * What every method of a deleted tenant's Durable Object rejects with: an `AppError` of code
 * `unauthorized` (the caller's 401) carrying this detail (see `FINAL_PURGE_DELAY_MS` in
 * ./tenant-directory.ts).
 */
export const TENANT_DELETED_DETAIL = "The credential is not valid: its tenant has been deleted.";

/** Everything the Worker may ask of a tenant's Durable Object; after the tenant's deletion, each rejects. */
export interface TenantDirectoryApi {
  // lifecycle
  init(tenantId: string): Promise<void>;
  ensureScheduled(tenantId: string): Promise<boolean>;
  purge(tenantId?: string): Promise<void>;
  // Talemetry token single-flight
  getToken(rejected?: string): Promise<TokenOutcome>;
  // index reads
  /** `limit`: default the contract's 50; at most one more (`MAX_SEARCH_LIMIT`), to tell whether more matched. */
  searchPhone(query: PhoneQuery, partial: boolean, limit?: number): Promise<PhoneHit[]>;
  searchEmail(email: string, limit?: number): Promise<EmailHit[]>;
  getIndexed(id: string): Promise<Person | null>;
  changes(afterSeq: number, highWater: number | null, limit: number): Promise<{ highWater: number; rows: IndexChange[] }>;
  // change feed
  feedNow(): Promise<number>;
  feedPage(position: FeedPosition, limit: number): Promise<FeedPage>;
  // webhooks (subscriptions for the /v1 routes; claims and outcomes for the queue consumer)
  /** Null when the tenant already has `max` subscriptions. */
  webhookCreate(sub: NewSubscription, max: number): Promise<StoredSubscription | null>;
  webhookList(): Promise<StoredSubscription[]>;
  webhookGet(id: string): Promise<StoredSubscription | null>;
  webhookDelete(id: string): Promise<boolean>;
  /** Null when there is no such subscription. */
  webhookDeliveries(id: string): Promise<StoredDelivery[] | null>;
  /**
   * Null: no such subscription or delivery; `disabled`: the subscription is disabled (nothing more is sent
   * to it); `expired`: its change is past the log's retention.
   */
  webhookReplayTarget(id: string, deliveryId: string): Promise<ReplayTarget | "disabled" | "expired" | null>;
  /** `ticket`: the scheduled retry's ticket the message carries, if any (see `WebhookStore.claim`). */
  webhookClaim(id: string, owner: string, ticket: string | null): Promise<WebhookClaimOutcome>;
  webhookRelease(id: string, owner: string): Promise<void>;
  webhookAttempted(id: string, owner: string, seq: number, result: AttemptResult): Promise<AttemptOutcome>;
  webhookReplayed(id: string, delivery: StoredDelivery, result: Omit<AttemptResult, "ok">): Promise<void>;
  webhookGiveUp(id: string, seq?: number): Promise<boolean>;
  // write-through
  writeThrough(details: CandidateDetails, at: string): Promise<Person>;
  // sync
  syncStatus(): Promise<SyncStatus>;
  requestSync(opts?: { full?: boolean; reconcile?: boolean }): Promise<SyncStatus>;
  /** An incremental window soon, without waiting for its run (the alarm starts it at once). */
  scheduleSync(): Promise<void>;
  // activities and idempotency claims
  claimActivity(keys: string[], bodyHash: string): Promise<ClaimResult>;
  completeActivity(activity: StoredActivity, claim: { key: string } | null): Promise<CompletedActivity>;
  releaseActivityClaim(key: string, owner: string, outcome: ClaimRelease): Promise<void>;
  // idempotency claims of other creates (a candidate), same table and rules; answers as JSON text
  claimKey(keys: string[], bodyHash: string): Promise<KeyClaimOutcome>;
  completeKeyClaim(key: string, response: string): Promise<string>;
  releaseKeyClaim(key: string, owner: string, outcome: ClaimRelease): Promise<void>;
  getActivity(id: string): Promise<StoredActivity | null>;
  /** Waits for and takes the edit of an activity (one change at a time); null for an unknown activity. */
  beginActivityEdit(id: string): Promise<EditGrant | null>;
  /** Records a change (null: none) and hands the edit on; the activity as it now is. */
  endActivityEdit(id: string, owner: string, change: { body: string; type: string } | null, at: string): Promise<StoredActivity | null>;
}

/** The namespace binding as the Worker sees it (the class type stays out of callers' signatures). */
export type TenantDirectoryNamespace = DurableObjectNamespace<import("./tenant-directory").TenantDirectory>;

/**
 * The tenant's Durable Object (one per tenant, named by the tenant id). Given the tenant record, the
 * stub carries its location hint: only the first `get()` of an object honours one (Cloudflare, "Data
 * location"), and the first is the tenant's creation, which always passes the record.
 */
export function tenantDirectory(
  namespace: TenantDirectoryNamespace,
  tenant: string | Pick<Tenant, "id" | "location_hint">,
): TenantDirectoryApi {
  const id = namespace.idFromName(typeof tenant === "string" ? tenant : tenant.id);
  const locationHint = typeof tenant === "string" ? null : (tenant.location_hint ?? null);
  return (locationHint ? namespace.get(id, { locationHint }) : namespace.get(id)) as unknown as TenantDirectoryApi;
}
