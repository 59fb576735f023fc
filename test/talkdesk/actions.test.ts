// The action executor (contract §5) through the Worker against the simulator: log_call, add_note and
// update_contact with Talkdesk's sample envelope shape and our api_key; retries of the same action
// create one note (counted at the simulator), numeric-string inputs, authors from agent sync, contacts
// by id or by the call's phone, every refusal as 400 {message}, unknown actions 404, and an outage.
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO } from "../../sandbox/demo-data";
import { clearFaults, getCandidate, getStats, resetStats, setFaults } from "../helpers/sandbox";
import { envelope, type SyncedTenant, syncedTenant, TALKDESK_SAMPLES, talkdesk } from "./helpers";

interface ActionAnswer {
  message: string;
  external_id: string;
  contact_external_id: string;
  contact_external_type: string;
  contact_external_url?: string;
}

const MAYA = DEMO.maya.record.id;
const OLIVER = DEMO.oliver.record.id;
const LENA = DEMO.lena.record.id;
const AMY = { id: "u-123", email: "amy@agency.example" };

let account: SyncedTenant;
beforeAll(async () => {
  account = await syncedTenant(9, {
    settings: { candidate_url_template: "https://crm.example/people/{id}", default_author_email: "ben@agency.example" },
  });
});

const act = (name: string, meta: Record<string, unknown>, data: Record<string, unknown>) =>
  talkdesk<ActionAnswer & { message: string }>(`/actions/${name}`, envelope(account.tenant.api_key, { meta, data }));

/** The candidate's notes as Talemetry (the simulator) holds them. */
async function notesOf(candidateId: string): Promise<Array<{ Id: string; Text: string; AuthorEmail: string; DateTime: string }>> {
  return (await getCandidate(account.clientId, candidateId)).record.notes;
}

/** A call summary no other test uses, so retries in one test cannot collide with another's. */
const uniqueSummary = (label: string) => `${label} ${crypto.randomUUID()}`;

