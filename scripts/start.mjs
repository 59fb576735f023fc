// `npm start`: runs the bridge and the Talemetry simulator in one `wrangler dev`, waits until the
// bridge answers, makes sure a demo tenant exists, and prints ready-to-paste examples.
import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { ensureDevVars } from "./dev-vars.mjs";

const PORT = Number(process.env.PORT ?? 8787);
const BASE = `http://localhost:${PORT}`;
const DEMO_FILE = ".wrangler/demo-tenant.json"; // git-ignored with the rest of local state
const DEMO_TALEMETRY_CLIENT = "demo-agency";

const secrets = ensureDevVars();
const child = spawn(
  "wrangler",
  ["dev", "-c", "wrangler.toml", "-c", "sandbox/wrangler.toml", "--port", String(PORT), "--ip", "127.0.0.1"],
  { stdio: ["inherit", "pipe", "pipe"], env: { ...process.env, WRANGLER_SEND_METRICS: "false" } },
);
let ready = false;
const relay = (stream, out) =>
  stream.on("data", (chunk) => {
    // Before the banner is printed, only show errors; afterwards relay the Workers' logs.
    const text = chunk.toString();
    if (ready || /error|✘/i.test(text)) out.write(text);
  });
relay(child.stdout, process.stdout);
relay(child.stderr, process.stderr);
child.on("exit", (code) => process.exit(code ?? 0));
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));

await waitForHealth();
const demo = await ensureDemoTenant();
ready = true;
printBanner(demo);

async function waitForHealth() {
  for (let i = 0; i < 240; i++) {
    try {
      const res = await fetch(`${BASE}/healthz`);
      if (res.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 500));
  }
  console.error(`the bridge did not answer on ${BASE}/healthz within 2 minutes`);
  child.kill();
  process.exit(1);
}

async function ensureDemoTenant() {
  if (existsSync(DEMO_FILE)) {
    const saved = JSON.parse(readFileSync(DEMO_FILE, "utf8"));
    const probe = await fetch(`${BASE}/v1/capabilities`, { headers: { authorization: `Bearer ${saved.api_key}` } });
    if (probe.status !== 401) return saved;
  }
  const res = await fetch(`${BASE}/admin/tenants`, {
    method: "POST",
    headers: { authorization: `Bearer ${secrets.ADMIN_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({
      name: "Demo Agency",
      region: "US",
      talemetry: { client_id: DEMO_TALEMETRY_CLIENT, secret_key: `sandbox-secret-${DEMO_TALEMETRY_CLIENT}` },
      settings: { default_author_email: "amy@agency.example", candidate_url_template: "https://crm.example/people/{id}" },
    }),
  });
  if (res.status !== 201) {
    console.error(`could not create the demo tenant: ${res.status} ${await res.text()}`);
    child.kill();
    process.exit(1);
  }
  const created = await res.json();
  writeFileSync(DEMO_FILE, JSON.stringify(created, null, 2), { mode: 0o600 });
  // Let the first backfill page land so the search example answers at once.
  await new Promise((r) => setTimeout(r, 1500));
  return created;
}

function printBanner(t) {
  const k = t.api_key;
  console.log(`
Talemetry edge bridge listening on ${BASE}  (Talemetry simulator bound as "sandbox")
Demo tenant ${t.id}: api_key, client_id and client_secret are in ${DEMO_FILE}

  export BRIDGE=${BASE} TENANT=${t.id} KEY=${k} CLIENT_ID=${t.client_id} CLIENT_SECRET=${t.client_secret}

  # caller-ID search (TalentLynk)
  curl -s "$BRIDGE/v1/search?phone=4155550142" -H "Authorization: Bearer $KEY"
  # OAuth2 client credentials
  curl -s -X POST $BRIDGE/oauth/token -d grant_type=client_credentials -u "$CLIENT_ID:$CLIENT_SECRET"
  # Talkdesk contact sync, first page
  curl -s -X POST $BRIDGE/talkdesk/contacts -H 'content-type: application/json' -d '{"auth":{"api_key":"'$KEY'"}}'
  # sync status (operators; ADMIN_TOKEN is in .dev.vars)
  curl -s $BRIDGE/admin/tenants/$TENANT/sync -H "Authorization: Bearer ${"$"}(grep ADMIN_TOKEN .dev.vars | cut -d= -f2)"

More in README.md ("Walkthrough").  API docs: ${BASE}/docs   OpenAPI: ${BASE}/openapi.json   Ctrl+C stops.
`);
}
