/**
 * Pure mapping from a parsed HR-XML candidate to the bridge's `CandidateDetails`
 * (docs/contracts/talemetry-upstream.md §3 for the input, docs/contracts/v1-api.md "Entities" for the output).
 * No I/O, no clock, no module state: the same input always gives the same output.
 */
import type { CandidateApplication, CandidateDetails, CandidateNote, Consent, PersonPhone, PhoneType } from "../domain/person";
import { digitsOf, knownRegion, resolvePhone } from "../phone/resolve";
import {
  type HrxmlCandidate,
  type HrxmlContactMethod,
  type HrxmlEmployerOrg,
  type HrxmlNote,
  type HrxmlPhoneParts,
  type HrxmlUserArea,
  mergedUserArea,
} from "./hrxml";

/** Tenant settings the mapping depends on. */
export interface NormalizeOptions {
  /** The tenant's default region (ISO 3166 alpha-2) for numbers stored without a country code, when the candidate has no address country. */
  defaultRegion?: string | null;
}

/** Maps one parsed HR-XML candidate to `CandidateDetails`. */
export function normalizeCandidate(candidate: HrxmlCandidate, options: NormalizeOptions): CandidateDetails {
  const contactInfo = candidate.Resume.StructuredXMLResume.ContactInfo;
  const methods = contactInfo.ContactMethod;
  const userArea = mergedUserArea(candidate);
  const personName = contactInfo.PersonName;
  const employment = currentEmployment(candidate.Resume.StructuredXMLResume.EmploymentHistory.EmployerOrg);
  return {
    id: candidate.CandidateRecordInfo.Id.IdValue,
    name: personName.FormattedName ?? joinWords([personName.GivenName, personName.FamilyName]),
    first_name: personName.GivenName,
    last_name: personName.FamilyName,
    emails: emailsOf(methods),
    phones: phonesOf(methods, addressCountry(methods) ?? options.defaultRegion ?? null),
    company: employment.company,
    title: employment.title,
    address: addressOf(methods),
    websites: websitesOf(methods),
    do_not_contact: yesNo(userArea.DoNotContact.Value) === "yes",
    consent: { sms: yesNo(userArea.sms_consent.Value), email: yesNo(userArea.email_consent.Value) },
    lifecycle: userArea.Lifecycle.State,
    tags: uniqueBy(userArea.Tags.Tag.filter(isText), (tag) => tag),
    notes: notesOf(userArea),
    applications: applicationsOf(userArea),
  };
}

/**
 * Maps one `Note` (§3 `UserArea.Notes.Note`, §5 write responses). Returns null when the note has no
 * id: it could not be referenced by a later update (§5 `PATCH .../notes/{noteId}`).
 */
export function normalizeNote(note: HrxmlNote): CandidateNote | null {
  if (note.Id === null) return null;
  return { id: note.Id, text: note.Text ?? "", date_time: note.DateTime, author_email: note.AuthorEmail };
}

function isText(value: string | null): value is string {
  return value !== null;
}

function joinWords(words: Array<string | null>): string {
  return words.filter(isText).join(" ");
}

function uniqueBy<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Web addresses as stored (trimmed by the schema), de-duplicated case-insensitively; blanks dropped. */
function websitesOf(methods: HrxmlContactMethod[]): string[] {
  const sites = methods.flatMap((method) => method.InternetWebAddress.filter(isText)).filter((site) => site.length > 0);
  return uniqueBy(sites, (site) => site.toLowerCase());
}

/** Trimmed by the schema; display keeps the stored case, identity is case-insensitive (mailboxes are, in practice). */
function emailsOf(methods: HrxmlContactMethod[]): string[] {
  const emails = methods.flatMap((method) => method.InternetEmailAddress.filter(isText));
  return uniqueBy(emails, (email) => email.toLowerCase());
}

/** docs/contracts/v1-api.md "Entities": `type` from the HR-XML element and, for `Telephone`, its `Use`. */
function telephoneType(use: string | null): PhoneType {
  const u = (use ?? "").toLowerCase();
  if (u === "business" || u === "work") return "work";
  if (u === "" || u === "personal" || u === "home") return "home";
  return "other";
}

function phonesOf(methods: HrxmlContactMethod[], region: string | null): PersonPhone[] {
  const phones: PersonPhone[] = [];
  for (const method of methods) {
    const groups: Array<[HrxmlPhoneParts[], PhoneType]> = [
      [method.Telephone, telephoneType(method.Use)],
      [method.Mobile, "mobile"],
      [method.Fax, "fax"],
      [method.Pager, "pager"],
    ];
    for (const [parts, type] of groups) {
      for (const p of parts) {
        const phone = phoneOf(p, type, region);
        if (phone) phones.push(phone);
      }
    }
  }
  // "Identical" = same type and same number (E.164 when valid, else the raw text).
  return uniqueBy(phones, (phone) => `${phone.type}|${phone.valid ? phone.number : phone.number.toLowerCase()}`);
}

