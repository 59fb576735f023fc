import { randomHex } from "../platform/crypto";
import { type ChangeEntry, type ChangeEvent, feedNow, logAfter, logEntry } from "./change-log";

/**
 * Webhook subscriptions and their delivery state, in the tenant's Durable Object (tables `wh_`, schema
 * migration 3). Each subscription keeps a cursor into the change log (./change-log.ts): the next matching
 * entry after it is the subscription's head. A queue consumer (src/queue.ts) leases the subscription,
 * delivers heads one by one and reports each outcome here; the cursor moves only on a 2xx, so deliveries
 * of one subscription keep the log's order and a failed one is retried in place, with the same
 * `webhook-id`. All methods are synchronous SQL: the object's single thread makes each one atomic.
 *
 * Retries: a failed head schedules one retry — `retry_at` and a fresh `retry_ticket`, which the consumer
 * puts in the retry's delayed message. Only the message holding the current ticket may act as that retry
 * before `retry_at` (+ a grace); any other message (a sync run's, a duplicate, a consumer failure's
 * retry, a late retry whose ticket was superseded) waits for it, and may take it over only once it is
 * late. Every claim that delivers consumes the scheduled retry (ticket and `retry_at` cleared), so each
 * failure is followed by one attempt at most, never sooner than the backoff schedule says, whichever
 * message makes it.
 */

/** A queue message: "deliver what is pending for this subscription" (or replay one recorded delivery). */
export interface WebhookMessage {
  v: 1;
  tenant: string;
  subscription: string;
  /** Replay this delivery (its change, once, out of order). */
  replay?: string;
  /** Dead-letter messages: the change given up (absent when Queues itself dead-lettered the message). */
  seq?: number;
  /** A scheduled retry: the ticket the store issued for it (`WebhookStore.claim`). */
  ticket?: string;
}

/** A subscription as stored (the secret stays an envelope; only the Worker decrypts it). */
export interface StoredSubscription {
  id: string;
  url: string;
  events: ChangeEvent[];
  description: string | null;
  status: "active" | "disabled";
  disabledReason: string | null;
  createdAt: number;
}

/** One recorded attempt. */
export interface StoredDelivery {
  id: string;
  subscriptionId: string;
  seq: number;
  event: ChangeEvent;
  attempt: number;
  status: number | null;
  durationMs: number;
  at: number;
  outcome: "delivered" | "failed" | "dead_lettered" | "replayed";
}

/** A subscription to store: its id and encrypted secret are made by the caller (src/core/webhooks.ts). */
export interface NewSubscription {
  id: string;
  url: string;
  events: ChangeEvent[];
  description: string | null;
  /** The whsec_ secret as an AES-GCM envelope under CREDENTIALS_KEY. */
  secret: string;
}

/** One attempt's outcome as the consumer saw it: a 2xx within 10 s is `ok`; `status` null on no answer. */
export interface AttemptResult {
  ok: boolean;
  status: number | null;
  durationMs: number;
}

/** What a replay needs: the recorded delivery, its change, and where to send it. */
export interface ReplayTarget {
  delivery: StoredDelivery;
  change: ChangeEntry;
  url: string;
  secret: string;
}

/** What a consumer should do next for a subscription. */
export type ClaimOutcome =
  /** Deleted or disabled: drop the message. */
  | { kind: "gone" }
  /** Another consumer holds the lease and delivers until nothing is pending: drop the message. */
  | { kind: "busy" }
  /** A retry is queued for later: drop this message, the retry delivers everything. */
  | { kind: "waiting"; retryAt: number }
  /** Nothing pending: the lease is released. */
  | { kind: "idle" }
  | { kind: "deliver"; url: string; secret: string; change: ChangeEntry; attempt: number };

/** What follows an attempt's outcome. */
export type AttemptOutcome =
  | { kind: "next" }
  /** Schedule the retry: a message carrying `ticket`, delayed by `delaySeconds`. */
  | { kind: "retry"; delaySeconds: number; ticket: string }
  /** The head failed for the whole retry window: the consumer hands it to the dead-letter queue. */
  | { kind: "give_up"; seq: number }
  | { kind: "disabled"; reason: string }
  /** The lease had passed to another consumer (this one took too long): it carries on; drop this message. */
  | { kind: "lost" };

