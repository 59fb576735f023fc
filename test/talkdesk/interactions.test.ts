// The interaction retriever ("Contact Activity", contract §3) through the Worker against the simulator:
// Talkdesk's sample request with our api_key, notes and applications read fresh, filtered by type, newest
// first with Talkdesk's date format; contacts found by email or phone through the directory when Talkdesk
// has no external id; unknown or ambiguous contacts → 200 []; an upstream outage → 503.
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO } from "../../sandbox/demo-data";
import { clearFaults, setFaults } from "../helpers/sandbox";
import { envelope, type SyncedTenant, syncedTenant, TALKDESK_SAMPLES, talkdesk } from "./helpers";

interface Interaction {
  id: string;
  subject: string;
  description?: string;
  date: string;
  url?: string;
  type: string;
}

const TALKDESK_DATE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/;
const LENA = DEMO.lena.record.id;
const MAYA = DEMO.maya.record.id;

let account: SyncedTenant;
beforeAll(async () => {
  account = await syncedTenant(9, { settings: { candidate_url_template: "https://crm.example/people/{id}" } });
});

const lookup = (data: Record<string, unknown>, meta: Record<string, unknown> = {}) =>
  talkdesk<Interaction[]>("/interactions", envelope(account.tenant.api_key, { meta, data }));

describe("POST /talkdesk/interactions", () => {
  it("answers Talkdesk's sample (types case and note) with the contact's notes only, newest first", async () => {
    const res = await talkdesk<Interaction[]>("/interactions", TALKDESK_SAMPLES.interactions(account.tenant.api_key, LENA));
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      {
        id: "note:e0a929c8-ee24-49c9-9ade-e82124a8090d",
        subject: "fgsdfgs fgs",
        date: "2024-11-18 21:51:27 UTC",
        url: `https://crm.example/people/${LENA}`,
        type: "note",
      },
      {
        id: "note:8a1f12ae-1250-49f5-b8f1-139f43dfef2d",
        subject: "testtt",
        date: "2024-11-13 17:07:36 UTC",
        url: `https://crm.example/people/${LENA}`,
        type: "note",
      },
    ]);
  });

  it("returns notes and applications when no types are asked for, merged newest first", async () => {
    for (const meta of [{}, { interaction_types: [] }]) {
      const res = await lookup({ contact_external_id: LENA }, meta);
      expect(res.status).toBe(200);
      expect(res.body.map((i) => [i.type, i.subject])).toEqual([
        ["note", "fgsdfgs fgs"],
        ["note", "testtt"],
        ["application", "Family Medicine"],
        ["application", "15sepArraow-edited"],
      ]);
      for (const item of res.body) expect(item.date).toMatch(TALKDESK_DATE);
      // The disposition "020 Applied" is Talkdesk's status "new"; notes have no status.
      expect(res.body[2]).toMatchObject({
        id: "application:grfammed",
        description: "020 Applied",
        date: "2024-11-10 00:00:00 UTC",
        status: "new",
      });
      expect(res.body[0]).not.toHaveProperty("status");
    }
  });

  it("filters by the requested types and ignores types it does not have", async () => {
    const apps = await lookup({ contact_external_id: LENA }, { interaction_types: ["application"] });
    expect(apps.body.map((i) => i.type)).toEqual(["application", "application"]);
    const cases = await lookup({ contact_external_id: LENA }, { interaction_types: ["case"] });
    expect(cases).toMatchObject({ status: 200, body: [] });
  });

  it("finds a contact without an external id by email or by E.164 phone through the directory", async () => {
    const byEmail = await lookup({ contact_name: "Maya", contact_emails: ["nobody@example.com", " Maya.Ortiz@example.com "] });
    expect(byEmail.body.map((i) => i.subject)).toEqual(["Prefers night shifts; available from January.", "ICU Registered Nurse"]);
    const byPhone = await lookup({ contact_phones: ["+14155550142"] });
    expect(byPhone.body).toEqual(byEmail.body);
  });

  it("answers 200 [] for an unknown contact, and for a phone shared by two candidates", async () => {
    for (const data of [
      { contact_external_id: "00000000-0000-0000-0000-000000000000" },
      { contact_emails: ["jane.doe@example.com"], contact_phones: ["+15555555555"] },
      { contact_phones: ["+19725550177"] }, // Jordan and Taylor Lee share it: showing either could be wrong
      {},
    ]) {
      const res = await lookup(data);
      expect(res).toMatchObject({ status: 200, body: [] });
    }
  });

  it("accepts a numeric contact_external_id and refuses a malformed data field, naming it", async () => {
    expect((await lookup({ contact_external_id: 12345 })).body).toEqual([]);
    const refused = (data: Record<string, unknown>, meta: Record<string, unknown> = {}) =>
      talkdesk<{ message: string }>("/interactions", envelope(account.tenant.api_key, { meta, data }));
    const bad = await refused({ contact_emails: "maya.ortiz@example.com" });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain("data.contact_emails");
    const badTypes = await refused({ contact_external_id: MAYA }, { interaction_types: "note" });
    expect(badTypes.status).toBe(400);
    expect(badTypes.body.message).toContain("meta.interaction_types");
    const noData = await talkdesk<{ message: string }>("/interactions", envelope(account.tenant.api_key, { meta: {} }));
    expect(noData).toMatchObject({ status: 400, body: { message: "data is required" } });
  });

  it("tolerates what Talkdesk may send from a contact: odd list items skipped, an over-long name cut", async () => {
    const clean = await lookup({ contact_emails: ["maya.ortiz@example.com"] });
    expect(clean.body.length).toBeGreaterThan(0);
    const messy = await talkdesk<Interaction[]>(
      "/interactions",
      envelope(account.tenant.api_key, {
        meta: { interaction_types: [null, "note", 3, "application"] },
        data: {
          contact_name: "Maya ".repeat(500),
          contact_emails: [null, 42, "maya.ortiz@example.com", { email: "x" }],
          contact_phones: [14155550142, "+14155550142"],
        },
      }),
    );
    expect(messy.status).toBe(200);
    expect(messy.body).toEqual(clean.body);
  });

  it("answers 503 with Retry-After when Talemetry's profiles call keeps failing", async () => {
    await setFaults(account.clientId, [{ op: "profiles", status: 502 }]);
    try {
      const res = await lookup({ contact_external_id: MAYA });
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ message: expect.any(String) });
      expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
    } finally {
      await clearFaults(account.clientId);
    }
  });
});
