// Admin API happy paths: create (secrets once), read without secrets, PATCH (merge-patch settings,
// re-encrypted Talemetry credentials), rotate, delete, sync status and sync request.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { decryptTalemetryCredentials, getTenant, listTenantIds } from "../../src/tenants/store";
import { createAccount } from "../helpers/sandbox";
import { adminFetch, createTenant } from "../helpers/tenants";

describe("POST /admin/tenants", () => {
  it("answers 201 with id, api_key, client_id and client_secret, not cacheable", async () => {
    const res = await adminFetch("/admin/tenants", {
      method: "POST",
      body: { name: "Example Health", region: "GB", talemetry: await createAccount("eh") },
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = (await res.json()) as Record<string, string>;
    expect(Object.keys(body).sort()).toEqual(["api_key", "client_id", "client_secret", "id"]);
    expect(body.id).toMatch(/^ten_[0-9a-f]{24}$/);
    // Names its tenant and client (not secret) before a 256-bit secret: see LOCATED_API_KEY.
    expect(body.api_key).toMatch(new RegExp(`^tlk_test_${body.id.slice(4)}${body.client_id.slice(7)}_[A-Za-z0-9_-]{43}$`));
    expect(body.client_id).toMatch(/^tlk_ci_[0-9a-f]{32}$/);
    expect(body.client_secret).toMatch(/^tlk_cs_[A-Za-z0-9_-]{43}$/);
    expect(await listTenantIds(env)).toContain(body.id);
  });

  it("stores the Talemetry credentials so the adapter can decrypt them", async () => {
    const account = await createAccount("decrypt-me");
    const t = await createTenant({ talemetryClientId: account.client_id });
    const tenant = await getTenant(env, t.id);
    expect(await decryptTalemetryCredentials(tenant!, env)).toEqual(account);
  });

  it("accepts initial settings", async () => {
    const t = await createTenant({ settings: { default_author_email: "rec@example.com", sync_interval_seconds: 300 } });
    const view = (await (await adminFetch(`/admin/tenants/${t.id}`)).json()) as { settings: Record<string, unknown> };
    expect(view.settings).toMatchObject({ default_author_email: "rec@example.com", sync_interval_seconds: 300 });
  });

  it("accepts the shortest sync interval, 10 s, as the deployment var does", async () => {
    const t = await createTenant({ settings: { sync_interval_seconds: 10 } });
    const view = (await (await adminFetch(`/admin/tenants/${t.id}`)).json()) as { settings: Record<string, unknown> };
    expect(view.settings).toMatchObject({ sync_interval_seconds: 10 });
  });
});

describe("GET /admin/tenants/:id", () => {
  it("returns config and settings without any secret", async () => {
    const account = await createAccount("read-me");
    const t = await createTenant({ name: "Read me", region: "US", talemetryClientId: account.client_id });
    const res = await adminFetch(`/admin/tenants/${t.id}`);
    expect(res.status).toBe(200);
    const text = await res.text();
    for (const secret of [t.api_key, t.client_secret, t.talemetry.secret_key]) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/hash|encrypted/);
    expect(JSON.parse(text)).toEqual({
      id: t.id,
      name: "Read me",
      region: "US",
      client_id: t.client_id,
      key_version: 1,
      talemetry: { client_id: account.client_id, credentials_version: 1 },
      settings: {
        default_author_email: null,
        activity_types: {},
        default_activity_type: null,
        candidate_url_template: null,
        sync_interval_seconds: null,
        talemetry_concurrency: null,
        reconcile_interval_seconds: null,
        location_hint: null,
      },
      // From the region (US): its Durable Object was created in Eastern North America.
      location_hint: "enam",
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
  });
});

describe("PATCH /admin/tenants/:id", () => {
  it("changes name and region", async () => {
    const t = await createTenant();
    const res = await adminFetch(`/admin/tenants/${t.id}`, { method: "PATCH", body: { name: "Renamed", region: "IE" } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ name: "Renamed", region: "IE" });
  });

  it("merges settings: given values replace, null resets, activity types rename/add/hide per id", async () => {
    const t = await createTenant();
    const first = await adminFetch(`/admin/tenants/${t.id}`, {
      method: "PATCH",
      body: {
        settings: {
          default_author_email: "a@example.com",
          candidate_url_template: "https://crm.example/people/{id}",
          sync_interval_seconds: 120,
          activity_types: { call: { name: "Call" }, meeting: { hidden: true }, interview: { name: "Interview" } },
        },
      },
    });
    expect(first.status).toBe(200);
    const second = await adminFetch(`/admin/tenants/${t.id}`, {
      method: "PATCH",
      body: {
        settings: { sync_interval_seconds: null, activity_types: { call: null, meeting: { hidden: false }, interview: { hidden: true } } },
      },
    });
    expect(second.status).toBe(200);
    expect(((await second.json()) as { settings: unknown }).settings).toEqual({
      default_author_email: "a@example.com",
      candidate_url_template: "https://crm.example/people/{id}",
      sync_interval_seconds: null,
      talemetry_concurrency: null,
      reconcile_interval_seconds: null,
      location_hint: null,
      activity_types: { interview: { name: "Interview", hidden: true } },
      default_activity_type: null,
    });
  });

  it("sets the sync's Talemetry concurrency and reconcile interval", async () => {
    const t = await createTenant();
    const res = await adminFetch(`/admin/tenants/${t.id}`, {
      method: "PATCH",
      body: { settings: { talemetry_concurrency: 2, reconcile_interval_seconds: 86_400 } },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { settings: unknown }).settings).toMatchObject({
      talemetry_concurrency: 2,
      reconcile_interval_seconds: 86_400,
    });
    const status = (await (await adminFetch(`/admin/tenants/${t.id}/sync`)).json()) as { talemetry_concurrency: number };
    expect(status.talemetry_concurrency).toBe(2);
  });

  it("creates the tenant's Durable Object with its location hint: from the region, or as set; fixed afterwards", async () => {
    const de = await createTenant({ region: "DE" });
    const au = await createTenant({ region: "AU" });
    const set = await createTenant({ region: "US", settings: { location_hint: "wnam" } });
    const hintOf = async (id: string) =>
      ((await (await adminFetch(`/admin/tenants/${id}`)).json()) as { location_hint: string }).location_hint;
    expect(await hintOf(de.id)).toBe("weur");
    expect(await hintOf(au.id)).toBe("oc");
    expect(await hintOf(set.id)).toBe("wnam");
    // A region change does not move the object, and a new hint is refused (an object never moves).
    const moved = await adminFetch(`/admin/tenants/${de.id}`, { method: "PATCH", body: { region: "JP" } });
    expect(((await moved.json()) as { location_hint: string }).location_hint).toBe("weur");
    const refused = await adminFetch(`/admin/tenants/${de.id}`, { method: "PATCH", body: { settings: { location_hint: "apac" } } });
    expect(refused.status).toBe(422);
    expect(JSON.stringify(await refused.json())).toContain("settings.location_hint");
  });

  it("sets the default activity type to any visible type, added ones included, and null resets it to note", async () => {
    const t = await createTenant({ settings: { activity_types: { interview: { name: "Interview" } } } });
    const settingsAfter = async (settings: Record<string, unknown>) => {
      const res = await adminFetch(`/admin/tenants/${t.id}`, { method: "PATCH", body: { settings } });
      expect(res.status).toBe(200);
      return ((await res.json()) as { settings: { default_activity_type: string | null } }).settings;
    };
    expect((await settingsAfter({ default_activity_type: "interview" })).default_activity_type).toBe("interview");
    // Once it is no longer the default, `note` may be hidden; null then needs it back.
    expect((await settingsAfter({ default_activity_type: "call", activity_types: { note: { hidden: true } } })).default_activity_type).toBe(
      "call",
    );
    const refused = await adminFetch(`/admin/tenants/${t.id}`, { method: "PATCH", body: { settings: { default_activity_type: null } } });
    expect(refused.status).toBe(422);
    expect((await settingsAfter({ default_activity_type: null, activity_types: { note: null } })).default_activity_type).toBeNull();
  });

  it("re-encrypts new Talemetry credentials and bumps credentials_version", async () => {
    const t = await createTenant();
    const next = await createAccount("new-client");
    const res = await adminFetch(`/admin/tenants/${t.id}`, { method: "PATCH", body: { talemetry: next } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ talemetry: { client_id: next.client_id, credentials_version: 2 } });
    const tenant = await getTenant(env, t.id);
    expect(await decryptTalemetryCredentials(tenant!, env)).toEqual(next);
  });

  it("leaves the tenant's keys working", async () => {
    const t = await createTenant();
    await adminFetch(`/admin/tenants/${t.id}`, { method: "PATCH", body: { name: "Still works" } });
    const res = await adminFetch(`/admin/tenants/${t.id}/keys`, { method: "POST" });
    expect(res.status).toBe(200);
  });
});

describe("POST /admin/tenants/:id/keys", () => {
  it("returns a new API key and client secret, keeps the client id, bumps key_version", async () => {
    const t = await createTenant();
    const res = await adminFetch(`/admin/tenants/${t.id}/keys`, { method: "POST" });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const keys = (await res.json()) as Record<string, string>;
    expect(Object.keys(keys).sort()).toEqual(["api_key", "client_secret"]);
    expect(keys.api_key).not.toBe(t.api_key);
    expect(keys.client_secret).not.toBe(t.client_secret);
    const view = (await (await adminFetch(`/admin/tenants/${t.id}`)).json()) as Record<string, unknown>;
    expect(view).toMatchObject({ client_id: t.client_id, key_version: 2 });
  });
});

describe("DELETE /admin/tenants/:id", () => {
  it("answers 202, then the tenant is gone and leaves the cron's list", async () => {
    const t = await createTenant();
    const res = await adminFetch(`/admin/tenants/${t.id}`, { method: "DELETE" });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ id: t.id, status: "purging" });
    expect((await adminFetch(`/admin/tenants/${t.id}`)).status).toBe(404);
    expect(await listTenantIds(env)).not.toContain(t.id);
    expect((await adminFetch(`/admin/tenants/${t.id}`, { method: "DELETE" })).status).toBe(404);
  });
});

describe("sync control", () => {
  const SYNC_STATUS = {
    state: expect.stringMatching(/^(idle|running|backfilling|failing)$/),
    indexed: expect.any(Number),
    checkpoint: expect.toSatisfy((v: unknown) => v === null || typeof v === "string"),
    last_success_at: expect.toSatisfy((v: unknown) => v === null || typeof v === "string"),
  };

  it("GET /sync returns the index status", async () => {
    const t = await createTenant();
    const res = await adminFetch(`/admin/tenants/${t.id}/sync`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject(SYNC_STATUS);
  });

  it("POST /sync accepts no body, an empty JSON body, or {full: true}", async () => {
    const t = await createTenant();
    for (const init of [
      { method: "POST" },
      { method: "POST", headers: { "content-type": "application/json" } },
      { method: "POST", body: { full: true } },
    ]) {
      const res = await adminFetch(`/admin/tenants/${t.id}/sync`, init);
      expect(res.status).toBe(202);
      expect(await res.json()).toMatchObject(SYNC_STATUS);
    }
  });
});
