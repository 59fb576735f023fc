// The documented errors of /v1/candidates and the unsupported entities, each through the Worker's own
// fetch against the simulator: 400 (bad id, malformed JSON), 404 (unknown candidate: nothing written),
// 409 (an email of another candidate), 413, 415, 422 (each bad phone and email named, nothing written),
// 501 (contacts, companies), 502 (the tenant's Talemetry credentials rejected), 503 (Talemetry down or
// throttling, with Retry-After).
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { clearFaults, createAccount, getCandidate, getStats, setFaults } from "../helpers/sandbox";
import { adminFetch, type TestTenant } from "../helpers/tenants";
import { DEMO, expectProblem, tenantWithDefaults, v1 } from "./helpers";

const MAYA = DEMO.maya.record.id;
const OLIVER = DEMO.oliver.record.id;
const UNKNOWN = "00000000-0000-4000-8000-000000000000";

let t: TestTenant;
beforeAll(async () => {
  t = await tenantWithDefaults();
});
afterEach(async () => {
  await clearFaults(t.talemetry.client_id);
});

const patch = (id: string, json: unknown) => v1(t.api_key, `/candidates/${id}`, { method: "PATCH", json });

describe("400", () => {
  it("a malformed candidate id", async () => {
    const problem = expectProblem(await v1(t.api_key, "/candidates/..%2Fadmin"), 400, "bad-request");
    expect(problem.errors).toEqual([{ field: "id", message: expect.any(String) }]);
  });

  it("malformed JSON", async () => {
    expectProblem(
      await v1(t.api_key, `/candidates/${MAYA}`, { method: "PATCH", body: "{emails:", headers: { "content-type": "application/json" } }),
      400,
      "bad-request",
    );
  });
});

describe("404", () => {
  it("GET an unknown candidate", async () => {
    expectProblem(await v1(t.api_key, `/candidates/${UNKNOWN}`), 404, "not-found");
  });

  it("PATCH an unknown candidate writes nothing", async () => {
    const before = (await getStats(t.talemetry.client_id)).calls.contact;
    expectProblem(await patch(UNKNOWN, { emails: ["nobody@example.com"] }), 404, "not-found");
    expect((await getStats(t.talemetry.client_id)).calls.contact).toBe(before);
  });
});

describe("409", () => {
  it("an email that belongs to another candidate", async () => {
    const problem = expectProblem(await patch(OLIVER, { emails: ["MAYA.ORTIZ@example.com"] }), 409, "conflict");
    expect(problem.detail).toMatch(/another/);
    expect(
      (await getCandidate(t.talemetry.client_id, OLIVER)).record.contact.some(
        (c) => c.InternetEmailAddress === "oliver.bennett@example.co.uk",
      ),
    ).toBe(true);
  });
});

describe("413 and 415", () => {
  it("a body over MAX_BODY_BYTES", async () => {
    const problem = expectProblem(await patch(MAYA, { emails: ["a@example.com"], padding: "x".repeat(70_000) }), 413, "payload-too-large");
    expect(problem.detail).toMatch(/65536 bytes/);
  });

  it("a body that is not JSON, or has no content type", async () => {
    expectProblem(
      await v1(t.api_key, `/candidates/${MAYA}`, {
        method: "PATCH",
        body: "emails=a@example.com",
        headers: { "content-type": "application/x-www-form-urlencoded" },
      }),
      415,
      "unsupported-media-type",
    );
    expectProblem(
      await v1(t.api_key, `/candidates/${MAYA}`, { method: "PATCH", body: JSON.stringify({ emails: [] }) }),
      415,
      "unsupported-media-type",
    );
  });
});

