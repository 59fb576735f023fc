// GET /talkdesk/manifest and its assets through the Worker: public (no envelope, no key), absolute URLs
// of the deployment the request came to (or PUBLIC_URL when configured), and fetchable logo and icon.
import { exports } from "cloudflare:workers";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { Env } from "../../src/config/env";
import { parseSettings, type Settings } from "../../src/config/settings";
import { buildManifest, SVG_CONTENT_TYPE } from "../../src/talkdesk/manifest";
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

  it("serves the logo and icon it names, as SVG that cannot run scripts", async () => {
    const manifest = (await (await exports.default.fetch("https://bridge.test/talkdesk/manifest")).json()) as ReturnType<
      typeof buildManifest
    >;
    for (const url of [manifest.logo_url, manifest.icon_url]) {
      const res = await exports.default.fetch(url);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe(SVG_CONTENT_TYPE);
      expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
      expect(await res.text()).toMatch(/^<svg /);
    }
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
