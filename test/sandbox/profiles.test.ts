// The profiles call (contract §3): HR-XML JSON that matches Talemetry's own samples, `include` blocks
// present exactly when asked, the 50-id limit, unknown/deleted ids absent, and the object-or-array,
// null and UserArea-placement quirks that the default seed must contain.
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO } from "../../sandbox/demo-data";
import fullFixture from "../fixtures/talemetry-profile-full.json";
import notesFixture from "../fixtures/talemetry-profile-notes-tags-custom.json";
import { createAccount, deleteCandidate, sandboxToken, setSettings, upstreamJson } from "../helpers/sandbox";

const PROFILES = "/soap/profiles/v1";
const ALL = ["contact", "education", "experience", "ats_application_histories", "donotcontact_info", "tags", "notes", "custom_data"];

let clientId: string;
let token: string;

async function profiles(ids: string[], include?: string[]) {
  return upstreamJson(PROFILES, { token, body: include ? { ids, include } : { ids } });
}

async function one(id: string, include?: string[]) {
  const res = await profiles([id], include);
  expect(res.status).toBe(200);
  return res.json.result.Candidates[0].Candidate;
}

beforeAll(async () => {
  // A fixed client id: the default seed is deterministic, so the shape assertions below are too.
  ({ client_id: clientId } = await createAccount("profiles-shapes", "profiles-shapes"));
  token = await sandboxToken(clientId);
});

describe("Talemetry's samples", () => {
  it("renders Lena Guenis with experience, education and applications exactly as the full fixture", async () => {
    const res = await profiles([DEMO.lena.record.id], ["experience", "education", "ats_application_histories"]);
    expect(res.status).toBe(200);
    expect(res.json).toEqual(fullFixture);
  });

  it("renders her notes, tags and custom fields exactly as the notes/tags/custom fixture's UserArea", async () => {
    const candidate = await one(DEMO.lena.record.id, ["notes", "tags", "custom_data"]);
    const expected = notesFixture.result.Candidates[0].Candidate.UserArea;
    // Lena keeps her UserArea under Resume (as in the full fixture); the content is the sample's.
    expect(candidate.Resume.UserArea).toEqual(expected);
    expect(JSON.stringify(Object.keys(candidate.Resume.UserArea))).toBe(JSON.stringify(Object.keys(expected)));
  });
});

describe("include", () => {
  it("without include: ContactInfo only", async () => {
    const c = await one(DEMO.maya.record.id);
    expect(Object.keys(c.Resume.StructuredXMLResume)).toEqual(["ContactInfo"]);
    expect(c.UserArea).toBeUndefined();
    expect(c.Resume.UserArea).toBeUndefined();
    expect(c.Resume.StructuredXMLResume.ContactInfo).toEqual({
      PersonName: { FormattedName: "Maya Ortiz", GivenName: "Maya", FamilyName: "Ortiz" },
      ContactMethod: {
        Use: "personal",
        Mobile: { InternationalCountryCode: "1", AreaCityCode: "415", SubscriberNumber: "5550142" },
        InternetEmailAddress: "maya.ortiz@example.com",
        PostalAddress: {
          CountryCode: "US",
          PostalCode: "94110",
          Region: "CA",
          Municipality: "San Francisco",
          DeliveryAddress: { AddressLine: "2150 Mission St" },
        },
      },
    });
  });

  it("`contact` alone adds nothing beyond ContactInfo", async () => {
    expect(await one(DEMO.maya.record.id, ["contact"])).toEqual(await one(DEMO.maya.record.id));
  });

  // Maya keeps her UserArea under Candidate; each option must add exactly its own keys.
  it.each([
    ["experience", ["EmploymentHistory"], []],
    ["education", ["EducationHistory"], []],
    ["ats_application_histories", [], ["RelatedPositionPostings", "Referrals"]],
    ["notes", [], ["Notes"]],
    ["tags", [], ["Tags"]],
    ["custom_data", [], ["sms_consent", "email_consent", "Lifecycle"]],
    ["donotcontact_info", [], ["DoNotContact", "DoNotHire"]],
  ])("`%s` adds exactly %j to the resume and %j to UserArea", async (option, resumeKeys, areaKeys) => {
    const c = await one(DEMO.maya.record.id, [option]);
    expect(Object.keys(c.Resume.StructuredXMLResume)).toEqual(["ContactInfo", ...resumeKeys]);
    if (areaKeys.length) expect(Object.keys(c.UserArea)).toEqual(areaKeys);
    else expect(c.UserArea).toBeUndefined();
  });

  it("renders each block of the TalentLynk example person", async () => {
    const c = await one(DEMO.maya.record.id, ALL);
    const resume = c.Resume.StructuredXMLResume;
    expect(resume.EmploymentHistory.EmployerOrg).toMatchObject({
      EmployerOrgName: "Example Health",
      PositionHistory: { Title: "Staff Nurse", EndDate: { StringDate: "current" } },
    });
    expect(resume.EducationHistory).toBeNull();
    expect(c.UserArea.sms_consent.Value).toBe("Yes");
    expect(c.UserArea.email_consent.Value).toBe("Yes");
    expect(c.UserArea.DoNotContact).toEqual({ Value: "No", UpdatedAt: "2024-06-01 09:00:00 UTC" });
    expect(c.UserArea.Notes.Note).toMatchObject({ AuthorEmail: "amy@agency.example" });
    expect(c.UserArea.Tags).toEqual({ Tag: "bilingual" });
    expect(c.UserArea.Lifecycle).toEqual({ State: "applicant" });
  });

  it("refuses an unknown include option with 422", async () => {
    const res = await profiles([DEMO.maya.record.id], ["everything"]);
    expect(res.status).toBe(422);
    expect(res.json.error.code).toBe("invalid");
  });
});

