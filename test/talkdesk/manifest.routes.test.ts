// GET /talkdesk/manifest and its assets through the Worker: public (no envelope, no key), absolute URLs
// of the deployment the request came to (or PUBLIC_URL when configured), and fetchable logo and icon.
import { exports } from "cloudflare:workers";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { Env } from "../../src/config/env";
import { parseSettings, type Settings } from "../../src/config/settings";
import { TALKDESK_PNG_SOURCES } from "../../src/talkdesk/assets-png";
import { buildManifest, SVG_CONTENT_TYPE, TALKDESK_ICON_SVG, TALKDESK_LOGO_SVG } from "../../src/talkdesk/manifest";
import { manifestBaseUrl } from "../../src/talkdesk/routes/manifest";

describe("GET /talkdesk/manifest", () => {
  it("is public and names this deployment's absolute URLs", async () => {
    const res = await exports.default.fetch("https://bridge.test/talkdesk/manifest");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const manifest = (await res.json()) as ReturnType<typeof buildManifest>;
    expect(manifest).toEqual(buildManifest("https://bridge.test"));
    expect(manifest.auth_validation_endpoint).toBe("https://bridge.test/talkdesk/auth");
    expect(manifest.actions.map((a) => a.endpoint)).toContain("https://bridge.test/talkdesk/actions/log_call");
  });

  it("serves the logo and icon it names as PNG within Talkdesk's sizes, and the SVGs beside them", async () => {
    const manifest = (await (await exports.default.fetch("https://bridge.test/talkdesk/manifest")).json()) as ReturnType<
      typeof buildManifest
    >;
    for (const [url, max] of [
      [manifest.logo_url, { width: 192, height: 96 }],
      [manifest.icon_url, { width: 96, height: 96 }],
    ] as const) {
      expect(url).toMatch(/^https:\/\/bridge\.test\/talkdesk\/assets\/(logo|icon)\.png$/);
      const res = await exports.default.fetch(url);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("image/png");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect([...bytes.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      const view = new DataView(bytes.buffer);
      const [width, height] = [view.getUint32(16), view.getUint32(20)];
      expect(width).toBeLessThanOrEqual(max.width);
      expect(height).toBeLessThanOrEqual(max.height);
      expect(width).toBeGreaterThanOrEqual(max.height === 96 && max.width === 96 ? 64 : 128);
    }
    for (const path of ["/talkdesk/assets/logo.svg", "/talkdesk/assets/icon.svg"]) {
      const res = await exports.default.fetch(`https://bridge.test${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe(SVG_CONTENT_TYPE);
      expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
      expect(await res.text()).toMatch(/^<svg /);
    }
  });

  it("is rendered from the current SVGs (npm run assets after an SVG change)", async () => {
    const sha = async (text: string) =>
      Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text))), (b) =>
        b.toString(16).padStart(2, "0"),
      ).join("");
    expect(TALKDESK_PNG_SOURCES).toEqual({ logo: await sha(TALKDESK_LOGO_SVG), icon: await sha(TALKDESK_ICON_SVG) });
  });

  it("gives https endpoints to a request that came over plain http, except on localhost", async () => {
    const http = (await (await exports.default.fetch("http://bridge.test/talkdesk/manifest")).json()) as ReturnType<typeof buildManifest>;
    expect(http.auth_validation_endpoint).toBe("https://bridge.test/talkdesk/auth");
    const local = (await (await exports.default.fetch("http://localhost:8787/talkdesk/manifest")).json()) as ReturnType<
      typeof buildManifest
    >;
    expect(local.auth_validation_endpoint).toBe("http://localhost:8787/talkdesk/auth");
  });

  it("prefers the configured PUBLIC_URL over the request's origin", async () => {
    // The settings middleware's part: the route reads the parsed settings from the context.
    const app = new Hono<{ Variables: { settings: Settings } }>()
      .use((c, next) => {
        c.set("settings", parseSettings(c.env as Env));
        return next();
      })
      .get("/", (c) => c.text(manifestBaseUrl(c)));
    expect(await (await app.request("https://internal.example/", {}, { PUBLIC_URL: "https://bridge.example.com/" })).text()).toBe(
      "https://bridge.example.com",
    );
    expect(await (await app.request("https://internal.example/", {}, { PUBLIC_URL: "" })).text()).toBe("https://internal.example");
  });
});

describe("GET /docs/talkdesk", () => {
  it("is the Talkdesk page of /docs: this deployment's endpoints, every action and the budget, under the docs CSP", async () => {
    const res = await exports.default.fetch("https://bridge.test/docs/talkdesk");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.headers.get("content-security-policy")).toMatch(/^default-src 'none'; style-src 'sha256-/);
    const html = await res.text();
    const manifest = buildManifest("https://bridge.test");
    for (const url of [
      manifest.auth_validation_endpoint,
      manifest.contact_synchronization_endpoint,
      manifest.interaction_retrieval_endpoint,
    ])
      expect(html).toContain(url);
    for (const action of manifest.actions) expect(html).toContain(`<code>${action.name}</code>`);
    expect(html).toContain("150 requests per 60 seconds"); // the test budget (vitest.config.ts)
    expect(html).not.toMatch(/<script/i);
  });
});