describe("log_call", () => {
  it("logs a call from Talkdesk's sample envelope as a note authored by the agent, with a numeric-string duration", async () => {
    const summary = uniqueSummary("Discussed the night shift.");
    const sample = TALKDESK_SAMPLES.action(account.tenant.api_key, MAYA, AMY.id);
    const res = await talkdesk<ActionAnswer>("/actions/log_call", {
      ...sample,
      data: { direction: "Inbound", duration: "95", summary, call_id: "CA1" },
    });
    expect(res.status).toBe(201);
    // The contact came from Talkdesk: the answer names only the note it created (§5).
    expect(res.body).toEqual({ message: "Call logged in Talemetry.", external_id: expect.stringMatching(/^note:/) });

    const note = (await notesOf(MAYA)).find((n) => n.Text.includes(summary));
    expect(note?.AuthorEmail).toBe(AMY.email);
    expect(note?.Text).toMatch(/^Phone call · Inbound · 1 min 35 s\nCall in Talkdesk\n/);
    expect(note?.Text).toContain("Agent: Amy Recruiter <amy@agency.example>");
    expect(note?.Text).toContain("Talkdesk call ID: CA1");
    expect(res.body.external_id).toBe(`note:${note!.Id}`);

    // The same id shows up in the contact's activity in Talkdesk.
    const activity = await talkdesk<Array<{ id: string }>>(
      "/interactions",
      envelope(account.tenant.api_key, { data: { contact_external_id: MAYA } }),
    );
    expect(activity.body.map((i) => i.id)).toContain(res.body.external_id);
  });

  it("creates one note when Talkdesk retries the same action, also when the duration arrives as a number then as text", async () => {
    const data = { direction: "outbound", duration: 240, summary: uniqueSummary("Retry me.") };
    await resetStats(account.clientId);
    const first = await act("log_call", { contact_external_id: OLIVER, agent_external_id: AMY.id }, data);
    const again = await act("log_call", { contact_external_id: OLIVER, agent_external_id: AMY.id }, data);
    const asText = await act("log_call", { contact_external_id: OLIVER, agent_external_id: AMY.id }, { ...data, duration: "240" });
    expect([first.status, again.status, asText.status]).toEqual([201, 201, 201]);
    expect(again.body).toEqual(first.body);
    expect(asText.body).toEqual(first.body);
    expect((await getStats(account.clientId)).calls.note_create).toBe(1);
    expect((await notesOf(OLIVER)).filter((n) => n.Text.includes(data.summary))).toHaveLength(1);

    // Other content is another call: another note.
    const other = await act("log_call", { contact_external_id: OLIVER, agent_external_id: AMY.id }, { ...data, duration: 241 });
    expect(other.status).toBe(201);
    expect(other.body.external_id).not.toBe(first.body.external_id);
    expect((await getStats(account.clientId)).calls.note_create).toBe(2);
  });

  it("creates one note when two identical requests arrive at the same moment", async () => {
    const data = { direction: "inbound", duration: 30, summary: uniqueSummary("Concurrent.") };
    await resetStats(account.clientId);
    const answers = await Promise.all([1, 2, 3].map(() => act("log_call", { contact_external_id: MAYA, agent_external_id: AMY.id }, data)));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
    expect(new Set(answers.map((a) => a.body.external_id)).size).toBe(1);
    expect((await getStats(account.clientId)).calls.note_create).toBe(1);
  });

  it("logs a missed call without a talk duration, and finds the candidate by the call's phone", async () => {
    const summary = uniqueSummary("Missed.");
    const res = await act(
      "log_call",
      { agent_external_id: AMY.id },
      { direction: "missed", duration: 12, summary, phone: "+1 415 555 0142" },
    );
    expect(res.status).toBe(201);
    // The action found the contact itself: the answer names it, so Talkdesk can link the call.
    expect(res.body).toEqual({
      message: "Call logged in Talemetry.",
      external_id: expect.stringMatching(/^note:/),
      contact_external_id: MAYA,
      contact_external_type: "candidate",
      contact_external_url: `https://crm.example/people/${MAYA}`,
    });
    const note = (await notesOf(MAYA)).find((n) => n.Text.includes(summary));
    expect(note?.Text).toMatch(/^Phone call · Inbound\nMissed call in Talkdesk\n/); // no talk duration
  });

  it("runs with any subset of its inputs: what Talkdesk did not send is left out of the note", async () => {
    const summary = uniqueSummary("Left a voicemail.");
    const onlySummary = await act("log_call", { contact_external_id: LENA, agent_external_id: AMY.id }, { summary });
    expect(onlySummary.status).toBe(201);
    const note = (await notesOf(LENA)).find((n) => n.Text.includes(summary));
    // No direction, no duration: the heading is the type alone.
    expect(note?.Text).toMatch(
      new RegExp(
        `^Phone call\nCall in Talkdesk\n${summary}\n\nAgent: Amy Recruiter <amy@agency.example>\n\\[talentlynk activity act_[0-9a-f]{24}\\]$`,
      ),
    );

    const nothing = await act("log_call", { contact_external_id: LENA }, {});
    expect(nothing.status).toBe(201);
    const blanks = await act(
      "log_call",
      { contact_external_id: OLIVER },
      { direction: "", duration: "", summary: "", call_id: "", phone: "" },
    );
    expect(blanks.status).toBe(201);
    const clock = await act("log_call", { contact_external_id: OLIVER }, { direction: "Short abandoned", duration: "0:42", summary });
    expect(clock.status).toBe(201);
    expect((await notesOf(OLIVER)).find((n) => n.Text.includes(summary))?.Text).toMatch(/^Phone call · Inbound\nMissed call in Talkdesk\n/);
  });

  it("refuses what it cannot log with 400 {message} naming the reason", async () => {
    const cases: Array<[Record<string, unknown>, Record<string, unknown>, string]> = [
      [{ contact_external_id: MAYA }, { direction: "sideways", duration: 5 }, "data.direction"],
      [{ contact_external_id: MAYA }, { direction: "inbound", duration: "four minutes" }, "data.duration"],
      [{}, { direction: "inbound", duration: 5 }, "meta.contact_external_id"],
      [{}, { direction: "inbound", duration: 5, phone: "+19725550177" }, "data.phone"], // shared by two candidates
      [{ contact_external_id: "00000000-0000-0000-0000-000000000000" }, { direction: "inbound", duration: 5 }, "no such record"],
    ];
    for (const [meta, data, reason] of cases) {
      const res = await act("log_call", meta, data);
      expect(res.status, JSON.stringify([meta, data])).toBe(400);
      expect(res.body.message.toLowerCase()).toContain(reason.toLowerCase());
    }
  });
});

