/**
 * The browsable docs page (`/docs`): the OpenAPI document rendered to one self-contained HTML page on
 * the server. No scripts, no CDN (deployments may have no internet and the page must work under a
 * strict Content-Security-Policy), one inline stylesheet allowed by its hash. Everything taken from
 * the document is HTML-escaped before the few Markdown forms it uses (`code`, **bold**, lists,
 * headings, paragraphs) are turned into tags.
 */
import { CODE_SLUG, CODE_STATUS, type ErrorCode } from "../platform/errors";
import { CODE_TITLE } from "../platform/problem";
import { type OpenApiDocument, problemAnchor } from "./openapi";

/** The page's only stylesheet; the CSP allows exactly this text by its SHA-256. */
export const DOCS_STYLE = `
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1d2433;background:#fff}
main{max-width:960px;margin:0 auto;padding:24px}
header{border-bottom:1px solid #dde2ea;margin-bottom:16px}
h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #eef0f4}h3{margin-bottom:.2em}
code{background:#f3f5f8;padding:0 3px;border-radius:3px;font-size:.92em}
.op{border:1px solid #dde2ea;border-radius:6px;padding:8px 14px;margin:12px 0}
.method{display:inline-block;min-width:58px;font-weight:700;text-transform:uppercase}
.get{color:#0b6e4f}.post{color:#1b5fbf}.patch{color:#a15c00}.delete{color:#b00020}
.path{font-family:ui-monospace,monospace}
table{border-collapse:collapse;margin:6px 0}td,th{border:1px solid #e4e7ec;padding:3px 8px;text-align:left;vertical-align:top}
ul.schema{margin:2px 0 2px 0;padding-left:18px}.muted{color:#5b6576}
nav a{margin-right:12px}
.deprecated{color:#b00020;font-size:.8em;text-transform:uppercase}
`;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);
}

/** Inline Markdown on escaped text: `code` and **bold**. */
function inline(text: string): string {
  return escapeHtml(text)
    .replace(/`([^`]+)`/g, "<code>$1</code>")
    .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>")
    .replace(/\*([^*\s][^*]*)\*/g, "<em>$1</em>");
}

/** A heading's anchor: `Rate limits and retries` → `rate-limits-and-retries`. */
function slugOf(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

/** Block Markdown: `## headings`, `- lists`, fenced code (no blank line inside) and paragraphs separated by blank lines. */
function markdown(text: string, headingLevel = 3): string {
  return text
    .split(/\n{2,}/)
    .map((block) => {
      const fenced = /^```\w*\n([\s\S]*?)\n```$/.exec(block);
      if (fenced) return `<pre><code>${escapeHtml(fenced[1]!)}</code></pre>`;
      const heading = /^#{1,6}\s+(.*)$/.exec(block);
      if (heading) return `<h${headingLevel} id="${slugOf(heading[1])}">${inline(heading[1])}</h${headingLevel}>`;
      const lines = block.split("\n");
      if (lines.every((l) => l.startsWith("- "))) return `<ul>${lines.map((l) => `<li>${inline(l.slice(2))}</li>`).join("")}</ul>`;
      return `<p>${inline(block)}</p>`;
    })
    .join("\n");
}

type Schema = Record<string, unknown>;

function refName(ref: string): string {
  return ref.split("/").pop() ?? ref;
}

function resolve(doc: OpenApiDocument, schema: Schema): Schema {
  const ref = schema.$ref;
  if (typeof ref !== "string") return schema;
  return ((doc.components?.schemas ?? {}) as Record<string, Schema>)[refName(ref)] ?? {};
}

/** A short type label: `string`, `integer | null`, `array of Phone`, `"a" | "b"`. */
function typeLabel(doc: OpenApiDocument, schema: Schema): string {
  if (typeof schema.$ref === "string") return refName(schema.$ref);
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  if ("const" in schema) return JSON.stringify(schema.const);
  for (const key of ["anyOf", "oneOf"] as const) {
    if (Array.isArray(schema[key])) return (schema[key] as Schema[]).map((s) => typeLabel(doc, s)).join(" | ");
  }
  const type = Array.isArray(schema.type) ? schema.type.join(" | ") : typeof schema.type === "string" ? schema.type : "any";
  if (type.startsWith("array") && schema.items) return `array of ${typeLabel(doc, schema.items as Schema)}`;
  return type;
}

/** Properties and required names of an object schema, `allOf` parts merged (zod's `.extend` renders as allOf). */
function objectParts(doc: OpenApiDocument, schema: Schema, depth = 0): { properties: Record<string, Schema>; required: string[] } {
  const out = {
    properties: { ...((schema.properties as Record<string, Schema> | undefined) ?? {}) },
    required: [...((schema.required as string[] | undefined) ?? [])],
  };
  if (Array.isArray(schema.allOf) && depth < 4) {
    for (const part of schema.allOf as Schema[]) {
      const merged = objectParts(doc, resolve(doc, part), depth + 1);
      Object.assign(out.properties, merged.properties);
      out.required.push(...merged.required);
    }
  }
  return out;
}

