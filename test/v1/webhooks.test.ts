// Webhooks through the real routes, the real Queues binding (the pool runs this Worker's queue consumer)
// and a receiver Worker the deliveries reach over the test network (test/helpers/webhook-receiver.js):
// a change made in the simulator reaches a subscriber after the next sync, signed (verified with the same
// library a receiver uses); a failing receiver gets the event again with the same id; order per
// subscription; tenant isolation; replay; the dead-letter queue; disabling after 3 days; URL rules.
import { createExecutionContext, createMessageBatch, getQueueResult, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import type { Env } from "../../src/config/env";
import type { WebhookMessage } from "../../src/directory/webhooks";
import worker from "../../src/index";
import { directoryOf, drainBackfill, syncUntil, syncUntilTitle } from "../helpers/directory";
import { createAccount, createCandidate, seedAccount, updateCandidate } from "../helpers/sandbox";
import { createTenant, type TestTenant } from "../helpers/tenants";
import { expectProblem, v1 } from "./helpers";

interface Received {
  url: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  at: number;
}

/** What the receiver got on `path`. */
async function received(path: string): Promise<Received[]> {
  const res = await fetch(`http://receiver-control/requests?path=${encodeURIComponent(path)}`);
  return res.json();
}

/** The receiver answers the next requests on `path` with these statuses (then 204). */
async function plan(path: string, statuses: number[]): Promise<void> {
  await fetch("http://receiver-control/plan", { method: "POST", body: JSON.stringify({ path, statuses }) });
}

/** Waits until the receiver has at least `n` requests on `path` (bounded). */
async function waitFor(path: string, n: number, timeoutMs = 45_000): Promise<Received[]> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const got = await received(path);
    if (got.length >= n) return got;
    if (Date.now() > until) throw new Error(`receiver got ${got.length} of ${n} requests on ${path}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function seeded(count = 6): Promise<{ tenant: TestTenant; clientId: string }> {
  const { client_id: clientId } = await createAccount("wh");
  await seedAccount(clientId, count, { demo: false });
  const tenant = await createTenant({ talemetryClientId: clientId, region: "US", settings: { sync_interval_seconds: 86_400 } });
  await drainBackfill(tenant.id);
  return { tenant, clientId };
}

async function subscribe(tenant: TestTenant, path: string, events = ["candidate.created", "candidate.updated", "candidate.deleted"]) {
  const answer = await v1(tenant.api_key, "/webhooks", { method: "POST", json: { url: `https://receiver.example.com${path}`, events } });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body as { id: string; secret: string; url: string; status: string };
}

const uniquePath = (label: string) => `/${label}-${crypto.randomUUID().slice(0, 8)}`;

/**
 * Runs the Worker's queue consumer on these messages, as Queues would deliver them (each message's `id`
 * and `attempts` as given), and says which it acknowledged and which it retried.
 */
async function consume(messages: Array<{ id?: string; attempts?: number; body: WebhookMessage }>) {
  const batch = createMessageBatch<WebhookMessage>(
    "talemetry-bridge-webhooks",
    messages.map((m) => ({ id: m.id ?? crypto.randomUUID(), timestamp: new Date(), attempts: m.attempts ?? 1, body: m.body })),
  );
  // The pool's result names retried messages but not their delays: keep each retry's options too.
  const retryDelays: Array<number | undefined> = [];
  for (const message of batch.messages) {
    const retry = message.retry.bind(message);
    message.retry = (options?: QueueRetryOptions) => {
      retryDelays.push(options?.delaySeconds);
      retry(options);
    };
  }
  const ctx = createExecutionContext();
  await (worker as ExportedHandler<Env>).queue!(batch, env, ctx);
  return { ...(await getQueueResult(batch, ctx)), retryDelays };
}

/**
 * As if `ms` had passed for the subscription: every time it stores (epoch ms) moves that far into the
 * past. Columns the schema does not have are skipped.
 */
async function travel(tenantId: string, subscriptionId: string, ms: number): Promise<void> {
  await runInDurableObject(directoryOf(tenantId), (_i, state) => {
    const have = new Set(
      state.storage.sql
        .exec<{ name: string }>(`SELECT name FROM pragma_table_info('wh_subscriptions')`)
        .toArray()
        .map((c) => c.name),
    );
    const times = ["created_at", "head_failed_at", "failing_since", "idle_since", "retry_at", "lease_until"].filter((c) => have.has(c));
    state.storage.sql.exec(
      `UPDATE wh_subscriptions SET ${times.map((c) => `${c} = ${c} - ?`).join(", ")} WHERE id = ?`,
      ...times.map(() => ms),
      subscriptionId,
    );
  });
}

/** Changes a candidate's title in the simulator and syncs until the tenant's directory shows it. */
async function changeTitle(tenantId: string, clientId: string, id: string, title: string): Promise<void> {
  await updateCandidate(clientId, id, { title });
  await syncUntilTitle(tenantId, id, title);
}

/** The ids of the tenant's indexed candidates. */
async function indexedIds(tenantId: string): Promise<string[]> {
  return (await directoryOf(tenantId).changes(0, null, 1000)).rows.map((r) => r.person.id);
}

/**
 * A subscription with one `candidate.updated` pending and no queue message for it: the change is made and
 * synced before the subscription exists, then put back in front of its cursor. The test alone decides
 * which messages the consumer sees (sync runs are a day apart for these tenants).
 */
async function pendingWithoutMessage(label: string, statuses: number[]) {
  const { tenant, clientId } = await seeded();
  const stub = directoryOf(tenant.id);
  const [id] = await indexedIds(tenant.id);
  await changeTitle(tenant.id, clientId, id!, `Pending for ${label}`);
  // Let any run a sync request left due finish first (it would queue a message for the subscription).
  for (let i = 0; i < 10 && ((await runInDurableObject(stub, (_i, s) => s.storage.getAlarm())) ?? 0) <= Date.now() + 60_000; i++) {
    await runDurableObjectAlarm(stub);
  }
  const path = uniquePath(label);
  await plan(path, statuses);
  const sub = await subscribe(tenant, path, ["candidate.updated"]);
  await runInDurableObject(stub, (_i, s) =>
    s.storage.sql.exec(
      `UPDATE wh_subscriptions SET cursor = (SELECT MAX(seq) FROM dir_changes WHERE candidate_id = ?) - 1 WHERE id = ?`,
      id!,
      sub.id,
    ),
  );
  return { tenant, stub, sub, path, message: { v: 1, tenant: tenant.id, subscription: sub.id } satisfies WebhookMessage };
}

/** Makes the subscription's pending change look as if it had been failing for 25 h (its retries run out). */
async function failingForADay(stub: ReturnType<typeof directoryOf>, subscriptionId: string): Promise<void> {
  const since = Date.now() - 25 * 3600_000;
  await runInDurableObject(stub, (_i, state) =>
    state.storage.sql.exec(`UPDATE wh_subscriptions SET head_failed_at = ?, failing_since = ? WHERE id = ?`, since, since, subscriptionId),
  );
}

describe("subscriptions", () => {
  it("creates (secret once), lists, reads and deletes; the id is 404 afterwards", async () => {
    const tenant = await createTenant({ region: "US" });
    const created = await subscribe(tenant, "/crud", ["candidate.deleted"]);
    expect(created).toMatchObject({
      id: expect.stringMatching(/^wh_[0-9a-f]{24}$/),
      url: "https://receiver.example.com/crud",
      events: ["candidate.deleted"],
      description: null,
      status: "active",
      disabled_reason: null,
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
      created_at: expect.any(String),
    });
    // At rest the secret is an AES-GCM envelope only (neither the secret nor its key bytes are stored).
    const stored = await runInDurableObject(directoryOf(tenant.id), (_i, state) =>
      JSON.stringify(state.storage.sql.exec(`SELECT * FROM wh_subscriptions`).toArray()),
    );
    expect(stored).toContain(created.id);
    expect(stored).not.toContain(created.secret.slice("whsec_".length, "whsec_".length + 20));
    const list = await v1(tenant.api_key, "/webhooks");
    expect(list.body.data).toEqual([{ ...created, secret: undefined }].map(({ secret: _s, ...rest }) => rest));
    expect(JSON.stringify(list.body)).not.toContain(created.secret);
    const one = await v1(tenant.api_key, `/webhooks/${created.id}`);
    expect(one.body).not.toHaveProperty("secret");
    expect(one.body.id).toBe(created.id);
    expect((await v1(tenant.api_key, `/webhooks/${created.id}/deliveries`)).body).toEqual({ data: [] });
    expect((await v1(tenant.api_key, `/webhooks/${created.id}`, { method: "DELETE" })).status).toBe(204);
    expectProblem(await v1(tenant.api_key, `/webhooks/${created.id}`), 404, "not-found");
    expectProblem(await v1(tenant.api_key, `/webhooks/${created.id}`, { method: "DELETE" }), 404, "not-found");
    expectProblem(await v1(tenant.api_key, `/webhooks/${created.id}/deliveries`), 404, "not-found");
  });

  it("refuses URLs that are not https to a public host (422 naming url), and bad bodies", async () => {
    const tenant = await createTenant({ region: "US" });
    const refused = [
      "http://hooks.example.com/x",
      "ftp://hooks.example.com/x",
      "https://api.localhost/x",
      "https://127.0.0.2/x",
      "https://2130706434/x", // 127.0.0.2 in decimal
      "https://0x7f.0.0.3/x",
      "https://10.1.2.3/x",
      "https://172.16.0.1/x",
      "https://192.168.1.10/x",
      "https://169.254.169.254/latest/meta-data",
      "https://100.64.0.1/x",
      "https://0.0.0.0/x",
      "https://[::1]/x",
      "https://[::]/x",
      "https://[fe80::1]/x",
      "https://[fd00::1]/x",
      "https://[::ffff:127.0.0.1]/x",
      "https://[::ffff:10.0.0.1]/x",
      "https://[64:ff9b::a9fe:a9fe]/x",
      "https://[::ffff:0:a9fe:a9fe]/x",
      "https://[64:ff9b:1::a9fe:a9fe]/x",
      "https://[2002:a9fe:a9fe::1]/x",
      "https://[4000::1]/x",
      "https://hooks.partner.example/x",
      "https://intranet/x",
      "https://printer.local/x",
      "https://user:pass@hooks.example.com/x",
      "not a url",
    ];
    for (const url of refused) {
      const answer = await v1(tenant.api_key, "/webhooks", { method: "POST", json: { url, events: ["candidate.created"] } });
      const problem = expectProblem(answer, 422, "invalid");
      expect(
        problem.errors.map((e: { field: string }) => e.field),
        url,
      ).toEqual(["url"]);
    }
    // The local deployment (wrangler.toml's top level, which tests run) allows localhost for its walkthrough.
    for (const url of ["http://localhost:9000/hook", "http://127.0.0.1:9000/hook", "https://localhost/hook"]) {
      expect((await v1(tenant.api_key, "/webhooks", { method: "POST", json: { url, events: ["candidate.created"] } })).status, url).toBe(
        201,
      );
    }
    for (const url of ["https://hooks.example.com/x", "https://0x.org/x", "https://93.184.216.34/x", "https://[2606:4700::1111]/x"]) {
      expect((await v1(tenant.api_key, "/webhooks", { method: "POST", json: { url, events: ["candidate.created"] } })).status, url).toBe(
        201,
      );
    }
    for (const body of [
      { url: "https://hooks.example.com" },
      { url: "https://hooks.example.com", events: [] },
      { url: "https://hooks.example.com", events: ["candidate.merged"] },
      { url: "https://hooks.example.com", events: ["candidate.created"], secret: "mine" },
    ]) {
      expectProblem(await v1(tenant.api_key, "/webhooks", { method: "POST", json: body }), 422, "invalid");
    }
    // An event listed twice is a mistake in the request, named, not silently merged.
    const twice = expectProblem(
      await v1(tenant.api_key, "/webhooks", {
        method: "POST",
        json: { url: "https://hooks.example.com/x", events: ["candidate.created", "candidate.updated", "candidate.created"] },
      }),
      422,
      "invalid",
    );
    expect(twice.errors).toEqual([{ field: "events", message: "Each event may be listed once." }]);
  });
});

describe("deliveries", () => {
  it("a change in the simulator reaches the subscriber after the next sync, signed and verifiable", { timeout: 60_000 }, async () => {
    const { tenant, clientId } = await seeded();
    const path = uniquePath("e2e");
    const sub = await subscribe(tenant, path);
    const [id] = await indexedIds(tenant.id);
    await changeTitle(tenant.id, clientId, id!, "Charge Nurse");

    const [request] = await waitFor(path, 1);
    // Verified exactly as a receiver does it: the raw body and the three headers.
    const payload = new Webhook(sub.secret).verify(request!.body, request!.headers) as Record<string, any>;
    expect(payload).toMatchObject({
      type: "candidate.updated",
      timestamp: expect.any(String),
      data: { id, candidate: { id, title: "Charge Nurse" } },
    });
    expect(request!.headers["content-type"]).toBe("application/json");
    expect(request!.headers["webhook-id"]).toMatch(/^msg_[0-9a-f]{24}_\d+$/);
    expect(Math.abs(Number(request!.headers["webhook-timestamp"]) - Date.now() / 1000)).toBeLessThan(60);
    // Another secret, or a changed body, does not verify.
    const other = `whsec_${btoa("x".repeat(32))}`;
    expect(() => new Webhook(other).verify(request!.body, request!.headers)).toThrow();
    expect(() => new Webhook(sub.secret).verify(request!.body.replace("Charge", "Night"), request!.headers)).toThrow();

    const deliveries = (await v1(tenant.api_key, `/webhooks/${sub.id}/deliveries`)).body.data;
    expect(deliveries).toEqual([
      {
        id: expect.stringMatching(/^dlv_/),
        message_id: request!.headers["webhook-id"],
        event: "candidate.updated",
        attempt: 1,
        status: 204,
        duration_ms: expect.any(Number),
        at: expect.any(String),
        outcome: "delivered",
      },
    ]);
  });

  // Timeouts: the queue's retries run in real time (1 s, 2 s here), slower when the machine is busy.
  it("a receiver that fails twice then succeeds gets the event three times with one id; order is kept", { timeout: 90_000 }, async () => {
    const { tenant, clientId } = await seeded();
    const path = uniquePath("retry");
    await plan(path, [500, 503]);
    const sub = await subscribe(tenant, path);
    const [first, second] = await indexedIds(tenant.id);
    await changeTitle(tenant.id, clientId, first!, "First change");
    await changeTitle(tenant.id, clientId, second!, "Second change");

    const got = await waitFor(path, 4);
    const ids = got.map((r) => r.headers["webhook-id"]);
    expect(new Set(ids.slice(0, 3)).size).toBe(1);
    expect(ids[3]).not.toBe(ids[0]);
    const bodies = got.map((r) => new Webhook(sub.secret).verify(r.body, r.headers) as { data: { id: string } });
    expect(bodies.map((b) => b.data.id)).toEqual([first, first, first, second]);
    // The first retry came soon after the failure, the second later (1 s, then 2 s in tests).
    expect(got[1]!.at - got[0]!.at).toBeGreaterThanOrEqual(900);
    expect(got[2]!.at - got[1]!.at).toBeGreaterThanOrEqual(1_900);
    const deliveries = (await v1(tenant.api_key, `/webhooks/${sub.id}/deliveries`)).body.data;
    expect(deliveries.map((d: { attempt: number; status: number; outcome: string }) => [d.attempt, d.status, d.outcome])).toEqual([
      [1, 204, "delivered"],
      [3, 204, "delivered"],
      [2, 503, "failed"],
      [1, 500, "failed"],
    ]);
    expect(new Set(deliveries.slice(1).map((d: { message_id: string }) => d.message_id))).toEqual(new Set([ids[0]]));

    // Replay: the same id once more, recorded as replayed.
    const replay = await v1(tenant.api_key, `/webhooks/${sub.id}/deliveries/${deliveries[1].id}/replay`, { method: "POST" });
    expect(replay.status).toBe(202);
    const again = await waitFor(path, 5);
    expect(again[4]!.headers["webhook-id"]).toBe(ids[0]);
    expect(new Webhook(sub.secret).verify(again[4]!.body, again[4]!.headers)).toMatchObject({ data: { id: first } });
    const after = (await v1(tenant.api_key, `/webhooks/${sub.id}/deliveries`)).body.data;
    expect(after[0]).toMatchObject({ attempt: 4, outcome: "replayed", message_id: ids[0] });
    expectProblem(await v1(tenant.api_key, `/webhooks/${sub.id}/deliveries/dlv_nope/replay`, { method: "POST" }), 404, "not-found");
  });

  it("only the message holding the scheduled retry's ticket may act as that retry before it is due", { timeout: 60_000 }, async () => {
    const { stub, sub } = await pendingWithoutMessage("ticket", []);
    const failed = { ok: false, status: 500, durationMs: 5 };
    const claim = await stub.webhookClaim(sub.id, "m1", null);
    if (claim.kind !== "deliver") throw new Error(`expected a head to deliver, got ${claim.kind}`);
    const seq = claim.change.seq;
    const first = await stub.webhookAttempted(sub.id, "m1", seq, failed);
    expect(first).toMatchObject({ kind: "retry", delaySeconds: 1, ticket: expect.stringMatching(/^[0-9a-f]{16}$/) });
    const firstTicket = (first as { ticket: string }).ticket;
    // Before the retry is due: a sync run's fresh message, a redelivered copy and a made-up ticket all wait.
    expect(await stub.webhookClaim(sub.id, "m2", null)).toMatchObject({ kind: "waiting" });
    expect(await stub.webhookClaim(sub.id, "m1", null)).toMatchObject({ kind: "waiting" });
    expect(await stub.webhookClaim(sub.id, "m2", "0123456789abcdef")).toMatchObject({ kind: "waiting" });

    // The scheduled retry is late (its message delayed): a sync run's message takes the retry over...
    await runInDurableObject(stub, (_i, s) =>
      s.storage.sql.exec(`UPDATE wh_subscriptions SET retry_at = retry_at - 5000 WHERE id = ?`, sub.id),
    );
    const takeover = await stub.webhookClaim(sub.id, "m3", null);
    expect(takeover).toMatchObject({ kind: "deliver", attempt: 2 });
    const second = await stub.webhookAttempted(sub.id, "m3", seq, failed);
    expect(second).toMatchObject({ kind: "retry", delaySeconds: 2 });
    const secondTicket = (second as { ticket: string }).ticket;
    expect(secondTicket).not.toBe(firstTicket);
    // ...and the late scheduled retry, whose retry was taken, waits for the new schedule instead of
    // trying the receiver again at once (two retry chains).
    expect(await stub.webhookClaim(sub.id, "m1", firstTicket)).toMatchObject({ kind: "waiting" });

    // The holder of the current ticket acts even a little early (Queues' delays are not exact), once.
    expect(await stub.webhookClaim(sub.id, "m4", secondTicket)).toMatchObject({ kind: "deliver", attempt: 3 });
    expect(await stub.webhookAttempted(sub.id, "m4", seq, { ok: true, status: 204, durationMs: 5 })).toEqual({ kind: "next" });
    // A copy of that retry message finds its holder at work, and the holder then finds nothing more.
    expect(await stub.webhookClaim(sub.id, "m5", secondTicket)).toMatchObject({ kind: "busy" });
    expect(await stub.webhookClaim(sub.id, "m4", null)).toMatchObject({ kind: "idle" });
    const attempts = (await stub.webhookDeliveries(sub.id))!.map((d) => [d.attempt, d.outcome]);
    expect(attempts).toEqual([
      [3, "delivered"],
      [2, "failed"],
      [1, "failed"],
    ]);
  });

  it("a run that failed after its retry was scheduled, before queuing it, still gets the retry on time", { timeout: 60_000 }, async () => {
    const { tenant, stub, sub, path, message } = await pendingWithoutMessage("unqueued", [204]);
    // The failed run: its attempt was recorded and the retry scheduled (ticket issued), then it died
    // before queuing the retry's message; Queues brings the run's own message back (attempts 2).
    const claim = await stub.webhookClaim(sub.id, "run-1", null);
    if (claim.kind !== "deliver") throw new Error(`expected a head to deliver, got ${claim.kind}`);
    const scheduled = await stub.webhookAttempted(sub.id, "run-1", claim.change.seq, { ok: false, status: 500, durationMs: 5 });
    expect(scheduled).toMatchObject({ kind: "retry", delaySeconds: 1 });
    const back = await consume([{ id: "run-1", attempts: 2, body: message }]);
    // Not dropped (no other message would take the retry before the next sync run): it comes back late.
    expect(back.explicitAcks).toHaveLength(0);
    expect(back.retryMessages).toHaveLength(1);
    expect(back.retryDelays[0]).toBeGreaterThanOrEqual(2);
    expect(back.retryDelays[0]).toBeLessThanOrEqual(4);
    // When it comes back, the retry is late and it delivers.
    await travel(tenant.id, sub.id, 5_000);
    const late = await consume([{ id: "run-1", attempts: 3, body: message }]);
    expect(late.explicitAcks).toHaveLength(1);
    expect(await waitFor(path, 1)).toHaveLength(1);
    const deliveries = (await v1(tenant.api_key, `/webhooks/${sub.id}/deliveries`)).body.data;
    expect(deliveries.map((d: { attempt: number; outcome: string }) => [d.attempt, d.outcome])).toEqual([
      [2, "delivered"],
      [1, "failed"],
    ]);
  });

  it("a failing receiver is retried on schedule whatever other messages the consumer gets meanwhile", { timeout: 60_000 }, async () => {
    const { tenant, sub, path, message } = await pendingWithoutMessage("schedule", [500, 500]);
    // Attempt 1 fails: the consumer queues the retry (a fresh message with the retry's ticket, 1 s) and
    // acknowledges this one — Queues' own retries are left for consumer failures.
    const firstRun = await consume([{ body: message }]);
    expect(firstRun).toMatchObject({ outcome: "ok", retryMessages: [] });
    expect(firstRun.explicitAcks).toHaveLength(1);
    // At once: Queues delivering a copy again (attempts 2), and a sync run's message. Neither may try the
    // receiver before the retry is due: the sync run's is dropped, the copy comes back once the retry is late.
    const others = await consume([{ attempts: 2, body: message }, { body: message }]);
    expect(others).toMatchObject({ outcome: "ok" });
    expect(others.explicitAcks).toHaveLength(1);
    expect(others.retryMessages).toHaveLength(1);
    expect(others.retryDelays[0]).toBeGreaterThanOrEqual(2);

    // The queue's retries: attempt 2 after ≥ 1 s fails, attempt 3 after ≥ 2 s more succeeds; nothing else.
    const got = await waitFor(path, 3);
    expect(got[1]!.at - got[0]!.at).toBeGreaterThanOrEqual(950);
    expect(got[2]!.at - got[1]!.at).toBeGreaterThanOrEqual(1_950);
    await new Promise((r) => setTimeout(r, 1_500));
    const all = await received(path);
    expect(all).toHaveLength(3);
    expect(new Set(all.map((r) => r.headers["webhook-id"])).size).toBe(1);
    const deliveries = (await v1(tenant.api_key, `/webhooks/${sub.id}/deliveries`)).body.data;
    expect(deliveries.map((d: { attempt: number; status: number; outcome: string }) => [d.attempt, d.status, d.outcome])).toEqual([
      [3, 204, "delivered"],
      [2, 500, "failed"],
      [1, 500, "failed"],
    ]);
  });

  it("a disabled subscription refuses replays (409) and a replay queued before it was disabled is not sent", {
    timeout: 60_000,
  }, async () => {
    const { tenant, clientId } = await seeded();
    const path = uniquePath("disabled-replay");
    const sub = await subscribe(tenant, path);
    const [id] = await indexedIds(tenant.id);
    await changeTitle(tenant.id, clientId, id!, "Delivered once");
    await waitFor(path, 1);
    const [delivery] = (await v1(tenant.api_key, `/webhooks/${sub.id}/deliveries`)).body.data;
    // Disabled as after 3 days of failures (how it gets there is the dead-letter test below).
    await runInDurableObject(directoryOf(tenant.id), (_i, state) =>
      state.storage.sql.exec(
        `UPDATE wh_subscriptions SET status = 'disabled', disabled_reason = 'failing for 3 days' WHERE id = ?`,
        sub.id,
      ),
    );

    const refused = expectProblem(
      await v1(tenant.api_key, `/webhooks/${sub.id}/deliveries/${delivery.id}/replay`, { method: "POST" }),
      409,
      "conflict",
    );
    expect(refused.detail).toMatch(/disabled/);
    // A replay message already on the queue (accepted while the subscription was active) is dropped.
    const result = await consume([{ body: { v: 1, tenant: tenant.id, subscription: sub.id, replay: delivery.id } }]);
    expect(result).toMatchObject({ outcome: "ok", retryBatch: { retry: false }, retryMessages: [] });
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await received(path)).toHaveLength(1);
    expect((await v1(tenant.api_key, `/webhooks/${sub.id}/deliveries`)).body.data).toEqual([delivery]);
  });

  it("one tenant's subscription never sees another tenant's changes", { timeout: 60_000 }, async () => {
    const a = await seeded();
    const b = await seeded();
    const pathA = uniquePath("iso-a");
    const pathB = uniquePath("iso-b");
    await subscribe(a.tenant, pathA);
    await subscribe(b.tenant, pathB);
    const created = await createCandidate(a.clientId, { givenName: "Only", familyName: "InA", emails: ["only.in.a@example.com"] });
    await syncUntil(a.tenant.id, async () => (await directoryOf(a.tenant.id).getIndexed(created)) !== null);
    await directoryOf(b.tenant.id).requestSync();
    const got = await waitFor(pathA, 1);
    expect(JSON.parse(got[0]!.body)).toMatchObject({ type: "candidate.created", data: { id: created } });
    // B synced too, and its subscription stays empty; A's change never reached B's receiver.
    await new Promise((r) => setTimeout(r, 2_500));
    expect(await received(pathB)).toEqual([]);
  });

  it("a message Queues dead-lettered by itself gives the pending change up only after the retry window", { timeout: 60_000 }, async () => {
    const { tenant, clientId } = await seeded();
    const path = uniquePath("dlq-self");
    await plan(path, [500, 500, 500]);
    const sub = await subscribe(tenant, path, ["candidate.updated"]);
    const [first] = await indexedIds(tenant.id);
    await changeTitle(tenant.id, clientId, first!, "Failing for an hour");
    await waitFor(path, 1);
    const stub = directoryOf(tenant.id);
    const state = () =>
      runInDurableObject(stub, (_i, s) =>
        s.storage.sql
          .exec<{ cursor: number; head_failed_at: number | null }>(
            `SELECT cursor, head_failed_at FROM wh_subscriptions WHERE id = ?`,
            sub.id,
          )
          .one(),
      );
    const before = await state();
    expect(before.head_failed_at).not.toBeNull();
    // Failing for an hour: Queues' own dead-lettering (no seq) gives nothing up; the change stays pending.
    await runInDurableObject(stub, (_i, s) =>
      s.storage.sql.exec(`UPDATE wh_subscriptions SET head_failed_at = ? WHERE id = ?`, Date.now() - 3600_000, sub.id),
    );
    expect(await stub.webhookGiveUp(sub.id)).toBe(true);
    expect((await state()).cursor).toBe(before.cursor);
    let outcomes = ((await v1(tenant.api_key, `/webhooks/${sub.id}/deliveries`)).body.data as { outcome: string }[]).map((d) => d.outcome);
    expect(outcomes).not.toContain("dead_lettered");
    // Failing for longer than the retry window: given up, recorded, the cursor moves on.
    await runInDurableObject(stub, (_i, s) =>
      s.storage.sql.exec(`UPDATE wh_subscriptions SET head_failed_at = ? WHERE id = ?`, Date.now() - 25 * 3600_000, sub.id),
    );
    await stub.webhookGiveUp(sub.id);
    expect((await state()).cursor).toBeGreaterThan(before.cursor);
    outcomes = ((await v1(tenant.api_key, `/webhooks/${sub.id}/deliveries`)).body.data as { outcome: string }[]).map((d) => d.outcome);
    expect(outcomes[0]).toBe("dead_lettered");
  });

  it("a quiet spell after a give-up is not failure: the next change gets its retries, and failing time still adds up to 3 days", {
    timeout: 90_000,
  }, async () => {
    const { tenant, clientId } = await seeded();
    const path = uniquePath("quiet");
    await plan(path, Array(12).fill(500));
    const sub = await subscribe(tenant, path, ["candidate.updated"]);
    const [first, second] = await indexedIds(tenant.id);
    const stub = directoryOf(tenant.id);
    const view = async () => (await v1(tenant.api_key, `/webhooks/${sub.id}`)).body as { status: string; disabled_reason: string | null };
    // The first change has been failing for a day: its next failure gives it up, and nothing else is pending.
    await updateCandidate(clientId, first!, { title: "Given up" });
    await failingForADay(stub, sub.id);
    await syncUntilTitle(tenant.id, first!, "Given up");
    const until = Date.now() + 30_000;
    while (!((await stub.webhookDeliveries(sub.id)) ?? []).some((d) => d.outcome === "dead_lettered")) {
      if (Date.now() > until) throw new Error("the first change was never given up");
      await new Promise((r) => setTimeout(r, 100));
    }

    // Three quiet days, then a change whose first delivery fails: it is retried, not the end of the subscription.
    await travel(tenant.id, sub.id, 3 * 24 * 3600_000);
    await changeTitle(tenant.id, clientId, second!, "After a quiet spell");
    await waitFor(path, 3); // the first change's one attempt, then the second's first attempt and a retry
    expect(await view()).toMatchObject({ status: "active", disabled_reason: null });

    // The day of failures before the pause still counts: two more days failing make three, and it is disabled.
    await travel(tenant.id, sub.id, 2 * 24 * 3600_000);
    const untilDisabled = Date.now() + 30_000;
    while ((await view()).status !== "disabled") {
      if (Date.now() > untilDisabled) throw new Error("never disabled");
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await view()).disabled_reason).toMatch(/failed since .*, 7\d h of it with an event to deliver \(last: HTTP 500\)/);
  });

  it("gives an event up to the dead-letter queue after the retry window, then goes on; disables after 3 days of failures", {
    timeout: 90_000,
  }, async () => {
    const { tenant, clientId } = await seeded();
    const path = uniquePath("dlq");
    await plan(path, [500, 500, 500, 500]);
    const sub = await subscribe(tenant, path, ["candidate.updated"]);
    const [first, second] = await indexedIds(tenant.id);
    const stub = directoryOf(tenant.id);
    // The first change has been failing for a day (as if its retries had run their course).
    await updateCandidate(clientId, first!, { title: "Never delivered" });
    await failingForADay(stub, sub.id);
    await syncUntilTitle(tenant.id, first!, "Never delivered");
    await waitFor(path, 1);
    // Dead-lettered, recorded, and the subscription went on with nothing left.
    const until = Date.now() + 30_000;
    let deliveries: { outcome: string; attempt: number }[] = [];
    while (Date.now() < until && !deliveries.some((d) => d.outcome === "dead_lettered")) {
      deliveries = (await v1(tenant.api_key, `/webhooks/${sub.id}/deliveries`)).body.data;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(deliveries.map((d) => d.outcome)).toEqual(["dead_lettered", "failed"]);

    // Three days without a success: the next failure disables the subscription, and it says why.
    await runInDurableObject(stub, (_i, state) =>
      state.storage.sql.exec(`UPDATE wh_subscriptions SET failing_since = ? WHERE id = ?`, Date.now() - 73 * 3600_000, sub.id),
    );
    await changeTitle(tenant.id, clientId, second!, "Also failing");
    await waitFor(path, 2);
    const untilDisabled = Date.now() + 30_000;
    let view = (await v1(tenant.api_key, `/webhooks/${sub.id}`)).body;
    while (view.status !== "disabled" && Date.now() < untilDisabled) {
      await new Promise((r) => setTimeout(r, 100));
      view = (await v1(tenant.api_key, `/webhooks/${sub.id}`)).body;
    }
    expect(view).toMatchObject({ status: "disabled", disabled_reason: expect.stringMatching(/failed since .*HTTP 500/) });
    // Disabled: later changes are not sent.
    await changeTitle(tenant.id, clientId, second!, "After disabling");
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await received(path)).toHaveLength(2);
  });
});
