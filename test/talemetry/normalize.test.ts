// The HR-XML schemas and the pure normalizer: both real fixtures from the contract, then the dirty
// shapes the contract warns about (object-or-array, nulls, numbers, garbage phones, UserArea twice).
import { describe, expect, it } from "vitest";
import { type HrxmlCandidate, parseCandidateBody, parseProfilesBody } from "../../src/talemetry/hrxml";
import { normalizeCandidate } from "../../src/talemetry/normalize";
import full from "../fixtures/talemetry-profile-full.json";
import notesTagsCustom from "../fixtures/talemetry-profile-notes-tags-custom.json";

const GUID = "fb2270a0-a120-11ef-a2d8-e203fa7852fa";

/** Parses one candidate body (`{"Candidate": ...}` content) and normalizes it for region US. */
function details(candidate: unknown, defaultRegion: string | null = "US") {
  const parsed = parseProfilesBody({ result: { Candidates: { Candidate: candidate } } });
  expect(parsed.rejected).toBe(0);
  return normalizeCandidate(parsed.candidates[0] as HrxmlCandidate, { defaultRegion });
}

function withContact(contactInfo: unknown, extra: Record<string, unknown> = {}) {
  return {
    CandidateRecordInfo: { Id: { IdValue: GUID } },
    Resume: { StructuredXMLResume: { ContactInfo: contactInfo } },
    ...extra,
  };
}

describe("fixture talemetry-profile-full.json", () => {
  const parsed = parseProfilesBody(full);
  const d = normalizeCandidate(parsed.candidates[0], { defaultRegion: "US" });

  it("parses the single candidate", () => {
    expect(parsed).toMatchObject({ rejected: 0 });
    expect(parsed.candidates).toHaveLength(1);
    expect(d.id).toBe(GUID);
  });

  it("reads name, email, current employer and a one-line address", () => {
    expect(d).toMatchObject({
      name: "Lena Guenis",
      first_name: "Lena",
      last_name: "Guenis",
      emails: ["ikobets+lena_g@talemetry.com"],
      company: "Investment Technology Group Brokerage From",
      title: "Qa Manager",
      address: "Rishon Lezion, Israel, TX 75293, IL",
      // Talemetry's samples hold no web address (HR-XML's ContactMethod.InternetWebAddress).
      websites: [],
    });
  });

  it("keeps the over-long Telephone as raw text and resolves the Mobile", () => {
    expect(d.phones).toEqual([
      // 1 + 972 + 523226650 has 12 national digits: not possible for +1, so the stored text is kept.
      { number: "1 972 523226650", type: "home", valid: false, raw: "1 972 523226650" },
      { number: "+12261112222", type: "mobile", valid: true, raw: "1 226 1112222" },
    ]);
  });

  it("reads applications from the Resume-level UserArea", () => {
    expect(d.applications).toEqual([
      { id: "grfammed", posting_title: "Family Medicine", applied_at: "2024-11-10", status: "020 Applied", disposition_date: "2024-11-11" },
      { id: "15sep", posting_title: "15sepArraow-edited", applied_at: "2024-04-19", status: "020 Applied", disposition_date: "2024-06-03" },
    ]);
  });

  it("has no notes, tags, consent or lifecycle when those blocks were not included", () => {
    expect(d).toMatchObject({
      notes: [],
      tags: [],
      lifecycle: null,
      do_not_contact: false,
      consent: { sms: null, email: null },
    });
  });
});

describe("fixture talemetry-profile-notes-tags-custom.json", () => {
  const parsed = parseProfilesBody(notesTagsCustom);
  const d = normalizeCandidate(parsed.candidates[0], { defaultRegion: "US" });

  it("reads notes, tags, consent and lifecycle from the Candidate-level UserArea", () => {
    expect(d.notes).toEqual([
      {
        id: "8a1f12ae-1250-49f5-b8f1-139f43dfef2d",
        text: "testtt",
        date_time: "2024-11-13T17:07:36+00:00",
        author_email: "mauricio.galvao@jobvite-inc.com",
      },
      {
        id: "e0a929c8-ee24-49c9-9ade-e82124a8090d",
        text: "fgsdfgs fgs",
        date_time: "2024-11-18T21:51:27+00:00",
        author_email: "ikobets+source@talemetry.com",
      },
    ]);
    expect(d.tags).toEqual(["adsfad fadfadfasdfas", "advertising creative services"]);
    expect(d.consent).toEqual({ sms: "yes", email: "yes" });
    expect(d.lifecycle).toBe("applicant");
  });

  it("has no phones, employer or address", () => {
    expect(d).toMatchObject({ phones: [], company: null, title: null, address: null, emails: ["ikobets+lena_g@talemetry.com"] });
  });
});

