// The repository stands alone: no file refers to documents outside it (the brief's folder beside the
// clone), every relative Markdown link resolves to a file — and, with a `#fragment`, to a heading — in
// the repository, and every Markdown path a file cites (`docs/contracts/v1-api.md`, "storage-schema.md")
// exists. Tests run in workerd, which has no file system: Vite reads the files at build time
// (`import.meta.glob` with `?raw`), the same way test/security reads src/.
import { describe, expect, it } from "vitest";

/**
 * Every file of the repository as text, by path from the repository root. The globs skip what git
 * ignores (.gitignore: node_modules, .build, .wrangler, .dev.vars, logs, bench/results): Vite leaves out
 * node_modules and, outside `.ci/`, dot-folders and dotfiles. This file is left out by Vite itself.
 */
const FILES: Record<string, string> = Object.fromEntries(
  Object.entries(
    import.meta.glob(["../**/*", "../.ci/**/*", "!../bench/results/**", "!../**/*.log"], {
      query: "?raw",
      import: "default",
      eager: true,
    }) as Record<string, string>,
  ).map(([path, text]) => [normalizePath(`test/${path}`) ?? path, text]),
);

/** References to the brief's documents, which live outside the repository. */
const OUTSIDE_REFERENCE = /\.\.\/shared\b|\/work\/shared\b|\bshared\/(?:contracts|design|fixtures|seeds)\b/;

/** `line:text` of every line of `text` that refers outside the repository. */
function outsideReferences(text: string): string[] {
  return text.split("\n").flatMap((line, i) => (OUTSIDE_REFERENCE.test(line) ? [`${i + 1}: ${line.trim()}`] : []));
}

/** `a/b/../c/./d` → `a/c/d`; null when it climbs out of the repository. */
function normalizePath(path: string): string | null {
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length === 0) return null;
      out.pop();
    } else out.push(part);
  }
  return out.join("/");
}

function dirOf(path: string): string {
  return path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "";
}

/** GitHub's heading anchor: lower case, punctuation dropped (letters, digits, `-`, `_` and spaces kept), spaces to `-`. */
function headingSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, "")
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
    .replace(/ /g, "-");
}

/** Markdown without fenced code blocks, whose text is not Markdown. */
function withoutFences(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "");
}

/** The anchors of a Markdown file's headings, duplicates numbered as GitHub does (`x`, `x-1`, …). */
function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const match of withoutFences(markdown).matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
    const slug = headingSlug(match[1].replace(/\[([^\]]*)\]\([^)]*\)/g, "$1"));
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return anchors;
}

/** The targets of a Markdown file's inline links and link definitions, outside code. */
function markdownLinks(markdown: string): string[] {
  const text = withoutFences(markdown).replace(/`[^`\n]*`/g, "");
  const targets: string[] = [];
  for (const m of text.matchAll(/\]\(\s*(?:<([^>\n]+)>|([^)\s]+))(?:\s+"[^"]*")?\s*\)/g)) targets.push(m[1] ?? m[2]);
  for (const m of text.matchAll(/^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)) targets.push(m[1]);
  return targets;
}

/**
 * What is wrong with one link of `from` (a path from the repository root), or null when it resolves in
 * `files`. Links with a scheme (`https:`, `mailto:`) are not the repository's business.
 */
function brokenLink(from: string, target: string, files: Record<string, string>): string | null {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return null;
  const [rawPath, fragment] = target.split("#", 2) as [string, string | undefined];
  const path = rawPath === "" ? from : normalizePath(`${dirOf(from)}/${decodeURI(rawPath)}`);
  if (rawPath.startsWith("/") || path === null) return `${target}: not a path inside the repository`;
  const isFile = path in files;
  const isDir = path === "" || Object.keys(files).some((file) => file.startsWith(`${path}/`));
  if (!isFile && !isDir) return `${target}: no such file`;
  if (fragment !== undefined && isFile && path.endsWith(".md") && !headingAnchors(files[path]).has(fragment.toLowerCase())) {
    return `${target}: no heading #${fragment} in ${path}`;
  }
  return null;
}

/**
 * The prose of a file, where it cites documents: comments of code (line, block and `#` comments), the text of
 * Markdown (a link's text is display only; its target is checked as a link). Null for data files.
 */
