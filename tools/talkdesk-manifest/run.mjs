// `npm run manifest -- --url <base>`: prints Talkdesk's "API Manifest" document filled in for a
// deployment. The definitions live in TypeScript (src/talkdesk/manifest.ts and the mapping the Worker
// uses), so this script bundles ./cli.ts with them on the fly with esbuild and imports the bundle: one
// source of truth, no copy of the manifest in JS. All parsing, validation and rendering is in ./cli.ts
// and ./document.ts (unit-tested in test/tools/talkdesk-manifest/); only I/O is here.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { importTs } from "../import-ts.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, "../..");
const BUNDLE = resolve(ROOT, ".build/manifest/cli.mjs");

function fail(lines, code = 2) {
  process.stderr.write(`manifest: ${[].concat(lines).join("\nmanifest: ")}\n`);
  process.exit(code);
}

function loadCli() {
  return importTs(resolve(HERE, "cli.ts"), BUNDLE);
}

const cli = await loadCli();
const parsed = cli.parseManifestArgs(process.argv.slice(2));
if (!parsed.ok) fail([...parsed.errors, "see --help"]);
const args = parsed.value;
if (args.help) {
  process.stdout.write(`${cli.MANIFEST_USAGE}\n`);
  process.exit(0);
}

// An explicit --config must exist; the default file is optional (flags alone may be enough).
const configPath = resolve(process.cwd(), args.config ?? resolve(ROOT, cli.DEFAULT_CONFIG_FILE));
let config;
if (existsSync(configPath)) {
  try {
    config = JSON.parse(readFileSync(configPath, "utf8"));
  } catch (err) {
    fail(`${configPath} is not valid JSON: ${err.message}`);
  }
} else if (args.config) {
  fail(`config file not found: ${configPath}`);
}

const today = new Date().toISOString().slice(0, 10);
const resolved = cli.resolveManifestDocumentInput(args, config, { today, configLabel: args.config ?? cli.DEFAULT_CONFIG_FILE });
if (!resolved.ok) fail([...resolved.errors, "see --help"]);

const markdown = cli.renderManifestDocument(resolved.value);
if (args.out) {
  const out = resolve(process.cwd(), args.out);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, markdown);
  process.stderr.write(`manifest: wrote ${out}\n`);
} else {
  process.stdout.write(markdown);
}
