/**
 * Fixed data every seeded account contains (unless seeded with `demo: false`): the Talemetry users and
 * a handful of documented demo candidates with stable ids, names, emails and phones. README examples and
 * tests rely on these; `e164` lists what a correct phone normalizer should derive from the stored,
 * deliberately messy parts (see sandbox/README.md). Pure data: tests import it directly.
 */
import { type CandidateRecord, emptyRecord } from "./records";

export interface SandboxUser {
  Id: string;
  Name: string;
  Email: string;
  Active: boolean;
}

/** The account's Talemetry users (contract §6). Note authors must be one of these emails (§5). */
export const SANDBOX_USERS: readonly SandboxUser[] = [
  { Id: "u-123", Name: "Amy Recruiter", Email: "amy@agency.example", Active: true },
  { Id: "u-124", Name: "Ben Sourcer", Email: "ben@agency.example", Active: true },
  { Id: "u-125", Name: "Chloé Martin", Email: "chloe.martin@agency.example", Active: true },
  { Id: "u-126", Name: "Diego Hernández", Email: "diego@agency.example", Active: true },
  { Id: "u-127", Name: "Erin Walsh", Email: "erin.walsh@agency.example", Active: false },
  { Id: "u-128", Name: "Farah Khan", Email: "farah@agency.example", Active: true },
  { Id: "u-129", Name: "Mauricio Galvao", Email: "mauricio.galvao@jobvite-inc.com", Active: true },
  { Id: "u-130", Name: "Ihor Kobets", Email: "ikobets+source@talemetry.com", Active: true },
  { Id: "u-131", Name: "Grace Okafor", Email: "grace.okafor@agency.example", Active: false },
  { Id: "u-132", Name: "Hiro Tanaka", Email: "hiro@agency.example", Active: true },
  { Id: "u-133", Name: "Isla Murray", Email: "isla@agency.example", Active: true },
  { Id: "u-134", Name: "Jon Archer", Email: "jon.archer@agency.example", Active: false },
];

/** The user with this email, compared case-insensitively (emails are case-insensitive in practice). */
export function findUser(email: string): SandboxUser | undefined {
  const key = email.trim().toLowerCase();
  return SANDBOX_USERS.find((u) => u.Email.toLowerCase() === key);
}

export interface DemoCandidate {
  record: CandidateRecord;
  /** Time of the candidate's `created` event. */
  createdAt: number;
  /** Times of its seeded `updated` events. */
  updatedAt: number[];
  /** The E.164 numbers a correct normalizer derives from the stored parts (unusable parts excluded). */
  e164: string[];
  /** What the candidate is there to exercise. */
  purpose: string;
}

const t = (iso: string) => Date.parse(iso);
const LENA_FIELD_TIME = "2024-11-12 18:07:28 UTC";

/** Shared by every demo candidate that has no reason to differ. */
function base(id: string, given: string, family: string): CandidateRecord {
  return {
    ...emptyRecord(id),
    name: { formatted: `${given} ${family}`, given, family },
    lifecycle: "prospect",
    doNotContact: { Value: "No", UpdatedAt: "2024-06-01 09:00:00 UTC" },
    doNotHire: { Value: "No", UpdatedAt: "2024-06-01 09:00:00 UTC" },
    source: "career_site",
    userAreaOn: "Candidate",
  };
}

const consent = (sms: "Yes" | "No", email: "Yes" | "No", at: string): CandidateRecord["custom"] => [
  ["sms_consent", { Value: sms, UpdatedAt: at }],
  ["email_consent", { Value: email, UpdatedAt: at }],
];

/**
 * Lena Guenis is Talemetry's own sample candidate (test/fixtures): rendered with
 * `experience, education, ats_application_histories` she is byte-for-byte the full fixture, and her
 * `UserArea` with `notes, tags, custom_data` equals the notes/tags/custom fixture's.
 */