describe("an agent who is no active Talemetry user", () => {
  it("does not fail the action: the note goes under the default author and its headline names the Talkdesk agent", async () => {
    // u-999 is unknown to Talemetry; u-127 (Erin Walsh) is an inactive user.
    for (const agentId of ["u-999", "u-127", 4711]) {
      const summary = uniqueSummary("Agent outside Talemetry.");
      const res = await act(
        "log_call",
        { contact_external_id: MAYA, agent_external_id: agentId },
        { direction: "outbound", duration: 61, summary },
      );
      expect(res.status, String(agentId)).toBe(201);
      const note = (await notesOf(MAYA)).find((n) => n.Text.includes(summary));
      expect(note?.AuthorEmail).toBe("ben@agency.example"); // the tenant's default_author_email
      expect(note?.Text).toMatch(
        new RegExp(`^Phone call · Outbound · 1 min 1 s\nCall in Talkdesk by Talkdesk agent ${agentId} \\(not a Talemetry user\\)\n`),
      );
      expect(note?.Text).not.toContain("Agent: ");
    }
    const text = uniqueSummary("Noted by an outsider.");
    const added = await act("add_note", { contact_external_id: MAYA, agent_external_id: "u-999" }, { text });
    expect(added.status).toBe(201);
    const note = (await notesOf(MAYA)).find((n) => n.Text.includes(text));
    expect(note?.Text).toContain(`Note in Talkdesk by Talkdesk agent u-999 (not a Talemetry user)\n${text}`);
  });

  it("falls back to the first active Talemetry user by id when the tenant has no default author", async () => {
    const bare = await syncedTenant(3);
    const text = uniqueSummary("No default author.");
    const res = await talkdesk(
      "/actions/add_note",
      envelope(bare.tenant.api_key, { meta: { contact_external_id: LENA, agent_external_id: "u-999" }, data: { text } }),
    );
    expect(res.status).toBe(201);
    const note = (await getCandidate(bare.clientId, LENA)).record.notes.find((n: { Text: string }) => n.Text.includes(text));
    expect(note?.AuthorEmail).toBe(AMY.email); // u-123, the first active user by id
  });
});

describe("add_note", () => {
  it("adds the note once per retry window, authored by the tenant's default author when Talkdesk names no agent", async () => {
    const text = uniqueSummary("Sent the job description.\nFollow up on Friday.");
    await resetStats(account.clientId);
    const first = await act("add_note", { contact_external_id: LENA }, { text });
    const retry = await act("add_note", { contact_external_id: LENA }, { text });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ message: "Note added in Talemetry.", external_id: expect.stringMatching(/^note:/) });
    expect(retry.body).toEqual(first.body);
    expect((await getStats(account.clientId)).calls.note_create).toBe(1);
    const notes = (await notesOf(LENA)).filter((n) => n.Text.includes(text));
    expect(notes).toHaveLength(1);
    expect(notes[0]!.AuthorEmail).toBe("ben@agency.example");
  });

  it("answers Talkdesk's sample data (subject/description, not our inputs) with 400 naming data.text", async () => {
    const res = await talkdesk("/actions/add_note", TALKDESK_SAMPLES.action(account.tenant.api_key, MAYA, AMY.id));
    expect(res.status).toBe(400);
    expect(res.body.message).toContain("data.text");
  });

  it("refuses a note without a candidate with 400 telling the agent what to do", async () => {
    const res = await act("add_note", {}, { text: "hello" });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe(
      "The action needs a candidate: run it on a contact that came from Talemetry (meta.contact_external_id is missing).",
    );
  });
});

