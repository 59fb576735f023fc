/**
 * The public part of the Talkdesk router: `GET /talkdesk/manifest` (the integration configuration with
 * absolute URLs of this deployment; no secrets, contract "Transport") and the logo and icon it names.
 */
import type { Context, Hono } from "hono";
import { platformSettings } from "../../platform/context";
import { TALKDESK_ICON_PNG_BASE64, TALKDESK_LOGO_PNG_BASE64 } from "../assets-png";
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

const PNG_HEADERS = {
  "Content-Type": "image/png",
  "Cache-Control": ASSET_CACHE_CONTROL,
  "X-Content-Type-Options": "nosniff",
};

/** Decoded once per isolate: immutable bytes of the build. */
const png = (base64: string) => Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));
const LOGO_PNG = png(TALKDESK_LOGO_PNG_BASE64);
const ICON_PNG = png(TALKDESK_ICON_PNG_BASE64);

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * The deployment's public URL when configured (`PUBLIC_URL`), else the origin this request came to —
 * as HTTPS: Talkdesk calls bridges over HTTPS only, and a Worker's routes serve HTTPS, so a request that
 * arrived over plain HTTP still gets `https://` endpoints. Only a local run (`localhost`) keeps `http://`.
 */
export function manifestBaseUrl(c: Context): string {
  const configured = platformSettings(c)?.publicUrl;
  if (configured) return configured;
  const url = new URL(c.req.url);
  if (url.protocol === "http:" && !LOCAL_HOSTS.has(url.hostname)) url.protocol = "https:";
  return url.origin;
}

/** Registers `GET /manifest` and the logo and icon, as PNG (what the manifest names) and as SVG. */
export function registerManifest(app: Hono<TalkdeskEnv>): void {
  app.get(under(TALKDESK_PATHS.manifest), (c) => c.json(buildManifest(manifestBaseUrl(c)), 200));
  app.get(under(TALKDESK_PATHS.logo), (c) => c.body(LOGO_PNG, 200, PNG_HEADERS));
  app.get(under(TALKDESK_PATHS.icon), (c) => c.body(ICON_PNG, 200, PNG_HEADERS));
  app.get(under(TALKDESK_PATHS.logoSvg), (c) => c.body(TALKDESK_LOGO_SVG, 200, ASSET_HEADERS));
  app.get(under(TALKDESK_PATHS.iconSvg), (c) => c.body(TALKDESK_ICON_SVG, 200, ASSET_HEADERS));
}
