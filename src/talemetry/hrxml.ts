/**
 * Readers of Talemetry's HR-XML-as-JSON candidate (docs/contracts/talemetry-upstream.md §3).
 *
 * The JSON is a mechanical XML→JSON conversion of CRM data, so the readers are lenient by design
 * (./lenient.ts):
 * - a repeatable element is an object when there is one and an array when there are several (§3), so
 *   every list accepts both (`many`);
 * - any value can be `null`, and a leaf can arrive as a number (`"AreaCityCode": 972`), so every text
 *   leaf accepts strings, numbers and booleans and yields a trimmed string or null (`text`);
 * - unknown keys (`xmlns:rm`, custom fields) are kept, missing objects become `{}`.
 * Only the candidate GUID (`CandidateRecordInfo.Id.IdValue`, "required" in §3) is strict (zod): a
 * record without one cannot be addressed and is rejected.
 */
import { z } from "zod";
import { asList, type Element, element, freeText, isRecord, many, prepared, single, text } from "./lenient";

export { asList, isRecord, text };

/** `{Value, UpdatedAt}` custom field (§3 "custom fields as UserArea.<Name>.{Value, UpdatedAt}"); a bare value reads as its Value. */
const customField = prepared(
  (value) => (isRecord(value) || value == null ? value : { Value: value }),
  element({ Value: text, UpdatedAt: text }),
);

/** HR-XML phone parts (§3): split number, any part missing or punctuated; a bare string reads as FormattedNumber. */
const phoneParts = prepared(
  (value) => (typeof value === "string" || typeof value === "number" ? { FormattedNumber: value } : value),
  element({
    InternationalCountryCode: text,
    AreaCityCode: text,
    SubscriberNumber: text,
    Extension: text,
    FormattedNumber: text,
  }),
);

const postalAddress = single({
  CountryCode: text,
  PostalCode: text,
  Region: many(text),
  Municipality: text,
  DeliveryAddress: single({ AddressLine: many(text) }),
});

const contactMethod = element({
  Use: text,
  Telephone: many(phoneParts),
  Mobile: many(phoneParts),
  Fax: many(phoneParts),
  Pager: many(phoneParts),
  InternetEmailAddress: many(text),
  // HR-XML's place for a web address (a profile, a portfolio); Talemetry's samples carry none.
  InternetWebAddress: many(text),
  PostalAddress: postalAddress,
});

const hrDate = single({ StringDate: text, AnyDate: text, YearMonth: text, Year: text });

const positionHistory = element({
  Title: text,
  OrgName: single({ OrganizationName: text }),
  StartDate: hrDate,
  EndDate: hrDate,
});

const employerOrg = element({
  EmployerOrgName: text,
  PositionHistory: many(positionHistory),
});

const schoolOrInstitution = element({
  School: single({ SchoolName: text }),
  Degree: many(element({ DegreeName: text })),
});

/** `UserArea.Notes.Note` (§3, §5). */
export const readNote = element({ Id: text, Text: freeText, DateTime: text, AuthorEmail: text });

const relatedPositionPosting = element({
  Id: text,
  PostingTitle: text,
  application_date: text,
  DispositionStatusName: text,
  DispositionDate: text,
});

/** `UserArea` — appears under `Candidate` and under `Resume` in Talemetry's own samples (§3). */
const userArea = element({
  Notes: single({ Note: many(readNote) }),
  Tags: single({ Tag: many(text) }),
  RelatedPositionPostings: single({ RelatedPositionPosting: many(relatedPositionPosting) }),
  Lifecycle: single({ State: text }),
  DoNotContact: customField,
  DoNotHire: customField,
  sms_consent: customField,
  email_consent: customField,
});

const resumeSchema = element({
  StructuredXMLResume: single({
    ContactInfo: single({
      PersonName: single({ FormattedName: text, GivenName: text, FamilyName: text }),
      ContactMethod: many(contactMethod),
    }),
    EmploymentHistory: single({ EmployerOrg: many(employerOrg) }),
    EducationHistory: single({ SchoolOrInstitution: many(schoolOrInstitution) }),
  }),
  UserArea: userArea,
});

/** The GUID is the one strict field: opaque, but a non-empty string (§ "Common rules"). */
const guid = z.string().trim().min(1);

/** The strict part of a candidate: `CandidateRecordInfo` with its GUID (`Id.IdValue`), each level an object. */
const recordInfoSchema = z.looseObject({ Id: z.looseObject({ IdValue: guid }) });

const candidateParts = { Resume: resumeSchema, UserArea: userArea };
const readCandidateParts = element(candidateParts);

/** A parsed `UserArea`. */
export type HrxmlUserArea = ReturnType<typeof userArea>;
/** A parsed candidate: every listed element present (lists possibly empty, leaves possibly null). */
export type HrxmlCandidate = Element<typeof candidateParts> & { CandidateRecordInfo: z.output<typeof recordInfoSchema> };

