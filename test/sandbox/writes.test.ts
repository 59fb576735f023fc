// The writes and the users list (contract §4–§7): contact PATCH replacing lists, E.164 and `use`
// validation, the email conflict across candidates (case-insensitive), notes with user authors, 404s,
// the users pages, and creating a candidate (409 naming the existing one, listed under `created`).
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO, SANDBOX_USERS } from "../../sandbox/demo-data";
import { createAccount, deleteCandidate, getCandidate, getStats, sandboxToken, upstreamJson } from "../helpers/sandbox";

let clientId: string;
let token: string;

beforeAll(async () => {
  ({ client_id: clientId } = await createAccount("writes"));
  token = await sandboxToken(clientId);
});

const patchContact = (id: string, body: unknown) => upstreamJson(`/v1/people/${id}/contact`, { method: "PATCH", token, body });

const contactOf = (candidate: any) => candidate.Resume.StructuredXMLResume.ContactInfo;

describe("PATCH /v1/people/{guid}/contact", () => {
  it("replaces phones and emails and answers the candidate with ContactInfo only", async () => {
    const id = DEMO.lukas.record.id;
    const res = await patchContact(id, {
      emails: ["lukas@example.de", "l.becker@example.com"],
      phones: [
        { use: "mobile", number: "+4915112345678" },
        { use: "work", number: "+493012345678" },
        { use: "home", number: "+14155550100" },
      ],
    });
    expect(res.status, res.text).toBe(200);
    const candidate = res.json.result.Candidate;
    expect(candidate.CandidateRecordInfo.Id.IdValue).toBe(id);
    expect(Object.keys(candidate.Resume.StructuredXMLResume)).toEqual(["ContactInfo"]);
    expect(candidate.UserArea).toBeUndefined();
    // Lukas had a business ContactMethod (landline, email, address) and a personal one (mobile).
    expect(contactOf(candidate).ContactMethod).toEqual([
      {
        Use: "business",
        Telephone: { InternationalCountryCode: "49", SubscriberNumber: "3012345678", FormattedNumber: "+493012345678" },
        InternetEmailAddress: "lukas@example.de",
        PostalAddress: DEMO.lukas.record.contact[0].PostalAddress,
      },
      {
        Use: "personal",
        Mobile: { InternationalCountryCode: "49", SubscriberNumber: "15112345678", FormattedNumber: "+4915112345678" },
        InternetEmailAddress: "l.becker@example.com",
        Telephone: { InternationalCountryCode: "1", AreaCityCode: "415", SubscriberNumber: "5550100", FormattedNumber: "+14155550100" },
      },
    ]);
    // The stored record says the same (the write landed).
    expect((await getCandidate(clientId, id)).Candidate).toMatchObject({
      Resume: { StructuredXMLResume: { ContactInfo: contactOf(candidate) } },
    });
  });

  it("leaves an absent list as it was; an empty list removes them all", async () => {
    const id = DEMO.priya.record.id;
    const onlyEmails = await patchContact(id, { emails: ["priya@example.in"] });
    const method = contactOf(onlyEmails.json.result.Candidate).ContactMethod;
    expect(method.Mobile).toEqual(DEMO.priya.record.contact[0].Mobile);
    expect(method.InternetEmailAddress).toBe("priya@example.in");
    const noPhones = await patchContact(id, { phones: [] });
    expect(contactOf(noPhones.json.result.Candidate).ContactMethod).toEqual({
      Use: "personal",
      InternetEmailAddress: "priya@example.in",
      PostalAddress: DEMO.priya.record.contact[0].PostalAddress,
    });
  });

  it("maps each `use` to an HR-XML slot and Use", async () => {
    const res = await patchContact(DEMO.jordan.record.id, {
      phones: [{ use: "other", number: "+447700900001" }],
    });
    const methods = [contactOf(res.json.result.Candidate).ContactMethod].flat();
    expect(methods).toContainEqual({
      Use: "other",
      Telephone: { InternationalCountryCode: "44", SubscriberNumber: "7700900001", FormattedNumber: "+447700900001" },
    });
  });

  it.each([
    ["a national number", { phones: [{ use: "mobile", number: "4155550142" }] }],
    ["spaces", { phones: [{ use: "mobile", number: "+1 415 555 0142" }] }],
    ["an impossible length", { phones: [{ use: "mobile", number: "+1415555014" }] }],
    ["an unassigned country code", { phones: [{ use: "mobile", number: "+99912345678" }] }],
    ["an unknown use", { phones: [{ use: "fax", number: "+14155550142" }] }],
    ["a missing number", { phones: [{ use: "mobile" }] }],
    ["a malformed email", { emails: ["not-an-email"] }],
    ["emails not a list", { emails: "a@example.com" }],
  ])("refuses %s with 422 invalid and changes nothing", async (_label, body) => {
    const before = await getCandidate(clientId, DEMO.maya.record.id);
    const res = await patchContact(DEMO.maya.record.id, body);
    expect(res.status).toBe(422);
    expect(res.json.error.code).toBe("invalid");
    expect((await getCandidate(clientId, DEMO.maya.record.id)).record).toEqual(before.record);
  });

  it("refuses an email of another candidate, in any case, with 409 conflict", async () => {
    const res = await patchContact(DEMO.maya.record.id, { emails: ["CAMILLE.LAURENT@example.fr"] });
    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe("conflict");
    const mine = await patchContact(DEMO.camille.record.id, { emails: ["camille.laurent@EXAMPLE.fr"] });
    expect(mine.status).toBe(200);
  });

  it("frees a deleted candidate's emails", async () => {
    const { client_id: own } = await createAccount("writes-free");
    const ownToken = await sandboxToken(own);
    await deleteCandidate(own, DEMO.taylor.record.id);
    const res = await upstreamJson(`/v1/people/${DEMO.jordan.record.id}/contact`, {
      method: "PATCH",
      token: ownToken,
      body: { emails: ["taylor.lee@example.com"] },
    });
    expect(res.status).toBe(200);
  });

  it("answers 404 not_found for an unknown or deleted candidate", async () => {
    const unknown = await patchContact("00000000-0000-1000-8000-000000000000", { emails: [] });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.code).toBe("not_found");
    const { client_id: own } = await createAccount("writes-404");
    const ownToken = await sandboxToken(own);
    await deleteCandidate(own, DEMO.robin.record.id);
    const deleted = await upstreamJson(`/v1/people/${DEMO.robin.record.id}/contact`, { method: "PATCH", token: ownToken, body: {} });
    expect(deleted.status).toBe(404);
  });
});

