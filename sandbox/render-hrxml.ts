/**
 * Renders a stored record as Talemetry's HR-XML 2007-04-15 JSON (contract §3), imitating its
 * mechanical XML→JSON conversion: a repeatable element is an object when there is one and an array when
 * there are several, an empty element is `null`, namespaced keys stay as they are. Key order follows
 * Talemetry's samples (test/fixtures) so a rendered demo candidate can be compared with them verbatim.
 */
import {
  APPLICATION_FIELDS,
  type CandidateRecord,
  type ContactMethodRecord,
  type JobRecord,
  PHONE_SLOTS,
  type SchoolRecord,
} from "./records";

export const INCLUDE_OPTIONS = [
  "contact",
  "education",
  "experience",
  "ats_application_histories",
  "donotcontact_info",
  "tags",
  "notes",
  "custom_data",
] as const;
export type IncludeOption = (typeof INCLUDE_OPTIONS)[number];

type Json = null | string | number | boolean | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** XML→JSON repetition rule: none → null, one → the item itself, several → an array. */
export function repeatable(items: Json[]): Json {
  if (items.length === 0) return null;
  return items.length === 1 ? items[0] : items;
}

/** Copies present keys in a fixed order (undefined keys are skipped, null is kept). */
function ordered(source: object, keys: readonly string[]): JsonObject {
  const out: JsonObject = {};
  const values = source as Record<string, Json | undefined>;
  for (const key of keys) if (values[key] !== undefined) out[key] = values[key] as Json;
  return out;
}

const PHONE_KEYS = ["InternationalCountryCode", "AreaCityCode", "SubscriberNumber", "Extension", "FormattedNumber"];
const ADDRESS_KEYS = ["CountryCode", "PostalCode", "Region", "Municipality", "DeliveryAddress"];

function contactMethod(cm: ContactMethodRecord): JsonObject {
  const out: JsonObject = {};
  if (cm.Use !== undefined) out.Use = cm.Use;
  for (const slot of PHONE_SLOTS) {
    const parts = cm[slot];
    if (parts) out[slot] = ordered(parts, PHONE_KEYS);
  }
  if (cm.InternetEmailAddress !== undefined) out.InternetEmailAddress = cm.InternetEmailAddress;
  if (cm.InternetWebAddress !== undefined) out.InternetWebAddress = cm.InternetWebAddress;
  if (cm.PostalAddress) out.PostalAddress = ordered(cm.PostalAddress, ADDRESS_KEYS);
  return out;
}

function contactInfo(record: CandidateRecord): JsonObject {
  const name = record.name ? { FormattedName: record.name.formatted, GivenName: record.name.given, FamilyName: record.name.family } : null;
  return { PersonName: name, ContactMethod: repeatable(record.contact.map(contactMethod)) };
}

function dateBlock(value: string | null): Json {
  if (value === null) return null;
  return value === "current" ? { StringDate: "current" } : { YearMonth: value };
}

function employerOrg(job: JobRecord): JsonObject {
  const position: JsonObject = { Title: job.title, OrgName: { OrganizationName: job.org } };
  if (job.country !== undefined) position.OrgInfo = { LocationSummary: { CountryCode: job.country } };
  if (job.description !== undefined) position.Description = job.description;
  position.StartDate = dateBlock(job.start);
  position.EndDate = dateBlock(job.end);
  return { EmployerOrgName: job.org, PositionHistory: position };
}

function school(s: SchoolRecord): JsonObject {
  const year = (y: string | null): Json => (y === null ? null : { Year: y });
  return {
    schoolType: s.type,
    School: { SchoolName: s.name },
    Degree: {
      DegreeName: s.degree,
      DegreeDate: year(s.year),
      DegreeMajor: { Name: s.major },
      DatesOfAttendance: { StartDate: year(s.from), EndDate: year(s.to) },
    },
  };
}

function userArea(record: CandidateRecord, include: ReadonlySet<IncludeOption>): JsonObject {
  const area: JsonObject = {};
  if (include.has("ats_application_histories")) {
    const postings = record.apps.map((app) => {
      const out: JsonObject = {};
      for (const key of APPLICATION_FIELDS) out[key] = app[key] ?? null;
      return out;
    });
    area.RelatedPositionPostings = postings.length ? { RelatedPositionPosting: repeatable(postings) } : null;
    // Talemetry emits an empty Referrals element beside the applications (see the full fixture).
    area.Referrals = null;
  }
  if (include.has("notes")) {
    area.Notes = record.notes.length ? { Note: repeatable(record.notes.map((n) => ({ ...n }))) } : null;
  }
  if (include.has("tags")) {
    area.Tags = record.tags.length ? { Tag: repeatable(record.tags) } : null;
  }
  if (include.has("custom_data")) {
    for (const [name, field] of record.custom) area[name] = { Value: field.Value, UpdatedAt: field.UpdatedAt };
    if (record.audience) area.AudienceType = { AudienceType: repeatable(record.audience) };
    area.Lifecycle = { State: record.lifecycle };
  }
  if (include.has("donotcontact_info")) {
    area.DoNotContact = record.doNotContact ? { ...record.doNotContact } : null;
    area.DoNotHire = record.doNotHire ? { ...record.doNotHire } : null;
  }
  return area;
}

/** One `{"Candidate": …}` element of `Candidates`, with only the blocks `include` asks for (§3). */
export function renderCandidate(record: CandidateRecord, include: ReadonlySet<IncludeOption>): JsonObject {
  const structured: JsonObject = { ContactInfo: contactInfo(record) };
  if (include.has("experience")) {
    structured.EmploymentHistory = record.jobs.length ? { EmployerOrg: repeatable(record.jobs.map(employerOrg)) } : null;
  }
  if (include.has("education")) {
    structured.EducationHistory = record.schools.length ? { SchoolOrInstitution: repeatable(record.schools.map(school)) } : null;
  }
  const resume: JsonObject = { "xmlns:rm": "resumemirror.com", StructuredXMLResume: structured };
  const candidate: JsonObject = {
    xmlns: "http://ns.hr-xml.org/2007-04-15",
    "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
    "xsi:schemaLocation": "http://ns.hr-xml.org/2007-04-15Candidate.xsd",
    CandidateRecordInfo: { Id: { IdValue: record.id } },
    Resume: resume,
  };
  const area = userArea(record, include);
  if (Object.keys(area).length > 0) {
    if (record.userAreaOn === "Resume") resume.UserArea = area;
    else candidate.UserArea = area;
  }
  return { Candidate: candidate };
}

/**
 * The `Candidates` value. Talemetry's real answers carry an array even for one candidate (both
 * fixtures), while the contract warns it may be a bare object: `singleAsObject` lets an account
 * produce the latter so the bridge's handling of both can be exercised.
 */
export function renderCandidates(elements: JsonObject[], singleAsObject: boolean): Json {
  if (singleAsObject && elements.length === 1) return elements[0];
  return elements;
}