describe("ids", () => {
  it("keeps the order asked, answers each id once, omits unknown ids", async () => {
    const ids = [DEMO.oliver.record.id, "00000000-0000-1000-8000-000000000000", DEMO.maya.record.id, DEMO.oliver.record.id];
    const res = await profiles(ids);
    expect(res.status).toBe(200);
    const got = res.json.result.Candidates.map((c: any) => c.Candidate.CandidateRecordInfo.Id.IdValue);
    expect(got).toEqual([DEMO.oliver.record.id, DEMO.maya.record.id]);
  });

  it("omits deleted candidates", async () => {
    const { client_id: own } = await createAccount("profiles-del");
    const ownToken = await sandboxToken(own);
    await deleteCandidate(own, DEMO.robin.record.id);
    const res = await upstreamJson(PROFILES, { token: ownToken, body: { ids: [DEMO.robin.record.id, DEMO.maya.record.id] } });
    expect(res.json.result.Candidates).toHaveLength(1);
    expect(res.json.result.Candidates[0].Candidate.CandidateRecordInfo.Id.IdValue).toBe(DEMO.maya.record.id);
  });

  it("answers an empty list for no ids or only unknown ones", async () => {
    expect((await profiles([])).json).toEqual({ result: { Candidates: [] } });
    expect((await profiles(["nope"])).json).toEqual({ result: { Candidates: [] } });
  });

  it("takes 50 ids and refuses 51 with 422", async () => {
    const ids = Array.from({ length: 50 }, (_, i) => `id-${i}`);
    expect((await profiles(ids)).status).toBe(200);
    const res = await profiles([...ids, "one-more"]);
    expect(res.status).toBe(422);
    expect(res.json.error).toMatchObject({ code: "invalid" });
    expect(res.json.error.message).toMatch(/50/);
  });

  it("refuses a body without ids (422) or not JSON (400)", async () => {
    expect((await upstreamJson(PROFILES, { token, body: { include: ["notes"] } })).status).toBe(422);
    expect((await upstreamJson(PROFILES, { token, method: "POST" })).status).toBe(400);
  });

  it("answers `Candidates` as a bare object for one candidate when the account is set so", async () => {
    const { client_id: own } = await createAccount("profiles-obj");
    await setSettings(own, { singleCandidateAsObject: true });
    const ownToken = await sandboxToken(own);
    const single = await upstreamJson(PROFILES, { token: ownToken, body: { ids: [DEMO.maya.record.id] } });
    expect(single.json.result.Candidates.Candidate.CandidateRecordInfo.Id.IdValue).toBe(DEMO.maya.record.id);
    const two = await upstreamJson(PROFILES, { token: ownToken, body: { ids: [DEMO.maya.record.id, DEMO.lena.record.id] } });
    expect(Array.isArray(two.json.result.Candidates)).toBe(true);
  });
});

