// GET and PATCH /v1/candidates/{id} against the simulator: every field of the person record fresh from
// Talemetry, url from the tenant's template, updated_at from the bridge's index; a PATCH written to
// Talemetry in E.164, through to the directory (search finds the new number at once) and answered with
// the updated record.
import { beforeAll, describe, expect, it } from "vitest";
import { getCandidate } from "../helpers/sandbox";
import type { TestTenant } from "../helpers/tenants";
import { DEMO, tenantWithDefaults, v1 } from "./helpers";

const MAYA = DEMO.maya.record.id;

let t: TestTenant;
beforeAll(async () => {
  t = await tenantWithDefaults({ region: "US", settings: { candidate_url_template: "https://crm.example/people/{id}" } });
});

describe("GET /v1/candidates/{id}", () => {
  it("returns the person record of the contract's example", async () => {
    const res = await v1(t.api_key, `/candidates/${MAYA}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("ratelimit-limit")).toBe("600");
    expect(res.body).toEqual({
      id: MAYA,
      entity: "candidate",
      name: "Maya Ortiz",
      first_name: "Maya",
      last_name: "Ortiz",
      emails: ["maya.ortiz@example.com"],
      phones: [{ number: "+14155550142", type: "mobile", valid: true, raw: "1 415 5550142" }],
      company: "Example Health",
      title: "Staff Nurse",
      do_not_contact: false,
      consent: { sms: "yes", email: "yes" },
      url: `https://crm.example/people/${MAYA}`,
      updated_at: expect.toSatisfy((v: unknown) => v === null || typeof v === "string"),
    });
  });

  it("shows do-not-contact and consent", async () => {
    const res = await v1(t.api_key, `/candidates/${DEMO.lukas.record.id}`);
    expect(res.body).toMatchObject({ do_not_contact: true, consent: { sms: "no", email: "no" } });
  });
});

describe("PATCH /v1/candidates/{id}", () => {
  it("replaces phones (national numbers resolved, stored as E.164) and emails, writes through, returns the record", async () => {
    const id = DEMO.oliver.record.id;
    const res = await v1(t.api_key, `/candidates/${id}`, {
      method: "PATCH",
      json: {
        emails: ["oliver.b@example.co.uk", "Oliver.B@example.co.uk"],
        phones: [
          { number: "07700 900456", type: "mobile", region: "GB" },
          { number: "+44 20 7946 0958", type: "work" },
          { number: "(415) 555-0199" },
        ],
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      id,
      emails: ["oliver.b@example.co.uk"],
      company: "Brightwell Care",
      consent: { sms: "no", email: "yes" },
      url: `https://crm.example/people/${id}`,
    });
    expect(res.body.phones.map((p: { number: string; type: string; valid: boolean }) => [p.number, p.type, p.valid])).toEqual(
      expect.arrayContaining([
        ["+447700900456", "mobile", true],
        ["+442079460958", "work", true],
        ["+14155550199", "other", true],
      ]),
    );
    expect(res.body.phones).toHaveLength(3);
    expect(Date.parse(res.body.updated_at)).toBeGreaterThan(Date.now() - 60_000);

    // Talemetry has it...
    const stored = await getCandidate(t.talemetry.client_id, id);
    expect(JSON.stringify(stored.record.contact)).toContain("900456");
    // ...a fresh read agrees, with the bridge's own write time...
    const again = await v1(t.api_key, `/candidates/${id}`);
    expect(again.body.phones).toEqual(res.body.phones);
    expect(again.body.updated_at).toBe(res.body.updated_at);
    // ...and search finds the new number at once (written through to the directory).
    const found = await v1(t.api_key, `/search?phone=${encodeURIComponent("+447700900456")}`);
    expect(found.body.data.map((p: { id: string }) => p.id)).toEqual([id]);
  });

  it("leaves a list that is not given as it was", async () => {
    const id = DEMO.priya.record.id;
    const res = await v1(t.api_key, `/candidates/${id}`, { method: "PATCH", json: { emails: ["priya.r@example.in"] } });
    expect(res.status).toBe(200);
    expect(res.body.emails).toEqual(["priya.r@example.in"]);
    expect(res.body.phones.map((p: { number: string }) => p.number)).toEqual(["+919876543210"]);
  });

  it("trims emails before checking them, accepts internationalized domains, and search finds them case-insensitively", async () => {
    const id = DEMO.lukas.record.id;
    const res = await v1(t.api_key, `/candidates/${id}`, {
      method: "PATCH",
      json: { emails: ["  Lukas.Becker@Straße.example ", "lukas@xn--strae-oqa.example"] },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.emails).toEqual(["Lukas.Becker@Straße.example", "lukas@xn--strae-oqa.example"]);
    const found = await v1(t.api_key, `/search?email=${encodeURIComponent("LUKAS.BECKER@Straße.example")}`);
    expect(found.body.data.map((p: { id: string }) => p.id)).toEqual([id]);
  });

  it("an empty body changes nothing and returns the record", async () => {
    const res = await v1(t.api_key, `/candidates/${MAYA}`, { method: "PATCH", json: {} });
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(MAYA);
  });
});