/** One HR-XML `Candidate` (the value under `{"Candidate": ...}`), or null when it has no usable GUID. */
export function readCandidate(value: unknown): HrxmlCandidate | null {
  if (!isRecord(value)) return null;
  const info = recordInfoSchema.safeParse(value.CandidateRecordInfo);
  if (!info.success) return null;
  // The lenient parts over the candidate, then the GUID's levels as zod gave them (trimmed).
  return { ...readCandidateParts(value), CandidateRecordInfo: info.data } as HrxmlCandidate;
}

/** A parsed `Note`. */
export type HrxmlNote = ReturnType<typeof readNote>;
/** A parsed `ContactMethod`. */
export type HrxmlContactMethod = ReturnType<typeof contactMethod>;
/** Parsed phone parts of a `Telephone`, `Mobile`, `Fax` or `Pager`. */
export type HrxmlPhoneParts = ReturnType<typeof phoneParts>;
/** A parsed `EmployerOrg`. */
export type HrxmlEmployerOrg = ReturnType<typeof employerOrg>;

type CustomField = ReturnType<typeof customField>;

function firstField(a: CustomField, b: CustomField): CustomField {
  return a.Value !== null ? a : b;
}

/**
 * Merges the candidate-level and resume-level `UserArea`s (§3: both occur). Lists are concatenated
 * (candidate level first; the normalizer de-duplicates by id); single values take the candidate level
 * when it has one. Unknown keys of both are kept, candidate level winning.
 */
export function mergedUserArea(candidate: HrxmlCandidate): HrxmlUserArea {
  const a = candidate.UserArea;
  const b = candidate.Resume.UserArea;
  return {
    ...b,
    ...a,
    Notes: { ...b.Notes, ...a.Notes, Note: [...a.Notes.Note, ...b.Notes.Note] },
    Tags: { ...b.Tags, ...a.Tags, Tag: [...a.Tags.Tag, ...b.Tags.Tag] },
    RelatedPositionPostings: {
      ...b.RelatedPositionPostings,
      ...a.RelatedPositionPostings,
      RelatedPositionPosting: [...a.RelatedPositionPostings.RelatedPositionPosting, ...b.RelatedPositionPostings.RelatedPositionPosting],
    },
    Lifecycle: { ...b.Lifecycle, ...a.Lifecycle, State: a.Lifecycle.State ?? b.Lifecycle.State },
    DoNotContact: firstField(a.DoNotContact, b.DoNotContact),
    DoNotHire: firstField(a.DoNotHire, b.DoNotHire),
    sms_consent: firstField(a.sms_consent, b.sms_consent),
    email_consent: firstField(a.email_consent, b.email_consent),
  };
}

/** The `result` of an envelope (`{"result": ...}`, § "Common rules"); a bare body is accepted as its own result. */
export function resultOf(body: unknown): Record<string, unknown> {
  if (isRecord(body) && isRecord(body.result)) return body.result;
  return isRecord(body) ? body : {};
}

/**
 * The candidates of a list that may be `[{"Candidate": {...}}, ...]`, `{"Candidate": {...}}`,
 * `{"Candidate": [...]}` (the other mechanical XML→JSON form) or bare candidates.
 */
function candidateEntries(list: unknown): unknown[] {
  return asList(list).flatMap((entry) => (isRecord(entry) && "Candidate" in entry ? asList(entry.Candidate) : [entry]));
}

/** Parsed candidates of a response, plus how many entries had no usable GUID (for logs/metrics). */
export interface ParsedCandidates {
  candidates: HrxmlCandidate[];
  rejected: number;
}

function parseEach(entries: unknown[]): ParsedCandidates {
  const candidates: HrxmlCandidate[] = [];
  let rejected = 0;
  for (const entry of entries) {
    const candidate = readCandidate(entry);
    if (candidate) candidates.push(candidate);
    else rejected += 1;
  }
  return { candidates, rejected };
}

/**
 * Parses a profiles response (§3, `{"result": {"Candidates": ...}}`). One broken record must not hide
 * the others (a sync would stall on it forever), so each candidate is parsed on its own and counted
 * as rejected when it has no GUID.
 */
export function parseProfilesBody(body: unknown): ParsedCandidates {
  return parseEach(candidateEntries(resultOf(body).Candidates));
}

/** Parses the single candidate of a contact update response (§4, `{"result": {"Candidate": ...}}`). */
export function parseCandidateBody(body: unknown): HrxmlCandidate | null {
  const result = resultOf(body);
  const entries = candidateEntries("Candidate" in result ? { Candidate: result.Candidate } : result.Candidates);
  return parseEach(entries).candidates[0] ?? null;
}
