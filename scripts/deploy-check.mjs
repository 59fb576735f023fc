// `npm run deploy:check`: builds every environment with `wrangler deploy --dry-run` (no network, no
// deploy) and prints the production bundle size, raw and gzip, against the 300 KiB gzip budget.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { gzipSync } from "node:zlib";

const BUDGET_GZIP_KIB = 300;
const envs = ["sandbox", "staging", "production"];
const rows = [];
let failed = false;
for (const name of envs) {
  const outdir = `.build/dry-run/${name}`;
  rmSync(outdir, { recursive: true, force: true });
  try {
    // wrangler warns that staging/production lack the simulator's service binding: that is the point.
    execFileSync("wrangler", ["deploy", "--dry-run", "--env", name, "--outdir", outdir], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
    });
  } catch (err) {
    process.stderr.write(String(err.stderr ?? err));
    process.exit(1);
  }
  const files = readdirSync(outdir).filter((f) => f.endsWith(".js"));
  const raw = Buffer.concat(files.map((f) => readFileSync(`${outdir}/${f}`)));
  const gz = gzipSync(raw, { level: 9 }).length;
  const ok = gz / 1024 <= BUDGET_GZIP_KIB;
  failed ||= !ok;
  rows.push([name, (raw.length / 1024).toFixed(1), (gz / 1024).toFixed(1), ok ? "ok" : "OVER"]);
}
console.log(`\nwrangler deploy --dry-run, per environment (budget ${BUDGET_GZIP_KIB} KiB gzip)\n`);
console.log("| env | bundle KiB | gzip KiB | budget |\n|---|---|---|---|");
for (const r of rows) console.log(`| ${r.join(" | ")} |`);
process.exit(failed ? 1 : 0);