describe("422", () => {
  it("names each phone that is not possible, and writes nothing", async () => {
    const before = (await getStats(t.talemetry.client_id)).calls.contact;
    const problem = expectProblem(
      await patch(MAYA, {
        phones: [
          { number: "+14155550142", type: "mobile" },
          { number: "12", type: "home" },
          { number: "07700 900123", region: "GB" },
          { number: "0770090012345678", region: "GB" },
          { number: "020 7946 0958 ext. 12", region: "GB" },
        ],
      }),
      422,
      "invalid",
    );
    expect(problem.errors.map((e: { field: string }) => e.field)).toEqual(["phones[1].number", "phones[3].number", "phones[4].number"]);
    expect((await getStats(t.talemetry.client_id)).calls.contact).toBe(before);
    expect((await v1(t.api_key, `/candidates/${MAYA}`)).body.phones[0].number).toBe("+14155550142");
  });

  it("a national number resolves in the entry's region, else the tenant's (GB here)", async () => {
    // "1 234 567 8901" is possible in the US (trunk 1 + ten digits) but too long for GB.
    const inGb = expectProblem(await patch(DEMO.camille.record.id, { phones: [{ number: "1 234 567 8901" }] }), 422, "invalid");
    expect(inGb.errors).toEqual([{ field: "phones[0].number", message: expect.stringContaining("GB") }]);
    const inUs = await patch(DEMO.camille.record.id, { phones: [{ number: "1 234 567 8901", region: "us" }] });
    expect(inUs.status).toBe(200);
    expect(inUs.body.phones).toEqual([{ number: "+12345678901", type: "other", valid: true, raw: "1 234 5678901" }]);
  });

  it("names bad emails, unknown fields, bad types and regions", async () => {
    const problem = expectProblem(
      await patch(MAYA, {
        emails: ["maya@example.com", "not an email"],
        phones: [{ number: "+14155550142", type: "fax", region: "USA" }],
        phone: "+1",
      }),
      422,
      "invalid",
    );
    expect(problem.errors.map((e: { field: string }) => e.field).sort()).toEqual(
      ["emails[1]", "phone", "phones[0].region", "phones[0].type"].sort(),
    );
  });

  it("a well-formed but unknown region names the region the caller sent, not the number", async () => {
    const problem = expectProblem(
      await patch(MAYA, { phones: [{ number: "+14155550142" }, { number: "07700 900123", region: "ZZ" }] }),
      422,
      "invalid",
    );
    expect(problem.errors).toEqual([{ field: "phones[1].region", message: expect.stringMatching(/country code/) }]);
  });
});

describe("501", () => {
  it.each([
    ["GET", "/contacts/123"],
    ["PATCH", "/contacts/123"],
    ["GET", "/companies/abc"],
    ["PATCH", "/companies/abc"],
  ])("%s %s is entity-not-supported", async (method, path) => {
    const res = await v1(t.api_key, path, method === "PATCH" ? { method, json: { name: "x" } } : { method });
    expectProblem(res, 501, "entity-not-supported");
    expect(res.headers.get("ratelimit-limit")).toBe("600");
  });
});

describe("502: the tenant's stored Talemetry credentials are rejected", () => {
  it("says so without blaming the caller's key", async () => {
    const { client_id: clientId } = await createAccount("wrong-secret");
    const created = await adminFetch("/admin/tenants", {
      method: "POST",
      body: { name: "Wrong secret", region: "GB", talemetry: { client_id: clientId, secret_key: "not-the-sandbox-secret" } },
    });
    expect(created.status).toBe(201);
    const { api_key } = (await created.json()) as { api_key: string };
    const res = await v1(api_key, `/candidates/${MAYA}`);
    const problem = expectProblem(res, 502, "upstream-auth");
    expect(res.headers.get("www-authenticate")).toBeNull();
    expect(JSON.stringify(problem)).not.toContain("not-the-sandbox-secret");
    expectProblem(await v1(api_key, `/candidates/${MAYA}`, { method: "PATCH", json: { emails: ["x@example.com"] } }), 502, "upstream-auth");
  });
});

describe("503: Talemetry unavailable or throttling", () => {
  it("5xx on every read attempt → 503 with Retry-After", async () => {
    await setFaults(t.talemetry.client_id, [{ op: "profiles", status: 503 }]);
    const res = await v1(t.api_key, `/candidates/${MAYA}`);
    expectProblem(res, 503, "upstream-unavailable");
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });

  it("a read retried after one 5xx succeeds", async () => {
    await setFaults(t.talemetry.client_id, [{ op: "profiles", status: 500, times: 1 }]);
    expect((await v1(t.api_key, `/candidates/${MAYA}`)).status).toBe(200);
  });

  it("Talemetry's 429 on the contact write → 503 with its Retry-After, nothing written", async () => {
    await setFaults(t.talemetry.client_id, [{ op: "contact", status: 429, retryAfter: "60" }]);
    const res = await patch(MAYA, { emails: ["maya.new@example.com"] });
    expectProblem(res, 503, "upstream-unavailable");
    expect(res.headers.get("retry-after")).toBe("60");
    await clearFaults(t.talemetry.client_id);
    expect((await v1(t.api_key, `/candidates/${MAYA}`)).body.emails).toEqual(["maya.ortiz@example.com"]);
  });
});
