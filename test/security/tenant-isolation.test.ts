// Tenant isolation on every route the app registers: tenant B's API key and access token never read or
// change tenant A's candidates, activities, idempotency keys, search results or search-cache entries,
// user caches, settings, Talkdesk contacts, interactions or actions — and B's traffic never reaches A's
// Talemetry account or A's Durable Object. A route added without an isolation probe fails the coverage test.
import { runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/app";
import type { IndexChange } from "../../src/directory/index-store";
import { getSearchGeneration, phoneCacheQuery, SearchCache } from "../../src/directory/search-cache";
import { parsePhoneQuery } from "../../src/phone/match";
import { createAccount, createCandidate, getCandidate, getStats, resetStats, seedAccount } from "../helpers/sandbox";
import { adminFetch, BRIDGE, createTenant, issueToken, type TestTenant } from "../helpers/tenants";
import { contactSyncRun, drainBackfill, envelope, talkdesk } from "../talkdesk/helpers";
import { v1 } from "../v1/helpers";

interface Side {
  tenant: TestTenant;
  token: string;
  clientId: string;
  /** A candidate only this side's Talemetry account has. */
  secretId: string;
  email: string;
  phone: string;
}

async function side(label: "a" | "b", phone: string): Promise<Side> {
  const { client_id: clientId } = await createAccount(`iso-${label}`);
  // No demo candidates: their ids are the same in every seeded account.
  await seedAccount(clientId, 8, { demo: false, seed: `isolation-${label}` });
  const email = `only.in.${label}.${crypto.randomUUID().slice(0, 6)}@example.com`;
  const secretId = await createCandidate(clientId, {
    givenName: "Only",
    familyName: label.toUpperCase(),
    emails: [email],
    phones: [{ kind: "Mobile", InternationalCountryCode: "44", SubscriberNumber: phone.slice(3) }],
  });
  const tenant = await createTenant({
    talemetryClientId: clientId,
    region: "GB",
    settings: {
      default_author_email: "amy@agency.example",
      // No scheduled sync during the test: every upstream call to A's account below is one we made.
      sync_interval_seconds: 86_400,
      candidate_url_template: `https://crm-${label}.example/people/{id}`,
      activity_types: label === "a" ? { interview: { name: "Interview (A only)" }, sms: { hidden: true } } : {},
    },
  });
  await drainBackfill(tenant.id);
  return { tenant, token: await issueToken(tenant), clientId, secretId, email, phone };
}

let a: Side;
let b: Side;
/** Evidence of A's state before B's probes, compared after them. */
let aActivity: { id: string; body: string };
let aRecordBefore: string;
let aIndexBefore: string;
const A_KEY = "iso-shared-key";

/** The DO method these tests call, named: the inferred RPC types of the whole class are too deep for tsc. */
interface Directory {
  changes(afterSeq: number, highWater: number | null, limit: number): Promise<{ highWater: number; rows: IndexChange[] }>;
}
const directoryOf = (tenantId: string) => env.TENANT.get(env.TENANT.idFromName(tenantId)) as unknown as Directory & DurableObjectStub;

/** Everything in a tenant's Durable Object storage (SQLite tables and the synchronous KV), as text. */
function dumpDirectory(tenantId: string): Promise<string> {
  return runInDurableObject(directoryOf(tenantId), (_instance, state) => {
    const out: string[] = [];
    const tables = state.storage.sql
      .exec<{ name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
      )
      .toArray();
    for (const { name } of tables) out.push(name, JSON.stringify(state.storage.sql.exec(`SELECT * FROM "${name}"`).toArray()));
    for (const [key, value] of state.storage.kv.list()) out.push(key, JSON.stringify(value));
    return out.join("\n");
  });
}

beforeAll(async () => {
  [a, b] = await Promise.all([side("a", "+447700900811"), side("b", "+447700900822")]);

  // A's own traffic: an activity under an Idempotency-Key, searches that fill the edge cache, a poisoned
  // user cache (proves the cache is read per tenant), a Talkdesk contact run.
  const created = await v1(a.tenant.api_key, "/activities", {
    method: "POST",
    headers: { "idempotency-key": A_KEY },
    json: { entity_id: a.secretId, type: "interview", body: "A's private interview notes" },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  aActivity = { id: created.body.id, body: created.body.body };
  for (let i = 0; i < 2; i++) {
    expect((await v1(a.tenant.api_key, `/search?phone=${encodeURIComponent(a.phone)}`)).body.count).toBe(1);
    expect((await v1(a.tenant.api_key, `/search?email=${encodeURIComponent(a.email)}`)).body.count).toBe(1);
  }
  await env.KV.put(
    `tenant:${a.tenant.id}:users`,
    JSON.stringify({ v: 1, users: [{ id: "u-only-a", name: "Only In A", email: "only-a@agency.example", active: true }] }),
    { expirationTtl: 120 },
  );
  expect((await v1(a.tenant.api_key, "/users")).body.data.map((u: { id: string }) => u.id)).toEqual(["u-only-a"]);

  aRecordBefore = JSON.stringify((await getCandidate(a.clientId, a.secretId)).record);
  aIndexBefore = JSON.stringify(await directoryOf(a.tenant.id).changes(-1, null, 1000));
  await resetStats(a.clientId);
});

/** B's two kinds of credential; every /v1 probe runs with both. */
const bCredentials = () => [b.tenant.api_key, b.token];

/** Every route of the app (`METHOD pattern`) and the probe below that covers it. */
const PROBES: Record<string, string> = {
  "GET /v1/search": "search and search cache",
  "GET /v1/candidates/:id": "candidates",
  "PATCH /v1/candidates/:id": "candidates",
  "GET /v1/contacts/:id": "unsupported entities",
  "PATCH /v1/contacts/:id": "unsupported entities",
  "GET /v1/companies/:id": "unsupported entities",
  "PATCH /v1/companies/:id": "unsupported entities",
  "GET /v1/capabilities": "metadata",
  "GET /v1/activity-types": "metadata",
  "GET /v1/users": "metadata",
  "GET /v1/changes": "change feed",
  "POST /v1/webhooks": "webhooks",
  "GET /v1/webhooks": "webhooks",
  "GET /v1/webhooks/:id": "webhooks",
  "DELETE /v1/webhooks/:id": "webhooks",
  "GET /v1/webhooks/:id/deliveries": "webhooks",
  "POST /v1/webhooks/:id/deliveries/:delivery_id/replay": "webhooks",
  "POST /v1/activities": "activities",
  "GET /v1/activities/:id": "activities",
  "PATCH /v1/activities/:id": "activities",
  "POST /oauth/token": "oauth",
  "GET /oauth/token": "oauth",
  "PUT /oauth/token": "oauth",
  "PATCH /oauth/token": "oauth",
  "DELETE /oauth/token": "oauth",
  "POST /admin/tenants": "admin",
  "GET /admin/tenants/:id": "admin",
  "PATCH /admin/tenants/:id": "admin",
  "DELETE /admin/tenants/:id": "admin",
  "POST /admin/tenants/:id/keys": "admin",
  "GET /admin/tenants/:id/sync": "admin",
  "POST /admin/tenants/:id/sync": "admin",
  "POST /admin/sandbox-accounts": "admin",
  "GET /admin/openapi.json": "admin",
  "POST /talkdesk/*": "talkdesk envelope",
  "POST /talkdesk/auth": "talkdesk auth",
  "POST /talkdesk/contacts": "talkdesk contacts",
  "POST /talkdesk/interactions": "talkdesk interactions",
  "POST /talkdesk/agents": "talkdesk agents",
  "POST /talkdesk/actions/:name": "talkdesk actions",
  "GET /talkdesk/manifest": "public",
  "GET /talkdesk/assets/logo.svg": "public",
  "GET /talkdesk/assets/icon.svg": "public",
  "GET /talkdesk/assets/logo.png": "public",
  "GET /talkdesk/assets/icon.png": "public",
  "GET /healthz": "public",
  "GET /openapi.json": "public",
  "GET /docs": "public",
  "GET /docs/talkdesk": "public",
  "GET /problems/:slug": "public",
};

describe("coverage", () => {
  it("every registered route has an isolation probe", () => {
    const registered = [
      ...new Set(
        buildApp()
          .routes.filter((r) => r.method !== "ALL")
          .map((r) => `${r.method} ${r.path}`),
      ),
    ];
    expect(registered.filter((r) => !(r in PROBES))).toEqual([]);
  });
});

describe("/v1 with tenant B's credentials", () => {
  it("search: A's candidates are never found, A's cached answers never served", async () => {
    for (const credential of bCredentials()) {
      for (const query of [
        `phone=${encodeURIComponent(a.phone)}`,
        `email=${encodeURIComponent(a.email)}`,
        `phone=${a.phone.slice(3)}&partial=true`,
      ]) {
        const res = await v1(credential, `/search?${query}`);
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ data: [], count: 0 });
        expect(JSON.stringify(res.body)).not.toContain(a.secretId);
      }
      // B's own candidate is found (the probe is not vacuous).
      expect((await v1(credential, `/search?phone=${encodeURIComponent(b.phone)}`)).body.data.map((d: { id: string }) => d.id)).toEqual([
        b.secretId,
      ]);
    }
    // A's cached entry exists under A's tenant id and generation only.
    const parsed = parsePhoneQuery(a.phone, { region: null, tenantRegion: "GB" });
    if (!parsed.ok) throw new Error("bad phone");
    const query = phoneCacheQuery(parsed.query, false);
    expect(await new SearchCache(a.tenant.id, await getSearchGeneration(env.KV, a.tenant.id)).get(query)).toContain(a.secretId);
    expect(await new SearchCache(b.tenant.id, await getSearchGeneration(env.KV, b.tenant.id)).get(query)).not.toContain(a.secretId);
  });

  it("candidates: A's candidate is neither read nor changed", async () => {
    for (const credential of bCredentials()) {
      expect((await v1(credential, `/candidates/${a.secretId}`)).status).toBe(404);
      expect(
        (
          await v1(credential, `/candidates/${a.secretId}`, {
            method: "PATCH",
            json: { emails: ["stolen@example.com"], phones: [{ number: "+447700900999" }] },
          })
        ).status,
      ).toBe(404);
      expect((await v1(credential, `/candidates/${a.secretId}`, { method: "PATCH", json: {} })).status).toBe(404);
    }
  });

  it("change feed: B's listing holds only B's candidates, and A's cursor is no cursor for B", async () => {
    const aCursor = (await v1(a.tenant.api_key, "/changes?from=beginning&limit=500")).body;
    expect(JSON.stringify(aCursor.data)).toContain(a.secretId); // the probe is not vacuous
    for (const credential of bCredentials()) {
      const listing = await v1(credential, "/changes?from=beginning&limit=500");
      expect(listing.status).toBe(200);
      expect(listing.body.data.map((c: { id: string }) => c.id)).toContain(b.secretId);
      expect(JSON.stringify(listing.body)).not.toContain(a.secretId);
      const stolen = await v1(credential, `/changes?cursor=${encodeURIComponent(aCursor.next_cursor)}`);
      expect(stolen.status).toBe(400);
      expect(JSON.stringify(stolen.body)).not.toContain(a.secretId);
    }
  });

  it("webhooks: A's subscription is neither listed, read, deleted, nor its deliveries read or replayed by B", async () => {
    const created = await v1(a.tenant.api_key, "/webhooks", {
      method: "POST",
      json: { url: "https://hooks-a.example.com/x", events: ["candidate.created"] },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    for (const credential of bCredentials()) {
      const list = await v1(credential, "/webhooks");
      expect(list.status).toBe(200);
      expect(JSON.stringify(list.body)).not.toContain(id);
      expect((await v1(credential, `/webhooks/${id}`)).status).toBe(404);
      expect((await v1(credential, `/webhooks/${id}/deliveries`)).status).toBe(404);
      expect((await v1(credential, `/webhooks/${id}/deliveries/dlv_000000000000000000000000/replay`, { method: "POST" })).status).toBe(404);
      expect((await v1(credential, `/webhooks/${id}`, { method: "DELETE" })).status).toBe(404);
    }
    expect((await v1(a.tenant.api_key, `/webhooks/${id}`)).body).toMatchObject({ id, status: "active" });
    // B's own subscription is B's alone.
    const mine = await v1(b.tenant.api_key, "/webhooks", {
      method: "POST",
      json: { url: "https://hooks-b.example.com/x", events: ["candidate.created"] },
    });
    expect(mine.status).toBe(201);
    expect(JSON.stringify((await v1(a.tenant.api_key, "/webhooks")).body)).not.toContain(mine.body.id);
  });

  it("unsupported entities answer the same 501 for every tenant, with nothing of A's", async () => {
    for (const credential of bCredentials()) {
      for (const [method, path] of [
        ["GET", "/contacts/x"],
        ["PATCH", "/contacts/x"],
        ["GET", "/companies/x"],
        ["PATCH", "/companies/x"],
      ] as const) {
        const res = await v1(credential, path, { method, json: method === "PATCH" ? {} : undefined });
        expect(res.status).toBe(501);
        expect(JSON.stringify(res.body)).not.toContain(a.tenant.id);
      }
    }
  });

  it("metadata: A's activity-type overrides and A's user cache are not B's", async () => {
    for (const credential of bCredentials()) {
      const types = (await v1(credential, "/activity-types")).body.data.map((t: { id: string }) => t.id);
      expect(types).not.toContain("interview");
      expect(types).toContain("sms");
      const users = (await v1(credential, "/users")).body.data.map((u: { id: string }) => u.id);
      expect(users).not.toContain("u-only-a");
      expect(users).toContain("u-123");
      const capabilities = await v1(credential, "/capabilities");
      expect(capabilities.status).toBe(200);
      expect(capabilities.body).toEqual((await v1(a.tenant.api_key, "/capabilities")).body);
    }
    // A's own view is A's (the probes above are not vacuous).
    expect((await v1(a.tenant.api_key, "/activity-types")).body.data.map((t: { id: string }) => t.id)).toContain("interview");
  });

  it("activities: A's activity is neither read nor changed; A's Idempotency-Key and A's users mean nothing to B", async () => {
    // B's own request under A's very key: a new request for B, answered with B's own activity.
    const mine = await v1(b.tenant.api_key, "/activities", {
      method: "POST",
      headers: { "idempotency-key": A_KEY },
      json: { entity_id: b.secretId, type: "call", body: "B's note" },
    });
    expect(mine.status).toBe(201);
    expect(mine.body.id).not.toBe(aActivity.id);
    for (const credential of bCredentials()) {
      expect((await v1(credential, `/activities/${aActivity.id}`)).status).toBe(404);
      expect((await v1(credential, `/activities/${aActivity.id}`, { method: "PATCH", json: { body: "hijacked" } })).status).toBe(404);
      // The very request A made, under A's key: for B the key names B's own request, so it is another body.
      const replay = await v1(credential, "/activities", {
        method: "POST",
        headers: { "idempotency-key": A_KEY },
        json: { entity_id: a.secretId, type: "interview", body: "A's private interview notes" },
      });
      expect(replay.status).toBe(409);
      // Without the key it is judged as B's: B has no "interview" type, and B's CRM lacks A's candidate.
      const typed = await v1(credential, "/activities", {
        method: "POST",
        json: { entity_id: a.secretId, type: "interview", body: "A's private interview notes" },
      });
      expect(typed.status).toBe(422);
      const unknown = await v1(credential, "/activities", {
        method: "POST",
        json: { entity_id: a.secretId, type: "call", body: "A's private interview notes" },
      });
      expect(unknown.status).toBe(404);
      expect(JSON.stringify([replay.body, typed.body, unknown.body])).not.toContain(aActivity.id);
      // A user only A's cache knows is no author for B.
      const author = await v1(credential, "/activities", {
        method: "POST",
        json: { entity_id: b.secretId, type: "call", body: "x", user_id: "u-only-a" },
      });
      expect(author.status).toBe(422);
    }
    const aView = await v1(a.tenant.api_key, `/activities/${aActivity.id}`);
    expect(aView.body).toMatchObject({ id: aActivity.id, body: aActivity.body });
  });
});

describe("/oauth and /admin", () => {
  it("oauth: one tenant's client id never works with another's secret, in the body or with Basic", async () => {
    const token = (client_id: string, client_secret: string, basic = false) =>
      exports.default.fetch(`${BRIDGE}/oauth/token`, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          ...(basic ? { authorization: `Basic ${btoa(`${client_id}:${client_secret}`)}` } : {}),
        },
        body: new URLSearchParams(
          basic ? { grant_type: "client_credentials" } : { grant_type: "client_credentials", client_id, client_secret },
        ).toString(),
      });
    for (const basic of [false, true]) {
      expect((await token(a.tenant.client_id, b.tenant.client_secret, basic)).status).toBe(401);
      expect((await token(b.tenant.client_id, a.tenant.client_secret, basic)).status).toBe(401);
    }
    for (const method of ["GET", "PUT", "PATCH", "DELETE"]) {
      expect(
        (await exports.default.fetch(`${BRIDGE}/oauth/token`, { method, headers: { authorization: `Bearer ${b.token}` } })).status,
      ).toBe(405);
    }
  });

  it("admin: no tenant credential opens any admin route", async () => {
    const routes: Array<[string, string]> = [
      ["POST", "/admin/tenants"],
      ["GET", `/admin/tenants/${a.tenant.id}`],
      ["PATCH", `/admin/tenants/${a.tenant.id}`],
      ["DELETE", `/admin/tenants/${a.tenant.id}`],
      ["POST", `/admin/tenants/${a.tenant.id}/keys`],
      ["GET", `/admin/tenants/${a.tenant.id}/sync`],
      ["POST", `/admin/tenants/${a.tenant.id}/sync`],
      ["POST", "/admin/sandbox-accounts"],
    ];
    for (const credential of [b.tenant.api_key, b.token, b.tenant.client_secret, a.tenant.api_key, a.token]) {
      for (const [method, path] of routes) {
        const res = await adminFetch(path, {
          method,
          headers: { authorization: `Bearer ${credential}` },
          body: method === "GET" || method === "DELETE" ? undefined : { name: "x" },
        });
        expect(res.status, `${method} ${path}`).toBe(401);
      }
    }
  });
});

describe("/talkdesk with tenant B's api_key", () => {
  it("envelope and auth: B's key authenticates B, and validating it never touches A's Talemetry account", async () => {
    expect((await talkdesk("/auth", envelope(b.tenant.api_key))).status).toBe(200);
    // A's key inside B's envelope fields is just data: auth.api_key decides.
    expect(
      (await talkdesk("/auth", { auth: { api_key: b.tenant.api_key, tenant_id: a.tenant.id, other_key: a.tenant.api_key } })).status,
    ).toBe(200);
    expect((await talkdesk("/nothing", envelope(b.tenant.api_key))).status).toBe(404);
  });

  it("contacts: B's runs hold only B's contacts, also when resumed with A's offset or checkpoint", async () => {
    const aRun = await contactSyncRun(a.tenant.api_key);
    const bRun = await contactSyncRun(b.tenant.api_key);
    expect(bRun.ids).toContain(b.secretId);
    expect(bRun.ids).not.toContain(a.secretId);
    expect(bRun.ids.filter((id) => aRun.ids.includes(id))).toEqual([]);
    // Offsets and checkpoints are positions in the caller's own directory, never a way into A's.
    const offset = aRun.pages.find((p) => p.next_offset)?.next_offset;
    for (const meta of [{ offset }, { synchronization_checkpoint: aRun.checkpoint }, { synchronization_checkpoint: "seq:0" }]) {
      const res = await talkdesk("/contacts", envelope(b.tenant.api_key, { meta }));
      expect(res.status, JSON.stringify(meta)).toBe(200);
      for (const contact of res.body.contacts) expect(bRun.ids).toContain(contact.id);
    }
  });

  it("interactions: A's contact by id, email or phone is an unknown contact for B", async () => {
    for (const data of [{ contact_external_id: a.secretId }, { contact_emails: [a.email] }, { contact_phones: [a.phone] }]) {
      const res = await talkdesk("/interactions", envelope(b.tenant.api_key, { data }));
      expect(res.status).toBe(200);
      expect(res.body).toEqual([]);
    }
  });

  it("agents: B's agents come from B's Talemetry account", async () => {
    const res = await talkdesk("/agents", envelope(b.tenant.api_key));
    expect(res.status).toBe(200);
    expect(res.body.agents.map((agent: { id: string }) => agent.id)).not.toContain("u-only-a");
  });

  it("actions: nothing is logged on, or written to, A's candidate", async () => {
    const meta = { contact_external_id: a.secretId };
    for (const [name, data] of [
      ["log_call", { direction: "inbound", duration: 30, summary: "cross-tenant" }],
      ["add_note", { text: "cross-tenant" }],
      ["update_contact", { emails: "cross@example.com", phones: "+447700900999" }],
    ] as const) {
      const res = await talkdesk(`/actions/${name}`, envelope(b.tenant.api_key, { meta, data }));
      expect(res.status, name).toBe(400);
      expect(JSON.stringify(res.body)).not.toContain(a.email);
    }
    // The call's phone is A's number: B's directory knows no one with it.
    const byPhone = await talkdesk(
      "/actions/log_call",
      envelope(b.tenant.api_key, { data: { direction: "inbound", duration: 5, phone: a.phone } }),
    );
    expect(byPhone.status).toBe(400);
    // An agent only A's user cache knows is not B's agent: B's note goes under B's default author
    // (Talkdesk assigns agents "if possible"), never under A's user.
    const agent = await talkdesk(
      "/actions/add_note",
      envelope(b.tenant.api_key, { meta: { contact_external_id: b.secretId, agent_external_id: "u-only-a" }, data: { text: "x" } }),
    );
    expect(agent.status).toBe(201);
    const written = (await getCandidate(b.clientId, b.secretId)).record.notes.filter((n: { Text: string }) => n.Text.includes("u-only-a"));
    expect(written.map((n: { AuthorEmail: string }) => n.AuthorEmail)).toEqual(["amy@agency.example"]);
  });
});

describe("public routes", () => {
  it("carry no tenant's data or keys", async () => {
    for (const path of [
      "/talkdesk/manifest",
      "/talkdesk/assets/logo.svg",
      "/talkdesk/assets/icon.svg",
      "/talkdesk/assets/logo.png",
      "/talkdesk/assets/icon.png",
      "/healthz",
      "/openapi.json",
      "/docs",
      "/docs/talkdesk",
      "/problems/not-found",
    ]) {
      const res = await exports.default.fetch(`${BRIDGE}${path}`, {
        headers: { authorization: `Bearer ${a.tenant.api_key}` },
        redirect: "manual",
      });
      expect(res.status, path).toBeLessThan(400);
      const text = await res.text();
      for (const leak of [a.tenant.id, a.tenant.api_key, a.tenant.client_id, a.secretId, a.email, "crm-a.example"])
        expect(text, path).not.toContain(leak);
    }
  });
});

describe("after B's traffic", () => {
  it("A's Talemetry record, A's directory and A's activity are as they were, and B's directory holds nothing of A's", async () => {
    expect(JSON.stringify((await getCandidate(a.clientId, a.secretId)).record)).toBe(aRecordBefore);
    expect(JSON.stringify(await directoryOf(a.tenant.id).changes(-1, null, 1000))).toBe(aIndexBefore);
    expect((await v1(a.tenant.api_key, `/activities/${aActivity.id}`)).body.body).toBe(aActivity.body);
    const bDump = await dumpDirectory(b.tenant.id);
    expect(bDump).toContain(b.secretId);
    for (const leak of [a.secretId, a.email, aActivity.id, a.tenant.id]) expect(bDump).not.toContain(leak);
  });

  it("B's traffic made no call on A's Talemetry account (only A's own contact run and reads above did)", async () => {
    const stats = (await getStats(a.clientId)).calls;
    // A's own requests above after the reset (contact run, activity read, metadata) need no upstream call either.
    expect({
      contact: stats.contact,
      note_create: stats.note_create,
      note_update: stats.note_update,
      users: stats.users,
      ids: stats.ids,
    }).toEqual({
      contact: 0,
      note_create: 0,
      note_update: 0,
      users: 0,
      ids: 0,
    });
    expect(stats.profiles).toBe(0);
    expect(stats.authorize).toBe(0);
  });
});
