// Pure Talkdesk mapping: contacts from Persons (Talkdesk's own sample shape), date formatting,
// interactions from notes and applications, agents and agent pages, and the call note text.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CandidateDetails, Person, TalemetryUser } from "../../src/domain/person";
import {
  applicationStatus,
  formatTalkdeskDate,
  MAX_INTERACTIONS,
  renderAddedNote,
  renderCallNote,
  toAgent,
  toAgentPage,
  toCallActivity,
  toInteractions,
  toTalkdeskContact,
  UNKNOWN_TALKDESK_DATE,
} from "../../src/talkdesk/mapping";
import { SAMPLE_DETAILS, SAMPLE_PERSON, sampleCallNoteText } from "../../tools/talkdesk-manifest/samples";
import { makeDetails, makePerson } from "../helpers/people";

function person(overrides: Partial<Person> = {}): Person {
  return makePerson("1", { name: "Jane Doe", first_name: "Jane", last_name: "Doe", ...overrides });
}

function details(overrides: Partial<CandidateDetails> = {}): CandidateDetails {
  return makeDetails("c1", { name: "Jane Doe", first_name: "Jane", last_name: "Doe", ...overrides });
}

describe("toTalkdeskContact", () => {
  it("reproduces Talkdesk's own sample contact from the equivalent person", () => {
    const jane = person({
      title: "CTO",
      emails: ["jane.doe@example.com", "jane@example.com"],
      phones: [{ number: "+15555555555", type: "work", valid: true, raw: "1 555 5555555" }],
      company: "Example Corp.",
      url: "http://example.com/users/1/",
    });
    const contact = toTalkdeskContact(jane, { address: "37, Famous St., New York, US", websites: ["www.example.com"] });
    expect(contact).toEqual({
      id: "1",
      name: "Jane Doe",
      title: "CTO",
      emails: ["jane.doe@example.com", "jane@example.com"],
      phones: ["+15555555555"],
      company: "Example Corp.",
      address: "37, Famous St., New York, US",
      websites: ["www.example.com"],
      url: "http://example.com/users/1/",
    });
    // In the order of Talkdesk's sample (photo_url and twitter aside: Talemetry has neither).
    expect(Object.keys(contact)).toEqual(["id", "name", "title", "emails", "phones", "company", "address", "websites", "url"]);
    // Talkdesk's second sample: only what is known, nothing empty.
    expect(
      toTalkdeskContact(person({ id: "2", name: "Joe", first_name: null, last_name: null, title: "Staff", emails: ["joe@example.com"] })),
    ).toEqual({
      id: "2",
      name: "Joe",
      title: "Staff",
      emails: ["joe@example.com"],
    });
  });

  it("sends only valid E.164 phones, once each", () => {
    const c = toTalkdeskContact(
      person({
        phones: [
          { number: "+14155550142", type: "mobile", valid: true, raw: "1 415 5550142" },
          { number: "555 0199", type: "home", valid: false, raw: "555 0199" },
          { number: "+14155550142", type: "work", valid: true, raw: "415 555 0142" },
          { number: "4155550143", type: "work", valid: true, raw: "415 555 0143" },
        ],
      }),
    );
    expect(c.phones).toEqual(["+14155550142"]);
  });

  it("omits empty optional fields and dedupes emails case-insensitively", () => {
    const c = toTalkdeskContact(person({ title: "  ", company: "", emails: ["A@x.example", "a@x.example", " "] }), {
      address: " ",
      url: null,
    });
    expect(c).toEqual({ id: "1", name: "Jane Doe", emails: ["A@x.example"] });
    expect(Object.values(c)).not.toContain(undefined);
  });

  it("always has a name, falling back to parts, email, phone, then the id", () => {
    expect(toTalkdeskContact(person({ name: " " })).name).toBe("Jane Doe");
    expect(toTalkdeskContact(person({ name: "", first_name: null, last_name: null, emails: ["x@y.example"] })).name).toBe("x@y.example");
    expect(
      toTalkdeskContact(
        person({ name: "", first_name: null, last_name: null, phones: [{ number: "+14155550142", type: "mobile", valid: true, raw: "" }] }),
      ).name,
    ).toBe("+14155550142");
    expect(toTalkdeskContact(person({ id: "abc", name: "", first_name: null, last_name: null })).name).toBe("Candidate abc");
  });

  it("carries websites only when Talemetry holds some, trimmed and once each", () => {
    expect(
      toTalkdeskContact(person(), { websites: [" https://a.example/x ", "HTTPS://A.example/x", "", "www.b.example"] }).websites,
    ).toEqual(["https://a.example/x", "www.b.example"]);
    expect(toTalkdeskContact(person(), { websites: [] })).not.toHaveProperty("websites");
    expect(toTalkdeskContact(person(), { websites: null })).not.toHaveProperty("websites");
  });

  it("prefers the extras url over the person's", () => {
    expect(toTalkdeskContact(person({ url: "https://a.example/1" }), { url: "https://b.example/1" }).url).toBe("https://b.example/1");
    expect(toTalkdeskContact(SAMPLE_PERSON).url).toBe(SAMPLE_PERSON.url);
  });
});

