// GET /v1/users (Talemetry users, cached in KV; the email → user mapping kept in KV), GET
// /v1/activity-types (defaults plus the tenant's renames, additions and hidden types) and GET
// /v1/capabilities, against the simulator.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { getStats } from "../helpers/sandbox";
import { adminFetch, createTenant, type TestTenant } from "../helpers/tenants";
import { activityBody, SANDBOX_USERS, tenantWithDefaults, v1 } from "./helpers";

let t: TestTenant;
beforeAll(async () => {
  t = await tenantWithDefaults();
});

describe("GET /v1/users", () => {
  it("lists the CRM users, then answers from the KV cache", async () => {
    const res = await v1(t.api_key, "/users");
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual(SANDBOX_USERS.map((u) => ({ id: u.Id, name: u.Name, email: u.Email, active: u.Active })));
    const calls = (await getStats(t.talemetry.client_id)).calls.users;
    expect(calls).toBeGreaterThan(0);
    expect((await v1(t.api_key, "/users")).body).toEqual(res.body);
    expect((await getStats(t.talemetry.client_id)).calls.users).toBe(calls);
    expect(await env.KV.get(`tenant:${t.id}:users`)).not.toBeNull();
  });

  it("remembers which CRM user a caller's email maps to", async () => {
    const fresh = await tenantWithDefaults();
    await v1(fresh.api_key, "/activities", { method: "POST", json: activityBody({ user_email: "Hiro@Agency.Example" }) });
    expect(await env.KV.get(`tenant:${fresh.id}:usermap:hiro@agency.example`, "json")).toMatchObject({
      id: "u-132",
      email: "hiro@agency.example",
    });
  });
});

describe("GET /v1/activity-types", () => {
  it("lists the defaults", async () => {
    const res = await v1(t.api_key, "/activity-types");
    expect(res.body).toEqual({
      data: [
        { id: "call", name: "Phone call" },
        { id: "sms", name: "SMS" },
        { id: "whatsapp", name: "WhatsApp" },
        { id: "email", name: "Email" },
        { id: "voicemail", name: "Voicemail" },
        { id: "meeting", name: "Meeting" },
        { id: "note", name: "Note" },
      ],
    });
  });

  it("applies the tenant's renames, additions and hidden types, at once after an admin PATCH", async () => {
    const custom = await createTenant({
      settings: { activity_types: { call: { name: "Call" }, meeting: { hidden: true }, interview: { name: "Interview" } } },
    });
    const ids = async () =>
      (await v1(custom.api_key, "/activity-types")).body.data.map((x: { id: string; name: string }) => `${x.id}:${x.name}`);
    expect(await ids()).toEqual([
      "call:Call",
      "sms:SMS",
      "whatsapp:WhatsApp",
      "email:Email",
      "voicemail:Voicemail",
      "note:Note",
      "interview:Interview",
    ]);
    await adminFetch(`/admin/tenants/${custom.id}`, { method: "PATCH", body: { settings: { activity_types: { sms: { hidden: true } } } } });
    // Tenant records are read with a 60 s edge cache in production; the local KV serves the write at once.
    expect(await ids()).not.toContain("sms:SMS");
  });
});

describe("GET /v1/capabilities", () => {
  it("says candidates are supported and contacts/companies are not, with the rate limit", async () => {
    const res = await v1(t.api_key, "/capabilities");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      crm: "talemetry",
      api_version: "v1",
      entities: [
        {
          entity: "candidate",
          supported: true,
          operations: ["read", "update", "search", "activities"],
          updatable_fields: ["emails", "phones"],
        },
        { entity: "contact", supported: false, operations: [] },
        { entity: "company", supported: false, operations: [] },
      ],
      search: { by: ["phone", "email"], max_results: 50 },
      activities: { operations: ["create", "read", "update"], idempotency_key: true },
      rate_limit: { requests: 600, window_seconds: 60 },
    });
  });
});
