// Bundles the Talemetry simulator Worker for the tests: the vitest plugin runs it as an auxiliary
// Worker, and auxiliary Workers take a built script, not TypeScript sources.
import { build } from "esbuild";

export async function buildSandbox() {
  await build({
    entryPoints: ["sandbox/index.ts"],
    outfile: ".build/sandbox/index.js",
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    external: ["cloudflare:*"],
    logLevel: "warning",
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await buildSandbox();
