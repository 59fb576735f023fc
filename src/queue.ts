import type { Env } from "./config/env";
import { loadSettings } from "./config/settings";
import { openSecret, postWebhook, webhookBody } from "./core/webhooks";
import { tenantDirectory } from "./directory/api";
import { LEASE_MS, secondsUntilLate, type WebhookMessage, webhookMessageId } from "./directory/webhooks";
import { createLogger, type Logger } from "./platform/logger";
import { getTenant } from "./tenants/store";
import type { Tenant } from "./tenants/types";

/**
 * The webhook queues' consumer (docs/architecture.md, "Webhook deliveries"). A message on the delivery
 * queue means "deliver what is pending for subscription S": the consumer leases S in the tenant's Durable
 * Object, posts its pending changes one by one in log order, and reports each outcome, which moves the
 * subscription's cursor only on a 2xx. A failure ends the run: the retry is a fresh message, delayed by
 * the wait the Durable Object chose and carrying the ticket it issued for that retry, or — once the change
 * has failed for the whole retry window — the change goes to the dead-letter queue, whose consumer records
 * it as given up and lets the subscription go on. Duplicate messages are harmless: a second consumer finds
 * S leased, a retry scheduled that it does not hold the ticket of, or nothing pending, and drops its
 * message; so a failing receiver is never tried sooner than the backoff schedule (src/directory/webhooks.ts).
 * A message Queues brings back after a failed run that finds a retry scheduled comes back once that retry
 * is late instead: the run may have failed after the retry was scheduled and before its message was queued.
 */

/** Changes delivered per message before the consumer hands on to a fresh message (bounded invocations). */
const DELIVERIES_PER_MESSAGE = 50;

const isDeadLetterQueue = (name: string) => /-dlq(-|$)/.test(name);

export async function handleWebhookBatch(batch: MessageBatch<WebhookMessage>, env: Env): Promise<void> {
  const settings = loadSettings(env);
  const deadLetters = isDeadLetterQueue(batch.queue);
  // Messages of one batch are independent (different subscriptions, or duplicates that drop themselves).
  await Promise.all(
    batch.messages.map(async (message) => {
      const body = message.body;
      const log = createLogger({
        level: settings.logLevel,
        fields: { component: "webhooks", tenant_id: body?.tenant, subscription_id: body?.subscription },
      });
      if (body?.v !== 1 || typeof body.tenant !== "string" || typeof body.subscription !== "string") {
        log.error("webhook message dropped: unknown shape");
        return message.ack();
      }
      try {
        if (deadLetters) await recordDeadLetter(env, body, log);
        else if (body.replay) await replay(env, body, body.replay, log);
        else await deliverPending(env, message, log);
      } catch (err) {
        if (isTenantGone(err)) {
          log.info("webhook message dropped: tenant deleted");
          return message.ack();
        }
        // Anything unexpected (the Durable Object unreachable, KV failing): Queues tries the message again,
        // once a lease this run may have left has run out (else the retry would find S busy and drop itself).
        // It comes back with its own body: a ticket it carries still makes it the scheduled retry only if
        // no other message has taken that retry meanwhile. Finding a retry scheduled without holding its
        // ticket, it comes back again once that retry is late (deliverPending), so a retry this run
        // scheduled but could not queue is still made.
        log.warn("webhook message failed; retried by the queue", { error: err });
        return message.retry({ delaySeconds: Math.max(settings.webhooks.retryBaseSeconds, LEASE_MS / 1000) });
      }
    }),
  );
}

/** A deleted tenant's object refuses every call with a 401 AppError (src/directory/tenant-directory.ts). */
function isTenantGone(err: unknown): boolean {
  return err instanceof Error && err.name === "AppError" && (err as { code?: string }).code === "unauthorized";
}

async function tenantOf(env: Env, id: string): Promise<Tenant | null> {
  return getTenant(env, id);
}