describe("notes", () => {
  const notesPath = (id: string) => `/v1/people/${id}/notes`;

  it("creates a note with a new id (201), normalizing the time and the author's spelling", async () => {
    const res = await upstreamJson(notesPath(DEMO.oliver.record.id), {
      token,
      body: { Text: "Called about the night shift", DateTime: "2026-11-22T10:03:00Z", AuthorEmail: "AMY@agency.example" },
    });
    expect(res.status, res.text).toBe(201);
    const note = res.json.result.Note;
    expect(note).toEqual({
      Id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      Text: "Called about the night shift",
      DateTime: "2026-11-22T10:03:00+00:00",
      AuthorEmail: "amy@agency.example",
    });
    const profile = await upstreamJson("/soap/profiles/v1", { token, body: { ids: [DEMO.oliver.record.id], include: ["notes"] } });
    expect(profile.json.result.Candidates[0].Candidate.UserArea.Notes.Note).toEqual(note);
  });

  it("defaults the time to now", async () => {
    const res = await upstreamJson(notesPath(DEMO.oliver.record.id), { token, body: { Text: "x", AuthorEmail: "ben@agency.example" } });
    expect(Math.abs(Date.parse(res.json.result.Note.DateTime) - Date.now())).toBeLessThan(60_000);
  });

  it("accepts any user as author (inactive ones too) and refuses a non-user with 422", async () => {
    const inactive = SANDBOX_USERS.find((u) => !u.Active)!;
    const ok = await upstreamJson(notesPath(DEMO.maya.record.id), { token, body: { Text: "x", AuthorEmail: inactive.Email } });
    expect(ok.status).toBe(201);
    const res = await upstreamJson(notesPath(DEMO.maya.record.id), { token, body: { Text: "x", AuthorEmail: "someone@else.example" } });
    expect(res.status).toBe(422);
    expect(res.json.error).toMatchObject({ code: "invalid" });
    expect(res.json.error.message).toMatch(/AuthorEmail/);
  });

  it.each([
    ["no Text", { AuthorEmail: "amy@agency.example" }],
    ["empty Text", { Text: "", AuthorEmail: "amy@agency.example" }],
    ["a bad DateTime", { Text: "x", DateTime: "yesterday", AuthorEmail: "amy@agency.example" }],
  ])("refuses %s with 422", async (_label, body) => {
    expect((await upstreamJson(notesPath(DEMO.maya.record.id), { token, body })).status).toBe(422);
  });

  it("answers 404 for an unknown candidate", async () => {
    const res = await upstreamJson(notesPath("nobody"), { token, body: { Text: "x", AuthorEmail: "amy@agency.example" } });
    expect(res.status).toBe(404);
  });

  it("changes a note's text (200) and answers 404 for an unknown note", async () => {
    const created = await upstreamJson(notesPath(DEMO.camille.record.id), {
      token,
      body: { Text: "draft", AuthorEmail: "hiro@agency.example" },
    });
    const note = created.json.result.Note;
    const res = await upstreamJson(`${notesPath(DEMO.camille.record.id)}/${note.Id}`, { method: "PATCH", token, body: { Text: "final" } });
    expect(res.status).toBe(200);
    expect(res.json.result.Note).toEqual({ ...note, Text: "final" });
    const stored = await getCandidate(clientId, DEMO.camille.record.id);
    expect(stored.record.notes.find((n) => n.Id === note.Id)?.Text).toBe("final");

    const missing = await upstreamJson(`${notesPath(DEMO.camille.record.id)}/${crypto.randomUUID()}`, {
      method: "PATCH",
      token,
      body: { Text: "x" },
    });
    expect(missing.status).toBe(404);
    const elsewhere = await upstreamJson(`${notesPath(DEMO.maya.record.id)}/${note.Id}`, { method: "PATCH", token, body: { Text: "x" } });
    expect(elsewhere.status).toBe(404);
    expect((await upstreamJson(`${notesPath(DEMO.camille.record.id)}/${note.Id}`, { method: "PATCH", token, body: {} })).status).toBe(422);
  });
});