describe("update_contact", () => {
  it("adds phones and emails, keeps the existing ones, and the directory finds the new values at once", async () => {
    const res = await act(
      "update_contact",
      { contact_external_id: MAYA, agent_external_id: AMY.id },
      { phones: "+1 510 555 0175, (415) 555-0142", emails: ["maya.o@example.net"] },
    );
    expect(res.status).toBe(201);
    // It creates nothing and acts on the contact Talkdesk named: a message only (§5).
    expect(res.body).toEqual({ message: "Candidate updated in Talemetry." });
    const found = await talkdesk<Array<{ id: string }>>(
      "/interactions",
      envelope(account.tenant.api_key, { data: { contact_phones: ["+15105550175"] } }),
    );
    expect(found.body.length).toBeGreaterThan(0);
    const byEmail = await talkdesk<Array<{ id: string }>>(
      "/interactions",
      envelope(account.tenant.api_key, { data: { contact_emails: ["maya.ortiz@example.com"] } }),
    );
    expect(byEmail.body).toEqual(found.body); // the old email still works: nothing was replaced

    // Everything is there now: a repeat writes nothing.
    await resetStats(account.clientId);
    const repeat = await act("update_contact", { contact_external_id: MAYA }, { phones: "+15105550175", emails: "MAYA.O@example.net" });
    expect(repeat.status).toBe(201);
    expect(repeat.body.message).toMatch(/already has/);
    expect((await getStats(account.clientId)).calls.contact).toBe(0);
  });

  it("reads phones and emails by the /v1 rules: international prefix, vanity letters, trimmed internationalized emails", async () => {
    // Oliver's number is stored national-only with a GB address: British (valid) at this US tenant, so
    // it can be sent back unchanged and the action may add phones.
    const res = await act(
      "update_contact",
      { contact_external_id: OLIVER },
      { phones: ["011 44 7700 900888", "1-800-FLOWERS"], emails: [" Oliver.New@Bücher.example "] },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const lookup = (data: Record<string, unknown>) =>
      talkdesk<Array<{ id: string }>>("/interactions", envelope(account.tenant.api_key, { data }));
    const byOld = (await lookup({ contact_phones: ["+447700900123"] })).body;
    expect(byOld.length).toBeGreaterThan(0);
    for (const data of [
      { contact_phones: ["+447700900888"] },
      { contact_phones: ["+18003569377"] },
      { contact_emails: ["OLIVER.NEW@BÜCHER.EXAMPLE"] },
    ]) {
      expect((await lookup(data)).body, JSON.stringify(data)).toEqual(byOld);
    }
  });

  it("refuses impossible phones naming each, and writes nothing", async () => {
    await resetStats(account.clientId);
    const res = await act(
      "update_contact",
      { contact_external_id: OLIVER },
      { phones: ["+44 7700 900999", "123456", "+1 415 555 0142 ext. 7"] },
    );
    expect(res.status).toBe(400);
    expect(res.body.message).toContain("data.phones[1]");
    expect(res.body.message).toContain("data.phones[2]");
    expect((await getStats(account.clientId)).calls.contact).toBe(0);
    const empty = await act("update_contact", { contact_external_id: OLIVER }, {});
    expect(empty.status).toBe(400);
    expect(empty.body.message).toMatch(/phones or emails/);
  });

  it("refuses to drop a stored phone Talemetry could not take back, and maps Talemetry's conflict to 400", async () => {
    // Lena's second number is too long to be possible: replacing her phone list would lose it.
    const lena = await act("update_contact", { contact_external_id: LENA }, { phones: "+1 226 555 0100" });
    expect(lena.status).toBe(400);
    expect(lena.body.message).toMatch(/cannot take back/);
    // Jordan Lee's email belongs to another candidate: Talemetry refuses (409) → 400.
    const taken = await act("update_contact", { contact_external_id: OLIVER }, { emails: "jordan.lee@example.com" });
    expect(taken.status).toBe(400);
    expect(taken.body.message).toMatch(/conflict/i);
  });
});

describe("errors", () => {
  it("answers 404 {message} for an action the bridge does not have", async () => {
    const res = await act("send_fax", { contact_external_id: MAYA }, {});
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ message: expect.any(String) });
  });

  it("answers 503 with Retry-After when Talemetry fails the write, and the retry then creates exactly one note", async () => {
    const data = { text: uniqueSummary("After the outage.") };
    await setFaults(account.clientId, [{ op: "note_create", status: 503, times: 1 }]);
    try {
      const failed = await act("add_note", { contact_external_id: MAYA, agent_external_id: AMY.id }, data);
      expect(failed.status).toBe(503);
      expect(failed.headers.get("retry-after")).toMatch(/^\d+$/);
    } finally {
      await clearFaults(account.clientId);
    }
    const retried = await act("add_note", { contact_external_id: MAYA, agent_external_id: AMY.id }, data);
    expect(retried.status).toBe(201);
    expect((await notesOf(MAYA)).filter((n) => n.Text.includes(data.text))).toHaveLength(1);
  });

  it("creates no second note when the first write landed but its answer was lost", async () => {
    const data = { text: uniqueSummary("Landed.") };
    await setFaults(account.clientId, [{ op: "note_create", status: 502, afterApply: true, times: 1 }]);
    try {
      expect((await act("add_note", { contact_external_id: MAYA }, data)).status).toBe(503);
    } finally {
      await clearFaults(account.clientId);
    }
    const retried = await act("add_note", { contact_external_id: MAYA }, data);
    expect(retried.status).toBe(201);
    expect((await notesOf(MAYA)).filter((n) => n.Text.includes(data.text))).toHaveLength(1);
  });
});