/** The lease outlives one attempt (10 s timeout) with room to spare; each claim renews it. */
export const LEASE_MS = 30_000;
/** A failed head is retried for at least this long before it is given up (the contract: at least 24 h). */
export const RETRY_WINDOW_MS = 24 * 3600 * 1000;
/**
 * An endpoint failing this long without a success is disabled (the contract: 3 days). Counted while the
 * subscription has an event to deliver: a pause with nothing pending (after a give-up) is not failure.
 */
export const DISABLE_AFTER_MS = 3 * 24 * 3600 * 1000;
/** Cloudflare Queues delays a message by at most 12 hours. */
export const MAX_QUEUE_DELAY_SECONDS = 43_200;
/** Recent attempts kept per subscription for `GET …/deliveries`. */
export const DELIVERY_HISTORY = 100;
/** Attempts older than this are pruned with the change log. */
export const DELIVERY_RETENTION_MS = 7 * 24 * 3600 * 1000;
/** A scheduled retry is late by this much before a message without its ticket may take over from it. */
export const RETRY_GRACE_MS = 1_000;

/**
 * The delay (whole seconds, within what Queues allows) after which a message arrives once a retry
 * scheduled for `retryAt` is late, so that it may take the retry over without its ticket.
 */
export function secondsUntilLate(retryAt: number, now: number): number {
  const seconds = Math.ceil((retryAt + RETRY_GRACE_MS - now) / 1000) + 1;
  return Math.min(MAX_QUEUE_DELAY_SECONDS, Math.max(1, seconds));
}

/**
 * The wait before retry `attempt` (1 = the first retry): `base` seconds, doubling each time, capped by
 * Queues' maximum delay. With the default base of 10 s: 10 s, 20 s, 40 s, … 5.7 h, 11.4 h, 12 h, 12 h —
 * past the 24 h window after 14 retries.
 */
export function retryDelaySeconds(attempt: number, base: number): number {
  return Math.min(MAX_QUEUE_DELAY_SECONDS, base * 2 ** Math.max(0, Math.min(30, attempt - 1)));
}

/** The `webhook-id` of a change for a subscription: the same on every attempt, replays included. */
export function webhookMessageId(subscriptionId: string, seq: number): string {
  return `msg_${subscriptionId.replace(/^wh_/, "")}_${seq}`;
}

interface SubscriptionRow extends Record<string, SqlStorageValue> {
  id: string;
  url: string;
  events: string;
  description: string | null;
  status: string;
  disabled_reason: string | null;
  secret: string;
  created_at: number;
  cursor: number;
  head_attempts: number;
  head_failed_at: number | null;
  failing_since: number | null;
  idle_since: number | null;
  idle_ms: number;
  retry_at: number | null;
  retry_ticket: string | null;
  lease_owner: string | null;
  lease_until: number | null;
}

function toSubscription(row: SubscriptionRow): StoredSubscription {
  return {
    id: row.id,
    url: row.url,
    events: JSON.parse(row.events) as ChangeEvent[],
    description: row.description,
    status: row.status === "disabled" ? "disabled" : "active",
    disabledReason: row.disabled_reason,
    createdAt: row.created_at,
  };
}

interface DeliveryRow extends Record<string, SqlStorageValue> {
  id: string;
  subscription_id: string;
  seq: number;
  event: string;
  attempt: number;
  status: number | null;
  duration_ms: number;
  at: number;
  outcome: string;
}

function toDelivery(row: DeliveryRow): StoredDelivery {
  return {
    id: row.id,
    subscriptionId: row.subscription_id,
    seq: row.seq,
    event: row.event as ChangeEvent,
    attempt: row.attempt,
    status: row.status,
    durationMs: row.duration_ms,
    at: row.at,
    outcome: row.outcome as StoredDelivery["outcome"],
  };
}

/** Subscriptions, leases, cursors and attempts of one tenant (see the module comment). */
export class WebhookStore {
  constructor(private readonly sql: SqlStorage) {}

