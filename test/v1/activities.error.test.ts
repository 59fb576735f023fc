// The documented errors of /v1/activities: 400 (bad id, malformed JSON), 404 (unknown activity, unknown
// candidate), 413, 415, 422 (unknown type, hidden type, unknown or doubled author, no default author,
// bad fields, unknown fields), 501 (another entity), 502 (credentials rejected), 503 (Talemetry down).
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { clearFaults, getStats, setFaults, uniqueClientId } from "../helpers/sandbox";
import { adminFetch, createTenant, type TestTenant } from "../helpers/tenants";
import { activityBody, expectProblem, tenantWithDefaults, v1 } from "./helpers";

let t: TestTenant;
beforeAll(async () => {
  t = await tenantWithDefaults({ settings: { activity_types: { meeting: { hidden: true } } } });
});
afterEach(async () => {
  await clearFaults(t.talemetry.client_id);
});

const post = (json: unknown, credential = t.api_key) => v1(credential, "/activities", { method: "POST", json });
const fields = (problem: { errors?: Array<{ field: string }> }) => (problem.errors ?? []).map((e) => e.field);

describe("400", () => {
  it("a malformed activity id", async () => {
    expectProblem(await v1(t.api_key, "/activities/123"), 400, "bad-request");
    expectProblem(await v1(t.api_key, "/activities/act_zz", { method: "PATCH", json: { body: "x" } }), 400, "bad-request");
  });

  it("malformed JSON", async () => {
    expectProblem(
      await v1(t.api_key, "/activities", { method: "POST", body: '{"entity":', headers: { "content-type": "application/json" } }),
      400,
      "bad-request",
    );
  });
});

describe("404", () => {
  it("an unknown activity", async () => {
    expectProblem(await v1(t.api_key, "/activities/act_000000000000000000000000"), 404, "not-found");
    expectProblem(
      await v1(t.api_key, "/activities/act_000000000000000000000000", { method: "PATCH", json: { body: "x" } }),
      404,
      "not-found",
    );
  });

  it("an unknown candidate", async () => {
    expectProblem(await post(activityBody({ entity_id: "00000000-0000-4000-8000-000000000000" })), 404, "not-found");
  });
});

describe("413 and 415", () => {
  it("a body over MAX_BODY_BYTES", async () => {
    expectProblem(await post(activityBody({ body: "x".repeat(70_000) })), 413, "payload-too-large");
  });

  it("a body that is not JSON", async () => {
    expectProblem(
      await v1(t.api_key, "/activities", { method: "POST", body: "type=call", headers: { "content-type": "text/plain" } }),
      415,
      "unsupported-media-type",
    );
    expectProblem(
      await v1(t.api_key, "/activities/act_000000000000000000000000", { method: "PATCH", body: "{}" }),
      415,
      "unsupported-media-type",
    );
  });
});

