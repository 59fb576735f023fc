/**
 * Webhook subscriptions and deliveries (docs/contracts/v1-api.md, "Changes and webhooks"), for every
 * caller and for the queue consumer (src/queue.ts). Subscriptions live in the tenant's Durable Object
 * (src/directory/webhooks.ts); this module makes their ids and secrets, checks URLs, shapes what callers
 * see, and performs one signed delivery (Standard Webhooks, with the `standardwebhooks` library).
 */
import { Webhook } from "standardwebhooks";
import type { ChangeEntry, ChangeEvent } from "../directory/change-log";
import type { StoredDelivery, StoredSubscription } from "../directory/webhooks";
import { webhookMessageId } from "../directory/webhooks";
import { decryptSecret, encryptSecret, randomHex } from "../platform/crypto";
import { AppError } from "../platform/errors";
import type { Tenant } from "../tenants/types";
import { type CandidateEvent, changeItem } from "./changes";
import type { Services } from "./services";
import { webhookUrlProblem } from "./webhook-url";

/** A tenant's subscriptions are few (each sync run enqueues one message per subscription with work). */
export const MAX_SUBSCRIPTIONS = 20;
/** A delivery is a success only on a 2xx within this long (the contract). */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** Standard Webhooks secrets: `whsec_` + base64 of 24–64 random bytes. */
const SECRET_BYTES = 32;

/** A subscription as callers see it (never the secret, except once in `created`). */
export interface SubscriptionView {
  id: string;
  url: string;
  events: CandidateEvent[];
  description: string | null;
  status: "active" | "disabled";
  /** Why the bridge disabled it (3 days of failed deliveries); null while active. */
  disabled_reason: string | null;
  created_at: string;
}

/** One recorded attempt as callers see it. */
export interface DeliveryView {
  id: string;
  message_id: string;
  event: CandidateEvent;
  attempt: number;
  status: number | null;
  duration_ms: number;
  at: string;
  outcome: StoredDelivery["outcome"];
}

const toEvent = (e: ChangeEvent): CandidateEvent => `candidate.${e}`;
const fromEvent = (e: CandidateEvent): ChangeEvent => e.slice("candidate.".length) as ChangeEvent;

/** The AES-GCM context of a subscription's secret: a copied envelope fails elsewhere. */
const secretContext = (tenantId: string, subscriptionId: string) => `webhook-secret:${tenantId}:${subscriptionId}`;

function view(sub: StoredSubscription): SubscriptionView {
  return {
    id: sub.id,
    url: sub.url,
    events: sub.events.map(toEvent),
    description: sub.description,
    status: sub.status,
    disabled_reason: sub.disabledReason,
    created_at: new Date(sub.createdAt).toISOString(),
  };
}

function deliveryView(subscriptionId: string, d: StoredDelivery): DeliveryView {
  return {
    id: d.id,
    message_id: webhookMessageId(subscriptionId, d.seq),
    event: toEvent(d.event),
    attempt: d.attempt,
    status: d.status,
    duration_ms: d.durationMs,
    at: new Date(d.at).toISOString(),
    outcome: d.outcome,
  };
}

/**
 * Subscribes `url` to `events` from now on. The secret is in this answer only; it is stored encrypted.
 * @throws AppError `422` naming `url` (not https, or not a public host), `409` past MAX_SUBSCRIPTIONS.
 */
export async function createSubscription(
  s: Services,
  input: { url: string; events: CandidateEvent[]; description?: string | null },
): Promise<SubscriptionView & { secret: string }> {
  const problem = webhookUrlProblem(input.url, { allowLocalhost: s.settings.webhooks.allowLocalhost });
  if (problem) throw new AppError("invalid", "The webhook URL is not allowed.", { errors: [{ field: "url", message: problem }] });
  const id = `wh_${randomHex(12)}`;
  const secret = `whsec_${btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(SECRET_BYTES))))}`;
  const stored = await s.directory.webhookCreate(
    {
      id,
      url: input.url,
      events: [...new Set(input.events)].map(fromEvent),
      description: input.description ?? null,
      secret: await encryptSecret(secret, s.credentialsKey, secretContext(s.tenant.id, id)),
    },
    MAX_SUBSCRIPTIONS,
  );
  if (!stored) throw new AppError("conflict", `A tenant may have at most ${MAX_SUBSCRIPTIONS} webhook subscriptions; delete one first.`);
  return { ...view(stored), secret };
}