describe("formatTalkdeskDate", () => {
  it("formats like Talkdesk's samples, in UTC", () => {
    expect(formatTalkdeskDate("2012-11-21T17:53:51Z")).toBe("2012-11-21 17:53:51 UTC");
    expect(formatTalkdeskDate(new Date(Date.UTC(2012, 11, 1, 11, 21)))).toBe("2012-12-01 11:21:00 UTC");
    expect(formatTalkdeskDate("2026-11-22T10:03:00.987Z")).toBe("2026-11-22 10:03:00 UTC");
  });
  it("converts offsets to UTC and reads zoneless times as UTC", () => {
    expect(formatTalkdeskDate("2026-11-22T10:03:00+02:00")).toBe("2026-11-22 08:03:00 UTC");
    expect(formatTalkdeskDate("2026-11-22T23:30:00-0130")).toBe("2026-11-23 01:00:00 UTC");
    expect(formatTalkdeskDate("2026-11-22T10:03:00-05")).toBe("2026-11-22 15:03:00 UTC");
    expect(formatTalkdeskDate("2026-11-22T10:03")).toBe("2026-11-22 10:03:00 UTC");
    expect(formatTalkdeskDate("2026-11-22")).toBe("2026-11-22 00:00:00 UTC");
  });
  it("round-trips its own output", () => {
    expect(formatTalkdeskDate("2012-11-21 17:53:51 UTC")).toBe("2012-11-21 17:53:51 UTC");
    fc.assert(
      fc.property(fc.date({ min: new Date("1971-01-01T00:00:00Z"), max: new Date("2999-12-31T23:59:59Z"), noInvalidDate: true }), (d) => {
        const text = formatTalkdeskDate(d)!;
        expect(text).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/);
        expect(formatTalkdeskDate(text)).toBe(text);
        expect(Date.parse(text.replace(" UTC", "Z").replace(" ", "T"))).toBe(Math.floor(d.getTime() / 1000) * 1000);
      }),
    );
  });
  it("returns null for anything that is not a real date", () => {
    for (const bad of [
      "",
      "yesterday",
      "2026-02-30",
      "2026-13-01",
      "2026-11-22T25:00:00Z",
      "2026-11-22T10:03:00+25:00",
      "22/11/2026",
      "1700000000",
    ]) {
      expect(formatTalkdeskDate(bad), bad).toBeNull();
    }
    expect(formatTalkdeskDate(new Date(Number.NaN))).toBeNull();
  });
});

describe("applicationStatus", () => {
  it.each([
    ["020 Applied", "new"],
    ["New", "new"],
    ["030 Phone Screen", "open"],
    ["Phone Screen Scheduled", "open"],
    ["Interview 2", "open"],
    ["Offer Extended", "open"],
    ["On Hold", "pending"],
    ["Hired", "solved"],
    ["Offer Accepted", "solved"],
    ["Not Selected", "closed"],
    ["Offer Declined", "closed"],
    ["Rejected - Skills", "closed"],
    ["Withdrawn", "closed"],
    ["Unqualified", "closed"],
  ])("%j → %s", (disposition, status) => {
    expect(applicationStatus(disposition)).toBe(status);
  });

  it("gives none where Talkdesk's enum does not fit", () => {
    for (const disposition of ["Talent Pool", "Silver medalist", "", "  ", null, undefined, "123"]) {
      expect(applicationStatus(disposition), String(disposition)).toBeNull();
    }
  });

  it("is set on applications only", () => {
    const items = toInteractions(SAMPLE_DETAILS, undefined);
    for (const item of items) {
      if (item.type === "note") expect(item).not.toHaveProperty("status");
    }
    expect(items.filter((i) => i.type === "application").map((i) => [i.description, i.status])).toEqual([
      ["Phone Screen Scheduled", "open"],
      ["Not Selected", "closed"],
    ]);
  });
});

