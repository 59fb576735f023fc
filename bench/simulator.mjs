// `npm run bench -- simulator`: the Talemetry simulator alone, at a large customer's size (issue 13) —
// how long seeding takes, how long the simulator takes to page every id of the account directly (no
// bridge), a profiles call and an `updated` window at that size, and what each stored override costs.
// `BENCH_SIMULATOR_CANDIDATES` (default 1,000,000). See bench/README.md.
import { benchCandidates, control, createAccount, SANDBOX, startSimulator, table } from "./lib.mjs";

const COUNT = benchCandidates(1_000_000, "BENCH_SIMULATOR_CANDIDATES");
const OVERRIDES = 200;

const { secrets, stop } = await startSimulator();
const ctl = control(secrets);
const credentials = await createAccount(secrets, `bench-simulator-${Date.now()}`);
const clientId = credentials.client_id;

async function upstream(path, token, body) {
  const res = await fetch(`${SANDBOX}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `OAUTH ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${path} → ${res.status} ${text}`);
  return JSON.parse(text).result;
}

async function timed(fn) {
  const t0 = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - t0 };
}

const seeded = await timed(() => ctl("POST", `/accounts/${clientId}/seed`, { count: COUNT }));
// The first stats after a seeding counts the derived deletions once (then cached).
const counted = await timed(() => ctl("GET", `/accounts/${clientId}/stats`));
const { candidates, storageBytes: seededBytes } = counted.value;
const { token } = await upstream("/v1/authorization", null, credentials);

/** Pages a listing to its end with PageSize 500; every id, the page count and the time. */
async function pageAll(body) {
  const ids = [];
  let pages = 0;
  let cursor = null;
  const t0 = performance.now();
  do {
    const page = await upstream("/match/v1/people/ids", token, { ...body, PageSize: 500, Cursor: cursor });
    ids.push(...page.Ids);
    cursor = page.Cursor;
    pages++;
  } while (cursor);
  return { ids, pages, ms: performance.now() - t0 };
}

const all = await pageAll({});
const distinct = new Set(all.ids).size;
const month = await pageAll({ DateTimeRange: { From: "2024-03-01T00:00:00Z", To: "2024-03-31T23:59:59Z", Event: "updated" } });

const profileMs = [];
const spread = Math.max(50, Math.floor(all.ids.length / 20));
for (let i = 0; i < 20; i++) {
  const ids = all.ids.slice((i * spread) % Math.max(1, all.ids.length - 50)).slice(0, 50);
  profileMs.push((await timed(() => upstream("/soap/profiles/v1", token, { ids, include: ["notes", "tags", "custom_data"] }))).ms);
}
profileMs.sort((a, b) => a - b);

// Overrides: a note on each of OVERRIDES seeded candidates stores its record once.
const step = Math.floor(all.ids.length / OVERRIDES);
for (let i = 0; i < OVERRIDES; i++) {
  await upstream(`/v1/people/${all.ids[i * step]}/notes`, token, { Text: "Bench note", AuthorEmail: "amy@agency.example" });
}
const after = await ctl("GET", `/accounts/${clientId}/stats`);
stop();

const s = (ms) => (ms / 1000).toFixed(2);
console.log(`\nSimulator alone, one account of ${COUNT.toLocaleString("en")} seeded candidates (derived on demand, not stored)\n`);
console.log(
  table(
    ["measure", "value"],
    [
      ["seed call (s)", s(seeded.ms)],
      ["first stats call, counting derived deletions (s)", s(counted.ms)],
      ["current / deleted candidates", `${candidates.current} / ${candidates.deleted}`],
      ["account storage after seeding (bytes)", seededBytes],
      ["page every current id, PageSize 500 (s)", s(all.ms)],
      ["  pages / ids / distinct ids", `${all.pages} / ${all.ids.length} / ${distinct}`],
      ["  ids per second", Math.round(all.ids.length / (all.ms / 1000))],
      ["`updated` in one month: pages / ids / time (s)", `${month.pages} / ${month.ids.length} / ${s(month.ms)}`],
      ["profiles of 50 ids with notes, tags, custom data: p50 (ms)", profileMs[10].toFixed(1)],
      [`storage per override (bytes, ${OVERRIDES} notes on seeded candidates)`, Math.round((after.storageBytes - seededBytes) / OVERRIDES)],
    ],
  ),
);
const ok = distinct === all.ids.length && all.ids.length === candidates.current;
if (!ok) console.error(`\nMISMATCH: ${all.ids.length} ids listed, ${distinct} distinct, ${candidates.current} current`);
process.exit(ok ? 0 : 1);
