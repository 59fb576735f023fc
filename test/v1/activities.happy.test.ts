// POST/GET/PATCH /v1/activities against the simulator: the note in Talemetry (text with type, direction,
// duration, body and activity id; author; date), the activity record, authors by user_id, user_email
// (case-insensitive) or the tenant's default, tenant-renamed and added types, the tenant's default type
// for an activity sent without one, and PATCHes that rewrite the note one after the other.
import { beforeAll, describe, expect, it } from "vitest";
import { clearFaults, getCandidate, setFaults } from "../helpers/sandbox";
import { adminFetch, type TestTenant } from "../helpers/tenants";
import { activityBody, DEMO, tenantWithDefaults, v1 } from "./helpers";

const MAYA = DEMO.maya.record.id;

let t: TestTenant;
beforeAll(async () => {
  t = await tenantWithDefaults({ settings: { activity_types: { call: { name: "Call" }, interview: { name: "Interview" } } } });
});

async function notesOf(clientId: string, candidateId: string) {
  return (await getCandidate(clientId, candidateId)).record.notes;
}

describe("POST /v1/activities", () => {
  it("creates the note and the record (201)", async () => {
    const res = await v1(t.api_key, "/activities", {
      method: "POST",
      json: activityBody({ occurred_at: "2026-11-22T11:03:00+01:00", user_id: "u-124" }),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^act_[0-9a-f]{24}$/),
      entity: "candidate",
      entity_id: MAYA,
      type: "call",
      body: "Discussed the night-shift role.",
      occurred_at: "2026-11-22T10:03:00Z",
      user_id: "u-124",
      direction: "outbound",
      duration_seconds: 245,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const note = (await notesOf(t.talemetry.client_id, MAYA)).find((n) => n.Text.includes(res.body.id));
    expect(note).toMatchObject({
      Text: `Call · Outbound · 4 min 5 s\nDiscussed the night-shift role.\n[talentlynk activity ${res.body.id}]`,
      AuthorEmail: "ben@agency.example",
    });
    expect(Date.parse(note!.DateTime)).toBe(Date.parse("2026-11-22T10:03:00Z"));

    const read = await v1(t.api_key, `/activities/${res.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(res.body);
  });

  it("maps user_email case-insensitively to the CRM user", async () => {
    const res = await v1(t.api_key, "/activities", {
      method: "POST",
      json: activityBody({ type: "sms", user_email: "Chloe.Martin@Agency.Example", direction: "inbound", duration_seconds: null }),
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ user_id: "u-125", type: "sms", direction: "inbound", duration_seconds: null });
    const note = (await notesOf(t.talemetry.client_id, MAYA)).find((n) => n.Text.includes(res.body.id));
    expect(note?.AuthorEmail).toBe("chloe.martin@agency.example");
    expect(note?.Text.split("\n")[0]).toBe("SMS · Inbound");
    // The address is trimmed before it is checked (one email rule for search, PATCH and activities).
    const padded = await v1(t.api_key, "/activities", {
      method: "POST",
      json: activityBody({ user_email: "  chloe.martin@agency.example " }),
    });
    expect(padded.status, JSON.stringify(padded.body)).toBe(201);
    expect(padded.body.user_id).toBe("u-125");
  });

  it("falls back to the tenant's default author, and defaults occurred_at to now", async () => {
    const before = Date.now();
    const res = await v1(t.api_key, "/activities", {
      method: "POST",
      json: { entity: "candidate", entity_id: MAYA, type: "interview", body: "Booked for Monday." },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ user_id: "u-123", type: "interview", direction: null, duration_seconds: null });
    expect(Date.parse(res.body.occurred_at)).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 - 1000);
  });

  it("accepts a body without `entity` (candidate is the default)", async () => {
    const { entity: _e, ...body } = activityBody();
    expect((await v1(t.api_key, "/activities", { method: "POST", json: body })).status).toBe(201);
  });

  it("without `type` applies the tenant's default type (`note` unless set), and shows it in the answer and later reads", async () => {
    const tenant = await tenantWithDefaults();
    const { type: _type, ...untyped } = activityBody({
      body: "Candidate asked to be called after 6pm.",
      direction: null,
      duration_seconds: null,
    });
    const res = await v1(tenant.api_key, "/activities", { method: "POST", json: untyped });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.type).toBe("note");
    expect((await v1(tenant.api_key, `/activities/${res.body.id}`)).body.type).toBe("note");
    const note = (await notesOf(tenant.talemetry.client_id, MAYA)).find((n) => n.Text.includes(res.body.id));
    expect(note?.Text.split("\n")[0]).toBe("Note");
    expect((await v1(tenant.api_key, "/activities", { method: "POST", json: { ...untyped, type: null } })).body.type).toBe("note");

    // The operator picks another default: activities without a type get it from then on.
    const patched = await adminFetch(`/admin/tenants/${tenant.id}`, {
      method: "PATCH",
      body: { settings: { default_activity_type: "call" } },
    });
    expect(patched.status).toBe(200);
    expect(((await patched.json()) as { settings: { default_activity_type: string } }).settings.default_activity_type).toBe("call");
    const call = await v1(tenant.api_key, "/activities", { method: "POST", json: untyped });
    expect(call.body.type).toBe("call");
    const callNote = (await notesOf(tenant.talemetry.client_id, MAYA)).find((n) => n.Text.includes(call.body.id));
    expect(callNote?.Text.split("\n")[0]).toBe("Phone call");
  });
});

describe("PATCH /v1/activities/{id}", () => {
  it("rewrites the note's body and type and the record", async () => {
    const created = await v1(t.api_key, "/activities", { method: "POST", json: activityBody() });
    const id = created.body.id;
    const res = await v1(t.api_key, `/activities/${id}`, {
      method: "PATCH",
      json: { body: "Left a voicemail instead.", type: "voicemail" },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      id,
      body: "Left a voicemail instead.",
      type: "voicemail",
      direction: "outbound",
      duration_seconds: 245,
      created_at: created.body.created_at,
    });
    const notes = (await notesOf(t.talemetry.client_id, MAYA)).filter((n) => n.Text.includes(id));
    expect(notes).toHaveLength(1);
    expect(notes[0].Text).toBe(`Voicemail · Outbound · 4 min 5 s\nLeft a voicemail instead.\n[talentlynk activity ${id}]`);
    expect((await v1(t.api_key, `/activities/${id}`)).body).toEqual(res.body);
  });

  it("applies two concurrent changes one after the other: the later one sees the earlier, the note ends as the last answer", async () => {
    const created = await v1(t.api_key, "/activities", { method: "POST", json: activityBody({ body: "original" }) });
    const id = created.body.id;
    // The first change's note rewrite is slow, so the second arrives while it is under way.
    await setFaults(t.talemetry.client_id, [{ op: "note_update", latencyMs: 600, times: 1 }]);
    try {
      const first = v1(t.api_key, `/activities/${id}`, { method: "PATCH", json: { type: "sms" } });
      await new Promise((resolve) => setTimeout(resolve, 150));
      const second = await v1(t.api_key, `/activities/${id}`, { method: "PATCH", json: { body: "second" } });
      const earlier = await first;
      expect(earlier.status).toBe(200);
      expect(earlier.body).toMatchObject({ type: "sms", body: "original" });
      // The second waited for the first and kept its change: nothing is lost.
      expect(second.status).toBe(200);
      expect(second.body).toMatchObject({ type: "sms", body: "second" });
      const notes = (await notesOf(t.talemetry.client_id, MAYA)).filter((n) => n.Text.includes(id));
      expect(notes.map((n) => n.Text)).toEqual([`SMS · Outbound · 4 min 5 s\nsecond\n[talentlynk activity ${id}]`]);
      expect((await v1(t.api_key, `/activities/${id}`)).body).toEqual(second.body);
    } finally {
      await clearFaults(t.talemetry.client_id);
    }
  });

  it("an empty change returns the activity unchanged", async () => {
    const created = await v1(t.api_key, "/activities", { method: "POST", json: activityBody() });
    const res = await v1(t.api_key, `/activities/${created.body.id}`, { method: "PATCH", json: {} });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(created.body);
  });
});