describe("toInteractions", () => {
  const sample = details({
    notes: [
      {
        id: "n1",
        text: "Phone screen passed\nStrong ICU background.\n\nAvailable from January.",
        date_time: "2026-11-20T15:42:10Z",
        author_email: null,
      },
      { id: "n2", text: "Short note", date_time: "2026-11-22T10:03:00+01:00", author_email: null },
    ],
    applications: [
      {
        id: "a1",
        posting_title: "Staff Nurse - ICU",
        applied_at: "2026-11-18",
        status: "Phone Screen Scheduled",
        disposition_date: "2026-11-20",
      },
      { id: "n1", posting_title: null, applied_at: null, status: null, disposition_date: "2026-11-21" },
    ],
  });

  it("maps notes and applications, newest first, ids unique across types", () => {
    const items = toInteractions(sample, undefined, { candidateUrl: "https://t.example/c1" });
    expect(items).toEqual([
      { id: "note:n2", subject: "Short note", date: "2026-11-22 09:03:00 UTC", url: "https://t.example/c1", type: "note" },
      { id: "application:n1", subject: "Application", date: "2026-11-21 00:00:00 UTC", url: "https://t.example/c1", type: "application" },
      {
        id: "note:n1",
        subject: "Phone screen passed",
        description: "Strong ICU background.\n\nAvailable from January.",
        date: "2026-11-20 15:42:10 UTC",
        url: "https://t.example/c1",
        type: "note",
      },
      {
        id: "application:a1",
        subject: "Staff Nurse - ICU",
        description: "Phone Screen Scheduled",
        date: "2026-11-18 00:00:00 UTC",
        url: "https://t.example/c1",
        type: "application",
        status: "open",
      },
    ]);
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
  });

  it("keys come in the order of Talkdesk's sample", () => {
    const [first] = toInteractions(sample, ["note"], { candidateUrl: "https://t.example/c1" }).slice(1);
    expect(Object.keys(first!)).toEqual(["id", "subject", "description", "date", "url", "type"]);
  });

  it("filters by requested types; absent or empty means all; unknown types are ignored", () => {
    expect(toInteractions(sample, ["note"]).map((i) => i.type)).toEqual(["note", "note"]);
    expect(toInteractions(sample, ["application"]).map((i) => i.id)).toEqual(["application:n1", "application:a1"]);
    expect(toInteractions(sample, [])).toHaveLength(4);
    expect(toInteractions(sample, ["case", "note"])).toHaveLength(2);
    expect(toInteractions(sample, ["case"])).toEqual([]);
  });

  it("omits url when no candidate url is known", () => {
    for (const item of toInteractions(sample, undefined, { candidateUrl: null })) expect(item).not.toHaveProperty("url");
  });

  it("caps the subject at 80 characters and keeps the whole note when it had to cut", () => {
    const long = `${"x".repeat(100)}\nsecond line`;
    const [item] = toInteractions(details({ notes: [{ id: "n", text: long, date_time: null, author_email: null }] }), ["note"]);
    expect(Array.from(item!.subject)).toHaveLength(80);
    expect(item!.subject.endsWith("…")).toBe(true);
    expect(item!.description).toBe(long);
    // Exactly 80 fits; surrogate pairs are never split.
    const emoji = "😀".repeat(81);
    const [e] = toInteractions(details({ notes: [{ id: "e", text: emoji, date_time: null, author_email: null }] }), ["note"]);
    expect(e!.subject).toBe(`${"😀".repeat(79)}…`);
    const [fits] = toInteractions(details({ notes: [{ id: "f", text: "y".repeat(80), date_time: null, author_email: null }] }), ["note"]);
    expect(fits).toMatchObject({ subject: "y".repeat(80) });
    expect(fits).not.toHaveProperty("description");
  });

  it("handles empty and CRLF notes", () => {
    const items = toInteractions(
      details({
        notes: [
          { id: "a", text: "  ", date_time: "2026-01-02T00:00:00Z", author_email: null },
          { id: "b", text: "\r\n Title \r\nBody\r\n", date_time: "2026-01-01T00:00:00Z", author_email: null },
        ],
      }),
      ["note"],
    );
    expect(items.map(({ subject, description }) => ({ subject, description }))).toEqual([
      { subject: "Note", description: undefined },
      { subject: "Title", description: "Body" },
    ]);
  });

  it("puts undated items last with the unknown date, in a deterministic order", () => {
    const items = toInteractions(
      details({
        notes: [
          { id: "b", text: "undated b", date_time: null, author_email: null },
          { id: "x", text: "garbage date", date_time: "not a date", author_email: null },
          { id: "a", text: "dated", date_time: "2020-01-01T00:00:00Z", author_email: null },
        ],
      }),
      undefined,
    );
    expect(items.map((i) => [i.id, i.date])).toEqual([
      ["note:a", "2020-01-01 00:00:00 UTC"],
      ["note:b", UNKNOWN_TALKDESK_DATE],
      ["note:x", UNKNOWN_TALKDESK_DATE],
    ]);
  });

  it("returns at most the limit, newest kept", () => {
    const notes = Array.from({ length: MAX_INTERACTIONS + 20 }, (_, i) => ({
      id: String(i),
      text: `note ${i}`,
      date_time: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
      author_email: null,
    }));
    const all = toInteractions(details({ notes }), undefined);
    expect(all).toHaveLength(MAX_INTERACTIONS);
    expect(all[0]!.id).toBe(`note:${MAX_INTERACTIONS + 19}`);
    expect(toInteractions(details({ notes }), undefined, { limit: 3 }).map((i) => i.id)).toEqual(["note:119", "note:118", "note:117"]);
  });

  it("maps the manifest's sample candidate (call note first)", () => {
    const items = toInteractions(SAMPLE_DETAILS, ["note", "application"], { candidateUrl: SAMPLE_PERSON.url });
    expect(items[0]).toMatchObject({ type: "note", subject: "Phone call · Inbound · 4 min 12 s" });
    expect(items.every((i) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/.test(i.date))).toBe(true);
  });
});

