// The control API: its protection (Bearer token compared in constant time; 404 when no token is
// configured), candidates created/changed/deleted with their events, settings, and resets — and that
// all of it lives in Durable Object storage, not in instance or module memory.
import { abortAllDurableObjects } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { buildApp } from "../../sandbox/app";
import { DEMO } from "../../sandbox/demo-data";
import type { SandboxEnv } from "../../sandbox/env";
import {
  accountCredentials,
  control,
  createAccount,
  createCandidate,
  deleteCandidate,
  getCandidate,
  getStats,
  sandboxToken,
  setFaults,
  setSettings,
  updateCandidate,
  upstreamJson,
} from "../helpers/sandbox";

const sandboxFetch = (path: string, init?: RequestInit) => env.TALEMETRY_SANDBOX!.fetch(`https://sandbox${path}`, init);

describe("protection", () => {
  it.each([
    ["no Authorization", undefined],
    ["a wrong token", `Bearer ${env.SANDBOX_CONTROL_TOKEN}x`],
    ["a prefix of the token", `Bearer ${env.SANDBOX_CONTROL_TOKEN.slice(0, -1)}`],
    ["another scheme", `Basic ${env.SANDBOX_CONTROL_TOKEN}`],
  ])("answers 401 to %s", async (_label, authorization) => {
    const res = await sandboxFetch("/__control/accounts/acme/stats", { headers: authorization ? { authorization } : {} });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(((await res.json()) as any).error.code).toBe("unauthorized");
  });

  it("answers with the right token", async () => {
    const { client_id: clientId } = await createAccount("ctl-token");
    expect((await control(`/accounts/${clientId}/stats`)).status).toBe(200);
  });

  it.each([undefined, ""])("does not exist (404) when SANDBOX_CONTROL_TOKEN is %j", async (token) => {
    const app = buildApp();
    const sandboxEnv = { SANDBOX_CONTROL_TOKEN: token } as unknown as SandboxEnv;
    for (const [method, path] of [
      ["GET", "/__control/accounts/acme/stats"],
      ["POST", "/__control/reset"],
      ["POST", "/__control/accounts/acme/faults"],
    ]) {
      const res = await app.request(path, { method, headers: { authorization: "Bearer " } }, sandboxEnv);
      expect(res.status).toBe(404);
    }
  });

  it("refuses reserved client ids", async () => {
    expect((await control("/accounts/__registry/stats")).status).toBe(422);
  });
});

