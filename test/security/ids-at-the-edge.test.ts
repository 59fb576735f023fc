// Ids at the edge (issue 11): every candidate, activity and user id a caller sends — /v1 path
// parameters, /v1 activity bodies (`entity_id`, `user_id`), Talkdesk's `meta.contact_external_id`,
// `meta.agent_external_id` and `data.contact_external_id` — is checked against the one id rule
// (src/core/ids.ts) and a malformed one is answered in the caller's format (/v1 problem+json 400/422,
// Talkdesk 400 {"message"} naming the field) before any upstream call: the simulator's counters for the
// tenant's account stay at zero. Without the edge check, `..` or `a/b` reached Talemetry (profiles are
// read by POSTed id, users listed to resolve the author) or was answered by the adapter's late refusal.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEMO } from "../../sandbox/demo-data";
import { createAccount, getStats, resetStats, seedAccount } from "../helpers/sandbox";
import { createTenant, type TestTenant } from "../helpers/tenants";
import { drainBackfill, envelope, talkdesk } from "../talkdesk/helpers";
import { activityBody, expectProblem, v1 } from "../v1/helpers";

const MAYA = DEMO.maya.record.id;
/** Ids that would leave their path segment, or are no id at all. */
const BAD_IDS = ["..", ".", "../notes", "x/../../v1/users", `${MAYA}/notes`, "a?b", "a#b", "%2e%2e", "a b", "\u0000"];

let tenant: TestTenant;
let clientId: string;

beforeAll(async () => {
  ({ client_id: clientId } = await createAccount("ids"));
  await seedAccount(clientId, 4);
  // No scheduled sync during the test: every call counted at the simulator is one a request made.
  tenant = await createTenant({
    talemetryClientId: clientId,
    region: "US",
    settings: { default_author_email: "amy@agency.example", sync_interval_seconds: 86_400 },
  });
  await drainBackfill(tenant.id);
});

beforeEach(async () => {
  await resetStats(clientId);
});

async function upstreamCalls(): Promise<Record<string, number>> {
  const { calls } = await getStats(clientId);
  return Object.fromEntries(Object.entries(calls).filter(([, n]) => n > 0));
}

/** In a URL path `.` and `..` are resolved by the URL parser before any router sees them. */
const BAD_PATH_IDS = BAD_IDS.filter((id) => id !== "." && id !== "..");

describe("/v1", () => {
  it.each(BAD_PATH_IDS)("GET and PATCH /v1/candidates/{%j} answer 400 with no upstream call", async (id) => {
    const path = `/candidates/${encodeURIComponent(id)}`;
    expectProblem(await v1(tenant.api_key, path), 400, "bad-request");
    expectProblem(await v1(tenant.api_key, path, { method: "PATCH", json: { emails: ["x@example.com"] } }), 400, "bad-request");
    expect(await upstreamCalls()).toEqual({});
  });

  it.each(["act_..", "act_%2F", "%2E%2E%2Fx", "act_5f0c6a1e9b2d4c7a8e3f1b6d%2F..%2F"])(
    "GET and PATCH /v1/activities/{%s} answer 400",
    async (raw) => {
      expectProblem(await v1(tenant.api_key, `/activities/${raw}`), 400, "bad-request");
      expectProblem(await v1(tenant.api_key, `/activities/${raw}`, { method: "PATCH", json: { body: "x" } }), 400, "bad-request");
      expect(await upstreamCalls()).toEqual({});
    },
  );

  it.each(BAD_IDS)("POST /v1/activities with entity_id %j is a 422 naming entity_id, with no upstream call", async (id) => {
    const body = expectProblem(
      await v1(tenant.api_key, "/activities", { method: "POST", json: activityBody({ entity_id: id }) }),
      422,
      "invalid",
    );
    expect(body.errors).toEqual([{ field: "entity_id", message: expect.stringMatching(/^Not a candidate id/) }]);
    expect(await upstreamCalls()).toEqual({});
  });

  it.each(BAD_IDS)("POST /v1/activities with user_id %j is a 422 naming user_id, with no upstream call", async (id) => {
    const body = expectProblem(
      await v1(tenant.api_key, "/activities", { method: "POST", json: activityBody({ user_id: id }) }),
      422,
      "invalid",
    );
    expect(body.errors).toEqual([{ field: "user_id", message: expect.stringMatching(/^Not a user id/) }]);
    expect(await upstreamCalls()).toEqual({});
  });

  it("still reaches Talemetry for a well-formed id (the counters do count)", async () => {
    expect((await v1(tenant.api_key, `/candidates/${MAYA}`)).status).toBe(200);
    expect((await upstreamCalls()).profiles).toBeGreaterThan(0);
  });
});

describe("Talkdesk", () => {
  const note = { text: "Called back." };

  it.each(BAD_IDS)("interactions with data.contact_external_id %j: 400 naming it, no upstream call", async (id) => {
    const res = await talkdesk("/interactions", envelope(tenant.api_key, { data: { contact_external_id: id } }));
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^data\.contact_external_id must be a candidate id/);
    expect(await upstreamCalls()).toEqual({});
  });

  it.each(BAD_IDS)("actions with meta.contact_external_id %j: 400 naming it, no upstream call", async (id) => {
    const res = await talkdesk("/actions/add_note", envelope(tenant.api_key, { meta: { contact_external_id: id }, data: note }));
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^meta\.contact_external_id must be a candidate id/);
    expect(await upstreamCalls()).toEqual({});
  });

  it.each(BAD_IDS)("actions with meta.agent_external_id %j: 400 naming it, no upstream call", async (id) => {
    const meta = { contact_external_id: MAYA, agent_external_id: id };
    for (const [name, data] of [
      ["add_note", note],
      ["log_call", { direction: "inbound", duration: 30 }],
      ["update_contact", { emails: ["new@example.com"] }],
    ] as const) {
      const res = await talkdesk(`/actions/${name}`, envelope(tenant.api_key, { meta, data }));
      expect(res.status, name).toBe(400);
      expect(res.body.message).toMatch(/^meta\.agent_external_id must be a user id/);
    }
    expect(await upstreamCalls()).toEqual({});
  });

  it("numeric ids Talkdesk may send still pass the rule", async () => {
    const res = await talkdesk("/interactions", envelope(tenant.api_key, { data: { contact_external_id: 12345 } }));
    expect(res.status).toBe(200);
    expect(res.body).toEqual([]);
  });
});