describe("agents", () => {
  const users: TalemetryUser[] = [
    { id: "20", name: "B", email: "b@example.com", active: true },
    { id: "10", name: "A", email: "a@example.com", active: true },
    { id: "15", name: "Gone", email: "g@example.com", active: false },
    { id: "30", name: " ", email: " c@example.com ", active: true },
  ];

  it("maps a user to Talkdesk's agent shape with a string id", () => {
    expect(toAgent({ id: "341231", name: "John Doe", email: "john.doe@unkn.own", active: true })).toEqual({
      id: "341231",
      name: "John Doe",
      email: "john.doe@unkn.own",
    });
    expect(toAgent(users[3]!)).toEqual({ id: "30", name: "c@example.com", email: "c@example.com" });
  });

  it("pages active users by id with next_offset only while more remain", () => {
    expect(toAgentPage(users, 0, 2)).toEqual({
      agents: [
        { id: "10", name: "A", email: "a@example.com" },
        { id: "20", name: "B", email: "b@example.com" },
      ],
      next_offset: 2,
    });
    expect(toAgentPage(users, 2, 2)).toEqual({ agents: [{ id: "30", name: "c@example.com", email: "c@example.com" }] });
    expect(toAgentPage(users, 3, 2)).toEqual({ agents: [] });
    expect(toAgentPage(users, 0, 3)).not.toHaveProperty("next_offset");
    expect(toAgentPage([], 0, 100)).toEqual({ agents: [] });
  });

  it("covers every active user exactly once across pages", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ id: fc.string({ minLength: 1, maxLength: 6 }), active: fc.boolean() }), {
          selector: (u) => u.id,
          maxLength: 40,
        }),
        fc.integer({ min: 1, max: 7 }),
        (raw, size) => {
          const list = raw.map((u) => ({ ...u, name: `n${u.id}`, email: `${u.id}@e.example` }));
          const seen: string[] = [];
          let offset: number | undefined = 0;
          while (offset !== undefined) {
            const page = toAgentPage(list, offset, size);
            seen.push(...page.agents.map((a) => a.id));
            offset = page.next_offset;
          }
          expect(seen.sort()).toEqual(
            list
              .filter((u) => u.active)
              .map((u) => u.id)
              .sort(),
          );
        },
      ),
    );
  });
});

