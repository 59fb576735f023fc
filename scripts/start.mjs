// `npm start`: runs the bridge (:8787) and the Talemetry simulator (127.0.0.1:8786) as two `wrangler dev`
// processes that share a project-local dev registry, so the bridge reaches the simulator through its
// TALEMETRY_SANDBOX service binding exactly as in the sandbox deployment, while this script reaches the
// simulator's control API on loopback. It waits until both answer, makes sure the demo Talemetry account
// (created through the control API: its secret key is shown once, and kept in the git-ignored demo file)
// and the demo tenant exist, and prints ready-to-paste examples.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { ensureDevVars } from "./dev-vars.mjs";

const PORT = Number(process.env.PORT ?? 8787);
const SANDBOX_PORT = Number(process.env.SANDBOX_PORT ?? 8786);
const BASE = `http://localhost:${PORT}`;
const SANDBOX = `http://127.0.0.1:${SANDBOX_PORT}`;
const DEMO_FILE = ".wrangler/demo-tenant.json"; // git-ignored with the rest of local state
const DEMO_TALEMETRY_CLIENT = "demo-agency";

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
const demo = await ensureDemoTenant();
ready = true;
printBanner(demo);

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

More in README.md ("Walkthrough") and sandbox/README.md.  API docs: ${BASE}/docs   OpenAPI: ${BASE}/openapi.json   Ctrl+C stops.
`);
}