const lena: DemoCandidate = {
  createdAt: t("2024-11-12T18:07:28Z"),
  updatedAt: [t("2024-11-13T17:07:36Z"), t("2024-11-18T21:51:27Z")],
  // "972" + "523226650" is 12 digits: not a possible NANP number, so only the mobile resolves.
  e164: ["+12261112222"],
  purpose: "Talemetry's own sample; a too-long US number; UserArea under Resume; arrays everywhere",
  record: {
    ...base("fb2270a0-a120-11ef-a2d8-e203fa7852fa", "Lena", "Guenis"),
    contact: [
      {
        Use: "personal",
        Telephone: { InternationalCountryCode: "1", AreaCityCode: "972", SubscriberNumber: "523226650" },
        Mobile: { InternationalCountryCode: "1", AreaCityCode: "226", SubscriberNumber: "1112222" },
        InternetEmailAddress: "ikobets+lena_g@talemetry.com",
        PostalAddress: {
          CountryCode: "IL",
          PostalCode: "75293",
          Region: "TX",
          Municipality: "Rishon Lezion,,, Israel",
          DeliveryAddress: { AddressLine: null },
        },
      },
    ],
    jobs: [
      {
        org: "Investment Technology Group Brokerage From",
        title: "Qa Manager",
        country: "US",
        description:
          "Qa Manager, Israel ITG-and financial technology)\u00b7 Managing MKD QA in Europe\u00b7 Responsible for initialization EU MKD QA and managing Automation QA persons, working in an Agile team and doing both manual and automated testing. The role also includes coordination between US QA and EU PM.\u00b7 Automation QA projects\u00b7 Responsible for all aspects of automation, includes creating, executing and maintaining tests\u00b7 Managing the relationship with US and AP Team on daily basis\u00b7 Managing manual QA person for tests executing and maintaining. The role includes training and follow up the process.\u00b7 Creating the automation frameworks\u00b7 Providing training to QA people for their products\u00b7 Other Activities\u00b7 Organizing Internal Workshop for(average mark of 85)\u00b7 Changing ITG Automation tool from QTP to Test Complete-responsible for initialization and implementation by gathering and comparing information and evaluating the tool",
        start: "2006-01",
        end: "current",
      },
      {
        org: "Investment Technology Group Brokerage From",
        title: "Manager of Automation",
        description: "Manager Of Automation",
        start: "2004-01",
        end: "2006-01",
      },
      {
        org: "Investment Technology Group Brokerage From",
        title: "Team Leader",
        description:
          "Team Leader, Israel Intelligence Corps Load Responsible for initialization and implementing Load Tests and Automation projects\u00b7 Managed a team of 2 people(1 QA and 1 developer)",
        start: "2004-01",
        end: "2005-01",
      },
      {
        org: "CMSC",
        title: "Consultant, Comsec",
        description:
          "Consultant, Comsec(CMSC)-Security Senior Security Consult Responsible for software security consulting to clients: Poland PKO Bank, Israeli Defense Force\u00b7 Application Modification Security Standards\u00b7 Planning and Management security tests in Test Director\u00b7 Laptops Hardening Security Standards\u00b7 Gathering and Analysis security requirements. Proposing integrative solution, includes security and bank's systems",
        start: "2003-01",
        end: "2004-01",
      },
      {
        org: "IDF C4I Branch",
        title: "Research Officer, Idf",
        description:
          "Research Officer, Managed a team of 4 developers\u00b7 Management of Security Projects\u00b7 Integration of DWH with Anti-Virus, Audit, FW, Identity Managers, Vulnerability Scanners\u00b7 Implementation and Maintenance of Symantec Antivirus and IIS",
        start: "1999-01",
        end: "2003-01",
      },
      {
        org: "Ort Braude College IDF C4I Branch",
        title: "Teacher",
        description: "Teacher",
        start: "2001-01",
        end: "2002-01",
      },
    ],
    schools: [
      {
        type: "university",
        name: null,
        degree: "M.B.A",
        year: "2009",
        major: "BUSINESS ADMINISTRATION",
        from: "2008",
        to: "2009",
      },
    ],
    apps: [
      {
        application_date: "2024-11-10",
        DispositionReasonName: "New",
        DispositionStatusCode: "020",
        DispositionStatusName: "020 Applied",
        DepartmentName: "HR",
        DispositionDate: "2024-11-11",
        Id: "grfammed",
        PostingTitle: "Family Medicine",
        app_source_id: "INDEED",
        app_source_name: "INDEED",
        app_subsource_search_id: "INDEED",
        app_subsource_search_name: "INDEED",
        company_source: "INDEED",
      },
      {
        application_date: "2024-04-19",
        DispositionReasonName: "New",
        DispositionStatusCode: "020",
        DispositionStatusName: "020 Applied",
        DispositionDate: "2024-06-03",
        Id: "15sep",
        PostingTitle: "15sepArraow-edited",
        app_source_id: "INDEED",
        app_source_name: "INDEED",
        app_subsource_search_id: "INDEED",
        app_subsource_search_name: "INDEED",
        company_source: "INDEED",
      },
    ],
    notes: [
      {
        Id: "8a1f12ae-1250-49f5-b8f1-139f43dfef2d",
        Text: "testtt",
        DateTime: "2024-11-13T17:07:36+00:00",
        AuthorEmail: "mauricio.galvao@jobvite-inc.com",
      },
      {
        Id: "e0a929c8-ee24-49c9-9ade-e82124a8090d",
        Text: "fgsdfgs fgs",
        DateTime: "2024-11-18T21:51:27+00:00",
        AuthorEmail: "ikobets+source@talemetry.com",
      },
    ],
    tags: ["adsfad fadfadfasdfas", "advertising creative services"],
    custom: [
      ["DesiredCompensation", { Value: "100", UpdatedAt: LENA_FIELD_TIME }],
      ["email_consent", { Value: "Yes", UpdatedAt: LENA_FIELD_TIME }],
      ["multivalue_list", { Value: { Value: ["Retail", "Marketing", "Wholesale"] }, UpdatedAt: LENA_FIELD_TIME }],
      ["Relocate", { Value: "Yes", UpdatedAt: LENA_FIELD_TIME }],
      ["sms_consent", { Value: "Yes", UpdatedAt: LENA_FIELD_TIME }],
      ["Travel", { Value: "N", UpdatedAt: LENA_FIELD_TIME }],
      ["BusinessUnit", { Value: "sales", UpdatedAt: LENA_FIELD_TIME }],
      ["Department", { Value: "KTECH", UpdatedAt: LENA_FIELD_TIME }],
      ["primary_brand", { Value: "1709", UpdatedAt: LENA_FIELD_TIME }],
      ["primary_locale", { Value: "es", UpdatedAt: LENA_FIELD_TIME }],
    ],
    audience: ["techstaff", "college"],
    lifecycle: "applicant",
    source: "indeed",
    userAreaOn: "Resume",
  },
};