describe("422", () => {
  it("an unknown type, or one the tenant hid", async () => {
    expect(fields(expectProblem(await post(activityBody({ type: "fax" })), 422, "invalid"))).toEqual(["type"]);
    expect(fields(expectProblem(await post(activityBody({ type: "meeting" })), 422, "invalid"))).toEqual(["type"]);
  });

  it("an author who is not a CRM user, or two authors", async () => {
    expect(fields(expectProblem(await post(activityBody({ user_id: "u-999" })), 422, "invalid"))).toEqual(["user_id"]);
    expect(fields(expectProblem(await post(activityBody({ user_email: "stranger@example.com" })), 422, "invalid"))).toEqual(["user_email"]);
    expect(fields(expectProblem(await post(activityBody({ user_id: "u-123", user_email: "amy@agency.example" })), 422, "invalid"))).toEqual(
      ["user_email"],
    );
  });

  it("an inactive CRM user, by id or by email", async () => {
    const byId = expectProblem(await post(activityBody({ user_id: "u-127" })), 422, "invalid");
    expect(byId.errors).toEqual([{ field: "user_id", message: expect.stringMatching(/inactive/) }]);
    const byEmail = expectProblem(await post(activityBody({ user_email: "Erin.Walsh@agency.example" })), 422, "invalid");
    expect(byEmail.errors).toEqual([{ field: "user_email", message: expect.stringMatching(/inactive/) }]);
    // Also once the user list is cached, and for a tenant whose default author went inactive.
    expectProblem(await post(activityBody({ user_email: "erin.walsh@agency.example" })), 422, "invalid");
    const stale = await createTenant({ settings: { default_author_email: "grace.okafor@agency.example" } });
    expect(expectProblem(await post(activityBody(), stale.api_key), 422, "invalid").errors[0].message).toContain(
      "grace.okafor@agency.example",
    );
  });

  it("a default author who is not a CRM user", async () => {
    const misconfigured = await createTenant({ settings: { default_author_email: "former.employee@agency.example" } });
    const problem = expectProblem(await post(activityBody(), misconfigured.api_key), 422, "invalid");
    expect(problem.errors[0].message).toContain("former.employee@agency.example");
  });

  it("bad and unknown fields, each named", async () => {
    const problem = expectProblem(
      await post({
        entity: "candidate",
        entity_id: "",
        type: "call",
        body: 42,
        occurred_at: "yesterday",
        direction: "sideways",
        duration_seconds: -1,
        user: "amy",
      }),
      422,
      "invalid",
    );
    expect(fields(problem).sort()).toEqual(["body", "direction", "duration_seconds", "entity_id", "occurred_at", "user"].sort());
  });

  it("a PATCH to an unknown type or with unknown fields", async () => {
    const created = await post(activityBody());
    expect(created.status).toBe(201);
    expect(
      fields(
        expectProblem(await v1(t.api_key, `/activities/${created.body.id}`, { method: "PATCH", json: { type: "fax" } }), 422, "invalid"),
      ),
    ).toEqual(["type"]);
    expect(
      fields(
        expectProblem(
          await v1(t.api_key, `/activities/${created.body.id}`, { method: "PATCH", json: { duration_seconds: 1 } }),
          422,
          "invalid",
        ),
      ),
    ).toEqual(["duration_seconds"]);
  });
});

describe("501", () => {
  it("an activity on another entity type", async () => {
    expectProblem(await post(activityBody({ entity: "contact" })), 501, "entity-not-supported");
  });
});

describe("502 and 503", () => {
  it("502 when the tenant's Talemetry credentials are rejected", async () => {
    const created = await adminFetch("/admin/tenants", {
      method: "POST",
      body: {
        name: "Wrong secret",
        region: "GB",
        talemetry: { client_id: uniqueClientId("wrong"), secret_key: "nope-nope-nope" },
        settings: { default_author_email: "amy@agency.example" },
      },
    });
    const { api_key } = (await created.json()) as { api_key: string };
    expectProblem(await post(activityBody(), api_key), 502, "upstream-auth");
    expectProblem(await v1(api_key, "/users"), 502, "upstream-auth");
  });

  it("503 with Retry-After when Talemetry is down, and the PATCH changes nothing", async () => {
    const created = await post(activityBody({ body: "before the outage" }));
    await setFaults(t.talemetry.client_id, [{ op: "note_update", status: 503 }]);
    const res = await v1(t.api_key, `/activities/${created.body.id}`, { method: "PATCH", json: { body: "during the outage" } });
    expectProblem(res, 503, "upstream-unavailable");
    expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
    expect((await v1(t.api_key, `/activities/${created.body.id}`)).body.body).toBe("before the outage");
  });

  it("a users outage fails the create before any note is written", async () => {
    const fresh = await tenantWithDefaults();
    await setFaults(fresh.talemetry.client_id, [{ op: "users", status: 500 }]);
    expectProblem(await post(activityBody(), fresh.api_key), 503, "upstream-unavailable");
    expect((await getStats(fresh.talemetry.client_id)).calls.note_create).toBe(0);
    await clearFaults(fresh.talemetry.client_id);
  });
});
