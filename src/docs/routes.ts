/**
 * `GET /openapi.json`, `GET /docs` and `GET /problems/{slug}` (the dereferenceable `type` URIs of
 * problem documents, RFC 9457 §3.1.1), registered on the root app so the document covers every router
 * mounted on it. Public: the document describes the API, not any tenant's data.
 */
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../core/context";
import type { Deprecation } from "../platform/deprecation";
import { AppError, CODE_SLUG } from "../platform/errors";
import { type Audience, buildOpenApiDocument, type DocumentContext, type OpenApiDocument, problemAnchor } from "./openapi";
import { DOCS_STYLE, renderDocsPage, renderMarkdownPage } from "./page";

/**
 * A page of `/docs/{name}` that another part of the bridge writes (the docs know no caller: app.ts hands
 * them over), as a title and Markdown built for the request (e.g. with this deployment's URLs).
 */
export interface DocsPage {
  title: string;
  markdown: (c: Context<AppEnv>) => string;
}

/** The document of one audience for the request's deployment. */
export function documentFor(
  app: OpenAPIHono<AppEnv>,
  c: Context<AppEnv>,
  audience: Audience,
  deprecations: readonly Deprecation[],
): OpenApiDocument {
  return buildOpenApiDocument(app, documentContext(c), audience, deprecations);
}

function documentContext(c: Context<AppEnv>): DocumentContext {
  const settings = c.var.settings;
  return { settings, baseUrl: settings.publicUrl ?? new URL(c.req.url).origin };
}

async function styleHash(): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(DOCS_STYLE));
  return btoa(String.fromCharCode(...new Uint8Array(digest)));
}

/**
 * Headers of the docs page: nothing may run or load (no scripts at all; the one stylesheet by hash), the
 * page may not be framed (clickjacking), and links leak no referrer.
 */
async function docsHeaders(): Promise<Record<string, string>> {
  return {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Security-Policy": `default-src 'none'; style-src 'sha256-${await styleHash()}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "public, max-age=300",
  };
}

const PROBLEM_SLUGS = new Set<string>(Object.values(CODE_SLUG));

/**
 * Registers the docs routes on the root app (after every router is mounted, or at any time: the document
 * is built per request), with `pages` at `/docs/{name}`. `/openapi.json` and `/docs` describe the partner
 * API only: the admin API has its own document behind the admin token (/admin/openapi.json).
 */
export function registerDocs(app: OpenAPIHono<AppEnv>, deprecations: readonly Deprecation[], pages: Record<string, DocsPage> = {}): void {
  app.get("/openapi.json", (c) => {
    const doc = documentFor(app, c, "partner", deprecations);
    // A public description: tools such as editors in a browser may fetch it from another origin.
    return c.json(doc, 200, {
      "Access-Control-Allow-Origin": "*",
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "public, max-age=300",
    });
  });

  app.get("/docs", async (c) => c.body(renderDocsPage(documentFor(app, c, "partner", deprecations)), 200, await docsHeaders()));

  for (const [name, page] of Object.entries(pages)) {
    app.get(`/docs/${name}`, async (c) => c.body(renderMarkdownPage(page.title, page.markdown(c)), 200, await docsHeaders()));
  }

  app.get("/problems/:slug", (c) => {
    const slug = c.req.param("slug");
    if (!PROBLEM_SLUGS.has(slug)) throw new AppError("not_found", "No such problem type.");
    return c.redirect(`/docs#${problemAnchor(slug)}`, 302);
  });
}
