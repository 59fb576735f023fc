// `npm run bench [-- backfill|search]`: the directory backfill and caller-ID search benchmarks of
// issue 3, against `wrangler dev` on the simulator, printed as tables. See bench/README.md.
import { spawnSync } from "node:child_process";
import { admin, BRIDGE, benchCandidates, control, createAccount, loadInterleaved, sleep, startStack, table, totalCalls } from "./lib.mjs";

const only = process.argv[2];
/** The mixed load and the simulator's own figures run in their own processes and stacks, after this one's is stopped. */
function runChild(script) {
  return spawnSync("node", [script], { stdio: "inherit" }).status ?? 1;
}
if (only === "load") process.exit(runChild("bench/load.mjs"));
if (only === "simulator") process.exit(runChild("bench/simulator.mjs"));
const CANDIDATES = benchCandidates(10_000);
const { secrets, stop } = await startStack();
const adm = admin(secrets);
const ctl = control(secrets);

async function backfill(label, latencyMs) {
  const talemetry = await createAccount(secrets, `bench-${label}-${Date.now()}`);
  const clientId = talemetry.client_id;
  await ctl("POST", `/accounts/${clientId}/seed`, { count: CANDIDATES });
  await ctl("POST", `/accounts/${clientId}/settings`, { latencyMs });
  await ctl("POST", `/accounts/${clientId}/stats/reset`);
  const t0 = performance.now();
  const tenant = await adm("POST", "/admin/tenants", {
    name: `bench ${label}`,
    region: "US",
    talemetry,
  });
  let status;
  for (;;) {
    status = await adm("GET", `/admin/tenants/${tenant.id}/sync`);
    if (status.state === "idle" && status.checkpoint) break;
    // Ten minutes, or 2 ms a candidate for a large account (a million: about 33 minutes).
    if (performance.now() - t0 > Math.max(600_000, CANDIDATES * 2)) throw new Error(`backfill did not finish: ${JSON.stringify(status)}`);
    await sleep(100);
  }
  const seconds = (performance.now() - t0) / 1000;
  const stats = await ctl("GET", `/accounts/${clientId}/stats`);
  await ctl("POST", `/accounts/${clientId}/settings`, { latencyMs: 0 });
  return { tenant, clientId, seconds, indexed: status.indexed, stats };
}

if (!only || only === "backfill" || only === "search") {
  const runs = [await backfill("fast", 0)];
  if (only !== "search") runs.push(await backfill("slow", 100));
  const expected = Math.ceil(CANDIDATES / 500) + Math.ceil(CANDIDATES / 50) + 1;
  console.log(
    `\nBackfill of ${CANDIDATES} simulated candidates (Match PageSize 500, details in batches of 50; expected ≈ ${expected} upstream calls)\n`,
  );
  console.log(
    table(
      ["upstream latency", "indexed", "time (s)", "candidates/s", "upstream calls", "authorize", "ids pages", "profiles calls"],
      runs.map((r, i) => [
        i === 0 ? "0 ms" : "100 ms",
        r.indexed,
        r.seconds.toFixed(1),
        Math.round(r.indexed / r.seconds),
        totalCalls(r.stats),
        r.stats.calls.authorize,
        r.stats.calls.ids,
        r.stats.calls.profiles,
      ]),
    ),
  );

  if (!only || only === "search") await searchBench(runs[0]);
}

async function searchBench({ tenant, clientId }) {
  const auth = { headers: { authorization: `Bearer ${tenant.api_key}` } };
  // Real numbers from the index, in national form (what TalentLynk sends), via Talkdesk contact sync.
  const phones = [];
  let offset;
  do {
    const body = { auth: { api_key: tenant.api_key }, ...(offset ? { meta: { offset } } : {}) };
    const page = await (
      await fetch(`${BRIDGE}/talkdesk/contacts`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      })
    ).json();
    for (const c of page.contacts ?? []) for (const p of c.phones ?? []) if (p.startsWith("+1")) phones.push(p.slice(2));
    offset = page.next_offset;
  } while (offset && phones.length < 20_000);
  if (phones.length === 0) throw new Error("no phones found in the index");

  const seconds = Number(process.env.BENCH_SECONDS ?? 8);
  const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);
  // Park the tenant's sync poll for the measurement, so every upstream call counted below is a search's.
  await adm("PATCH", `/admin/tenants/${tenant.id}`, { settings: { sync_interval_seconds: 86_400 } });
  await adm("POST", `/admin/tenants/${tenant.id}/sync`, {});
  await ctl("POST", `/accounts/${clientId}/stats/reset`);
  const hot = phones[0];
  await fetch(`${BRIDGE}/v1/search?phone=${hot}`, auth); // prime the cache entry
  // Every query distinct: a cache miss answered by the index. The tenant's real numbers rotate through
  // formats so even a second pass over the list stays a miss.
  let i = 0;
  const formats = [(p) => p, (p) => `(${p.slice(0, 3)}) ${p.slice(3, 6)}-${p.slice(6)}`, (p) => `+1${p}`, (p) => `001${p}`];
  const [baseline, cacheHit, indexHit] = await loadInterleaved({
    seconds: seconds * 3,
    concurrency,
    scenarios: [
      { next: () => ({ url: `${BRIDGE}/healthz` }) },
      { next: () => ({ url: `${BRIDGE}/v1/search?phone=${hot}`, init: auth }) },
      {
        next: () => {
          const n = i++;
          const p = formats[Math.floor(n / phones.length) % formats.length](phones[n % phones.length]);
          return { url: `${BRIDGE}/v1/search?phone=${encodeURIComponent(p)}`, init: auth };
        },
      },
    ],
  });
  const stats = await ctl("GET", `/accounts/${clientId}/stats`);
  const rows = [
    ["GET /healthz (baseline)", baseline],
    ["search, cache hit", cacheHit],
    ["search, index hit (cache miss)", indexHit],
  ].map(([name, r]) => [
    name,
    r.n,
    r.p50.toFixed(2),
    r.p95.toFixed(2),
    r.p99.toFixed(2),
    Math.round(r.rps),
    `${(r.p50 / baseline.p50).toFixed(2)}×`,
    r.errors,
  ]);
  console.log(
    `\nCaller-ID search (${concurrency} concurrent clients, ${seconds} s per scenario interleaved in 0.5 s slices, one run; ${phones.length} distinct indexed numbers)\n`,
  );
  console.log(table(["scenario", "requests", "p50 ms", "p95 ms", "p99 ms", "req/s", "p50 / baseline", "errors"], rows));
  console.log(`\nUpstream (Talemetry) calls during the search phases: ${totalCalls(stats)}  (target 0)`);
  console.log(
    `Targets: cache-hit p50 ≤ 2× baseline → ${(cacheHit.p50 / baseline.p50).toFixed(2)}×; index-hit p50 ≤ 4× baseline → ${(indexHit.p50 / baseline.p50).toFixed(2)}×`,
  );
}

stop();
if (!only) {
  await sleep(1000);
  const load = runChild("bench/load.mjs");
  await sleep(1000);
  const simulator = runChild("bench/simulator.mjs");
  process.exit(load || simulator);
}
process.exit(0);
