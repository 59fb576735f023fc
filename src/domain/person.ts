/**
 * The normalized candidate shapes every part of the bridge shares. The Talemetry adapter produces
 * `CandidateDetails`; the directory stores and search returns `Person`, which is exactly the person
 * record of docs/contracts/v1-api.md ("Entities").
 */

export type PhoneType = "mobile" | "home" | "work" | "fax" | "pager" | "other";
export type Consent = "yes" | "no" | null;

export interface PersonPhone {
  /** E.164 when `valid`, else the raw text as stored. */
  number: string;
  type: PhoneType;
  /** libphonenumber `isPossible` after resolving the region (contract rule), not `isValid`. */
  valid: boolean;
  /** The stored text as Talemetry holds it: parts joined with spaces, extension as `ext. N`. */
  raw: string;
}

/** What Talemetry says about a candidate that the person record shows as it is. */
export interface CandidateContact {
  id: string;
  name: string;
  first_name: string | null;
  last_name: string | null;
  emails: string[];
  phones: PersonPhone[];
  company: string | null;
  title: string | null;
  do_not_contact: boolean;
  consent: { sms: Consent; email: Consent };
}

export interface Person extends CandidateContact {
  entity: "candidate";
  /** Link to the candidate in Talemetry when the tenant configured `candidate_url_template`. */
  url: string | null;
  /** When the bridge last saw the candidate change; null if unknown. Never the request time. */
  updated_at: string | null;
}

export interface CandidateNote {
  id: string;
  text: string;
  /** ISO 8601 as Talemetry gave it, or null. */
  date_time: string | null;
  author_email: string | null;
}

export interface CandidateApplication {
  id: string;
  posting_title: string | null;
  /** `application_date` (YYYY-MM-DD) or null. */
  applied_at: string | null;
  status: string | null;
  disposition_date: string | null;
}

/** Everything the adapter extracts from one HR-XML candidate. */
export interface CandidateDetails extends CandidateContact {
  /** One-line postal address when known ("Municipality, Region PostalCode, CountryCode"). */
  address: string | null;
  /** Web addresses (HR-XML `ContactMethod.InternetWebAddress`), as stored, de-duplicated. */
  websites: string[];
  lifecycle: string | null;
  tags: string[];
  notes: CandidateNote[];
  applications: CandidateApplication[];
}

export interface TalemetryUser {
  id: string;
  name: string;
  email: string;
  active: boolean;
}

/**
 * Builds the public person record from adapter details plus what only the bridge knows: the link (from
 * the tenant's template, see `candidateUrl`) and when the bridge saw the candidate change.
 */
export function toPerson(details: CandidateDetails, extra: { url?: string | null; updatedAt?: string | null }): Person {
  return {
    id: details.id,
    entity: "candidate",
    name: details.name,
    first_name: details.first_name,
    last_name: details.last_name,
    emails: details.emails,
    phones: details.phones,
    company: details.company,
    title: details.title,
    do_not_contact: details.do_not_contact,
    consent: details.consent,
    url: extra.url ?? null,
    updated_at: extra.updatedAt ?? null,
  };
}