/** The fields of an object schema as a nested list (nested objects and `$ref`s expanded once per path). */
function schemaFields(doc: OpenApiDocument, raw: Schema, depth = 0, seen: ReadonlySet<string> = new Set()): string {
  const ref = typeof raw.$ref === "string" ? refName(raw.$ref) : null;
  if (depth > 4 || (ref && seen.has(ref))) return "";
  const schema = resolve(doc, raw);
  const nextSeen = ref ? new Set([...seen, ref]) : seen;
  const itemRef = schema.type === "array" && schema.items ? (schema.items as Schema) : null;
  const target = itemRef ? resolve(doc, itemRef) : schema;
  const innerSeen = itemRef && typeof itemRef.$ref === "string" ? new Set([...nextSeen, refName(itemRef.$ref)]) : nextSeen;
  const { properties, required } = objectParts(doc, target);
  if (Object.keys(properties).length === 0) return "";
  const requiredSet = new Set(required);
  const items = Object.entries(properties).map(([name, prop]) => {
    const resolved = resolve(doc, prop);
    const description = typeof resolved.description === "string" ? ` — ${inline(resolved.description)}` : "";
    const example =
      resolved.example !== undefined ? ` <span class="muted">e.g. <code>${escapeHtml(JSON.stringify(resolved.example))}</code></span>` : "";
    const nested = schemaFields(doc, prop, depth + 1, innerSeen);
    const deprecated = resolved.deprecated === true ? ' <strong class="deprecated">deprecated</strong>' : "";
    return `<li><code>${escapeHtml(name)}</code>${requiredSet.has(name) ? "" : "?"}: <em>${escapeHtml(typeLabel(doc, prop))}</em>${deprecated}${description}${example}${nested}</li>`;
  });
  return `<ul class="schema">${items.join("")}</ul>`;
}

type Parameter = { name: string; in: string; required?: boolean; description?: string; schema?: Schema };
type Operation = {
  operationId?: string;
  deprecated?: boolean;
  summary?: string;
  description?: string;
  tags?: string[];
  security?: Array<Record<string, unknown>>;
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: Schema }> }>;
};

const METHODS = ["get", "post", "put", "patch", "delete"] as const;

function anchorOf(method: string, path: string): string {
  return `op-${method}-${path.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "")}`;
}

function renderOperation(doc: OpenApiDocument, method: string, path: string, op: Operation): string {
  const parts = [
    `<section class="op" id="${anchorOf(method, path)}">`,
    `<h3><span class="method ${method}">${method}</span> <span class="path">${escapeHtml(path)}</span>${op.deprecated ? ' <strong class="deprecated">deprecated</strong>' : ""}</h3>`,
  ];
  if (op.operationId) parts.push(`<p class="muted">operationId <code>${escapeHtml(op.operationId)}</code></p>`);
  if (op.summary) parts.push(`<p><strong>${inline(op.summary)}</strong></p>`);
  if (op.description) parts.push(markdown(op.description, 4));
  if (op.security?.length) {
    // An empty requirement means "no scheme" (e.g. client credentials sent in the body).
    const options = op.security.map((s) =>
      Object.keys(s).length
        ? Object.keys(s)
            .map((k) => `<code>${escapeHtml(k)}</code>`)
            .join(" + ")
        : "credentials in the body",
    );
    parts.push(`<p class="muted">Auth: ${options.join(" or ")}</p>`);
  }
  if (op.parameters?.length) {
    const rows = op.parameters.map(
      (p) =>
        `<tr><td><code>${escapeHtml(p.name)}</code></td><td>${escapeHtml(p.in)}</td><td>${p.required ? "required" : "optional"}</td><td>${escapeHtml(p.schema ? typeLabel(doc, p.schema) : "")}</td><td>${inline(p.description ?? (typeof p.schema?.description === "string" ? p.schema.description : ""))}</td></tr>`,
    );
    parts.push(`<table><tr><th>parameter</th><th>in</th><th></th><th>type</th><th></th></tr>${rows.join("")}</table>`);
  }
  for (const [mediaType, media] of Object.entries(op.requestBody?.content ?? {})) {
    parts.push(
      `<div>Body (<code>${escapeHtml(mediaType)}</code>)${media.schema ? `: ${schemaFields(doc, media.schema) || `<em>${escapeHtml(typeLabel(doc, media.schema))}</em>`}` : ""}</div>`,
    );
  }
  const responses = Object.entries(op.responses ?? {}).map(([status, r]) => {
    const media = Object.entries(r.content ?? {})[0];
    const schema = media?.[1].schema;
    const body = schema && status.startsWith("2") ? schemaFields(doc, schema) : "";
    return `<li><code>${escapeHtml(status)}</code> ${inline(r.description ?? "")}${body}</li>`;
  });
  parts.push(`<p>Responses:</p><ul>${responses.join("")}</ul>`, "</section>");
  return parts.join("\n");
}

