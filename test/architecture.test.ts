// The import rule of the layout (docs/architecture.md, "Layout"): Talkdesk, /v1, admin and the docs
// pages are sibling callers over one caller-neutral core; they never import each other. The core, the
// directory, the Talemetry adapter and everything below them import no caller; only callers and the app
// import the core; platform/ imports no feature at all; the Worker never imports the simulator, the
// Node tooling or tests. Read from the source text (workerd has no file system: Vite inlines it).
import { describe, expect, it } from "vitest";

const sources = import.meta.glob("../src/**/*.ts", { query: "?raw", import: "default", eager: true }) as Record<string, string>;

/** Top-level folders under src/ that answer a caller. */
const CALLERS = ["talkdesk", "v1", "admin", "docs"];
/** Folders that must know no caller. */
const BELOW_CALLERS = ["core", "directory", "talemetry", "tenants", "phone", "domain", "config", "platform"];
/** Folders that must not even know the core. */
const BELOW_CORE = ["directory", "talemetry", "tenants", "phone", "domain", "platform"];

/**
 * `src/<folder>/…` → folder; a folder imported by its index (`src/talemetry`) → that folder; files
 * directly under src/ (app, index, scheduled) → "(root)".
 */
function folderOf(path: string): string {
  const parts = path.split("/");
  if (parts.length > 2) return parts[1];
  return /\.[a-z]+$/.test(parts[1] ?? "") || ["app", "index", "scheduled"].includes(parts[1] ?? "") ? "(root)" : parts[1];
}

/** Resolves `spec` imported from `from` (both relative to the repository root) to a root-relative path. */
function resolve(from: string, spec: string): string {
  const parts = from.split("/").slice(0, -1);
  for (const part of spec.split("/")) {
    if (part === "..") parts.pop();
    else if (part !== ".") parts.push(part);
  }
  return parts.join("/");
}

/** Every relative module a source file imports or re-exports (static and dynamic, types included). */
function importsOf(file: string, text: string): string[] {
  const specs = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)["'](\.{1,2}\/[^"']+)["']/g)].map((m) => m[1]);
  return specs.map((spec) => resolve(file, spec));
}

interface Violation {
  file: string;
  imports: string;
  rule: string;
}

/** The rule each import breaks, if any. Paths are root-relative (`src/v1/search.ts`). */
function violations(files: Record<string, string>): Violation[] {
  const out: Violation[] = [];
  for (const [file, text] of Object.entries(files)) {
    const from = folderOf(file);
    for (const target of importsOf(file, text)) {
      const add = (rule: string) => out.push({ file, imports: target, rule });
      if (!target.startsWith("src/")) {
        add("the Worker imports only src/ (never the simulator, tools or tests)");
        continue;
      }
      const to = folderOf(target);
      if (to === from) continue;
      if (CALLERS.includes(from) && CALLERS.includes(to)) add("callers are siblings: a caller never imports another");
      else if (BELOW_CALLERS.includes(from) && CALLERS.includes(to)) add(`${from}/ knows no caller`);
      else if (BELOW_CORE.includes(from) && to === "core") add(`${from}/ sits below the core`);
      else if (from === "platform") add("platform/ imports no feature module");
      else if (to === "(root)" && from !== "(root)") add("only the entry point imports the app");
    }
  }
  return out;
}

/** Root-relative paths (`src/…`) of the globbed sources. */
const tree = Object.fromEntries(Object.entries(sources).map(([path, text]) => [path.replace(/^\.\.\//, ""), text]));

describe("the import rule", () => {
  it("reads the whole tree (the check below is not vacuous)", () => {
    const folders = new Set(Object.keys(tree).map(folderOf));
    for (const folder of [...CALLERS, ...BELOW_CALLERS, "(root)"]) expect(folders, folder).toContain(folder);
    expect(Object.values(tree).flatMap((text) => importsOf("src/x/y.ts", text)).length).toBeGreaterThan(300);
  });

  it("holds for every import in src/", () => {
    expect(violations(tree)).toEqual([]);
  });

  it("catches each kind of breach", () => {
    const found = violations({
      "src/talkdesk/a.ts": 'import { x } from "../v1/search";',
      "src/v1/b.ts": 'import type { Y } from "../talkdesk/schemas";',
      "src/core/c.ts": 'export { z } from "../admin/routes";',
      "src/directory/d.ts": 'const m = await import("../core/services");',
      "src/platform/e.ts": 'import { Tenant } from "../tenants/types";',
      "src/talemetry/f.ts": 'import "../../sandbox/app";',
      "src/core/g.ts": 'import { buildApp } from "../app";',
      "src/v1/ok.ts": 'import { readCandidate } from "../core/candidates";\nimport { AppError } from "../platform/errors";',
    });
    expect(found.map((v) => v.file)).toEqual([
      "src/talkdesk/a.ts",
      "src/v1/b.ts",
      "src/core/c.ts",
      "src/directory/d.ts",
      "src/platform/e.ts",
      "src/talemetry/f.ts",
      "src/core/g.ts",
    ]);
  });
});
