// Shared fixtures of the directory tests: person records and a store inside a fresh tenant Durable Object.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { IndexStore } from "../../src/directory/index-store";
import type { Person, PersonPhone } from "../../src/domain/person";
import { makePerson } from "../helpers/people";

/** A unique Durable Object name per call, so tests never share a directory. */
export function uniqueTenant(label: string): string {
  return `t-${label}-${crypto.randomUUID()}`;
}

/** A valid stored phone (E.164). */
export function phone(e164: string, type: PersonPhone["type"] = "mobile"): PersonPhone {
  return { number: e164, type, valid: true, raw: e164 };
}

/** A person record as the adapter would produce it. */
export function person(id: string, overrides: Partial<Person> = {}): Person {
  return makePerson(id, { first_name: "Person", last_name: id, updated_at: "2026-11-22T10:03:00Z", ...overrides });
}

/** Runs `fn` with an IndexStore inside the named tenant's Durable Object. */
export function withStore<R>(
  tenant: string,
  fn: (store: IndexStore, state: DurableObjectState) => R | Promise<R>,
  region: string | null = "GB",
): Promise<R> {
  const stub = env.TENANT.get(env.TENANT.idFromName(tenant));
  return runInDurableObject(stub, (_instance, state) => fn(new IndexStore(state.storage, region), state));
}
