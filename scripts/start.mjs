// `npm start`: runs the bridge (:8787) and the Talemetry simulator (127.0.0.1:8786) as two `wrangler dev`
// processes that share a project-local dev registry, so the bridge reaches the simulator through its
// TALEMETRY_SANDBOX service binding exactly as in the sandbox deployment, while this script reaches the
// simulator's control API on loopback. It waits until both answer, makes sure the demo Talemetry account
// (created through the control API: its secret key is shown once, and kept in the git-ignored demo file)
// and the demo tenant exist, and prints ready-to-paste examples.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { ensureDevVars } from "./dev-vars.mjs";
import { startReceiver } from "./webhook-receiver.mjs";

const PORT = Number(process.env.PORT ?? 8787);
const SANDBOX_PORT = Number(process.env.SANDBOX_PORT ?? 8786);
const BASE = `http://localhost:${PORT}`;
const SANDBOX = `http://127.0.0.1:${SANDBOX_PORT}`;
const DEMO_FILE = ".wrangler/demo-tenant.json"; // git-ignored with the rest of local state
const DEMO_TALEMETRY_CLIENT = "demo-agency";
/** The walkthrough's webhook receiver (the local deployment may deliver to 127.0.0.1: WEBHOOKS_ALLOW_LOCALHOST). */
const RECEIVER_PORT = Number(process.env.RECEIVER_PORT ?? PORT + 3);
/** Maya Ortiz, the simulator's demo candidate of the contract's examples. */
const MAYA = "0290bb50-7113-11ef-9c70-b6a35a531041";

const secrets = ensureDevVars();
mkdirSync(".wrangler", { recursive: true });
// A registry of this checkout's dev sessions only: the bridge binds to this simulator, never to another
// project's Worker of the same name running on the machine.
const env = { ...process.env, WRANGLER_SEND_METRICS: "false", WRANGLER_REGISTRY_PATH: ".wrangler/registry" };
const common = ["--persist-to", ".wrangler/state"];
const children = [];
let ready = false;
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => stopAll(0, sig));

function start(args, stdin) {
  const child = spawn("wrangler", ["dev", ...args, ...common], { stdio: [stdin, "pipe", "pipe"], env });
  const relay = (stream, out) =>
    stream.on("data", (chunk) => {
      // Before the banner is printed, only show errors; afterwards relay the Workers' logs.
      const text = chunk.toString();
      if (ready || /error|✘/i.test(text)) out.write(text);
    });
  relay(child.stdout, process.stdout);
  relay(child.stderr, process.stderr);
  child.on("exit", (code) => stopAll(code ?? 0));
  children.push(child);
}

function stopAll(code, signal = "SIGTERM") {
  for (const child of children) if (child.exitCode === null) child.kill(signal);
  process.exit(code);
}

// One after the other: two wrangler processes starting at once can pick the same free local port.
start(["-c", "sandbox/wrangler.toml", "--port", String(SANDBOX_PORT), "--ip", "127.0.0.1", "--inspector-port", "9230"], "ignore");
await waitForHealth(`${SANDBOX}/healthz`);
start(["-c", "wrangler.toml", "--port", String(PORT), "--ip", "127.0.0.1"], "inherit");
await waitForHealth(`${BASE}/healthz`);
let webhook = { id: null, secret: null };
const receiver = await startReceiver({
  port: RECEIVER_PORT,
  secretFor: () => webhook.secret,
  onEvent: (event, headers) =>
    console.log(
      `[receiver] ${headers["webhook-id"]} signature verified ✓ ${event.type} ${event.data.id}` +
        (event.data.candidate ? ` (${event.data.candidate.name}, title: ${event.data.candidate.title ?? "none"})` : ""),
    ),
  onRejected: (err) => console.log(`[receiver] refused a delivery: ${err.message}`),
});
const demo = await ensureDemoTenant();
webhook = await ensureSubscription(demo, receiver.url);
ready = true;
printBanner(demo);
await demonstrateDelivery(demo);

async function waitForHealth(url) {
  for (let i = 0; i < 240; i++) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 500));
  }
  console.error(`${url} did not answer within 2 minutes`);
  stopAll(1);
}