describe("envelopes", () => {
  const candidate = (id: string) => ({ CandidateRecordInfo: { Id: { IdValue: id } } });

  it("accepts Candidates as an array, an object, {Candidate: [...]}, null or absent", () => {
    expect(
      parseProfilesBody({ result: { Candidates: [{ Candidate: candidate("a") }, { Candidate: candidate("b") }] } }).candidates,
    ).toHaveLength(2);
    expect(parseProfilesBody({ result: { Candidates: { Candidate: candidate("a") } } }).candidates).toHaveLength(1);
    expect(parseProfilesBody({ result: { Candidates: { Candidate: [candidate("a"), candidate("b")] } } }).candidates).toHaveLength(2);
    expect(parseProfilesBody({ result: { Candidates: null } })).toEqual({ candidates: [], rejected: 0 });
    expect(parseProfilesBody({ result: {} })).toEqual({ candidates: [], rejected: 0 });
    expect(parseProfilesBody(null)).toEqual({ candidates: [], rejected: 0 });
  });

  it("rejects only the candidates without a GUID, keeping the others", () => {
    const parsed = parseProfilesBody({
      result: {
        Candidates: [
          { Candidate: candidate("ok") },
          { Candidate: { CandidateRecordInfo: { Id: { IdValue: "" } } } },
          { Candidate: { CandidateRecordInfo: null } },
          { Candidate: { CandidateRecordInfo: { Id: { IdValue: 12345 } } } },
          "garbage",
        ],
      },
    });
    expect(parsed.candidates.map((c) => c.CandidateRecordInfo.Id.IdValue)).toEqual(["ok"]);
    expect(parsed.rejected).toBe(4);
  });

  it("reads the single candidate of a contact update response", () => {
    expect(parseCandidateBody({ result: { Candidate: candidate("x") } })?.CandidateRecordInfo.Id.IdValue).toBe("x");
    expect(parseCandidateBody({ result: {} })).toBeNull();
  });

  it("keeps unknown and namespaced keys", () => {
    const parsed = parseProfilesBody(full).candidates[0] as Record<string, unknown>;
    expect(parsed["xmlns:xsi"]).toBe("http://www.w3.org/2001/XMLSchema-instance");
  });
});

