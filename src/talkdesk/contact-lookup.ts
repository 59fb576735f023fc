/**
 * Finds the candidate behind a Talkdesk contact that did not come from this bridge (no
 * `contact_external_id`), by its emails and phones, through the tenant's directory — never by scanning
 * Talemetry (docs/architecture.md).
 */
import { type PhoneQuery, parsePhoneQuery } from "../phone/match";

/** The directory calls this needs (the tenant Durable Object's RPC surface). */
export interface ContactDirectory {
  searchEmail(email: string): Promise<Array<{ person: { id: string } }>>;
  searchPhone(query: PhoneQuery, partial: boolean): Promise<Array<{ person: { id: string }; match: string }>>;
}

/** Identifiers tried per request: bounds the directory calls whatever Talkdesk sends. */
export const MAX_LOOKUP_IDENTIFIERS = 10;

/**
 * The one candidate the contact's emails or phones point to, or null. Identifiers are tried in order,
 * emails first (Talemetry identifies candidates by email); an identifier shared by several candidates is
 * skipped, because showing one person's notes on another person's call is worse than showing none.
 * Phones count only as exact E.164 matches: Talkdesk sends E.164, and a national or suffix match can be
 * someone else.
 */
export async function findContactId(
  directory: ContactDirectory,
  contact: { emails?: readonly string[]; phones?: readonly string[] },
  tenantRegion: string,
): Promise<string | null> {
  const emails = (contact.emails ?? []).map((e) => e.trim()).filter((e) => e.includes("@"));
  const phones = (contact.phones ?? []).map((p) => p.trim()).filter((p) => p.length > 0);
  const probes: Array<() => Promise<string[]>> = [
    ...emails.map((email) => async () => (await directory.searchEmail(email)).map((hit) => hit.person.id)),
    ...phones.map((phone) => async () => {
      const parsed = parsePhoneQuery(phone, { region: null, tenantRegion });
      if (!parsed.ok) return [];
      const hits = await directory.searchPhone(parsed.query, false);
      return hits.filter((hit) => hit.match === "exact").map((hit) => hit.person.id);
    }),
  ].slice(0, MAX_LOOKUP_IDENTIFIERS);

  for (const probe of probes) {
    const ids = [...new Set(await probe())];
    if (ids.length === 1) return ids[0]!;
  }
  return null;
}