/** Every deprecated operation and field of `doc`, with the explanation the document gives. */
function renderDeprecations(doc: OpenApiDocument): string {
  const items: string[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = (item as Record<string, Operation | undefined>)[method];
      if (op?.deprecated) {
        items.push(
          `<li><a href="#${anchorOf(method, path)}"><code>${method.toUpperCase()} ${escapeHtml(path)}</code></a> — ${inline((op.description ?? "").split("\n\n")[0])}</li>`,
        );
      }
    }
  }
  for (const [name, schema] of Object.entries((doc.components?.schemas ?? {}) as Record<string, Schema>)) {
    for (const [field, prop] of Object.entries((schema.properties as Record<string, Schema> | undefined) ?? {})) {
      if (prop.deprecated === true)
        items.push(`<li><code>${escapeHtml(`${name}.${field}`)}</code> — ${inline(String(prop.description ?? ""))}</li>`);
    }
  }
  const body = items.length > 0 ? `<ul>${items.join("")}</ul>` : "<p>Nothing is deprecated.</p>";
  return `<h2 id="deprecations">Deprecations</h2><p>Deprecated operations and fields answer with <code>Deprecation</code> (RFC 9745) and <code>Sunset</code> (RFC 8594) headers and keep working until their sunset date.</p>${body}`;
}

function renderProblemTypes(): string {
  const rows = (Object.keys(CODE_SLUG) as ErrorCode[]).map(
    (code) =>
      `<tr id="${problemAnchor(CODE_SLUG[code])}"><td><code>${CODE_STATUS[code]}</code></td><td><code>${CODE_SLUG[code]}</code></td><td>${escapeHtml(CODE_TITLE[code])}</td></tr>`,
  );
  return `<h2 id="problems">Problem types</h2><table><tr><th>status</th><th>type</th><th>title</th></tr>${rows.join("")}</table>`;
}

/** The whole page for `doc`. */
/**
 * A page of `/docs` written in the same few Markdown forms (e.g. the Talkdesk integration's page,
 * whose text its caller module provides), with the same stylesheet and therefore the same CSP.
 */
export function renderMarkdownPage(title: string, text: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${DOCS_STYLE}</style>
</head>
<body>
<main>
<header><h1>${escapeHtml(title)}</h1><nav><a href="/docs">API reference</a></nav></header>
${markdown(text, 2)}
</main>
</body>
</html>
`;
}

export function renderDocsPage(doc: OpenApiDocument): string {
  const byTag = new Map<string, string[]>();
  for (const [path, item] of Object.entries(doc.paths ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    for (const method of METHODS) {
      const op = (item as Record<string, Operation | undefined>)[method];
      if (!op) continue;
      const tag = op.tags?.[0] ?? "Other";
      byTag.set(tag, [...(byTag.get(tag) ?? []), renderOperation(doc, method, path, op)]);
    }
  }
  const order = [...(doc.tags ?? []).map((t) => t.name), ...[...byTag.keys()].sort()];
  const tags = [...new Set(order)].filter((t) => byTag.has(t));
  const tagInfo = new Map((doc.tags ?? []).map((t) => [t.name, t.description ?? ""]));
  const tagId = (tag: string) => `tag-${tag.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
  const sections = tags.map(
    (tag) => `<h2 id="${tagId(tag)}">${escapeHtml(tag)}</h2>${markdown(tagInfo.get(tag) ?? "")}${byTag.get(tag)!.join("\n")}`,
  );
  const title = escapeHtml(doc.info.title);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${DOCS_STYLE}</style>
</head>
<body>
<main>
<header><h1>${title}</h1><p class="muted">Version ${escapeHtml(doc.info.version)} · OpenAPI ${escapeHtml(doc.openapi)} · <a href="/openapi.json">openapi.json</a></p>
<nav>${tags.map((t) => `<a href="#${tagId(t)}">${escapeHtml(t)}</a>`).join("")}<a href="#rate-limits-and-retries">Rate limits and retries</a><a href="#deprecations">Deprecations</a><a href="#problems">Problem types</a></nav></header>
${markdown(doc.info.description ?? "", 2)}
${sections.join("\n")}
${renderDeprecations(doc)}
${renderProblemTypes()}
</main>
</body>
</html>`;
}
