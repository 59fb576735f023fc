// Benchmark plumbing: runs the bridge and the simulator as two `wrangler dev` processes (the bridge
// reaches the simulator over HTTP, the production code path for an http(s) Talemetry host), with fresh
// local state, and offers admin/control/load helpers. Nothing here is imported by the Worker.
import { spawn } from "node:child_process";
import { mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { ensureDevVars } from "../scripts/dev-vars.mjs";

/** Ports (the machine may be shared: `BENCH_PORT` moves all four, e.g. 18788 → 18788, 18789, 19330, 19331). */
const PORT_BASE = Number(process.env.BENCH_PORT ?? 8788);
export const BRIDGE_PORT = PORT_BASE;
export const SANDBOX_PORT = PORT_BASE + 1;
export const BRIDGE_INSPECTOR_PORT = PORT_BASE + 543;
export const SANDBOX_INSPECTOR_PORT = PORT_BASE + 542;
export const BRIDGE = `http://127.0.0.1:${BRIDGE_PORT}`;
export const SANDBOX = `http://127.0.0.1:${SANDBOX_PORT}`;
const STATE = ".wrangler/bench-state";
/** Each wrangler's output, for a run that fails to start (read them there). */
const LOGS = ".wrangler/bench-logs";

/**
 * The bench drives one tenant far beyond the production per-tenant budgets, so it runs the bridge with a
 * copy of wrangler.toml whose local rate-limit bindings (the /v1 one and Talkdesk's) allow a million
 * requests a minute — the most the settings accept — and their announced vars say so (the only differences).
 */
function benchConfig() {
  const root = resolve(".");
  let toml = readFileSync("wrangler.toml", "utf8");
  toml = toml.replace('main = "src/index.ts"', `main = "${root}/src/index.ts"`);
  toml = toml.replace("simple = { limit = 600, period = 60 }", "simple = { limit = 1000000, period = 60 }");
  // The settings parser refuses RATE_LIMIT_REQUESTS above 1,000,000 (src/config/settings.ts): beyond it
  // every request of the bench answered 500 and the stack never came up.
  toml = toml.replace('RATE_LIMIT_REQUESTS = "600"', 'RATE_LIMIT_REQUESTS = "1000000"');
  // Talkdesk's own budget (1,200 a minute) would throttle the search bench's contact-sync paging and the
  // mixed load's Talkdesk pages.
  toml = toml.replace("simple = { limit = 1200, period = 60 }", "simple = { limit = 1000000, period = 60 }");
  toml = toml.replace('TALKDESK_RATE_LIMIT_REQUESTS = "1200"', 'TALKDESK_RATE_LIMIT_REQUESTS = "1000000"');
  mkdirSync(".build/bench", { recursive: true });
  writeFileSync(".build/bench/wrangler.toml", toml);
  // wrangler reads .dev.vars next to the config file.
  writeFileSync(".build/bench/.dev.vars", readFileSync(".dev.vars"));
  return ".build/bench/wrangler.toml";
}

// A registry of the bench's own dev sessions, so no other checkout's Worker of the same name is bound.
const WRANGLER_ENV = { ...process.env, WRANGLER_SEND_METRICS: "false", WRANGLER_REGISTRY_PATH: ".wrangler/bench-registry" };
const COMMON_ARGS = ["--ip", "127.0.0.1", "--persist-to", STATE];

function spawnSimulator() {
  mkdirSync(LOGS, { recursive: true });
  return spawn(
    "wrangler",
    [
      "dev",
      "-c",
      "sandbox/wrangler.toml",
      "--port",
      String(SANDBOX_PORT),
      "--inspector-port",
      String(SANDBOX_INSPECTOR_PORT),
      ...COMMON_ARGS,
    ],
    {
      env: WRANGLER_ENV,
      stdio: ["ignore", openSync(`${LOGS}/simulator.log`, "w"), openSync(`${LOGS}/simulator.err.log`, "w")],
    },
  );
}

/** Starts the simulator alone (for benchmarks of the simulator itself), with fresh local state. */
export async function startSimulator() {
  const secrets = ensureDevVars();
  rmSync(STATE, { recursive: true, force: true });
  const proc = spawnSimulator();
  const stop = () => proc.kill("SIGTERM");
  process.on("exit", stop);
  await waitFor(`${SANDBOX}/healthz`);
  return { secrets, stop };
}

/**
 * Starts the pair. `logLevel: "info"` keeps the bridge's JSON request lines (route, status,
 * upstream_calls, duration_ms) in `requestLines`, for per-route upstream-call counts.
 */
export async function startStack({ logLevel = "error" } = {}) {
  const secrets = ensureDevVars();
  rmSync(STATE, { recursive: true, force: true });
  const env = WRANGLER_ENV;
  const common = COMMON_ARGS;
  // One after the other: two wrangler processes starting at once can pick the same free local port.
  const simulator = spawnSimulator();
  process.on("exit", () => simulator.kill("SIGTERM"));
  await waitFor(`${SANDBOX}/healthz`);
  const procs = [
    simulator,
    spawn(
      "wrangler",
      [
        "dev",
        "-c",
        benchConfig(),
        "--port",
        String(BRIDGE_PORT),
        "--inspector-port",
        String(BRIDGE_INSPECTOR_PORT),
        "--var",
        `TALEMETRY_MATCH_URL:${SANDBOX}`,
        "--var",
        `TALEMETRY_PROFILES_URL:${SANDBOX}`,
        "--var",
        `LOG_LEVEL:${logLevel}`,
        ...common,
      ],
      { env, stdio: ["ignore", "pipe", openSync(`${LOGS}/bridge.err.log`, "w")] },
    ),
  ];
  const requestLines = [];
  let pending = "";
  procs[1].stdout.on("data", (chunk) => {
    pending += chunk.toString();
    const lines = pending.split("\n");
    pending = lines.pop();
    for (const line of lines) {
      const start = line.indexOf("{");
      if (start < 0) continue;
      try {
        const entry = JSON.parse(line.slice(start));
        if (entry.route !== undefined && entry.status !== undefined) requestLines.push(entry);
      } catch {}
    }
  });
  const stop = () => {
    for (const p of procs) p.kill("SIGTERM");
  };
  process.on("exit", stop);
  await waitFor(`${BRIDGE}/healthz`);
  return { secrets, stop, requestLines };
}

async function waitFor(url) {
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await sleep(500);
  }
  throw new Error(`${url} did not answer within 2 minutes`);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function admin(secrets) {
  return async (method, path, body) => {
    const res = await fetch(`${BRIDGE}${path}`, {
      method,
      headers: { authorization: `Bearer ${secrets.ADMIN_TOKEN}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
    return JSON.parse(text);
  };
}

export function control(secrets) {
  return async (method, path, body) => {
    const res = await fetch(`${SANDBOX}/__control${path}`, {
      method,
      headers: { authorization: `Bearer ${secrets.SANDBOX_CONTROL_TOKEN}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`control ${method} ${path} → ${res.status} ${text}`);
    return JSON.parse(text).result;
  };
}

/**
 * Creates a simulator account (`POST /__control/accounts`, default seed) and returns its Talemetry
 * credentials `{client_id, secret_key}`: the secret key is shown only in this answer.
 */
export async function createAccount(secrets, clientId) {
  return control(secrets)("POST", "/accounts", { client_id: clientId });
}

export const totalCalls = (stats) => Object.values(stats.calls).reduce((a, b) => a + b, 0);

/** The simulator accepts up to 10 million; the bench is documented and sized up to a million. */
export const MAX_BENCH_CANDIDATES = 1_000_000;

/** `BENCH_CANDIDATES` (or another variable; else `fallback`), refused unless a whole number from 1 to 1,000,000. */
export function benchCandidates(fallback, name = "BENCH_CANDIDATES") {
  const raw = process.env[name];
  const n = raw === undefined || raw === "" ? fallback : Number(raw.replace(/_/g, ""));
  if (!Number.isInteger(n) || n < 1 || n > MAX_BENCH_CANDIDATES) {
    console.error(`${name} must be a whole number from 1 to ${MAX_BENCH_CANDIDATES.toLocaleString("en")} (got ${raw})`);
    process.exit(2);
  }
  return n;
}

/**
 * Closed-loop load: `concurrency` workers each send `next()`'s request back to back for `seconds`
 * (after a short warm-up). Returns latency percentiles (ms), requests/s and non-2xx count.
 */
export async function load({ seconds, concurrency, next, warmupSeconds = 1 }) {
  const latencies = [];
  let errors = 0;
  let measuring = false;
  const end = Date.now() + (warmupSeconds + seconds) * 1000;
  setTimeout(() => (measuring = true), warmupSeconds * 1000);
  let started = 0;
  const worker = async () => {
    while (Date.now() < end) {
      const { url, init } = next();
      const t0 = performance.now();
      const res = await fetch(url, init);
      await res.arrayBuffer();
      const ms = performance.now() - t0;
      if (measuring) {
        if (!started) started = performance.now();
        latencies.push(ms);
        if (res.status >= 400) errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
  return { n: latencies.length, p50: pct(50), p95: pct(95), p99: pct(99), rps: latencies.length / elapsed, errors };
}

/**
 * Like `load`, but for several scenarios at once, interleaved in short slices (A, B, C, A, B, C, …), so
 * that whatever else the machine does in the meantime weighs on every scenario alike and their ratios
 * stay meaningful. Returns one result per scenario, in order.
 */
export async function loadInterleaved({ scenarios, seconds, concurrency, sliceMs = 500, warmupSeconds = 1 }) {
  for (const s of scenarios) await load({ seconds: 0, warmupSeconds, concurrency, next: s.next });
  const samples = scenarios.map(() => ({ latencies: [], errors: 0, busyMs: 0 }));
  const rounds = Math.max(1, Math.round((seconds * 1000) / (sliceMs * scenarios.length)));
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < scenarios.length; i++) {
      const sample = samples[i];
      const end = Date.now() + sliceMs;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (Date.now() < end) {
            const { url, init } = scenarios[i].next();
            const start = performance.now();
            const res = await fetch(url, init);
            await res.arrayBuffer();
            sample.latencies.push(performance.now() - start);
            scenarios[i].onResponse?.(res);
            if (res.status >= 400) sample.errors++;
          }
        }),
      );
      sample.busyMs += performance.now() - t0;
    }
  }
  return samples.map(({ latencies, errors, busyMs }) => {
    latencies.sort((a, b) => a - b);
    const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
    return { n: latencies.length, p50: pct(50), p95: pct(95), p99: pct(99), rps: latencies.length / (busyMs / 1000), errors };
  });
}

export function table(headers, rows) {
  const cells = [headers, ...rows].map((r) => r.map(String));
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const line = (r) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  return [line(cells[0]), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...cells.slice(1).map(line)].join("\n");
}

/**
 * Samples the JS heap of the bridge's isolate (where the tenants' Durable Objects run under `wrangler
 * dev`) through wrangler's inspector (Chrome DevTools protocol, `Runtime.getHeapUsage`) every
 * `intervalMs`, until `stop()`; returns the peak `usedSize` in bytes (null when the inspector is not
 * reachable).
 */
export async function heapSampler(intervalMs = 250, port = BRIDGE_INSPECTOR_PORT) {
  let ws;
  try {
    ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers: { origin: "https://devtools.devprod.cloudflare.dev" } });
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = reject;
    });
  } catch {
    return { stop: async () => null };
  }
  let peak = 0;
  let id = 0;
  ws.onmessage = (message) => {
    const data = JSON.parse(String(message.data));
    if (data.result?.usedSize !== undefined) peak = Math.max(peak, data.result.usedSize);
  };
  const timer = setInterval(() => ws.send(JSON.stringify({ id: ++id, method: "Runtime.getHeapUsage" })), intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      await sleep(intervalMs);
      ws.close();
      return peak;
    },
  };
}

/** Runs `task` over `items`, `concurrency` at a time. */
export async function forEachLimited(items, concurrency, task) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await task(items[next++]);
    }),
  );
}

/** Median, min and max of numbers. */
export function spread(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return { min: sorted[0], median: sorted[Math.floor((sorted.length - 1) / 2)], max: sorted[sorted.length - 1] };
}