/** Delivers the subscription's pending changes in order until none is left, one fails, or the run is long enough. */
async function deliverPending(env: Env, message: Message<WebhookMessage>, log: Logger): Promise<void> {
  const { tenant: tenantId, subscription } = message.body;
  const tenant = await tenantOf(env, tenantId);
  if (!tenant) return message.ack();
  const directory = tenantDirectory(env.TENANT, tenant);
  const owner = message.id;
  /** What every message this one queues says (a retry adds its ticket). */
  const onward: WebhookMessage = { v: 1, tenant: tenantId, subscription };
  // The ticket counts for the first claim only: delivering consumes the scheduled retry it names.
  let ticket = message.body.ticket ?? null;
  let delivered = 0;
  for (;;) {
    const claim = await directory.webhookClaim(subscription, owner, ticket);
    ticket = null;
    if (claim.kind === "waiting" && message.attempts > 1 && delivered === 0) {
      // Queues brings this message back because its last run failed, maybe after the object scheduled a
      // retry whose message was never queued. Come back once that retry is late, when any message may take
      // it over: if its message does come, this one then finds nothing to do.
      return message.retry({ delaySeconds: secondsUntilLate(claim.retryAt, Date.now()) });
    }
    if (claim.kind !== "deliver") return message.ack(); // gone, busy (its holder delivers), waiting (a retry will), idle
    if (delivered >= DELIVERIES_PER_MESSAGE) {
      // Hand on to a fresh message so that one invocation stays short; the lease goes with this one.
      await directory.webhookRelease(subscription, owner);
      await env.WEBHOOKS.send(onward);
      return message.ack();
    }
    const messageId = webhookMessageId(subscription, claim.change.seq);
    const secret = await openSecret(claim.secret, env.CREDENTIALS_KEY, tenantId, subscription);
    const result = await postWebhook({ url: claim.url, secret }, messageId, webhookBody(tenant, claim.change));
    const next = await directory.webhookAttempted(subscription, owner, claim.change.seq, result);
    log.info("webhook attempt", {
      message_id: messageId,
      attempt: claim.attempt,
      status: result.status,
      duration_ms: result.durationMs,
      ok: result.ok,
    });
    switch (next.kind) {
      case "next":
        delivered++;
        continue;
      case "retry":
        // The retry is a fresh message holding the retry's ticket (Queues cannot change a retried message's
        // body); Queues' attempts then count only consumer failures, never the receiver's.
        try {
          await env.WEBHOOKS.send({ ...onward, ticket: next.ticket }, { delaySeconds: next.delaySeconds });
        } catch (err) {
          // Not queued: this message comes back instead, once the retry is late enough for a message
          // without its ticket to take it over (the store's grace), so the schedule is still kept.
          log.warn("webhook retry not queued; the message is retried instead", { error: err });
          const now = Date.now();
          return message.retry({ delaySeconds: secondsUntilLate(now + next.delaySeconds * 1000, now) });
        }
        return message.ack();
      case "give_up":
        log.warn("webhook change given up after the retry window", { message_id: messageId });
        await env.WEBHOOKS_DLQ.send({ ...onward, seq: next.seq });
        return message.ack();
      case "lost":
        return message.ack();
      case "disabled":
        log.warn("webhook subscription disabled", { reason: next.reason });
        return message.ack();
    }
  }
}

/** The dead-letter queue: the change is given up (recorded); the subscription goes on with the next one. */
async function recordDeadLetter(env: Env, body: WebhookMessage, log: Logger): Promise<void> {
  // A replay is one extra attempt outside the order: losing it gives up nothing that is pending.
  if (body.replay !== undefined) return log.warn("webhook replay dead-lettered", { delivery_id: body.replay });
  const tenant = await tenantOf(env, body.tenant);
  if (!tenant) return;
  const more = await tenantDirectory(env.TENANT, tenant).webhookGiveUp(body.subscription, body.seq);
  log.warn("webhook delivery dead-lettered", { seq: body.seq ?? null });
  if (more) await env.WEBHOOKS.send({ v: 1, tenant: body.tenant, subscription: body.subscription });
}

/** One more attempt of a recorded delivery's change, out of order, recorded as `replayed`. */
async function replay(env: Env, body: WebhookMessage, deliveryId: string, log: Logger): Promise<void> {
  const tenant = await tenantOf(env, body.tenant);
  if (!tenant) return;
  const directory = tenantDirectory(env.TENANT, tenant);
  const target = await directory.webhookReplayTarget(body.subscription, deliveryId);
  // A replay queued before the subscription was disabled is not sent: nothing more goes to it.
  if (target === "disabled") return log.info("webhook replay dropped: subscription disabled", { delivery_id: deliveryId });
  if (!target || target === "expired") return;
  const secret = await openSecret(target.secret, env.CREDENTIALS_KEY, body.tenant, body.subscription);
  const messageId = webhookMessageId(body.subscription, target.change.seq);
  const result = await postWebhook({ url: target.url, secret }, messageId, webhookBody(tenant, target.change));
  await directory.webhookReplayed(body.subscription, target.delivery, result);
  log.info("webhook replay", { message_id: messageId, status: result.status, duration_ms: result.durationMs });
}
