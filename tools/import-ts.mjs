// Node-only tools (`npm run manifest`, `npm run assets`, `npm run openapi`) reuse the Worker's TypeScript
// modules: Node 20 cannot import .ts, so each entry is bundled with esbuild into .build/ and imported.
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

/**
 * Bundles `entry` (a .ts file) to `outfile` and imports it. The import URL carries a timestamp so a
 * second call in one process sees a rebuilt bundle, not the module cache.
 */
export async function importTs(entry, outfile) {
  await build({
    entryPoints: [resolve(entry)],
    outfile,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    logLevel: "warning",
  });
  return import(`${pathToFileURL(outfile).href}?t=${Date.now()}`);
}
