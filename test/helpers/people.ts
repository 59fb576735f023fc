// Person records and adapter details for unit tests: a bare candidate with the given id, and overrides.
import type { CandidateDetails, Person } from "../../src/domain/person";

/** A person record with nothing but `id` and `name` set, plus `overrides`. */
export function makePerson(id: string, overrides: Partial<Person> = {}): Person {
  return {
    id,
    entity: "candidate",
    name: `Person ${id}`,
    first_name: null,
    last_name: null,
    emails: [],
    phones: [],
    company: null,
    title: null,
    do_not_contact: false,
    consent: { sms: null, email: null },
    url: null,
    updated_at: null,
    ...overrides,
  };
}

/** Adapter details with nothing but `id` and `name` set, plus `overrides`. */
export function makeDetails(id: string, overrides: Partial<CandidateDetails> = {}): CandidateDetails {
  const { entity: _entity, url: _url, updated_at: _updatedAt, ...contact } = makePerson(id);
  return { ...contact, address: null, websites: [], lifecycle: null, tags: [], notes: [], applications: [], ...overrides };
}