describe("GET /v1/users", () => {
  it("lists the users, 100 a page by default", async () => {
    const res = await upstreamJson("/v1/users", { token });
    expect(res.status).toBe(200);
    expect(res.json.result).toEqual({ Users: SANDBOX_USERS, Page: 1, TotalPages: 1 });
    expect(SANDBOX_USERS.length).toBeGreaterThanOrEqual(10);
    expect(SANDBOX_USERS.some((u) => !u.Active)).toBe(true);
  });

  it("pages with page and per_page", async () => {
    const pages = [];
    for (let p = 1; p <= 4; p++) pages.push((await upstreamJson(`/v1/users?page=${p}&per_page=5`, { token })).json.result);
    expect(pages.map((p) => p.TotalPages)).toEqual([3, 3, 3, 3]);
    expect(pages.flatMap((p) => p.Users)).toEqual(SANDBOX_USERS);
    expect(pages[3].Users).toEqual([]);
  });

  it.each(["page=0", "per_page=0", "per_page=101", "page=abc"])("refuses %s with 422", async (query) => {
    expect((await upstreamJson(`/v1/users?${query}`, { token })).status).toBe(422);
  });
});

describe("POST /v1/people", () => {
  const createPerson = (body: unknown, as = token) => upstreamJson("/v1/people", { token: as, body });

  it("creates a candidate (201) with a new GUID, served by the profiles call and listed under `created`", async () => {
    const { client_id: own } = await createAccount("writes-create");
    const ownToken = await sandboxToken(own);
    const before = Date.now();
    const res = await createPerson(
      {
        GivenName: "Jane",
        FamilyName: "Doe",
        emails: ["jane.doe@example.com", "JANE.DOE@example.com"],
        phones: [
          { use: "mobile", number: "+14155550100" },
          { use: "work", number: "+442071838750" },
        ],
        Source: "talkdesk",
      },
      ownToken,
    );
    expect(res.status, res.text).toBe(201);
    const candidate = res.json.result.Candidate;
    const id: string = candidate.CandidateRecordInfo.Id.IdValue;
    // A UUID v1, like the contract's sample GUIDs.
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(contactOf(candidate)).toEqual({
      PersonName: { FormattedName: "Jane Doe", GivenName: "Jane", FamilyName: "Doe" },
      ContactMethod: [
        {
          Use: "personal",
          InternetEmailAddress: "jane.doe@example.com",
          Mobile: { InternationalCountryCode: "1", AreaCityCode: "415", SubscriberNumber: "5550100", FormattedNumber: "+14155550100" },
        },
        {
          Use: "business",
          Telephone: { InternationalCountryCode: "44", SubscriberNumber: "2071838750", FormattedNumber: "+442071838750" },
        },
      ],
    });
    const profile = await upstreamJson("/soap/profiles/v1", { token: ownToken, body: { ids: [id] } });
    expect(profile.json.result.Candidates[0].Candidate).toEqual(candidate);
    const stored = await getCandidate(own, id);
    expect(stored.record.source).toBe("talkdesk");
    expect(Date.parse(stored.createdAt)).toBeGreaterThanOrEqual(before - 1);

    const listed = await upstreamJson("/match/v1/people/ids", {
      token: ownToken,
      body: { DateTimeRange: { From: new Date(before - 1).toISOString(), To: new Date().toISOString(), Event: "created" }, PageSize: 10 },
    });
    expect(listed.json.result.Ids).toEqual([id]);
    // `Source` is what the Match API's ExcludeSources filters on.
    const all = await upstreamJson("/match/v1/people/ids", { token: ownToken, body: { ExcludeSources: ["talkdesk"], PageSize: 500 } });
    expect(all.json.result.Ids).not.toContain(id);
    expect((await getStats(own)).calls.candidate_create).toBe(1);
  });

  it("needs only a family name and a phone, or a given name and an email", async () => {
    const a = await createPerson({ FamilyName: "Okafor", phones: [{ use: "home", number: "+4930901820" }] });
    expect(a.status, a.text).toBe(201);
    expect(contactOf(a.json.result.Candidate).PersonName).toEqual({ FormattedName: "Okafor", GivenName: null, FamilyName: "Okafor" });
    const b = await createPerson({ GivenName: "Ana", emails: [`ana-${crypto.randomUUID()}@example.com`] });
    expect(b.status, b.text).toBe(201);
  });

  it("refuses an email that belongs to a candidate with 409 naming it in existing_id, and creates nothing", async () => {
    const { client_id: own } = await createAccount("writes-create-409");
    const ownToken = await sandboxToken(own);
    const before = (await getStats(own)).candidates;
    const res = await createPerson(
      { GivenName: "Other", FamilyName: "Maya", emails: ["new@example.com", "MAYA.ORTIZ@example.com"], Source: "talkdesk" },
      ownToken,
    );
    expect(res.status).toBe(409);
    expect(res.json.error).toEqual({ code: "conflict", message: expect.any(String), existing_id: DEMO.maya.record.id });
    const stats = await getStats(own);
    expect(stats.candidates).toEqual(before);
    expect(stats.calls.candidate_create).toBe(1);
    // The email is not taken by a half-created candidate: the owner is still Maya alone.
    const again = await createPerson({ GivenName: "Again", emails: ["new@example.com"] }, ownToken);
    expect(again.status).toBe(201);
  });

  it.each([
    ["no name", { emails: ["x1@example.com"] }],
    ["blank names", { GivenName: " ", FamilyName: "", emails: ["x2@example.com"] }],
    ["no email nor phone", { GivenName: "Jane" }],
    ["empty lists", { GivenName: "Jane", emails: [], phones: [] }],
    ["an unknown use", { GivenName: "Jane", phones: [{ use: "fax", number: "+14155550142" }] }],
    ["a national number", { GivenName: "Jane", phones: [{ use: "mobile", number: "4155550142" }] }],
    ["a malformed email", { GivenName: "Jane", emails: ["not-an-email"] }],
  ])("refuses %s with 422 invalid and creates nothing", async (_label, body) => {
    const { client_id: own } = await createAccount("writes-create-422");
    const ownToken = await sandboxToken(own);
    const before = (await getStats(own)).candidates;
    const res = await createPerson(body, ownToken);
    expect(res.status).toBe(422);
    expect(res.json.error.code).toBe("invalid");
    expect((await getStats(own)).candidates).toEqual(before);
  });
});