function fail(message) {
  console.error(message);
  stopAll(1);
}

async function call(url, { method = "GET", bearer, body } = {}) {
  const res = await fetch(url, {
    method,
    headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...(body ? { "content-type": "application/json" } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: res.status, json, text };
}

/** The demo account's credentials: a new account, or a new secret key when it exists but the saved one is lost. */
async function demoAccount() {
  const control = (path, method = "POST", body) =>
    call(`${SANDBOX}/__control${path}`, { method, bearer: secrets.SANDBOX_CONTROL_TOKEN, body });
  let res = await control("/accounts", "POST", { client_id: DEMO_TALEMETRY_CLIENT });
  if (res.status === 409) res = await control(`/accounts/${DEMO_TALEMETRY_CLIENT}/secret`);
  if (res.status !== 200 && res.status !== 201) fail(`could not create the demo Talemetry account: ${res.status} ${res.text}`);
  return res.json.result;
}

async function ensureDemoTenant() {
  const saved = existsSync(DEMO_FILE) ? JSON.parse(readFileSync(DEMO_FILE, "utf8")) : null;
  const tenantAlive = saved && (await call(`${BASE}/v1/capabilities`, { bearer: saved.api_key })).status !== 401;
  const accountAlive =
    saved?.talemetry && (await call(`${SANDBOX}/v1/authorization`, { method: "POST", body: saved.talemetry })).status === 200;
  if (tenantAlive && accountAlive) return saved;

  const talemetry = accountAlive ? saved.talemetry : await demoAccount();
  let tenant;
  if (tenantAlive) {
    // The tenant outlived its Talemetry account (simulator state wiped): give it the new credentials.
    const res = await call(`${BASE}/admin/tenants/${saved.id}`, { method: "PATCH", bearer: secrets.ADMIN_TOKEN, body: { talemetry } });
    if (res.status !== 200) fail(`could not update the demo tenant: ${res.status} ${res.text}`);
    tenant = { ...saved, talemetry };
  } else {
    const res = await call(`${BASE}/admin/tenants`, {
      method: "POST",
      bearer: secrets.ADMIN_TOKEN,
      body: {
        name: "Demo Agency",
        region: "US",
        talemetry,
        settings: { default_author_email: "amy@agency.example", candidate_url_template: "https://crm.example/people/{id}" },
      },
    });
    if (res.status !== 201) fail(`could not create the demo tenant: ${res.status} ${res.text}`);
    tenant = { ...res.json, talemetry };
  }
  writeFileSync(DEMO_FILE, JSON.stringify(tenant, null, 2), { mode: 0o600 });
  // Let the first backfill page land so the search example answers at once.
  await new Promise((r) => setTimeout(r, 1500));
  return tenant;
}

/** The demo tenant's subscription to the local receiver; its secret (shown once) is kept in DEMO_FILE. */
async function ensureSubscription(t, url) {
  const list = await call(`${BASE}/v1/webhooks`, { bearer: t.api_key });
  const live = list.json?.data ?? [];
  if (t.webhook && live.some((w) => w.id === t.webhook.id && w.url === url && w.status === "active")) return t.webhook;
  for (const old of live) if (old.url === url) await call(`${BASE}/v1/webhooks/${old.id}`, { method: "DELETE", bearer: t.api_key });
  const res = await call(`${BASE}/v1/webhooks`, {
    method: "POST",
    bearer: t.api_key,
    body: { url, events: ["candidate.created", "candidate.updated", "candidate.deleted"], description: "npm start walkthrough" },
  });
  if (res.status !== 201) fail(`could not subscribe the walkthrough's receiver: ${res.status} ${res.text}`);
  const created = { id: res.json.id, secret: res.json.secret };
  writeFileSync(DEMO_FILE, JSON.stringify({ ...t, webhook: created }, null, 2), { mode: 0o600 });
  return created;
}

/** Changes Maya's title in the simulator (Talemetry) — a new title each run — and syncs now. */
async function changeMayaInTalemetry(t) {
  const title = `Charge Nurse (${new Date().toISOString().slice(11, 19)})`;
  const res = await call(`${SANDBOX}/__control/accounts/${DEMO_TALEMETRY_CLIENT}/candidates/${MAYA}`, {
    method: "PATCH",
    bearer: secrets.SANDBOX_CONTROL_TOKEN,
    body: { title },
  });
  if (res.status !== 200) return console.log(`[walkthrough] could not change Maya in the simulator: ${res.status} ${res.text}`);
  await call(`${BASE}/admin/tenants/${t.id}/sync`, { method: "POST", bearer: secrets.ADMIN_TOKEN, body: {} });
  console.log(`[walkthrough] Maya's title is now "${title}" in Talemetry and the bridge synced: the delivery arrives below.`);
}

/**
 * The walkthrough shows a change arriving: once the first backfill is done, Maya changes in Talemetry
 * (the simulator), the next sync sees it, logs candidate.updated and the receiver above gets it, verified.
 */
async function demonstrateDelivery(t) {
  for (let i = 0; i < 120; i++) {
    const status = await call(`${BASE}/admin/tenants/${t.id}/sync`, { bearer: secrets.ADMIN_TOKEN });
    if (status.json?.checkpoint) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  await changeMayaInTalemetry(t);
}

function printBanner(t) {
  const k = t.api_key;
  console.log(`
Talemetry edge bridge listening on ${BASE}  (Talemetry simulator on ${SANDBOX}, bound to the bridge as "sandbox")
Demo tenant ${t.id}: api_key, client_id and client_secret, and the demo Talemetry account's credentials, are in ${DEMO_FILE}

  export BRIDGE=${BASE} TENANT=${t.id} KEY=${k} CLIENT_ID=${t.client_id} CLIENT_SECRET=${t.client_secret}

  # caller-ID search (TalentLynk)
  curl -s "$BRIDGE/v1/search?phone=4155550142" -H "Authorization: Bearer $KEY"
  # OAuth2 client credentials
  curl -s -X POST $BRIDGE/oauth/token -d grant_type=client_credentials -u "$CLIENT_ID:$CLIENT_SECRET"
  # Talkdesk contact sync, first page
  curl -s -X POST $BRIDGE/talkdesk/contacts -H 'content-type: application/json' -d '{"auth":{"api_key":"'$KEY'"}}'
  # sync status (operators; ADMIN_TOKEN is in .dev.vars)
  curl -s $BRIDGE/admin/tenants/$TENANT/sync -H "Authorization: Bearer ${"$"}(grep ADMIN_TOKEN .dev.vars | cut -d= -f2)"
  # the simulator's control API (loopback only; SANDBOX_CONTROL_TOKEN is in sandbox/.dev.vars): the demo account's call counters
  curl -s ${SANDBOX}/__control/accounts/${DEMO_TALEMETRY_CLIENT}/stats -H "Authorization: Bearer ${"$"}(grep SANDBOX_CONTROL_TOKEN sandbox/.dev.vars | cut -d= -f2)"
  # change feed: every candidate as created, then what changes after
  curl -s "$BRIDGE/v1/changes?from=beginning&limit=2" -H "Authorization: Bearer $KEY"
  # webhooks: a receiver on ${receiver.url} is subscribed (${webhook.id}) and prints each verified delivery
  # here. Change Maya in Talemetry (the simulator), sync now, and watch "[receiver] … candidate.updated":
  curl -s -X PATCH ${SANDBOX}/__control/accounts/${DEMO_TALEMETRY_CLIENT}/candidates/${MAYA} -H 'content-type: application/json' \\
    -H "Authorization: Bearer ${"$"}(grep SANDBOX_CONTROL_TOKEN sandbox/.dev.vars | cut -d= -f2)" -d '{"title":"Ward Manager"}'
  curl -s -X POST $BRIDGE/admin/tenants/$TENANT/sync -H 'content-type: application/json' -d '{}' \\
    -H "Authorization: Bearer ${"$"}(grep ADMIN_TOKEN .dev.vars | cut -d= -f2)"
  curl -s $BRIDGE/v1/webhooks/${webhook.id}/deliveries -H "Authorization: Bearer $KEY"

More in README.md ("Walkthrough") and sandbox/README.md.  API docs: ${BASE}/docs   OpenAPI: ${BASE}/openapi.json   Ctrl+C stops.
`);
}
