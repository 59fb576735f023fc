/**
 * The compact candidate record the simulator stores (one JSON row per candidate). HR-XML JSON is
 * rendered from it at response time (render-hrxml.ts), so the stored form stays small and the
 * rendered form can follow the contract's quirks (object-or-array, nulls, UserArea placement).
 *
 * Contact methods are kept in HR-XML's own key names: they are the dirty part of the data and must
 * come back out verbatim, punctuation and missing parts included.
 */

/** HR-XML phone parts exactly as stored; any part can be absent, null or hold punctuation. */
export interface PhoneParts {
  InternationalCountryCode?: string | null;
  AreaCityCode?: string | null;
  SubscriberNumber?: string | null;
  Extension?: string | null;
  FormattedNumber?: string | null;
}

export interface PostalAddress {
  CountryCode?: string | null;
  PostalCode?: string | null;
  Region?: string | null;
  Municipality?: string | null;
  DeliveryAddress?: { AddressLine: string | string[] | null } | null;
}

export const PHONE_SLOTS = ["Telephone", "Mobile", "Fax", "Pager"] as const;
export type PhoneSlot = (typeof PHONE_SLOTS)[number];

export interface ContactMethodRecord {
  /** HR-XML free text: "personal", "business", "other"… (not the contract's mobile/home/work/other). */
  Use?: string | null;
  Telephone?: PhoneParts;
  Mobile?: PhoneParts;
  Fax?: PhoneParts;
  Pager?: PhoneParts;
  InternetEmailAddress?: string;
  /** HR-XML's web address (a profile or portfolio link). */
  InternetWebAddress?: string;
  PostalAddress?: PostalAddress;
}

export interface JobRecord {
  org: string | null;
  title: string | null;
  /** "YYYY-MM" or null. */
  start: string | null;
  /** "YYYY-MM", "current" (rendered as `{"StringDate": "current"}`) or null. */
  end: string | null;
  /** ISO country of the position; absent → no `OrgInfo` block (as in Talemetry's samples). */
  country?: string;
  description?: string | null;
}

export interface SchoolRecord {
  type: string | null;
  name: string | null;
  degree: string | null;
  /** Years as "YYYY" strings, the way HR-XML carries them. */
  year: string | null;
  major: string | null;
  from: string | null;
  to: string | null;
}

/** Every key of a `RelatedPositionPosting`, in Talemetry's order; unset keys render as null. */
export const APPLICATION_FIELDS = [
  "application_date",
  "DispositionReasonCode",
  "DispositionReasonName",
  "DispositionStatusCode",
  "DispositionStatusName",
  "Company",
  "CompanyName",
  "Department",
  "DepartmentName",
  "DispositionDate",
  "DispositionReasonSearch",
  "DispositionReasonSearchName",
  "Interviewed",
  "Id",
  "PostingTitle",
  "Location",
  "ManagerID",
  "Manager",
  "OpenDate",
  "RecruiterID",
  "Recruiter",
  "RecruitmentId",
  "WebTrackingId",
  "ContextId",
  "app_source_id",
  "app_source_name",
  "app_subsource_id",
  "app_subsource_name",
  "app_subsource_search_id",
  "app_subsource_search_name",
  "app_source_text",
  "referral_datetime",
  "referrer_name",
  "referrer_family",
  "employee_email",
  "previous_employee",
  "prev_term_date",
  "company_source",
  "talemetry_bid",
  "TargetCrmStage",
  "HireStartDate",
  "JV_ApplicationID",
] as const;
export type ApplicationField = (typeof APPLICATION_FIELDS)[number];
/** Only the non-null fields are stored. */
export type ApplicationRecord = Partial<Record<ApplicationField, string>>;

export interface NoteRecord {
  Id: string;
  Text: string;
  /** "2024-11-13T17:07:36+00:00", Talemetry's note time format. */
  DateTime: string;
  AuthorEmail: string;
}

/** A custom field value: a string, null, or a multi-value list (`{"Value": [...]}`) as in the samples. */
export type CustomValue = string | null | { Value: string[] };
export interface CustomField {
  Value: CustomValue;
  /** "2024-11-12 18:07:28 UTC", Talemetry's custom-field time format. */
  UpdatedAt: string | null;
}

export interface CandidateRecord {
  id: string;
  name: { formatted: string | null; given: string | null; family: string | null } | null;
  /** Empty → `"ContactMethod": null`. */
  contact: ContactMethodRecord[];
  jobs: JobRecord[];
  schools: SchoolRecord[];
  apps: ApplicationRecord[];
  notes: NoteRecord[];
  tags: string[];
  /** Ordered custom fields (`sms_consent`, `email_consent`, …), rendered with `custom_data`. */
  custom: Array<[string, CustomField]>;
  audience: string[] | null;
  lifecycle: string | null;
  doNotContact: CustomField | null;
  doNotHire: CustomField | null;
  /** Where the candidate came from; used by the Match API's `ExcludeSources`, not rendered. */
  source: string | null;
  /** Talemetry's samples put `UserArea` under `Candidate` for some candidates, under `Resume` for others. */
  userAreaOn: "Candidate" | "Resume";
}

/** A candidate row plus its timeline, as produced by the seed and by the control API. */
export interface SeededCandidate {
  record: CandidateRecord;
  createdAt: number;
  updatedAt: number[];
  deletedAt: number | null;
}

/** All email addresses of a record, lower-cased (the conflict index key: Talemetry merges by email). */
export function emailsOf(record: CandidateRecord): string[] {
  const out: string[] = [];
  for (const cm of record.contact) {
    const e = cm.InternetEmailAddress?.trim().toLowerCase();
    if (e && !out.includes(e)) out.push(e);
  }
  return out;
}

/** A candidate with nothing but its id: the starting point of every created or demo record. */
export function emptyRecord(id: string): CandidateRecord {
  return {
    id,
    name: null,
    contact: [],
    jobs: [],
    schools: [],
    apps: [],
    notes: [],
    tags: [],
    custom: [],
    audience: null,
    lifecycle: null,
    doNotContact: null,
    doNotHire: null,
    source: null,
    userAreaOn: "Candidate",
  };
}
