// Secrets: compared in constant time (the code path: both sides hashed to 32 bytes, then
// crypto.subtle.timingSafeEqual, on every check and before any early return); issued keys only as hashes
// and Talemetry credentials and tokens only encrypted, in KV *and* in the tenants' Durable Objects; logs
// redacted (every console line of a debug-level run over every route family is grepped for every secret
// used); admin routes unusable without ADMIN_TOKEN (every route and method, every wrong way of presenting
// it, and an unset or short ADMIN_TOKEN); security headers on the docs page.
import { createExecutionContext, runInDurableObject, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { DEMO } from "../../sandbox/demo-data";
import { buildApp } from "../../src/app";
import type { Env } from "../../src/config/env";
import { readCachedToken } from "../../src/directory/token-flight";
import { timingSafeEqualStrings } from "../../src/platform/crypto";
import { authMemo } from "../../src/tenants/auth-memo";
import { dumpKv } from "../helpers/kv";
import { accountCredentials, clearFaults, createAccount, revokeTokens, seedAccount, setFaults } from "../helpers/sandbox";
import { adminFetch, BRIDGE, createTenant, issueToken, type TestTenant } from "../helpers/tenants";
import { drainBackfill, envelope, talkdesk } from "../talkdesk/helpers";
import { v1 } from "../v1/helpers";

const maya = DEMO.maya.record.id;
const sources = import.meta.glob("../../src/**/*.ts", { query: "?raw", import: "default", eager: true }) as Record<string, string>;

afterEach(() => {
  vi.restoreAllMocks();
});

/** Every call of crypto.subtle.timingSafeEqual made while `fn` runs, as the byte lengths of its two arguments. */
async function constantTimeCalls(fn: () => Promise<unknown>): Promise<Array<[number, number]>> {
  const spy = vi.spyOn(crypto.subtle, "timingSafeEqual");
  try {
    await fn();
    return spy.mock.calls.map(([x, y]) => [(x as ArrayBuffer).byteLength, (y as ArrayBuffer).byteLength]);
  } finally {
    spy.mockRestore();
  }
}

describe("constant-time comparison", () => {
  it("timingSafeEqualStrings hashes both sides first: timingSafeEqual always sees two 32-byte digests", async () => {
    for (const [x, y] of [
      ["a", "bb"],
      ["", "x".repeat(10_000)],
      ["same", "same"],
      [env.ADMIN_TOKEN, env.ADMIN_TOKEN.slice(0, -1)],
    ]) {
      const calls = await constantTimeCalls(() => timingSafeEqualStrings(x!, y!));
      expect(calls).toEqual([[32, 32]]);
    }
  });

  it("the admin token check compares in constant time whatever the presented length, and never short-circuits", async () => {
    for (const presented of [
      "x",
      "y".repeat(31),
      env.ADMIN_TOKEN.slice(0, -1),
      `${env.ADMIN_TOKEN}x`,
      "z".repeat(4_000),
      env.ADMIN_TOKEN,
    ]) {
      const calls = await constantTimeCalls(() =>
        adminFetch("/admin/tenants/ten_000000000000000000000000", { headers: { authorization: `Bearer ${presented}` } }),
      );
      expect(calls, presented.slice(0, 40)).toEqual([[32, 32]]);
    }
  });

  it("client credentials: an unknown client id costs the same constant-time comparison as a wrong secret", async () => {
    const t = await createTenant();
    const token = (client_id: string, client_secret: string) =>
      exports.default.fetch(`${BRIDGE}/oauth/token`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ grant_type: "client_credentials", client_id, client_secret }),
      });
    for (const [id, secret] of [
      [t.client_id, "tlk_cs_wrong"],
      [t.client_id, t.client_secret.slice(0, -1)],
      [`tlk_ci_${"0".repeat(32)}`, t.client_secret],
      ["not-a-client-id", t.client_secret],
    ]) {
      expect(await constantTimeCalls(async () => expect((await token(id!, secret!)).status).toBe(401))).toEqual([[32, 32]]);
    }
    expect(await constantTimeCalls(async () => expect((await token(t.client_id, t.client_secret)).status).toBe(200))).toEqual([[32, 32]]);
  });

  it("an API key under a real locator is checked in constant time (/v1 and Talkdesk)", async () => {
    const t = await createTenant();
    const forged = t.api_key.slice(0, -43) + "A".repeat(43);
    for (const key of [forged, t.api_key]) {
      // Cold: what this isolate remembers of proven keys (src/tenants/auth-memo.ts) is not used.
      authMemo.clear();
      const v1Calls = await constantTimeCalls(() => v1(key, "/capabilities"));
      expect(v1Calls.length).toBeGreaterThanOrEqual(1);
      expect(v1Calls.every(([x, y]) => x === 32 && y === 32)).toBe(true);
      authMemo.clear();
      const tdCalls = await constantTimeCalls(() => talkdesk("/nothing", envelope(key)));
      expect(tdCalls.length).toBeGreaterThanOrEqual(1);
      expect(tdCalls.every(([x, y]) => x === 32 && y === 32)).toBe(true);
    }
    // Warm: a proven key is found by its SHA-256 (as `apikey:<sha256>` is in KV), no stored secret is
    // compared; a forged key is never remembered, so it is checked in constant time every time.
    expect((await v1(t.api_key, "/capabilities")).status).toBe(200);
    expect(await constantTimeCalls(() => v1(t.api_key, "/capabilities"))).toEqual([]);
    const again = await constantTimeCalls(() => v1(forged, "/capabilities"));
    expect(again.length).toBeGreaterThanOrEqual(1);
  });

  it("no source file compares a stored secret or hash with === / !== (only timingSafeEqualStrings)", () => {
    expect(Object.keys(sources).length).toBeGreaterThan(50);
    const SECRET = "(ADMIN_TOKEN|api_key_hash|secret_hash|apiKeyHash|secretHash|SANDBOX_CONTROL_TOKEN|CREDENTIALS_KEY)";
    const compared = new RegExp(`${SECRET}\\b[\\w.?\\]\\)]*\\s*[!=]==?|[!=]==?\\s*[\\w.?\\[\\(]*\\b${SECRET}\\b`);
    const offenders = Object.entries(sources).flatMap(([file, text]) =>
      text
        .split("\n")
        .flatMap((line, i) => (compared.test(line) && !/^\s*(\/\/|\*)/.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(offenders).toEqual([]);
    // The places that check secrets do it through the constant-time helper.
    expect(sources["../../src/admin/auth.ts"]).toMatch(/timingSafeEqualStrings\(presented, expected\)/);
    expect(sources["../../src/tenants/store.ts"]).toMatch(/timingSafeEqualStrings\(credential\.api_key_hash, hash\)/);
    expect(sources["../../src/tenants/store.ts"]).toMatch(/timingSafeEqualStrings\(record\?\.secret_hash \?\? "", secretHash\)/);
    expect(sources["../../src/platform/crypto.ts"]).toMatch(/crypto\.subtle\.timingSafeEqual\(da, db\)/);
  });
});

// ---- at rest and in logs: one tenant's full life, every secret it ever had -------------------------------

interface Life {
  tenant: TestTenant;
  clientId: string;
  /** Every secret value the run used or produced. */
  secrets: Map<string, string>;
  /** Every console line written while the run exercised the bridge at LOG_LEVEL=debug. */
  lines: string[];
}

let life: Life;

/**
 * Whether the secret's last characters are its own random part: every secret in play is random (the
 * simulator issues a random secret key per account) but the refused literal, which never goes anywhere.
 */
const hasRandomTail = (name: string) => name !== "refused talemetry secret";

/** The current Talemetry token of a tenant, from its encrypted KV copy. */
async function talemetryToken(tenantId: string, version: number): Promise<string | null> {
  return (await readCachedToken(env.KV, env.CREDENTIALS_KEY, tenantId, version))?.token ?? null;
}

/** Runs every route family with secrets in play, capturing the console at LOG_LEVEL=debug. */
async function liveTenantLife(): Promise<Life> {
  const secrets = new Map<string, string>([
    ["ADMIN_TOKEN", env.ADMIN_TOKEN],
    ["CREDENTIALS_KEY", env.CREDENTIALS_KEY],
  ]);
  const lines: string[] = [];
  const record =
    (level: string) =>
    (...args: unknown[]) => {
      lines.push(
        `${level} ${args.map((a) => (typeof a === "string" ? a : a instanceof Error ? `${a.name}: ${a.message}\n${a.stack}` : JSON.stringify(a))).join(" ")}`,
      );
    };
  for (const level of ["log", "info", "debug", "warn", "error", "trace"] as const)
    vi.spyOn(console, level).mockImplementation(record(level));
  const vars = env as unknown as Record<string, string>;
  const level = vars.LOG_LEVEL;
  vars.LOG_LEVEL = "debug";
  try {
    const { client_id: clientId } = await createAccount("secrets");
    await seedAccount(clientId, 12);
    secrets.set("talemetry secret 1", accountCredentials(clientId).secret_key);
    // --- admin
    const tenant = await createTenant({
      talemetryClientId: clientId,
      region: "US",
      settings: { default_author_email: "amy@agency.example" },
    });
    secrets.set("api key 1", tenant.api_key);
    secrets.set("client secret 1", tenant.client_secret);
    await drainBackfill(tenant.id);
    secrets.set("talemetry token 1", (await talemetryToken(tenant.id, 1))!);
    await adminFetch(`/admin/tenants/${tenant.id}`);
    await adminFetch(`/admin/tenants/${tenant.id}`, {
      method: "PATCH",
      body: { settings: { candidate_url_template: "https://crm.example/p/{id}" } },
    });
    await adminFetch(`/admin/tenants/${tenant.id}/sync`);
    await adminFetch(`/admin/tenants/${tenant.id}/sync`, { method: "POST", body: { full: false } });
    await adminFetch("/admin/tenants", {
      method: "POST",
      body: { name: "bad", region: "GB", talemetry: { client_id: "x", secret_key: "talemetry-secret-never-stored-0001" }, extra: 1 },
    });
    secrets.set("refused talemetry secret", "talemetry-secret-never-stored-0001");
    await exports.default.fetch(`${BRIDGE}/admin/tenants`, { method: "POST", headers: { authorization: `Bearer ${env.ADMIN_TOKEN}x` } });
    // --- oauth
    const token = await issueToken(tenant);
    secrets.set("access token 1", token);
    for (const body of [
      { grant_type: "client_credentials", client_id: tenant.client_id, client_secret: `${tenant.client_secret}x` },
      { grant_type: "password", client_id: tenant.client_id, client_secret: tenant.client_secret },
    ]) {
      await exports.default.fetch(`${BRIDGE}/oauth/token`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    }
    await exports.default.fetch(`${BRIDGE}/oauth/token`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${btoa(`${tenant.client_id}:${tenant.client_secret}`)}`,
      },
      body: `grant_type=client_credentials&client_secret=${encodeURIComponent(tenant.client_secret)}`,
    });
    // --- /v1, with both credentials, successes and failures; a caller who puts its key where it does not belong
    for (const credential of [tenant.api_key, token]) {
      await v1(credential, "/search?phone=4155550142&region=US");
      await v1(credential, `/search?email=${encodeURIComponent(credential)}`);
      await v1(credential, `/candidates/${maya}`);
      await v1(credential, `/candidates/${maya}`, {
        method: "PATCH",
        json: { emails: ["maya.ortiz@example.com"], phones: [{ number: credential }] },
      });
      await v1(credential, "/contacts/x");
      await v1(credential, "/capabilities", { headers: { "x-request-id": tenant.api_key } });
      await v1(credential, "/users");
      await v1(credential, "/activity-types");
      const created = await v1(credential, "/activities", {
        method: "POST",
        headers: { "idempotency-key": crypto.randomUUID() },
        json: { entity_id: maya, type: "call", body: "secret-free note" },
      });
      await v1(credential, `/activities/${created.body.id}`);
      await v1(credential, `/activities/${created.body.id}`, { method: "PATCH", json: { body: "edited" } });
      await v1(credential, "/activities", { method: "POST", json: { entity_id: maya, type: "nope", body: "x", api_key: credential } });
    }
    await v1(`${tenant.api_key}x`, "/capabilities");
    await v1(tenant.api_key.slice(0, -43) + "A".repeat(43), "/capabilities");
    await v1(null, `/search?phone=1&api_key=${tenant.api_key}`);
    // --- Talemetry failing and echoing back what each call sent it: the token (every data call carries it
    // in its Authorization header), and on the authorization call the client id and secret key.
    const sentToken = secrets.get("talemetry token 1")!;
    const echo = (message: string) => JSON.stringify({ error: { code: "server_error", message } });
    await setFaults(clientId, [
      { op: "profiles", status: 500, times: 3, body: echo(`bad header Authorization: OAUTH ${sentToken}`) },
      { op: "profiles", status: 502, times: 3, body: `<html><pre>token=${sentToken}</pre></html>`, contentType: "text/html" },
    ]);
    await v1(tenant.api_key, `/candidates/${maya}`);
    await talkdesk("/interactions", envelope(tenant.api_key, { data: { contact_external_id: maya } }));
    await revokeTokens(clientId);
    const sentCredentials = `{"client_id":"${clientId}","secret_key":"${secrets.get("talemetry secret 1")}"}`;
    await setFaults(clientId, [
      {
        op: "authorize",
        status: 401,
        body: JSON.stringify({ error: { code: "invalid_credentials", message: `rejected ${sentCredentials}` } }),
      },
    ]);
    await v1(tenant.api_key, `/candidates/${maya}`);
    await adminFetch(`/admin/tenants/${tenant.id}/sync`, { method: "POST" });
    await clearFaults(clientId);
    await v1(tenant.api_key, `/candidates/${maya}`);
    secrets.set("talemetry token 2", (await talemetryToken(tenant.id, 1))!);
    // --- Talkdesk: every component, a wrong key, extra stored auth fields, bad envelopes
    const auth = { api_key: tenant.api_key, password: "talkdesk-stored-password-0001" };
    secrets.set("talkdesk stored password", auth.password);
    await talkdesk("/auth", { auth });
    await talkdesk("/contacts", { auth, meta: {} });
    await talkdesk("/contacts", { auth, meta: { offset: tenant.api_key } });
    await talkdesk("/interactions", { auth, data: { contact_external_id: maya } });
    await talkdesk("/agents", { auth, meta: { offset: null } });
    await talkdesk("/actions/log_call", {
      auth,
      meta: { contact_external_id: maya, agent_external_id: "u-123" },
      data: { direction: "inbound", duration: 12 },
    });
    await talkdesk("/actions/add_note", { auth, meta: { contact_external_id: maya }, data: { text: "note" } });
    await talkdesk("/actions/update_contact", { auth, meta: { contact_external_id: maya }, data: { phones: tenant.api_key } });
    await talkdesk("/actions/nope", { auth });
    await talkdesk("/auth", envelope(`${tenant.api_key}x`));
    await talkdesk("/auth", { auth: { api_key: 42, secret: tenant.client_secret } });
    await talkdesk("/auth", `{"auth":{"api_key":"${tenant.api_key}"`);
    // --- rotation and new Talemetry credentials: the new secrets are used once each
    const rotated = (await (await adminFetch(`/admin/tenants/${tenant.id}/keys`, { method: "POST" })).json()) as {
      api_key: string;
      client_secret: string;
    };
    secrets.set("api key 2", rotated.api_key);
    secrets.set("client secret 2", rotated.client_secret);
    await v1(rotated.api_key, "/capabilities");
    await v1(tenant.api_key, "/capabilities");
    const second = await createAccount("secrets2");
    await seedAccount(second.client_id, 3);
    await adminFetch(`/admin/tenants/${tenant.id}`, { method: "PATCH", body: { talemetry: second } });
    secrets.set("talemetry secret 2", second.secret_key);
    await v1(rotated.api_key, `/candidates/${maya}`);
    secrets.set("talemetry token 3", (await talemetryToken(tenant.id, 2))!);
    // --- deletion of another tenant
    const doomed = await createTenant();
    secrets.set("deleted tenant api key", doomed.api_key);
    await adminFetch(`/admin/tenants/${doomed.id}`, { method: "DELETE" });
    await v1(doomed.api_key, "/capabilities");
    return { tenant, clientId, secrets, lines };
  } finally {
    vars.LOG_LEVEL = level;
    vi.restoreAllMocks();
  }
}

describe("a tenant's life with every secret in play", () => {
  beforeAll(async () => {
    life = await liveTenantLife();
  }, 60_000);

  it("produced secrets of every kind (the checks below are not vacuous)", () => {
    for (const [name, value] of life.secrets) {
      expect(value, name).toBeTruthy();
      expect(value.length, name).toBeGreaterThanOrEqual(20);
    }
    expect(life.secrets.get("talemetry token 1")).toMatch(/^TGC-/);
    expect(life.secrets.get("talemetry token 1")).not.toBe(life.secrets.get("talemetry token 2"));
  });

  it("logs: structured lines from every route family at debug level, none holding any secret", () => {
    for (const line of life.lines) expect(() => JSON.parse(line.slice(line.indexOf(" ") + 1)), line.slice(0, 200)).not.toThrow();
    const requestLines = life.lines.filter((l) => l.includes('"msg":"request"'));
    for (const route of [
      "/admin/tenants",
      "/oauth/token",
      "/v1/candidates/:id",
      "/v1/search",
      "/talkdesk/interactions",
      "/talkdesk/actions/:name",
    ]) {
      expect(
        requestLines.some((l) => l.includes(`"route":"${route}"`)),
        route,
      ).toBe(true);
    }
    expect(life.lines.some((l) => l.startsWith("debug "))).toBe(true);
    expect(life.lines.some((l) => l.includes('"msg":"request failed"'))).toBe(true);
    // Talemetry's echoes reached the log lines, scrubbed; the Durable Object's sync logged its failure.
    expect(life.lines.some((l) => l.includes('"upstream_detail"') && l.includes("OAUTH [redacted]"))).toBe(true);
    expect(life.lines.some((l) => l.includes('"msg":"sync failed"'))).toBe(true);
    const all = life.lines.join("\n");
    for (const [name, value] of life.secrets) {
      expect(all.includes(value) ? life.lines.filter((l) => l.includes(value)) : [], `${name} in the logs`).toEqual([]);
      // Nor a recognisable part of it (the random tail).
      if (hasRandomTail(name)) expect(all.includes(value.slice(-16)), `tail of ${name} in the logs`).toBe(false);
    }
  });

  it("at rest: no secret in any KV key, value or metadata, nor in any tenant Durable Object's storage", async () => {
    const dump = await dumpKv();
    const stub = env.TENANT.get(env.TENANT.idFromName(life.tenant.id));
    dump.push(
      await runInDurableObject(stub, (_instance, state) => {
        const out: string[] = [];
        const tables = state.storage.sql
          .exec<{ name: string }>(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
          )
          .toArray();
        for (const { name } of tables) out.push(name, JSON.stringify(state.storage.sql.exec(`SELECT * FROM "${name}"`).toArray()));
        for (const [key, value] of state.storage.kv.list()) out.push(key, JSON.stringify(value));
        return out.join("\n");
      }),
    );
    const everything = dump.join("\n");
    // The dump covers what the run wrote (it is not vacuous).
    expect(everything).toContain(`tenant:${life.tenant.id}`);
    expect(everything).toContain("act_activities");
    expect(everything).toContain(maya);
    for (const [name, value] of life.secrets) {
      expect(everything.includes(value), `${name} at rest`).toBe(false);
      if (hasRandomTail(name)) expect(everything.includes(value.slice(-16)), `tail of ${name} at rest`).toBe(false);
    }
    // Credentials the bridge must use again are there, sealed.
    const stored = JSON.parse((await env.KV.get(`tenant:${life.tenant.id}`))!);
    expect(stored.talemetry.secret_key_encrypted).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(await env.KV.get(`tenant:${life.tenant.id}:talemetry-token:v2`)).toMatch(/^v1\./);
  });
});

// ---- the admin API without ADMIN_TOKEN ----------------------------------------------------------------

describe("admin routes without ADMIN_TOKEN", () => {
  let target: TestTenant;
  let token: string;
  beforeAll(async () => {
    target = await createTenant();
    token = await issueToken(target);
  });

  /** Every admin path the app registers, with every method (registered or not). */
  function adminRequests(id: string): Array<[string, string]> {
    const paths = [
      ...new Set(
        buildApp()
          .routes.filter((r) => r.path.startsWith("/admin"))
          .map((r) => r.path),
      ),
    ];
    expect(paths).toEqual(
      expect.arrayContaining(["/admin/tenants", "/admin/tenants/:id", "/admin/tenants/:id/keys", "/admin/tenants/:id/sync"]),
    );
    return paths
      .filter((p) => !p.includes("*"))
      .flatMap((p) => ["GET", "POST", "PUT", "PATCH", "DELETE"].map((m) => [m, p.replace(":id", id)] as [string, string]));
  }

  const tenantsIndexSize = async () => (await env.KV.list({ prefix: "tenants-index:" })).keys.length;

  it("every admin route and method refuses every wrong way of presenting the token, with no effect", async () => {
    const T = env.ADMIN_TOKEN;
    const variants: Array<[string, Record<string, string>, string]> = [
      ["none", {}, ""],
      ["wrong token of the same length", { authorization: `Bearer ${"x".repeat(T.length)}` }, ""],
      ["upper-cased token", { authorization: `Bearer ${T.toUpperCase()}` }, ""],
      ["token plus a character", { authorization: `Bearer ${T}x` }, ""],
      ["token minus a character", { authorization: `Bearer ${T.slice(0, -1)}` }, ""],
      ["token twice", { authorization: `Bearer ${T} ${T}` }, ""],
      ["token with a tab", { authorization: `Bearer\t${T}` }, ""],
      ["token as Basic password", { authorization: `Basic ${btoa(`admin:${T}`)}` }, ""],
      ["token under another scheme", { authorization: `Token ${T}` }, ""],
      ["token without scheme", { authorization: T }, ""],
      ["token in X-Admin-Token", { "x-admin-token": T }, ""],
      ["token in a cookie", { cookie: `admin_token=${T}; token=${T}` }, ""],
      ["token in the query", {}, `?token=${T}&admin_token=${T}&access_token=${T}`],
      ["CREDENTIALS_KEY", { authorization: `Bearer ${env.CREDENTIALS_KEY}` }, ""],
      ["a tenant API key", { authorization: `Bearer ${target.api_key}` }, ""],
      ["a tenant access token", { authorization: `Bearer ${token}` }, ""],
      ["a tenant client secret", { authorization: `Bearer ${target.client_secret}` }, ""],
    ];
    const before = await tenantsIndexSize();
    for (const [method, path] of adminRequests(target.id)) {
      for (const [name, headers, query] of variants) {
        const body =
          method === "GET"
            ? undefined
            : JSON.stringify({ name: "Hijacked", region: "GB", talemetry: { client_id: "evil", secret_key: "evil-secret" }, full: true });
        const res = await exports.default.fetch(`${BRIDGE}${path}${query}`, {
          method,
          headers: { "content-type": "application/json", ...headers },
          body,
        });
        expect(res.status, `${method} ${path} with ${name}`).toBe(401);
        expect(res.headers.get("content-type")).toBe("application/problem+json");
        expect(res.headers.get("www-authenticate")).toBe("Bearer");
        expect(await res.text()).not.toContain(T);
      }
    }
    // Nothing happened: no tenant created or deleted, no key rotated, nothing renamed.
    expect(await tenantsIndexSize()).toBe(before);
    expect((await v1(target.api_key, "/capabilities")).status).toBe(200);
    expect((await v1(token, "/capabilities")).status).toBe(200);
    expect(await (await adminFetch(`/admin/tenants/${target.id}`)).json()).toMatchObject({
      name: "Test tenant",
      key_version: 1,
      talemetry: { credentials_version: 1 },
    });
  });

  it("an unset, empty or short ADMIN_TOKEN disables the admin API instead of opening it", async () => {
    const app = buildApp();
    for (const configured of [undefined, "", " ", "short", "x".repeat(31)]) {
      const patched = { ...(env as unknown as Env), ADMIN_TOKEN: configured as unknown as string };
      for (const presented of [undefined, "", configured, `${configured ?? ""}`.trim(), "undefined", "null"]) {
        const ctx = createExecutionContext();
        const headers: Record<string, string> = presented === undefined ? {} : { authorization: `Bearer ${presented}` };
        const res = await app.fetch(new Request(`${BRIDGE}/admin/tenants/${target.id}`, { headers }), patched, ctx);
        await waitOnExecutionContext(ctx);
        expect(res.status, `ADMIN_TOKEN=${JSON.stringify(configured)} presented=${JSON.stringify(presented)}`).toBe(401);
      }
    }
  });
});

// ---- the docs page -----------------------------------------------------------------------------------

describe("security headers of the docs page", () => {
  it("forbid scripts, framing, sniffing and referrers; the page has no script and its one style matches the CSP hash", async () => {
    for (const url of [`${BRIDGE}/docs`, `${BRIDGE}/docs?x=%3Cscript%3Ealert(1)%3C/script%3E`]) {
      const res = await exports.default.fetch(url);
      expect(res.status).toBe(200);
      const csp = res.headers.get("content-security-policy") ?? "";
      const directives = Object.fromEntries(
        csp
          .split(";")
          .map((d) => d.trim().split(/\s+/))
          .map(([k, ...v]) => [k, v.join(" ")]),
      );
      expect(directives["default-src"]).toBe("'none'");
      expect(directives["frame-ancestors"]).toBe("'none'");
      expect(directives["base-uri"]).toBe("'none'");
      expect(directives["form-action"]).toBe("'none'");
      expect(directives["script-src"]).toBeUndefined();
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
      expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
      const html = await res.text();
      expect(html).not.toMatch(/<script|javascript:|\son[a-z]+\s*=/i);
      expect(html).not.toContain("alert(1)");
      const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]!);
      expect(styles).toHaveLength(1);
      const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(styles[0])));
      expect(directives["style-src"]).toBe(`'sha256-${btoa(String.fromCharCode(...digest))}'`);
    }
  });
});
