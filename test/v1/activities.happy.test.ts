// POST/GET/PATCH /v1/activities against the simulator: the note in Talemetry (text with type, direction,
// duration, body and activity id; author; date), the activity record, authors by user_id, user_email
// (case-insensitive) or the tenant's default, tenant-renamed and added types, and a PATCH that rewrites
// the note.
import { beforeAll, describe, expect, it } from "vitest";
import { getCandidate } from "../helpers/sandbox";
import type { TestTenant } from "../helpers/tenants";
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

  it("an empty change returns the activity unchanged", async () => {
    const created = await v1(t.api_key, "/activities", { method: "POST", json: activityBody() });
    const res = await v1(t.api_key, `/activities/${created.body.id}`, { method: "PATCH", json: {} });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(created.body);
  });
});
