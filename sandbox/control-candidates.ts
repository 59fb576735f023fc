/** Builds and edits candidate records from the control API's input (control-schemas.ts). */
import { replaceContact } from "./contact";
import type { ParsedCandidateInput } from "./control-schemas";
import type { CandidateRecord, CustomField, PhoneParts } from "./records";
import { fieldTime } from "./time";

function setCustom(record: CandidateRecord, name: string, value: "Yes" | "No" | null, at: number): void {
  const index = record.custom.findIndex(([n]) => n === name);
  if (value === null) {
    if (index >= 0) record.custom.splice(index, 1);
    return;
  }
  const field: CustomField = { Value: value, UpdatedAt: fieldTime(at) };
  if (index >= 0) record.custom[index] = [name, field];
  else record.custom.push([name, field]);
}

/**
 * Applies the fields present in `input` to a copy of `record` (absent = unchanged). `creating` fills
 * in a formatted name when none is given.
 */
export function applyInput(record: CandidateRecord, input: ParsedCandidateInput, at: number, creating: boolean): CandidateRecord {
  const next: CandidateRecord = structuredClone(record);
  if (input.givenName !== undefined || input.familyName !== undefined || input.formattedName !== undefined) {
    const given = input.givenName !== undefined ? input.givenName : (next.name?.given ?? null);
    const family = input.familyName !== undefined ? input.familyName : (next.name?.family ?? null);
    let formatted = input.formattedName !== undefined ? input.formattedName : (next.name?.formatted ?? null);
    if (creating && input.formattedName === undefined) formatted = [given, family].filter(Boolean).join(" ") || null;
    next.name = { formatted, given, family };
  }

  if (input.contactMethods) next.contact = structuredClone(input.contactMethods);
  else if (input.emails || input.phones) {
    next.contact = replaceContact(next.contact, {
      emails: input.emails,
      phones: input.phones?.map(({ kind, use, ...parts }) => ({ slot: kind, use, parts: parts as PhoneParts })),
    });
  }
  if (input.address !== undefined && !input.contactMethods) {
    if (input.address === null) for (const cm of next.contact) delete cm.PostalAddress;
    else {
      if (next.contact.length === 0) next.contact.push({ Use: "personal" });
      next.contact[0].PostalAddress = input.address;
    }
    next.contact = next.contact.filter((cm) => Object.keys(cm).some((k) => k !== "Use"));
  }

  if (input.employer !== undefined || input.title !== undefined) {
    const current = next.jobs[0]?.end === "current" ? next.jobs[0] : null;
    const org = input.employer !== undefined ? input.employer : (current?.org ?? null);
    const title = input.title !== undefined ? input.title : (current?.title ?? null);
    if (current) next.jobs.shift();
    if (org !== null || title !== null) {
      next.jobs.unshift({ ...(current ?? { start: null }), org, title, end: "current" });
    }
  }

  if (input.tags) next.tags = [...input.tags];
  if (input.lifecycle !== undefined) next.lifecycle = input.lifecycle;
  if (input.source !== undefined) next.source = input.source;
  if (input.smsConsent !== undefined) setCustom(next, "sms_consent", input.smsConsent, at);
  if (input.emailConsent !== undefined) setCustom(next, "email_consent", input.emailConsent, at);
  if (input.doNotContact !== undefined) {
    next.doNotContact = input.doNotContact === null ? null : { Value: input.doNotContact, UpdatedAt: fieldTime(at) };
  }
  if (input.userArea) next.userAreaOn = input.userArea;
  return next;
}
