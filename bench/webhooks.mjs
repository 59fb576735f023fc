// `npm run bench -- webhooks`: the time from a change in Talemetry (the simulator) to its verified
// delivery at a subscriber, p50/p95, at the default sync interval (60 s) and at 10 s. Runs the bridge and
// the simulator under `wrangler dev` (local Queues included) and a Node receiver that verifies each
// delivery with the Standard Webhooks library (scripts/webhook-receiver.mjs). Changes are made at random
// moments, each to its own candidate, so they fall anywhere in the poll cycle: the figure is what a
// partner sees — half a poll interval on average, plus the sync, the queue and the delivery.
import { startReceiver } from "../scripts/webhook-receiver.mjs";
import { admin, BRIDGE as BRIDGE_URL, control, createAccount, sleep, startStack, table } from "./lib.mjs";

const SAMPLES = Number(process.env.BENCH_WEBHOOK_SAMPLES ?? 20);
/** Beside the bench's bridge and simulator ports (`BENCH_PORT` moves them all). */
const RECEIVER_PORT = Number(process.env.BENCH_PORT ?? 8788) + 4;
const INTERVALS = [60, 10];

const { secrets, stop } = await startStack();
const adm = admin(secrets);
const ctl = control(secrets);

/** candidate id + title → the moment the change was made (performance.now()). */
const pending = new Map();
const latencies = new Map(INTERVALS.map((s) => [s, []]));
let current = null;
let secret = null;
let sample = null;
const receiver = await startReceiver({
  port: RECEIVER_PORT,
  secretFor: () => secret,
  onEvent: (event, headers, receivedAt) => {
    const key = `${event.data.id} ${event.data.candidate?.title}`;
    const madeAt = pending.get(key);
    if (madeAt === undefined) return;
    pending.delete(key);
    latencies.get(current).push((receivedAt - madeAt) / 1000);
    sample ??= { headers, event };
  },
  onRejected: (err) => console.error(`receiver refused a delivery: ${err.message}`),
});

async function run(intervalSeconds) {
  current = intervalSeconds;
  const talemetry = await createAccount(secrets, `bench-wh-${intervalSeconds}-${Date.now()}`);
  await ctl("POST", `/accounts/${talemetry.client_id}/seed`, { count: SAMPLES + 10, demo: false });
  const tenant = await adm("POST", "/admin/tenants", {
    name: `webhooks ${intervalSeconds}s`,
    region: "US",
    talemetry,
    settings: { sync_interval_seconds: intervalSeconds },
  });
  for (;;) {
    const s = await adm("GET", `/admin/tenants/${tenant.id}/sync`);
    if (s.state === "idle" && s.checkpoint) break;
    await sleep(200);
  }
  const sub = await fetch(`${BRIDGE()}/v1/webhooks`, {
    method: "POST",
    headers: { authorization: `Bearer ${tenant.api_key}`, "content-type": "application/json" },
    body: JSON.stringify({ url: receiver.url, events: ["candidate.updated"] }),
  }).then((r) => r.json());
  secret = sub.secret;
  const ids = await candidateIds(tenant);
  // Spread over several poll cycles: a change every interval × 0.25 on average, at random offsets.
  for (let i = 0; i < SAMPLES; i++) {
    await sleep(Math.random() * intervalSeconds * 500);
    const title = `bench ${intervalSeconds}s #${i}`;
    const id = ids[i];
    await ctl("PATCH", `/accounts/${talemetry.client_id}/candidates/${id}`, { title });
    pending.set(`${id} ${title}`, performance.now());
  }
  const deadline = performance.now() + (intervalSeconds * 2 + 30) * 1000;
  while (pending.size > 0 && performance.now() < deadline) await sleep(200);
  if (pending.size > 0) throw new Error(`${pending.size} changes never arrived at ${intervalSeconds} s`);
}

const BRIDGE = () => BRIDGE_URL;

/** The tenant's candidate ids, from the change feed's full listing. */
async function candidateIds(tenant) {
  const page = await fetch(`${BRIDGE()}/v1/changes?from=beginning&limit=500`, {
    headers: { authorization: `Bearer ${tenant.api_key}` },
  }).then((r) => r.json());
  return page.data.map((c) => c.id);
}

try {
  for (const s of INTERVALS) await run(s);
} finally {
  receiver.close();
  stop();
}

const pct = (xs, p) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
console.log(`\nChange in Talemetry → verified delivery at a subscriber (${SAMPLES} changes per interval, at random moments)\n`);
console.log(
  table(
    ["sync interval", "changes", "p50 (s)", "p95 (s)", "max (s)"],
    INTERVALS.map((s) => {
      const xs = latencies.get(s);
      return [`${s} s`, xs.length, pct(xs, 50).toFixed(1), pct(xs, 95).toFixed(1), Math.max(...xs).toFixed(1)];
    }),
  ),
);
if (sample) {
  console.log(`\nOne delivery as the receiver saw it (verified with standardwebhooks):`);
  for (const k of ["content-type", "webhook-id", "webhook-timestamp", "webhook-signature"]) console.log(`  ${k}: ${sample.headers[k]}`);
  console.log(`  body: ${JSON.stringify(sample.event).slice(0, 200)}…`);
}
process.exit(0);