export async function listSubscriptions(s: Services): Promise<SubscriptionView[]> {
  return (await s.directory.webhookList()).map(view);
}

/** @throws AppError `404`. */
export async function getSubscription(s: Services, id: string): Promise<SubscriptionView> {
  const sub = await s.directory.webhookGet(id);
  if (!sub) throw new AppError("not_found", "No such webhook subscription.");
  return view(sub);
}

/** @throws AppError `404` (also for a second delete). */
export async function deleteSubscription(s: Services, id: string): Promise<void> {
  if (!(await s.directory.webhookDelete(id))) throw new AppError("not_found", "No such webhook subscription.");
}

/** Recent attempts, newest first. @throws AppError `404`. */
export async function listDeliveries(s: Services, id: string): Promise<DeliveryView[]> {
  const deliveries = await s.directory.webhookDeliveries(id);
  if (!deliveries) throw new AppError("not_found", "No such webhook subscription.");
  return deliveries.map((d) => deliveryView(id, d));
}

/**
 * Queues one more attempt of a recorded delivery's event (same `webhook-id`), outside the subscription's
 * order. @throws AppError `404`, `409` when the subscription is disabled (the contract: nothing more is
 * sent to it), `410` when its change is past the log's retention.
 */
export async function replayDelivery(s: Services, id: string, deliveryId: string): Promise<void> {
  const target = await s.directory.webhookReplayTarget(id, deliveryId);
  if (target === null) throw new AppError("not_found", "No such delivery of this webhook subscription.");
  if (target === "disabled") {
    throw new AppError("conflict", "The webhook subscription is disabled: nothing more is sent to it. Delete it and subscribe again.");
  }
  if (target === "expired") throw new AppError("gone", "The delivery's change is older than the change log's retention.");
  await s.webhookQueue.send({ v: 1, tenant: s.tenant.id, subscription: id, replay: deliveryId });
}

/** The body of a delivery (the contract): `{"type", "timestamp", "data": {"id", "candidate"?}}`. */
export function webhookBody(tenant: Tenant, change: ChangeEntry): string {
  const item = changeItem(tenant, change);
  const data: { id: string; candidate?: unknown } = { id: item.id };
  if (item.candidate) data.candidate = item.candidate;
  return JSON.stringify({ type: item.event, timestamp: item.occurred_at, data });
}

/** The Standard Webhooks headers of one attempt, signed now. */
export function signedHeaders(secret: string, messageId: string, body: string, now: Date): Record<string, string> {
  return {
    "content-type": "application/json",
    "user-agent": "TalemetryBridge-Webhooks/1",
    "webhook-id": messageId,
    "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
    "webhook-signature": new Webhook(secret).sign(messageId, now, body),
  };
}

/** Decrypts a subscription's secret (the envelope the Durable Object stores). */
export function openSecret(envelope: string, credentialsKey: string, tenantId: string, subscriptionId: string): Promise<string> {
  return decryptSecret(envelope, credentialsKey, secretContext(tenantId, subscriptionId));
}

/**
 * One signed POST: a 2xx within 10 s is success; a redirect is a failure (never followed, so a receiver
 * cannot bounce the bridge elsewhere); `status` is null when nothing answered in time.
 */
export async function postWebhook(
  target: { url: string; secret: string },
  messageId: string,
  body: string,
): Promise<{ ok: boolean; status: number | null; durationMs: number }> {
  const started = Date.now();
  const headers = signedHeaders(target.secret, messageId, body, new Date(started));
  try {
    const res = await fetch(target.url, {
      method: "POST",
      headers,
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    await res.body?.cancel();
    return { ok: res.status >= 200 && res.status < 300, status: res.status, durationMs: Date.now() - started };
  } catch {
    return { ok: false, status: null, durationMs: Date.now() - started };
  }
}