describe("renderCallNote", () => {
  it("writes where the call came from, the summary, then the facts", () => {
    expect(
      renderCallNote({
        direction: "inbound",
        summary: "  Discussed the night shift.\r\nWill send CV.  ",
        agent: { name: "Ana Silva", email: "ana@example.com" },
        phone: "+14155550142",
        call_id: "CA1",
      }),
    ).toBe(
      "Call in Talkdesk\nDiscussed the night shift.\nWill send CV.\n\nAgent: Ana Silva <ana@example.com>\nPhone: +14155550142\nTalkdesk call ID: CA1",
    );
  });

  it("says when a call was missed, and nothing for absent facts", () => {
    expect(renderCallNote({ direction: "missed" })).toBe("Missed call in Talkdesk");
    expect(renderCallNote({ direction: "outbound", summary: "", agent: { email: "a@example.com" } })).toBe(
      "Call in Talkdesk\n\nAgent: a@example.com",
    );
  });

  it("strips control characters", () => {
    expect(renderCallNote({ direction: "outbound", summary: "ok\u0000\u0007 done" })).toBe("Call in Talkdesk\nok done");
  });

  it("leaves out what Talkdesk did not send", () => {
    expect(renderCallNote({})).toBe("Call in Talkdesk");
    expect(renderCallNote({ summary: "Left a message." })).toBe("Call in Talkdesk\nLeft a message.");
  });

  it("names a Talkdesk agent who is no Talemetry user in the headline", () => {
    expect(renderCallNote({ direction: "missed", unknownAgentId: " 4711 " })).toBe(
      "Missed call in Talkdesk by Talkdesk agent 4711 (not a Talemetry user)",
    );
    expect(renderCallNote({ unknownAgentId: "a\nb\u0000" })).toBe("Call in Talkdesk by Talkdesk agent a b (not a Talemetry user)");
    expect(renderAddedNote("Sent the CV.", "4711")).toBe("Note in Talkdesk by Talkdesk agent 4711 (not a Talemetry user)\nSent the CV.");
    expect(renderAddedNote("Sent the CV.", null)).toBe("Sent the CV.");
  });
});

describe("toCallActivity", () => {
  it("maps a call to a call activity; a missed call is inbound without a talk duration", () => {
    expect(toCallActivity({ direction: "outbound", duration_seconds: 95 })).toEqual({
      type: "call",
      body: "Call in Talkdesk",
      direction: "outbound",
      duration_seconds: 95,
    });
    expect(toCallActivity({ direction: "inbound", duration_seconds: 95 })).toMatchObject({ direction: "inbound", duration_seconds: 95 });
    expect(toCallActivity({ direction: "missed", duration_seconds: 12 })).toEqual({
      type: "call",
      body: "Missed call in Talkdesk",
      direction: "inbound",
      duration_seconds: null,
    });
    // Nothing known of the call: no direction, no duration.
    expect(toCallActivity({})).toEqual({ type: "call", body: "Call in Talkdesk", direction: null, duration_seconds: null });
    expect(toCallActivity({ duration_seconds: 30 })).toMatchObject({ direction: null, duration_seconds: 30 });
  });

  it("gives interactions the activity heading as subject and hides the activity marker", () => {
    const text = sampleCallNoteText({ direction: "inbound", duration_seconds: 3725, summary: "x".repeat(500) });
    expect(text).toContain("[talentlynk activity act_");
    const [item] = toInteractions(details({ notes: [{ id: "n", text, date_time: null, author_email: null }] }), ["note"]);
    expect(item!.subject).toBe("Phone call · Inbound · 1 h 2 min 5 s");
    expect(item!.description).toBe(`Call in Talkdesk\n${"x".repeat(500)}`);
  });
});
