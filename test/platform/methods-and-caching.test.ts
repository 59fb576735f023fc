// Two cross-cutting answers of the whole app: a known path asked with another method is a 405 naming
// the methods it answers (in each caller's error format), never a 404; and every answer of /v1,
// /talkdesk, /oauth and /admin — errors included — is `Cache-Control: no-store`, since they carry
// personal data or credentials.
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/app";
import { methodsByPath } from "../../src/platform/methods";
import { adminFetch, BRIDGE, createTenant, issueToken, type TestTenant } from "../helpers/tenants";

const fetchBridge = (path: string, init?: RequestInit) => exports.default.fetch(`${BRIDGE}${path}`, init);

let t: TestTenant;
let bearer: Record<string, string>;
beforeAll(async () => {
  t = await createTenant({ region: "US" });
  bearer = { authorization: `Bearer ${t.api_key}` };
});

describe("methodsByPath", () => {
  const of = methodsByPath([
    { method: "ALL", path: "/v1/*" },
    { method: "POST", path: "/talkdesk/*" },
    { method: "GET", path: "/v1/candidates/:id" },
    { method: "PATCH", path: "/v1/candidates/:id" },
    { method: "POST", path: "/v1/activities" },
    { method: "GET", path: "/v1/items/:id{[0-9]+}" },
  ]);

  it("names the methods of a concrete path, HEAD with GET, sorted", () => {
    expect(of("/v1/candidates/abc")).toEqual(["GET", "HEAD", "PATCH"]);
    expect(of("/v1/activities")).toEqual(["POST"]);
    expect(of("/v1/activities/")).toEqual(["POST"]);
  });

  it("knows no path from middleware wildcards, and keeps a parameter to one segment and its own pattern", () => {
    expect(of("/talkdesk/anything")).toEqual([]);
    expect(of("/v1/unknown")).toEqual([]);
    expect(of("/v1/candidates/a/b")).toEqual([]);
    expect(of("/v1/items/12")).toEqual(["GET", "HEAD"]);
    expect(of("/v1/items/x")).toEqual([]);
  });

  it("covers every route the app registers", () => {
    const app = buildApp();
    const of = methodsByPath(app.routes);
    expect(of("/v1/search")).toEqual(["GET", "HEAD"]);
    expect(of("/v1/activities/act_000000000000000000000000")).toEqual(["GET", "HEAD", "PATCH"]);
    expect(of("/talkdesk/contacts")).toEqual(["POST"]);
    expect(of("/oauth/token")).toEqual(["POST"]);
    expect(of("/admin/tenants/ten_1")).toEqual(["DELETE", "GET", "HEAD", "PATCH"]);
  });
});

describe("405 Method Not Allowed", () => {
  it("/v1: problem+json with Allow, once the caller is authenticated (as every /v1 answer)", async () => {
    for (const [method, path, allow] of [
      ["DELETE", "/v1/candidates/0290bb50-7113-11ef-9c70-b6a35a531041", "GET, HEAD, PATCH"],
      ["GET", "/v1/activities", "POST"],
      ["POST", "/v1/search?phone=4155550142", "GET, HEAD"],
      ["PUT", "/v1/activity-types", "GET, HEAD"],
    ] as const) {
      const res = await fetchBridge(path, { method, headers: bearer });
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.get("allow")).toBe(allow);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(res.headers.get("ratelimit-limit")).not.toBeNull();
      expect(await res.json()).toMatchObject({ status: 405, type: expect.stringMatching(/\/problems\/method-not-allowed$/) });
    }
    // Without a credential the answer is the 401 every /v1 request gets first.
    expect((await fetchBridge("/v1/activities", { method: "GET" })).status).toBe(401);
  });

  it("/talkdesk: {message} with Allow", async () => {
    const res = await fetchBridge("/talkdesk/contacts", { method: "GET" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
    expect(await res.json()).toEqual({ message: expect.stringContaining("POST") });
  });

  it("/oauth: RFC 6749 with Allow; /admin and the public routes: problem+json with Allow", async () => {
    const oauth = await fetchBridge("/oauth/token", { method: "DELETE" });
    expect(oauth.status).toBe(405);
    expect(oauth.headers.get("allow")).toBe("POST");
    expect(await oauth.json()).toMatchObject({ error: "invalid_request" });

    const admin = await adminFetch("/admin/tenants", { method: "GET" });
    expect(admin.status).toBe(405);
    expect(admin.headers.get("allow")).toBe("POST");
    for (const path of ["/openapi.json", "/docs", "/healthz"]) {
      const res = await fetchBridge(path, { method: "POST" });
      expect(res.status, path).toBe(405);
      expect(res.headers.get("allow")).toBe("GET, HEAD");
    }
  });

  it("an unknown path is still a 404", async () => {
    expect((await fetchBridge("/v1/nothing-here", { headers: bearer })).status).toBe(404);
    expect((await fetchBridge("/talkdesk/nothing-here", { method: "POST", body: "{}" })).status).not.toBe(405);
    expect((await fetchBridge("/nothing", { method: "DELETE" })).status).toBe(404);
  });
});

describe("Cache-Control: no-store", () => {
  it("on every /v1 answer, success or error, cached search included", async () => {
    const token = await issueToken(t);
    const answers = [
      await fetchBridge("/v1/search?phone=4155550142", { headers: bearer }),
      await fetchBridge("/v1/search?phone=4155550142", { headers: bearer }),
      await fetchBridge("/v1/activity-types", { headers: { authorization: `Bearer ${token}` } }),
      await fetchBridge("/v1/users", { headers: bearer }),
      await fetchBridge("/v1/candidates/nope..", { headers: bearer }),
      await fetchBridge("/v1/search"),
      await fetchBridge("/v1/activities", { method: "GET", headers: bearer }),
    ];
    expect(answers[1].headers.get("x-search-source")).toBe("cache");
    for (const res of answers) expect(res.headers.get("cache-control"), `${res.status}`).toBe("no-store");
  });

  it("on /oauth, /talkdesk and /admin answers; the public docs and Talkdesk's logo keep their own", async () => {
    const oauth = await fetchBridge("/oauth/token", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: t.client_id, client_secret: t.client_secret }),
    });
    expect(oauth.status).toBe(200);
    const talkdesk = await fetchBridge("/talkdesk/auth", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ api_key: t.api_key, account: { id: "acc" }, meta: {}, data: {} }),
    });
    for (const res of [
      oauth,
      await fetchBridge("/oauth/token", { method: "POST" }),
      talkdesk,
      await fetchBridge("/talkdesk/contacts", { method: "POST", body: "{}" }),
      await adminFetch(`/admin/tenants/${t.id}`),
      await adminFetch(`/admin/tenants/${t.id}/sync`),
    ]) {
      expect(res.headers.get("cache-control"), `${res.url} ${res.status}`).toBe("no-store");
    }
    expect((await fetchBridge("/openapi.json")).headers.get("cache-control")).toMatch(/^public/);
    expect((await fetchBridge("/talkdesk/assets/logo.svg")).headers.get("cache-control")).toMatch(/^public/);
  });
});