  /** Stores a new subscription; it receives the changes made from now on. */
  create(sub: {
    id: string;
    url: string;
    events: ChangeEvent[];
    description: string | null;
    secret: string;
    now: number;
  }): StoredSubscription {
    this.sql.exec(
      `INSERT INTO wh_subscriptions (id, url, events, description, status, secret, created_at, cursor) VALUES (?, ?, ?, ?, 'active', ?, ?, ?)`,
      sub.id,
      sub.url,
      JSON.stringify(sub.events),
      sub.description,
      sub.secret,
      sub.now,
      feedNow(this.sql),
    );
    return this.get(sub.id)!;
  }

  count(): number {
    return this.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM wh_subscriptions`).one().n;
  }

  list(): StoredSubscription[] {
    return this.sql.exec<SubscriptionRow>(`SELECT * FROM wh_subscriptions ORDER BY created_at, id`).toArray().map(toSubscription);
  }

  get(id: string): StoredSubscription | null {
    const row = this.row(id);
    return row ? toSubscription(row) : null;
  }

  /** Deletes the subscription and its attempts; false when there was none. */
  delete(id: string): boolean {
    this.sql.exec(`DELETE FROM wh_deliveries WHERE subscription_id = ?`, id);
    return this.sql.exec(`DELETE FROM wh_subscriptions WHERE id = ?`, id).rowsWritten > 0;
  }

  /** The subscription's recent attempts, newest first. */
  deliveries(id: string, limit = DELIVERY_HISTORY): StoredDelivery[] {
    return this.sql
      .exec<DeliveryRow>(`SELECT * FROM wh_deliveries WHERE subscription_id = ? ORDER BY at DESC, rowid DESC LIMIT ?`, id, limit)
      .toArray()
      .map(toDelivery);
  }

  delivery(id: string, deliveryId: string): StoredDelivery | null {
    const row = this.sql.exec<DeliveryRow>(`SELECT * FROM wh_deliveries WHERE subscription_id = ? AND id = ?`, id, deliveryId).toArray()[0];
    return row ? toDelivery(row) : null;
  }

  /**
   * Active subscriptions with a matching change pending and no retry scheduled (or one that is late): the
   * ones to enqueue.
   */
  pending(now: number): string[] {
    const out: string[] = [];
    for (const row of this.sql.exec<SubscriptionRow>(`SELECT * FROM wh_subscriptions WHERE status = 'active'`).toArray()) {
      if (row.retry_at !== null && row.retry_at + RETRY_GRACE_MS > now) continue;
      if (this.head(row)) out.push(row.id);
    }
    return out;
  }

  /**
   * Leases the subscription to `owner` (a queue message) and hands it the head to deliver, or says why
   * not. `ticket`: the one the message carries, if any. The message holding the current ticket is the
   * scheduled retry and may act at once (Queues may deliver it a little early); any other waits until the
   * retry is late (`retry_at` + grace). Delivering consumes the scheduled retry.
   */
  claim(id: string, owner: string, now: number, ticket: string | null): ClaimOutcome {
    const row = this.row(id);
    if (row?.status !== "active") return { kind: "gone" };
    if (row.lease_owner !== null && row.lease_owner !== owner && (row.lease_until ?? 0) > now) return { kind: "busy" };
    const holder = ticket !== null && ticket === row.retry_ticket;
    if (!holder && row.retry_at !== null && row.retry_at + RETRY_GRACE_MS > now) return { kind: "waiting", retryAt: row.retry_at };
    const head = this.head(row);
    if (!head) {
      this.sql.exec(`UPDATE wh_subscriptions SET lease_owner = NULL, lease_until = NULL WHERE id = ?`, id);
      return { kind: "idle" };
    }
    this.sql.exec(
      `UPDATE wh_subscriptions SET lease_owner = ?, lease_until = ?, retry_at = NULL, retry_ticket = NULL WHERE id = ?`,
      owner,
      now + LEASE_MS,
      id,
    );
    return { kind: "deliver", url: row.url, secret: row.secret, change: head, attempt: row.head_attempts + 1 };
  }

  /** Releases the lease (a consumer stopping before the subscription is idle). */
  release(id: string, owner: string): void {
    this.sql.exec(`UPDATE wh_subscriptions SET lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?`, id, owner);
  }

  /**
   * Records one attempt at the head `seq` and decides what follows: a 2xx moves the cursor past it and
   * ends the failure streak; a failure schedules a retry (the lease is released), gives the head up after
   * the retry window, or disables an endpoint whose deliveries have failed for 3 days without a success —
   * the time since the streak's first failure, less the pauses in which it had nothing to deliver.
   */
  attempted(id: string, owner: string, seq: number, result: AttemptResult, now: number, retryBaseSeconds: number): AttemptOutcome {
    const row = this.row(id);
    if (!row) return { kind: "disabled", reason: "deleted" };
    const change = logEntry(this.sql, seq);
    const attempt = row.head_attempts + 1;
    this.record(id, seq, change?.event ?? "updated", attempt, result.status, result.durationMs, now, result.ok ? "delivered" : "failed");
    if (row.lease_owner !== owner) {
      // A late report: the attempt happened (recorded above) and a success still moves the cursor, but
      // the schedule belongs to the consumer holding the lease now.
      if (result.ok) this.sql.exec(`UPDATE wh_subscriptions SET cursor = MAX(cursor, ?) WHERE id = ?`, seq, id);
      return { kind: "lost" };
    }
    if (result.ok) {
      this.sql.exec(
        `UPDATE wh_subscriptions SET cursor = MAX(cursor, ?), head_attempts = 0, head_failed_at = NULL, failing_since = NULL, idle_since = NULL, idle_ms = 0, retry_at = NULL, retry_ticket = NULL WHERE id = ?`,
        seq,
        id,
      );
      return { kind: "next" };
    }
    const failingSince = row.failing_since ?? now;
    // A pause of the streak (nothing was pending) ends with this failure: it joins the earlier pauses.
    const idleMs = row.failing_since === null ? 0 : row.idle_ms + (row.idle_since === null ? 0 : now - row.idle_since);
    const failingMs = now - failingSince - idleMs;
    const headFailedAt = row.head_failed_at ?? now;
    if (failingMs >= DISABLE_AFTER_MS) {
      const pauses = idleMs > 0 ? `, ${Math.floor(failingMs / 3600_000)} h of it with an event to deliver` : "";
      const reason = `Disabled at ${new Date(now).toISOString()}: every delivery has failed since ${new Date(failingSince).toISOString()}${pauses} (last: ${result.status === null ? "no answer within 10 s" : `HTTP ${result.status}`}).`;
      this.sql.exec(
        `UPDATE wh_subscriptions SET status = 'disabled', disabled_reason = ?, head_attempts = ?, idle_since = NULL, idle_ms = ?, lease_owner = NULL, lease_until = NULL, retry_at = NULL, retry_ticket = NULL WHERE id = ?`,
        reason,
        attempt,
        idleMs,
        id,
      );
      return { kind: "disabled", reason };
    }
    if (now - headFailedAt >= RETRY_WINDOW_MS) {
      // Held until the dead-letter consumer gives the head up (`giveUp`); no message takes it meanwhile.
      this.sql.exec(
        `UPDATE wh_subscriptions SET head_attempts = ?, failing_since = ?, idle_since = NULL, idle_ms = ?, retry_at = ?, retry_ticket = NULL, lease_owner = NULL, lease_until = NULL WHERE id = ?`,
        attempt,
        failingSince,
        idleMs,
        now + 3600_000,
        id,
      );
      return { kind: "give_up", seq };
    }
    const delaySeconds = retryDelaySeconds(attempt, retryBaseSeconds);
    const ticket = randomHex(8);
    this.sql.exec(
      `UPDATE wh_subscriptions SET head_attempts = ?, head_failed_at = ?, failing_since = ?, idle_since = NULL, idle_ms = ?, retry_at = ?, retry_ticket = ?, lease_owner = NULL, lease_until = NULL WHERE id = ?`,
      attempt,
      headFailedAt,
      failingSince,
      idleMs,
      now + delaySeconds * 1000,
      ticket,
      id,
    );
    return { kind: "retry", delaySeconds, ticket };
  }

  /**
   * The dead-letter queue's record of a head given up after the retry window: an attempt row
   * (`dead_lettered`), the cursor moves past it, and the next head starts its own retries. `seq` absent
   * (Queues dead-lettered the message itself, e.g. after retries of a consumer failure): the current head,
   * but only once it has failed for the whole retry window — a message Queues gave up on says nothing
   * about the change, which then keeps its retries. True when more is pending. When nothing is, the
   * failure streak pauses (`idle_since`): waiting for the next change is not failing, so the streak does
   * not run on through a quiet spell and disable the subscription at the next change's first failure;
   * it is not reset either, so an endpoint that fails every change, however rare, is still disabled
   * after 3 days of failures.
   */
  giveUp(id: string, seq: number | undefined, now: number): boolean {
    const row = this.row(id);
    if (!row) return false;
    const head = this.head(row);
    const pending = row.status === "active" && head !== null;
    if (!head || (seq !== undefined && head.seq !== seq)) return pending;
    if (seq === undefined && (row.head_failed_at === null || now - row.head_failed_at < RETRY_WINDOW_MS)) return pending;
    this.record(id, head.seq, head.event, row.head_attempts, null, 0, now, "dead_lettered");
    this.sql.exec(
      `UPDATE wh_subscriptions SET cursor = MAX(cursor, ?), head_attempts = 0, head_failed_at = NULL, retry_at = NULL, retry_ticket = NULL WHERE id = ?`,
      head.seq,
      id,
    );
    const more = row.status === "active" && this.head(this.row(id)!) !== null;
    if (!more && row.failing_since !== null && row.idle_since === null) {
      this.sql.exec(`UPDATE wh_subscriptions SET idle_since = ? WHERE id = ?`, now, id);
    }
    return more;
  }

  /** Records a replayed attempt (outside the subscription's order; the cursor does not move). */
  replayed(id: string, delivery: StoredDelivery, result: { status: number | null; durationMs: number }, now: number): void {
    const attempt =
      this.sql
        .exec<{ n: number }>(
          `SELECT COALESCE(MAX(attempt), 0) AS n FROM wh_deliveries WHERE subscription_id = ? AND seq = ?`,
          id,
          delivery.seq,
        )
        .one().n + 1;
    this.record(id, delivery.seq, delivery.event, attempt, result.status, result.durationMs, now, "replayed");
  }

  /** The secret envelope and URL of a subscription, and whether it is active (replays). */
  target(id: string): { url: string; secret: string; active: boolean } | null {
    const row = this.row(id);
    return row ? { url: row.url, secret: row.secret, active: row.status === "active" } : null;
  }

  /** Drops attempts older than the retention and beyond the history kept per subscription. */
  prune(now: number): void {
    this.sql.exec(`DELETE FROM wh_deliveries WHERE at < ?`, now - DELIVERY_RETENTION_MS);
    this.sql.exec(
      `DELETE FROM wh_deliveries WHERE rowid IN (
         SELECT rowid FROM (SELECT rowid, ROW_NUMBER() OVER (PARTITION BY subscription_id ORDER BY at DESC, rowid DESC) AS n FROM wh_deliveries)
         WHERE n > ?)`,
      DELIVERY_HISTORY,
    );
  }

  private row(id: string): SubscriptionRow | null {
    return this.sql.exec<SubscriptionRow>(`SELECT * FROM wh_subscriptions WHERE id = ?`, id).toArray()[0] ?? null;
  }

  /** The next change after the cursor of an event the subscription wants, or null. */
  private head(row: SubscriptionRow): ChangeEntry | null {
    return logAfter(this.sql, row.cursor, 1, JSON.parse(row.events) as ChangeEvent[])[0] ?? null;
  }

  private record(
    id: string,
    seq: number,
    event: ChangeEvent,
    attempt: number,
    status: number | null,
    durationMs: number,
    at: number,
    outcome: StoredDelivery["outcome"],
  ): void {
    this.sql.exec(
      `INSERT INTO wh_deliveries (id, subscription_id, seq, event, attempt, status, duration_ms, at, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      `dlv_${randomHex(12)}`,
      id,
      seq,
      event,
      attempt,
      status,
      Math.max(0, Math.round(durationMs)),
      at,
      outcome,
    );
  }
}