/** A stored number that already names its country (`+…` or `00…`), so no country code must be prefixed. */
function isInternational(value: string): boolean {
  return value.startsWith("+") || /^00[1-9]/.test(value.replace(/[\s().-]/g, ""));
}

/**
 * One HR-XML phone (§3): national = AreaCityCode + SubscriberNumber, international = "+" +
 * InternationalCountryCode + national. `raw` is the stored parts joined with spaces plus `ext. N`
 * ("Entities"). With a country code the number resolves as international, else in `region` (the
 * address country, else the tenant's).
 */
function phoneOf(p: HrxmlPhoneParts, type: PhoneType, region: string | null): PersonPhone | null {
  // Without a subscriber part there is no number at all (a lone country code is not a phone).
  const national = joinWords([p.AreaCityCode, p.SubscriberNumber]) || p.FormattedNumber;
  if (!national) return null;
  const extension = p.Extension?.replace(/^(ext\.?|x)\s*/i, "") || null;
  const stored = joinWords([p.InternationalCountryCode, national]);
  const raw = extension ? `${stored} ext. ${extension}` : stored;

  // "00 1" or "+1" in the country-code field still means calling code 1.
  const countryCode = digitsOf(p.InternationalCountryCode ?? "").replace(/^0+/, "");
  const text = countryCode && !isInternational(national) ? `+${countryCode} ${national}` : national;
  const resolved = resolvePhone(text, region);
  return resolved ? { number: resolved.e164, type, valid: true, raw } : { number: raw, type, valid: false, raw };
}

/**
 * The candidate's address country (`PostalAddress.CountryCode`, ISO 3166 alpha-2), in which its numbers
 * stored without a country code are read (docs/contracts/v1-api.md "Entities"); null when Talemetry holds none.
 */
function addressCountry(methods: HrxmlContactMethod[]): string | null {
  for (const method of methods) {
    const region = knownRegion(method.PostalAddress.CountryCode);
    if (region) return region;
  }
  return null;
}

/** One line: "AddressLine, Municipality, Region PostalCode, CountryCode", dirty commas collapsed. */
function addressOf(methods: HrxmlContactMethod[]): string | null {
  for (const method of methods) {
    const a = method.PostalAddress;
    const pieces = [
      ...a.DeliveryAddress.AddressLine.filter(isText),
      a.Municipality,
      joinWords([...a.Region.filter(isText), a.PostalCode]),
      a.CountryCode,
    ];
    const line = pieces
      .flatMap((piece) => (piece ?? "").split(","))
      .map((piece) => piece.replace(/\s+/g, " ").trim())
      .filter((piece) => piece !== "")
      .join(", ");
    if (line) return line;
  }
  return null;
}

/** §3: the current employer is the one whose position ends with `StringDate: "current"`, else the first. */
function currentEmployment(orgs: HrxmlEmployerOrg[]): { company: string | null; title: string | null } {
  const isCurrent = (org: HrxmlEmployerOrg) =>
    org.PositionHistory.some((position) => position.EndDate.StringDate?.toLowerCase() === "current");
  const org = orgs.find(isCurrent) ?? orgs[0];
  if (!org) return { company: null, title: null };
  const position = org.PositionHistory.find((p) => p.EndDate.StringDate?.toLowerCase() === "current") ?? org.PositionHistory[0];
  return {
    company: org.EmployerOrgName ?? position?.OrgName.OrganizationName ?? null,
    title: position?.Title ?? null,
  };
}

/** Consent/flag values: Yes/Y/true → "yes", No/N/false → "no", anything else unknown (null). */
function yesNo(value: string | null): Consent {
  const v = (value ?? "").toLowerCase();
  if (v === "yes" || v === "y" || v === "true") return "yes";
  if (v === "no" || v === "n" || v === "false") return "no";
  return null;
}

function notesOf(userArea: HrxmlUserArea): CandidateNote[] {
  const notes = userArea.Notes.Note.map(normalizeNote).filter((note): note is CandidateNote => note !== null);
  return uniqueBy(notes, (note) => note.id);
}

function applicationsOf(userArea: HrxmlUserArea): CandidateApplication[] {
  const applications: CandidateApplication[] = [];
  for (const posting of userArea.RelatedPositionPostings.RelatedPositionPosting) {
    if (posting.Id === null) continue;
    applications.push({
      id: posting.Id,
      posting_title: posting.PostingTitle,
      applied_at: posting.application_date,
      status: posting.DispositionStatusName,
      disposition_date: posting.DispositionDate,
    });
  }
  return uniqueBy(applications, (application) => application.id);
}