/** The person of the TalentLynk contract's example (docs/contracts/v1-api.md, "Entities"). */
const maya: DemoCandidate = {
  createdAt: t("2024-09-12T15:30:00Z"),
  updatedAt: [t("2024-10-02T08:15:00Z")],
  e164: ["+14155550142"],
  purpose: "the TalentLynk contract's example person; every UserArea list holds one item (objects)",
  record: {
    ...base("0290bb50-7113-11ef-9c70-b6a35a531041", "Maya", "Ortiz"),
    contact: [
      {
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
    ],
    jobs: [{ org: "Example Health", title: "Staff Nurse", start: "2021-03", end: "current", country: "US" }],
    apps: [
      {
        application_date: "2024-09-12",
        DispositionReasonName: "New",
        DispositionStatusCode: "030",
        DispositionStatusName: "030 Phone Screen",
        DepartmentName: "Nursing",
        DispositionDate: "2024-09-20",
        Id: "rn-icu-2024",
        PostingTitle: "ICU Registered Nurse",
        app_source_id: "CAREER_SITE",
        app_source_name: "Career Site",
        company_source: "CAREER_SITE",
      },
    ],
    notes: [
      {
        Id: "3b0f6f0e-9c43-4c55-9a3e-6f1b8d3c2a11",
        Text: "Prefers night shifts; available from January.",
        DateTime: "2024-10-02T08:15:00+00:00",
        AuthorEmail: "amy@agency.example",
      },
    ],
    tags: ["bilingual"],
    custom: consent("Yes", "Yes", "2024-09-12 15:30:00 UTC"),
    lifecycle: "applicant",
  },
};

/** A UK mobile stored national-only (trunk 0, no country code): only the address says GB (+44). */
const oliver: DemoCandidate = {
  createdAt: t("2024-10-08T11:00:00Z"),
  updatedAt: [],
  e164: ["+447700900123"],
  purpose: "GB mobile stored national-only (07700 900123), no InternationalCountryCode",
  record: {
    ...base("902b3f8e-8bd6-11ef-b7ce-b24f8d2e4b83", "Oliver", "Bennett"),
    contact: [
      {
        Use: "personal",
        Mobile: { AreaCityCode: "07700", SubscriberNumber: "900123" },
        InternetEmailAddress: "oliver.bennett@example.co.uk",
        PostalAddress: {
          CountryCode: "GB",
          PostalCode: "SW1A 1AA",
          Region: "Greater London",
          Municipality: "London",
          DeliveryAddress: { AddressLine: null },
        },
      },
    ],
    jobs: [{ org: "Brightwell Care", title: "Care Assistant", start: "2022-05", end: "current" }],
    custom: consent("No", "Yes", "2024-10-08 11:00:00 UTC"),
  },
};

/** An Indian mobile with the country code but no area code and a hyphen in the subscriber part. */
const priya: DemoCandidate = {
  createdAt: t("2024-07-22T06:45:00Z"),
  updatedAt: [],
  e164: ["+919876543210"],
  purpose: "IN mobile: country code, no area code, punctuated subscriber number; UserArea under Resume",
  record: {
    ...base("4f6c2a10-5b3e-11ef-8a41-0242ac120002", "Priya", "Raman"),
    contact: [
      {
        Use: "personal",
        Mobile: { InternationalCountryCode: "91", SubscriberNumber: "98765-43210" },
        InternetEmailAddress: "priya.raman@example.in",
        PostalAddress: {
          CountryCode: "IN",
          PostalCode: "560001",
          Region: "Karnataka",
          Municipality: "Bengaluru",
          DeliveryAddress: { AddressLine: null },
        },
      },
    ],
    jobs: [{ org: "Infosys", title: "Senior Software Engineer", start: "2019-08", end: "current", country: "IN" }],
    custom: consent("No", "Yes", "2024-07-22 06:45:00 UTC"),
    userAreaOn: "Resume",
  },
};

/** Two contact methods (an array): a Berlin landline with "(0)" and an extension, and a mobile. */
const lukas: DemoCandidate = {
  createdAt: t("2024-05-14T13:20:00Z"),
  updatedAt: [t("2024-08-01T10:00:00Z")],
  e164: ["+4930901820", "+4915123456789"],
  purpose: 'DE: "(0)30" area with extension, separate mobile ContactMethod; DoNotContact Yes',
  record: {
    ...base("6a1d7c3e-3f2a-11ef-9b1c-0242ac120003", "Lukas", "Becker"),
    contact: [
      {
        Use: "business",
        Telephone: { InternationalCountryCode: "49", AreaCityCode: "(0)30", SubscriberNumber: "901820", Extension: "7" },
        InternetEmailAddress: "lukas.becker@example.de",
        PostalAddress: {
          CountryCode: "DE",
          PostalCode: "10115",
          Region: "Berlin",
          Municipality: "Berlin",
          DeliveryAddress: { AddressLine: ["Invalidenstraße 117", "3. OG"] },
        },
      },
      { Use: "personal", Mobile: { InternationalCountryCode: "49", AreaCityCode: "0151", SubscriberNumber: "2345 6789" } },
    ],
    jobs: [
      { org: "Siemens", title: "Elektroniker", start: "2018-09", end: "current", country: "DE" },
      { org: "Deutsche Bahn", title: "Auszubildender", start: "2015-09", end: "2018-08", country: "DE" },
    ],
    custom: consent("No", "No", "2024-08-01 10:00:00 UTC"),
    doNotContact: { Value: "Yes", UpdatedAt: "2024-08-01 10:00:00 UTC" },
  },
};

/** A French mobile keeping its trunk "0" next to the country code, and a mixed-case email. */
const camille: DemoCandidate = {
  createdAt: t("2024-03-03T09:10:00Z"),
  updatedAt: [],
  e164: ["+33612345678"],
  purpose: 'FR: country code 33 with trunk "06" kept; mixed-case email (conflicts are case-insensitive)',
  record: {
    ...base("7c3e9b20-2e11-11ef-a7d4-0242ac120004", "Camille", "Laurent"),
    contact: [
      {
        Use: "personal",
        Mobile: { InternationalCountryCode: "33", AreaCityCode: "06", SubscriberNumber: "12 34 56 78" },
        InternetEmailAddress: "Camille.Laurent@Example.FR",
      },
    ],
    custom: consent("Yes", "No", "2024-03-03 09:10:00 UTC"),
    tags: ["hospitality", "paris", "weekend"],
  },
};

const DALLAS = {
  CountryCode: "US",
  PostalCode: "75201",
  Region: "TX",
  Municipality: "Dallas",
  DeliveryAddress: { AddressLine: "1900 Elm St" },
};

/** Jordan and Taylor Lee share one household number, written two different ways. */
const jordan: DemoCandidate = {
  createdAt: t("2024-02-10T17:00:00Z"),
  updatedAt: [],
  e164: ["+19725550177"],
  purpose: "shares +19725550177 with Taylor Lee; area code in parentheses, hyphenated subscriber",
  record: {
    ...base("8d4f0e30-1c55-11ef-b3e2-0242ac120005", "Jordan", "Lee"),
    contact: [
      {
        Use: "personal",
        Telephone: { InternationalCountryCode: "1", AreaCityCode: "(972)", SubscriberNumber: "555-0177" },
        InternetEmailAddress: "jordan.lee@example.com",
        PostalAddress: DALLAS,
      },
    ],
    custom: consent("Yes", "Yes", "2024-02-10 17:00:00 UTC"),
  },
};

const taylor: DemoCandidate = {
  createdAt: t("2024-02-11T17:00:00Z"),
  updatedAt: [],
  e164: ["+19725550177"],
  purpose: "shares +19725550177 with Jordan Lee; the whole national number in SubscriberNumber",
  record: {
    ...base("8d4f0e31-1c55-11ef-b3e2-0242ac120006", "Taylor", "Lee"),
    contact: [
      {
        Use: "personal",
        Telephone: { SubscriberNumber: "972.555.0177" },
        InternetEmailAddress: "taylor.lee@example.com",
        PostalAddress: DALLAS,
      },
    ],
    custom: consent("No", "Yes", "2024-02-11 17:00:00 UTC"),
  },
};

/** Nothing dialable: garbage phone text and nulls. */
const robin: DemoCandidate = {
  createdAt: t("2024-01-05T12:00:00Z"),
  updatedAt: [],
  e164: [],
  purpose: 'garbage phones ("n/a", "call me", "123") and null Use/parts',
  record: {
    ...base("9e5a1f40-0b77-11ef-8c9f-0242ac120007", "Robin", "Doe"),
    contact: [
      {
        Use: "personal",
        Telephone: { SubscriberNumber: "n/a" },
        Mobile: { SubscriberNumber: "call me" },
        InternetEmailAddress: "robin.doe@example.com",
      },
      { Use: null, Fax: { InternationalCountryCode: null, AreaCityCode: null, SubscriberNumber: "123" } },
    ],
    lifecycle: null,
    doNotContact: null,
    doNotHire: null,
    source: null,
  },
};

/** The demo candidates by short name, e.g. `DEMO.maya.record.id`. */
export const DEMO = { lena, maya, oliver, priya, lukas, camille, jordan, taylor, robin } as const;
export type DemoName = keyof typeof DEMO;

/** In seeding order. Seeding N candidates includes the first min(N, 9) of these (unless `demo: false`). */
export const DEMO_CANDIDATES: readonly DemoCandidate[] = Object.values(DEMO);
