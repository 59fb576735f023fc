/**
 * Zod schemas for Talemetry's HR-XML-as-JSON candidate (docs/contracts/talemetry-upstream.md §3).
 *
 * The JSON is a mechanical XML→JSON conversion of CRM data, so the schemas are lenient by design:
 * - a repeatable element is an object when there is one and an array when there are several (§3), so
 *   every list accepts both (`many`);
 * - any value can be `null`, and a leaf can arrive as a number (`"AreaCityCode": 972`), so every text
 *   leaf accepts strings, numbers and booleans and yields a trimmed string or null (`text`);
 * - unknown keys (`xmlns:rm`, custom fields) are kept (`z.looseObject`), missing objects become `{}`.
 * Only the candidate GUID (`CandidateRecordInfo.Id.IdValue`, "required" in §3) is strict: a record
 * without one cannot be addressed and is rejected.
 */
import { z } from "zod";

/** True for a JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads any XML-ish leaf as text: numbers and booleans stringified, `{"#text"}` unwrapped, lists joined. */
function leafText(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : null;
  if (typeof value === "boolean") return String(value);
  // Some XML→JSON converters put the text of an element that has attributes under "#text".
  if (isRecord(value) && "#text" in value) return leafText(value["#text"]);
  if (Array.isArray(value)) {
    const parts = value.map(leafText).filter((part): part is string => part !== null && part.trim() !== "");
    return parts.length > 0 ? parts.join(" ") : null;
  }
  return null;
}

/**
 * A text leaf: trimmed string, or null when absent, empty or not text at all. Never fails.
 * (`.optional()` lets zod accept a missing key; the transform still turns it into null.)
 */
export const text = z
  .unknown()
  .optional()
  .transform((value): string | null => {
    const raw = leafText(value);
    const trimmed = raw === null ? "" : raw.trim();
    return trimmed === "" ? null : trimmed;
  });

/** A free-text leaf (note bodies): kept as written, not trimmed; null when absent. Never fails. */
export const freeText = z
  .unknown()
  .optional()
  .transform((value): string | null => leafText(value));

/** An element: a loose object; anything that is not an object (null, a string, a list) reads as `{}`. */
function element<T extends z.core.$ZodLooseShape>(shape: T) {
  return z.preprocess((value) => (isRecord(value) ? value : {}), z.looseObject(shape));
}

/** A non-repeatable element that a dirty export may still repeat: the first non-null occurrence wins. */
function single<T extends z.core.$ZodLooseShape>(shape: T) {
  return z.preprocess((value) => (Array.isArray(value) ? value.find((item) => item != null) : value), element(shape));
}

/** A repeatable element (§3: object when one, array when several, null when none). Never fails. */
function many<T extends z.ZodType>(item: T) {
  return z.preprocess(asList, z.array(item));
}

/** `{Value, UpdatedAt}` custom field (§3 "custom fields as UserArea.<Name>.{Value, UpdatedAt}"); a bare value reads as its Value. */
const customField = z.preprocess(
  (value) => (isRecord(value) || value == null ? value : { Value: value }),
  element({ Value: text, UpdatedAt: text }),
);

/** HR-XML phone parts (§3): split number, any part missing or punctuated; a bare string reads as FormattedNumber. */
const phoneParts = z.preprocess(
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
export const noteSchema = element({ Id: text, Text: freeText, DateTime: text, AuthorEmail: text });

const relatedPositionPosting = element({
  Id: text,
  PostingTitle: text,
  application_date: text,
  DispositionStatusName: text,
  DispositionDate: text,
});

/** `UserArea` — appears under `Candidate` and under `Resume` in Talemetry's own samples (§3). */
export const userAreaSchema = element({
  Notes: single({ Note: many(noteSchema) }),
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
  UserArea: userAreaSchema,
});

/** The GUID is the one strict field: opaque, but a non-empty string (§ "Common rules"). */
const guid = z.string().trim().min(1);

/** One HR-XML `Candidate` (the value under `{"Candidate": ...}`). */
export const candidateSchema = z.looseObject({
  CandidateRecordInfo: z.looseObject({ Id: z.looseObject({ IdValue: guid }) }),
  Resume: resumeSchema,
  UserArea: userAreaSchema,
});

/** A parsed candidate: every listed element present (lists possibly empty, leaves possibly null). */
export type HrxmlCandidate = z.output<typeof candidateSchema>;
/** A parsed `UserArea`. */
export type HrxmlUserArea = z.output<typeof userAreaSchema>;
/** A parsed `Note`. */
export type HrxmlNote = z.output<typeof noteSchema>;
/** A parsed `ContactMethod`. */
export type HrxmlContactMethod = z.output<typeof contactMethod>;
/** Parsed phone parts of a `Telephone`, `Mobile`, `Fax` or `Pager`. */
export type HrxmlPhoneParts = z.output<typeof phoneParts>;
/** A parsed `EmployerOrg`. */
export type HrxmlEmployerOrg = z.output<typeof employerOrg>;

type CustomField = z.output<typeof customField>;

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

/** A repeatable value as a list (§3: object when one, array when several, null when none). */
export function asList(value: unknown): unknown[] {
  return value == null ? [] : Array.isArray(value) ? value : [value];
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
    const parsed = candidateSchema.safeParse(entry);
    if (parsed.success) candidates.push(parsed.data);
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