describe("normalizeCandidate on dirty data", () => {
  it("survives a candidate that has nothing but its GUID", () => {
    expect(details({ CandidateRecordInfo: { Id: { IdValue: ` ${GUID} ` } }, Resume: null, UserArea: null })).toEqual({
      id: GUID,
      name: "",
      first_name: null,
      last_name: null,
      emails: [],
      phones: [],
      company: null,
      title: null,
      address: null,
      websites: [],
      do_not_contact: false,
      consent: { sms: null, email: null },
      lifecycle: null,
      tags: [],
      notes: [],
      applications: [],
    });
  });

  it("builds the name from Given + Family when FormattedName is missing or blank", () => {
    expect(details(withContact({ PersonName: { FormattedName: "  ", GivenName: "Maya", FamilyName: "Ortiz" } })).name).toBe("Maya Ortiz");
    expect(details(withContact({ PersonName: { GivenName: null, FamilyName: "Ortiz" } }))).toMatchObject({
      name: "Ortiz",
      first_name: null,
      last_name: "Ortiz",
    });
    expect(details(withContact({ PersonName: null })).name).toBe("");
  });

  it("reads numbers where strings are expected and maps every phone type", () => {
    const d = details(
      withContact({
        ContactMethod: [
          { Use: "business", Telephone: { InternationalCountryCode: 1, AreaCityCode: 415, SubscriberNumber: 5550142, Extension: 12 } },
          { Use: "personal", Telephone: { AreaCityCode: "(972)", SubscriberNumber: "523-2266" } },
          { Telephone: { AreaCityCode: "212", SubscriberNumber: "5550100" } },
          { Use: "other", Telephone: { InternationalCountryCode: "44", AreaCityCode: "020", SubscriberNumber: "7946 0958" } },
          { Mobile: { InternationalCountryCode: "+44", SubscriberNumber: "7700 900123" } },
          { Fax: { InternationalCountryCode: "001", AreaCityCode: "415", SubscriberNumber: "5550199" } },
          { Pager: { FormattedNumber: "+1 (415) 555-0177" } },
        ],
      }),
    );
    expect(d.phones).toEqual([
      { number: "+14155550142", type: "work", valid: true, raw: "1 415 5550142 ext. 12" },
      { number: "+19725232266", type: "home", valid: true, raw: "(972) 523-2266" },
      { number: "+12125550100", type: "home", valid: true, raw: "212 5550100" },
      { number: "+442079460958", type: "other", valid: true, raw: "44 020 7946 0958" },
      { number: "+447700900123", type: "mobile", valid: true, raw: "+44 7700 900123" },
      { number: "+14155550199", type: "fax", valid: true, raw: "001 415 5550199" },
      { number: "+14155550177", type: "pager", valid: true, raw: "+1 (415) 555-0177" },
    ]);
  });

  it("resolves numbers without a country code in the tenant region", () => {
    const contact = withContact({ ContactMethod: { Mobile: { AreaCityCode: "07700", SubscriberNumber: "900123" } } });
    expect(details(contact, "GB").phones[0]).toMatchObject({ number: "+447700900123", valid: true });
    expect(details(contact, null).phones[0]).toMatchObject({ number: "07700 900123", valid: false });
  });

  it("resolves numbers without a country code in the candidate's address country when Talemetry holds one", () => {
    const contact = (countryCode: unknown) =>
      withContact({
        ContactMethod: [
          { Mobile: { AreaCityCode: "07700", SubscriberNumber: "900123" } },
          { Telephone: { InternationalCountryCode: "1", AreaCityCode: "415", SubscriberNumber: "5550142" } },
          { PostalAddress: { CountryCode: countryCode, Municipality: "London" } },
        ],
      });
    // A US tenant's candidate living in the UK: the national-only number is British, the +1 one stays American.
    expect(details(contact("GB"), "US").phones.map((p) => p.number)).toEqual(["+447700900123", "+14155550142"]);
    expect(details(contact("gb"), "US").phones[0]).toMatchObject({ number: "+447700900123", valid: true, raw: "07700 900123" });
    // No usable address country: the tenant's region, as before.
    expect(details(contact(null), "GB").phones[0]).toMatchObject({ number: "+447700900123", valid: true });
    expect(details(contact("United Kingdom"), "US").phones[0]).toMatchObject({ number: "07700 900123", valid: false });
    expect(details(contact("ZZ"), "US").phones[0]).toMatchObject({ number: "07700 900123", valid: false });
  });

  it("reads vanity letters, extensions and messy international forms through the one resolver", () => {
    const d = details(
      withContact({
        ContactMethod: [
          { Telephone: { FormattedNumber: "1-800-FLOWERS" } },
          { Use: "business", Telephone: { FormattedNumber: "+44 (0)20 7946 0000", Extension: "12" } },
          { Use: "business", Telephone: { FormattedNumber: "0044 161 496 0123" } },
          { Mobile: { FormattedNumber: "011 49 171 1234567" } },
        ],
      }),
    );
    expect(d.phones).toEqual([
      { number: "+18003569377", type: "home", valid: true, raw: "1-800-FLOWERS" },
      { number: "+442079460000", type: "work", valid: true, raw: "+44 (0)20 7946 0000 ext. 12" },
      { number: "+441614960123", type: "work", valid: true, raw: "0044 161 496 0123" },
      { number: "+491711234567", type: "mobile", valid: true, raw: "011 49 171 1234567" },
    ]);
  });

  it("keeps garbage phones as raw text, drops empty ones, de-duplicates identical ones", () => {
    const d = details(
      withContact({
        ContactMethod: [
          { Mobile: { SubscriberNumber: "call me after 5" } },
          { Mobile: { InternationalCountryCode: "1" } },
          { Mobile: null, Telephone: [null, {}] },
          { Mobile: { InternationalCountryCode: "1", AreaCityCode: "415", SubscriberNumber: "555-0142" } },
          { Mobile: { FormattedNumber: "+1 415 555 0142" } },
          { Mobile: "4155550142" },
          { Telephone: { AreaCityCode: "415", SubscriberNumber: "5550142" } },
        ],
      }),
    );
    expect(d.phones).toEqual([
      { number: "call me after 5", type: "mobile", valid: false, raw: "call me after 5" },
      { number: "+14155550142", type: "mobile", valid: true, raw: "1 415 555-0142" },
      // Same number, different type: both kept (a mobile is what SMS needs).
      { number: "+14155550142", type: "home", valid: true, raw: "415 5550142" },
    ]);
  });

  it("trims emails, keeps their case, de-duplicates case-insensitively and accepts lists", () => {
    const d = details(
      withContact({
        ContactMethod: [
          { InternetEmailAddress: "  Maya.Ortiz@Example.com " },
          { InternetEmailAddress: ["maya.ortiz@example.com", "maya@work.example", null, ""] },
          { InternetEmailAddress: null },
        ],
      }),
    );
    expect(d.emails).toEqual(["Maya.Ortiz@Example.com", "maya@work.example"]);
  });

  it("reads web addresses from every ContactMethod, de-duplicated; the fixtures carry none", () => {
    const d = details(
      withContact({
        ContactMethod: [
          { InternetWebAddress: " https://portfolio.example/maya " },
          { InternetWebAddress: ["HTTPS://portfolio.example/maya", "www.maya.example", null, ""], InternetEmailAddress: "m@example.com" },
          { InternetWebAddress: null },
        ],
      }),
    );
    expect(d.websites).toEqual(["https://portfolio.example/maya", "www.maya.example"]);
    expect(details(withContact({ ContactMethod: null })).websites).toEqual([]);
  });

  it("picks the current employer, else the first; PositionHistory may be a list", () => {
    const org = (name: string, title: string, end: unknown) => ({ EmployerOrgName: name, PositionHistory: { Title: title, EndDate: end } });
    const employment = (orgs: unknown) =>
      details({ ...withContact({}), Resume: { StructuredXMLResume: { EmploymentHistory: { EmployerOrg: orgs } } } });
    expect(employment([org("Old", "Nurse", { YearMonth: "2010-01" }), org("Now", "Lead", { StringDate: "Current" })])).toMatchObject({
      company: "Now",
      title: "Lead",
    });
    expect(employment(org("Only", "Clerk", null))).toMatchObject({ company: "Only", title: "Clerk" });
    expect(
      employment({
        EmployerOrgName: null,
        PositionHistory: [
          { Title: "Junior", OrgName: { OrganizationName: "Acme" }, EndDate: { YearMonth: "2019-01" } },
          { Title: "Senior", OrgName: { OrganizationName: "Acme" }, EndDate: { StringDate: "current" } },
        ],
      }),
    ).toMatchObject({ company: "Acme", title: "Senior" });
    expect(employment(null)).toMatchObject({ company: null, title: null });
  });

  it("merges UserArea from Candidate and Resume, de-duplicating notes and tags", () => {
    const note = (id: string, text: string) => ({ Id: id, Text: text, DateTime: null, AuthorEmail: null });
    const d = details({
      CandidateRecordInfo: { Id: { IdValue: GUID } },
      Resume: {
        UserArea: {
          Notes: { Note: [note("n1", "from resume"), note("n2", "only in resume")] },
          Tags: { Tag: "nurse" },
          sms_consent: { Value: "N" },
          email_consent: { Value: "true" },
          Lifecycle: { State: "lead" },
          DoNotContact: { Value: "Yes", UpdatedAt: "2024-11-12 18:07:28 UTC" },
        },
      },
      UserArea: {
        Notes: { Note: note("n1", "from candidate") },
        Tags: { Tag: ["nurse", "night shift", null, 42] },
        sms_consent: { Value: null },
        email_consent: "maybe",
        Lifecycle: { State: "applicant" },
        RelatedPositionPostings: { RelatedPositionPosting: { Id: "p1", PostingTitle: 7, application_date: null } },
      },
    });
    expect(d.notes).toEqual([
      { id: "n1", text: "from candidate", date_time: null, author_email: null },
      { id: "n2", text: "only in resume", date_time: null, author_email: null },
    ]);
    expect(d.tags).toEqual(["nurse", "night shift", "42"]);
    expect(d.consent).toEqual({ sms: "no", email: null });
    expect(d.lifecycle).toBe("applicant");
    expect(d.do_not_contact).toBe(true);
    expect(d.applications).toEqual([{ id: "p1", posting_title: "7", applied_at: null, status: null, disposition_date: null }]);
  });

  it("drops notes and applications without an id and keeps note text as written", () => {
    const d = details({
      CandidateRecordInfo: { Id: { IdValue: GUID } },
      UserArea: {
        Notes: { Note: [{ Text: "orphan" }, { Id: "n1", Text: "  two\nlines " }, { Id: "n2", Text: null }] },
        RelatedPositionPostings: { RelatedPositionPosting: [{ PostingTitle: "no id" }] },
      },
    });
    expect(d.notes.map((n) => [n.id, n.text])).toEqual([
      ["n1", "  two\nlines "],
      ["n2", ""],
    ]);
    expect(d.applications).toEqual([]);
  });

  it("builds the address from the first method that has one, tolerating lists and nulls", () => {
    const d = details(
      withContact({
        ContactMethod: [
          { PostalAddress: null },
          {
            PostalAddress: {
              Municipality: "Austin",
              Region: ["TX"],
              PostalCode: 78701,
              CountryCode: "US",
              DeliveryAddress: { AddressLine: ["1 Main St", "Suite 2"] },
            },
          },
        ],
      }),
    );
    expect(d.address).toBe("1 Main St, Suite 2, Austin, TX 78701, US");
  });
});
