/**
 * The public part of the Talkdesk router: `GET /talkdesk/manifest` (the integration configuration with
 * absolute URLs of this deployment; no secrets, contract "Transport") and the logo and icon it names.
 */
import type { Context, Hono } from "hono";
import { platformSettings } from "../../platform/context";
import type { TalkdeskEnv } from "../envelope";
import { buildManifest, SVG_CONTENT_TYPE, TALKDESK_ICON_SVG, TALKDESK_LOGO_SVG, TALKDESK_PATHS } from "../manifest";

/** The routes below are mounted under `/talkdesk`; the manifest's paths are absolute from the base. */
const under = (path: string) => path.replace(/^\/talkdesk/, "");

/** Assets change only with a deploy: a day of caching, revalidated after. */
const ASSET_CACHE_CONTROL = "public, max-age=86400";

// An SVG opened directly is a document: forbid scripts and every fetch it might try, and sniffing.
const ASSET_HEADERS = {
  "Content-Type": SVG_CONTENT_TYPE,
  "Cache-Control": ASSET_CACHE_CONTROL,
  "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
  "X-Content-Type-Options": "nosniff",
};

/** The deployment's public URL when configured (`PUBLIC_URL`), else the origin this request came to. */
export function manifestBaseUrl(c: Context): string {
  return platformSettings(c)?.publicUrl ?? new URL(c.req.url).origin;
}

/** Registers `GET /manifest`, `GET /assets/logo.svg` and `GET /assets/icon.svg`. */
export function registerManifest(app: Hono<TalkdeskEnv>): void {
  app.get(under(TALKDESK_PATHS.manifest), (c) => c.json(buildManifest(manifestBaseUrl(c)), 200));
  app.get(under(TALKDESK_PATHS.logo), (c) => c.body(TALKDESK_LOGO_SVG, 200, ASSET_HEADERS));
  app.get(under(TALKDESK_PATHS.icon), (c) => c.body(TALKDESK_ICON_SVG, 200, ASSET_HEADERS));
}