describe("the default seed's shapes", () => {
  let candidates: any[];

  beforeAll(async () => {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await upstreamJson("/match/v1/people/ids", { token, body: { PageSize: 500, Cursor: cursor } });
      ids.push(...page.json.result.Ids);
      cursor = page.json.result.Cursor;
    } while (cursor);
    candidates = [];
    for (let i = 0; i < ids.length; i += 50) {
      const res = await profiles(ids.slice(i, i + 50), ALL);
      candidates.push(...res.json.result.Candidates.map((c: any) => c.Candidate));
    }
  });

  const area = (c: any) => c.UserArea ?? c.Resume.UserArea;
  const kinds = (values: unknown[]) => new Set(values.map((v) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v)));

  it("has every current candidate", () => {
    expect(candidates.length).toBeGreaterThan(220);
    expect(candidates.length).toBeLessThanOrEqual(240);
  });

  it.each([
    ["ContactMethod", (c: any) => c.Resume.StructuredXMLResume.ContactInfo.ContactMethod],
    ["EmployerOrg", (c: any) => c.Resume.StructuredXMLResume.EmploymentHistory?.EmployerOrg],
    ["SchoolOrInstitution", (c: any) => c.Resume.StructuredXMLResume.EducationHistory?.SchoolOrInstitution],
    ["Note", (c: any) => area(c).Notes?.Note],
    ["Tag", (c: any) => area(c).Tags?.Tag],
    ["RelatedPositionPosting", (c: any) => area(c).RelatedPositionPostings?.RelatedPositionPosting],
  ])("has %s both as an object (or string) and as an array", (_name, pick) => {
    const seen = kinds(candidates.map(pick).filter((v) => v !== undefined && v !== null));
    expect(seen.has("array")).toBe(true);
    expect(seen.has("object") || seen.has("string")).toBe(true);
  });

  it("has null blocks: no ContactMethod, no notes, no tags, no employment", () => {
    expect(candidates.some((c) => c.Resume.StructuredXMLResume.ContactInfo.ContactMethod === null)).toBe(true);
    expect(candidates.some((c) => area(c).Notes === null)).toBe(true);
    expect(candidates.some((c) => area(c).Tags === null)).toBe(true);
    expect(candidates.some((c) => c.Resume.StructuredXMLResume.EmploymentHistory === null)).toBe(true);
  });

  it("puts UserArea under Candidate for some and under Resume for others", () => {
    expect(candidates.some((c) => c.UserArea && !c.Resume.UserArea)).toBe(true);
    expect(candidates.some((c) => c.Resume.UserArea && !c.UserArea)).toBe(true);
  });

  it("has consent custom fields with Yes and No, DoNotContact Yes and No, lifecycle states", () => {
    const values = (key: string) => new Set(candidates.map((c) => area(c)[key]?.Value));
    for (const key of ["sms_consent", "email_consent", "DoNotContact"]) {
      expect(values(key)).toContain("Yes");
      expect(values(key)).toContain("No");
    }
    const consent = candidates.map((c) => area(c).sms_consent).find(Boolean);
    expect(consent.UpdatedAt).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
    expect(new Set(candidates.map((c) => area(c).Lifecycle.State)).size).toBeGreaterThan(3);
  });

  it("writes notes by the account's users", () => {
    const notes = candidates.flatMap((c) => [area(c).Notes?.Note ?? []].flat());
    expect(notes.length).toBeGreaterThan(50);
    for (const note of notes) {
      expect(note.Id).toMatch(/^[0-9a-f-]{36}$/);
      expect(note.DateTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
      expect(note.AuthorEmail).toMatch(/@/);
    }
  });
});