describe("candidates", () => {
  it("creates a candidate from shorthand fields (201) that the profiles call then serves", async () => {
    const { client_id: clientId } = await createAccount("ctl-create");
    const res = await control(`/accounts/${clientId}/candidates`, {
      method: "POST",
      body: JSON.stringify({
        givenName: "Zoë",
        familyName: "Nkemelu",
        emails: ["zoe@example.com"],
        phones: [
          { kind: "Mobile", InternationalCountryCode: "44", AreaCityCode: "07700", SubscriberNumber: "900 456" },
          { kind: "Telephone", use: "business", SubscriberNumber: "n/a" },
        ],
        address: { CountryCode: "GB", Municipality: "Leeds" },
        employer: "Northwind",
        title: "Picker",
        tags: ["warehouse"],
        lifecycle: "lead",
        smsConsent: "Yes",
        emailConsent: "No",
        doNotContact: "No",
        at: "2026-06-01T12:00:00Z",
      }),
    });
    expect(res.status).toBe(201);
    const created = ((await res.json()) as any).result;
    expect(created.createdAt).toBe("2026-06-01T12:00:00.000Z");
    expect(created.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

    const token = await sandboxToken(clientId);
    const profile = await upstreamJson("/soap/profiles/v1", {
      token,
      body: { ids: [created.id], include: ["experience", "tags", "custom_data", "donotcontact_info"] },
    });
    const candidate = profile.json.result.Candidates[0].Candidate;
    expect(candidate.Resume.StructuredXMLResume.ContactInfo).toEqual({
      PersonName: { FormattedName: "Zoë Nkemelu", GivenName: "Zoë", FamilyName: "Nkemelu" },
      ContactMethod: [
        {
          Use: "personal",
          Mobile: { InternationalCountryCode: "44", AreaCityCode: "07700", SubscriberNumber: "900 456" },
          InternetEmailAddress: "zoe@example.com",
          PostalAddress: { CountryCode: "GB", Municipality: "Leeds" },
        },
        { Use: "business", Telephone: { SubscriberNumber: "n/a" } },
      ],
    });
    expect(candidate.Resume.StructuredXMLResume.EmploymentHistory.EmployerOrg).toMatchObject({
      EmployerOrgName: "Northwind",
      PositionHistory: { Title: "Picker", EndDate: { StringDate: "current" } },
    });
    expect(candidate.UserArea).toMatchObject({
      Tags: { Tag: "warehouse" },
      sms_consent: { Value: "Yes", UpdatedAt: "2026-06-01 12:00:00 UTC" },
      email_consent: { Value: "No" },
      Lifecycle: { State: "lead" },
      DoNotContact: { Value: "No" },
    });
  });

  it("stores raw contactMethods verbatim and honours a fixed id", async () => {
    const { client_id: clientId } = await createAccount("ctl-raw");
    const contactMethods = [{ Use: null, Pager: { SubscriberNumber: "(555) 010-9999", Extension: "x1" } }];
    const id = await createCandidate(clientId, { id: "fixed-id-1", givenName: "Raw", contactMethods });
    expect(id).toBe("fixed-id-1");
    expect((await getCandidate(clientId, id)).Candidate).toMatchObject({
      Resume: { StructuredXMLResume: { ContactInfo: { ContactMethod: contactMethods[0] } } },
    });
  });

  it("refuses a taken id or email (409) and unknown fields (422)", async () => {
    const { client_id: clientId } = await createAccount("ctl-409");
    const post = (body: unknown) => control(`/accounts/${clientId}/candidates`, { method: "POST", body: JSON.stringify(body) });
    expect((await post({ id: DEMO.maya.record.id })).status).toBe(409);
    expect((await post({ emails: ["MAYA.ORTIZ@example.com"] })).status).toBe(409);
    expect((await post({ firstName: "Typo" })).status).toBe(422);
    expect((await post({ at: "yesterday" })).status).toBe(422);
  });

  it("changes a candidate with an `updated` event, leaving absent fields as they were", async () => {
    const { client_id: clientId } = await createAccount("ctl-update");
    const changed = await updateCandidate(clientId, DEMO.maya.record.id, {
      phones: [{ kind: "Mobile", InternationalCountryCode: "1", AreaCityCode: "(415)", SubscriberNumber: "555-0199" }],
      smsConsent: "No",
      at: "2026-07-01T00:00:00Z",
    });
    expect(changed.record.name).toEqual(DEMO.maya.record.name);
    expect(changed.record.contact[0]).toMatchObject({
      InternetEmailAddress: "maya.ortiz@example.com",
      Mobile: { AreaCityCode: "(415)", SubscriberNumber: "555-0199" },
    });
    expect(changed.record.custom).toContainEqual(["sms_consent", { Value: "No", UpdatedAt: "2026-07-01 00:00:00 UTC" }]);
    const token = await sandboxToken(clientId);
    const updated = await upstreamJson("/match/v1/people/ids", {
      token,
      body: { DateTimeRange: { From: "2026-07-01T00:00:00Z", To: "2026-07-01T00:00:00Z", Event: "updated" } },
    });
    expect(updated.json.result.Ids).toEqual([DEMO.maya.record.id]);
    const missing = await control(`/accounts/${clientId}/candidates/nobody`, { method: "PATCH", body: "{}" });
    expect(missing.status).toBe(404);
  });

  it("deletes a candidate once (then 404) and still shows it with deletedAt", async () => {
    const { client_id: clientId } = await createAccount("ctl-delete");
    const deleted = await deleteCandidate(clientId, DEMO.oliver.record.id);
    expect(deleted.deletedAt).not.toBeNull();
    expect((await getCandidate(clientId, DEMO.oliver.record.id)).deletedAt).toBe(deleted.deletedAt);
    const again = await control(`/accounts/${clientId}/candidates/${DEMO.oliver.record.id}`, { method: "DELETE" });
    expect(again.status).toBe(404);
    expect((await control(`/accounts/${clientId}/candidates/nobody`)).status).toBe(404);
    expect((await getStats(clientId)).candidates.deleted).toBeGreaterThan(0);
  });
});

describe("settings and resets", () => {
  it("reads and changes settings", async () => {
    const { client_id: clientId } = await createAccount("ctl-settings");
    const read = await control(`/accounts/${clientId}/settings`);
    expect(((await read.json()) as any).result).toEqual({
      latencyMs: 0,
      tokenTtlSeconds: 7200,
      singleCandidateAsObject: false,
      trackCandidateLastChanges: true,
    });
    expect(await setSettings(clientId, { tokenTtlSeconds: 30 })).toEqual({
      latencyMs: 0,
      tokenTtlSeconds: 30,
      singleCandidateAsObject: false,
      trackCandidateLastChanges: true,
    });
    const bad = await control(`/accounts/${clientId}/settings`, { method: "POST", body: JSON.stringify({ tokenTtlSeconds: 0 }) });
    expect(bad.status).toBe(422);
  });

  it("resets one account: data reseeded, tokens, faults, settings and counters gone", async () => {
    const { client_id: clientId } = await createAccount("ctl-reset");
    const token = await sandboxToken(clientId);
    const extra = await createCandidate(clientId, { givenName: "Temp" });
    await setFaults(clientId, [{ op: "users", status: 500 }]);
    await setSettings(clientId, { latencyMs: 5 });
    const res = await control(`/accounts/${clientId}/reset`, { method: "POST" });
    expect(res.status).toBe(200);
    expect((await upstreamJson("/v1/users", { token })).status).toBe(401);
    expect((await control(`/accounts/${clientId}/candidates/${extra}`)).status).toBe(404);
    expect((await getCandidate(clientId, DEMO.maya.record.id)).record).toEqual(DEMO.maya.record);
    const stats = await getStats(clientId);
    expect(Object.values(stats.calls).every((n) => n === 0)).toBe(true);
    const fresh = await sandboxToken(clientId);
    expect((await upstreamJson("/v1/users", { token: fresh })).status).toBe(200);
  });

  it("resets every account at once", async () => {
    const { client_id: a } = await createAccount("ctl-all");
    const { client_id: b } = await createAccount("ctl-all");
    const tokens = [await sandboxToken(a), await sandboxToken(b)];
    await createCandidate(b, { id: "to-be-wiped" });
    const listed = ((await (await control("/accounts")).json()) as any).result.accounts;
    expect(listed).toEqual(expect.arrayContaining([a, b]));
    expect((await control("/reset", { method: "POST" })).status).toBe(200);
    for (const token of tokens) expect((await upstreamJson("/v1/users", { token })).status).toBe(401);
    expect((await control(`/accounts/${b}/candidates/to-be-wiped`)).status).toBe(404);
  });
});

describe("storage", () => {
  it("keeps candidates, tokens, faults, settings and counters across a restart of every object", async () => {
    const { client_id: clientId } = await createAccount("ctl-persist");
    const token = await sandboxToken(clientId);
    const id = await createCandidate(clientId, { givenName: "Persisted" });
    await setFaults(clientId, [{ op: "users", status: 503, times: 1 }]);
    await setSettings(clientId, { tokenTtlSeconds: 600 });
    await abortAllDurableObjects();
    expect((await upstreamJson("/v1/users", { token })).status).toBe(503);
    expect((await upstreamJson("/v1/users", { token })).status).toBe(200);
    expect((await getCandidate(clientId, id)).record.name?.given).toBe("Persisted");
    expect((await getStats(clientId)).calls).toMatchObject({ authorize: 1, users: 2 });
    const res = await upstreamJson("/v1/authorization", { body: accountCredentials(clientId) });
    expect(res.json.result.expires_in).toBe(600);
  });
});
