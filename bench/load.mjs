// `npm run bench -- load`: issue 6's mixed workload against `wrangler dev` with 50 ms simulated upstream
// latency — caller-ID searches (mostly cache hits), candidate reads, activity writes, Talkdesk contact
// sync pages — printing throughput, p50/p95/p99 per route, upstream calls per request and errors; then
// the production bundle size of every environment (`npm run deploy:check`).
import { execFileSync } from "node:child_process";
import { admin, BRIDGE, control, createAccount, sleep, startStack, table } from "./lib.mjs";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const LATENCY_MS = 50;

const { secrets, stop, requestLines } = await startStack({ logLevel: "info" });
const adm = admin(secrets);
const ctl = control(secrets);

const talemetry = await createAccount(secrets, `load-${Date.now()}`);
const clientId = talemetry.client_id;
await ctl("POST", `/accounts/${clientId}/seed`, { count: 2000 });
const tenant = await adm("POST", "/admin/tenants", {
  name: "load",
  region: "US",
  talemetry,
  settings: { default_author_email: "amy@agency.example", sync_interval_seconds: 86_400 },
});
for (;;) {
  const s = await adm("GET", `/admin/tenants/${tenant.id}/sync`);
  if (s.state === "idle" && s.checkpoint) break;
  await sleep(200);
}
await ctl("POST", `/accounts/${clientId}/settings`, { latencyMs: LATENCY_MS });

const json = { "content-type": "application/json" };
const bearer = { authorization: `Bearer ${tenant.api_key}` };
const firstPage = await (
  await fetch(`${BRIDGE}/talkdesk/contacts`, { method: "POST", headers: json, body: JSON.stringify({ auth: { api_key: tenant.api_key } }) })
).json();
const ids = firstPage.contacts.map((c) => c.id);
const phones = firstPage.contacts
  .flatMap((c) => c.phones ?? [])
  .filter((p) => p.startsWith("+1"))
  .map((p) => p.slice(2));
const hotPhones = phones.slice(0, 10);

const pick = (xs) => xs[Math.floor(Math.random() * xs.length)];
let seq = 0;
/** The mix: 70 % searches (9 in 10 of them over ten hot numbers → cache hits), 10 % candidate reads, 10 % activity writes, 10 % Talkdesk pages. */
function nextRequest() {
  const r = Math.random();
  if (r < 0.7) {
    const phone = Math.random() < 0.9 ? pick(hotPhones) : pick(phones);
    return { route: "GET /v1/search", url: `${BRIDGE}/v1/search?phone=${phone}`, init: { headers: bearer } };
  }
  if (r < 0.8) return { route: "GET /v1/candidates/:id", url: `${BRIDGE}/v1/candidates/${pick(ids)}`, init: { headers: bearer } };
  if (r < 0.9) {
    const body = {
      entity: "candidate",
      entity_id: pick(ids),
      type: "call",
      body: "Load test call",
      direction: "outbound",
      duration_seconds: 42,
    };
    return {
      route: "POST /v1/activities",
      url: `${BRIDGE}/v1/activities`,
      init: {
        method: "POST",
        headers: { ...bearer, ...json, "idempotency-key": `load-${Date.now()}-${seq++}` },
        body: JSON.stringify(body),
      },
    };
  }
  const meta = Math.random() < 0.5 && firstPage.next_offset ? { offset: firstPage.next_offset } : {};
  return {
    route: "POST /talkdesk/contacts",
    url: `${BRIDGE}/talkdesk/contacts`,
    init: { method: "POST", headers: json, body: JSON.stringify({ auth: { api_key: tenant.api_key }, meta }) },
  };
}

await ctl("POST", `/accounts/${clientId}/stats/reset`);
requestLines.length = 0;
const perRoute = new Map();
let errors = 0;
const t0 = performance.now();
const end = Date.now() + SECONDS * 1000;
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (Date.now() < end) {
      const req = nextRequest();
      const start = performance.now();
      const res = await fetch(req.url, req.init);
      await res.arrayBuffer();
      const ms = performance.now() - start;
      if (res.status >= 400) errors++;
      if (!perRoute.has(req.route)) perRoute.set(req.route, []);
      perRoute.get(req.route).push(ms);
    }
  }),
);
const elapsed = (performance.now() - t0) / 1000;
await sleep(1500); // let the last request lines arrive
const stats = await ctl("GET", `/accounts/${clientId}/stats`);
const upstreamTotal = Object.values(stats.calls).reduce((a, b) => a + b, 0);

const logRoute = {
  "GET /v1/search": "/v1/search",
  "GET /v1/candidates/:id": "/v1/candidates/:id",
  "POST /v1/activities": "/v1/activities",
  "POST /talkdesk/contacts": "/talkdesk/contacts",
};
const pct = (xs, p) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const rows = [...perRoute.entries()].map(([route, xs]) => {
  xs.sort((a, b) => a - b);
  const lines = requestLines.filter((l) => l.route === logRoute[route] && `${l.method} ${l.route}`.startsWith(route.split(" ")[0]));
  const upstream = lines.length ? (lines.reduce((a, l) => a + (l.upstream_calls ?? 0), 0) / lines.length).toFixed(2) : "n/a";
  return [
    route,
    xs.length,
    (xs.length / elapsed).toFixed(1),
    pct(xs, 50).toFixed(1),
    pct(xs, 95).toFixed(1),
    pct(xs, 99).toFixed(1),
    upstream,
  ];
});
const total = [...perRoute.values()].reduce((a, xs) => a + xs.length, 0);
console.log(
  `\nMixed load: ${CONCURRENCY} concurrent clients for ${SECONDS} s, ${LATENCY_MS} ms simulated upstream latency, one tenant (2,000 candidates)\n`,
);
console.log(table(["route", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "upstream calls / request"], rows));
console.log(
  `\nTotal: ${total} requests, ${(total / elapsed).toFixed(1)} req/s; errors (4xx/5xx): ${errors}; upstream calls counted by the simulator: ${upstreamTotal} (${(upstreamTotal / total).toFixed(2)} per request)`,
);
stop();

console.log("\nProduction bundle per environment:");
execFileSync("node", ["scripts/deploy-check.mjs"], { stdio: "inherit" });
process.exit(errors === 0 ? 0 : 1);