function prose(path: string, text: string): string | null {
  if (path.endsWith(".md")) return text.replace(/\[[^\]\n]*\]\(/g, "(");
  if (/\.(ts|mts|mjs|js)$/.test(path)) {
    // `//` after a scheme (`https://`) or inside a quoted path is not a comment.
    return [...text.matchAll(/\/\*[\s\S]*?\*\/|(?<![:"'`\w])\/\/[^\n]*/g)].map((m) => m[0]).join("\n");
  }
  if (/\.toml$/.test(path) || path.startsWith(".ci/")) return [...text.matchAll(/#[^\n]*/g)].map((m) => m[0]).join("\n");
  return null;
}

/**
 * Markdown paths cited in prose: `docs/storage-schema.md`, `sandbox/README.md`, `talemetry-upstream.md`.
 * Each must name a file, read from the repository root or from the citing file's folder.
 */
function citedMarkdownPaths(text: string): string[] {
  const withoutUrls = text.replace(/\bhttps?:\/\/\S+/g, "");
  return [...new Set([...withoutUrls.matchAll(/(?<![\w./-])(?:\.\.?\/)*[\w-]+(?:\/[\w.-]+)*\.md\b/g)].map((m) => m[0]))];
}

function citationResolves(from: string, cited: string, files: Record<string, string>): boolean {
  const fromDir = normalizePath(`${dirOf(from)}/${cited}`);
  return cited in files || (fromDir !== null && fromDir in files);
}

describe("the checks themselves", () => {
  it("find references outside the repository, and only those", () => {
    const parent = ["..", "shared"].join("/");
    expect(outsideReferences(`a\n * (${parent}/contracts/x.md §5)\nb`)).toEqual([`2: * (${parent}/contracts/x.md §5)`]);
    expect(outsideReferences(`see /work/${"shared"}/design/A.md`)).toHaveLength(1);
    expect(outsideReferences(`the ${"shared"}/fixtures folder`)).toHaveLength(1);
    expect(outsideReferences("docs/contracts/v1-api.md; a shared cache; shared/ nothing else")).toEqual([]);
  });

  it("resolve links like GitHub: relative to the file, with heading anchors", () => {
    const files = {
      "README.md": "# Title\n## Two `commands`\n## Two commands\n```\n# not a heading\n```\n",
      "docs/a.md": "## 3. Fetch candidate details (documented)\n## Errors — and more\n",
      "src/x.ts": "",
    };
    expect(brokenLink("docs/a.md", "../README.md#two-commands-1", files)).toBeNull();
    expect(brokenLink("docs/a.md", "#3-fetch-candidate-details-documented", files)).toBeNull();
    expect(brokenLink("docs/a.md", "#errors--and-more", files)).toBeNull();
    expect(brokenLink("README.md", "src/", files)).toBeNull();
    expect(brokenLink("README.md", "https://hono.dev", files)).toBeNull();
    expect(brokenLink("README.md", "docs/b.md", files)).toMatch(/no such file/);
    expect(brokenLink("README.md", "docs/a.md#nope", files)).toMatch(/no heading/);
    expect(brokenLink("README.md", "#not-a-heading", files)).toMatch(/no heading/);
    expect(brokenLink("docs/a.md", "../../outside.md", files)).toMatch(/not a path inside/);
  });

  it("read links and cited paths outside code only where Markdown says so", () => {
    expect(markdownLinks('[a](docs/a.md) `[b](c.md)` [d](<e f.md> "t")\n[g]: h.md\n```\n[i](j.md)\n```\n')).toEqual([
      "docs/a.md",
      "e f.md",
      "h.md",
    ]);
    expect(citedMarkdownPaths("see docs/contracts/v1-api.md §2, ../README.md and https://x.example/a.md")).toEqual([
      "docs/contracts/v1-api.md",
      "../README.md",
    ]);
    const code = 'const out = "x.md"; // as docs/a.md says\n/** see\n * b.md */\nfetch("https://c.example/d.md");';
    expect(citedMarkdownPaths(prose("src/x.ts", code) ?? "")).toEqual(["docs/a.md", "b.md"]);
    expect(citedMarkdownPaths(prose("docs/y.md", "[a.md](../b.md) and `c.md`") ?? "")).toEqual(["../b.md", "c.md"]);
  });
});

describe("the repository", () => {
  it("is read in full (the globs found the files this test checks)", () => {
    for (const path of ["README.md", "docs/architecture.md", "src/index.ts", "sandbox/README.md", "wrangler.toml", ".ci/run"]) {
      expect(Object.keys(FILES)).toContain(path);
    }
  });

  it("refers to no document outside it", () => {
    const found = Object.entries(FILES).flatMap(([path, text]) => outsideReferences(text).map((line) => `${path}:${line}`));
    expect(found).toEqual([]);
  });

  it("has no broken relative link in its Markdown", () => {
    const broken = Object.entries(FILES)
      .filter(([path]) => path.endsWith(".md"))
      .flatMap(([path, text]) =>
        markdownLinks(text).flatMap((target) => {
          const problem = brokenLink(path, target, FILES);
          return problem ? [`${path}: ${problem}`] : [];
        }),
      );
    expect(broken).toEqual([]);
  });

  it("cites only Markdown files that exist", () => {
    const missing = Object.entries(FILES).flatMap(([path, text]) =>
      citedMarkdownPaths(prose(path, text) ?? "").flatMap((cited) => (citationResolves(path, cited, FILES) ? [] : [`${path}: ${cited}`])),
    );
    expect(missing).toEqual([]);
  });
});
