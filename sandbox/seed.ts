/**
 * Deterministic seed data for one account: the demo candidates first, then generated ones drawn from a
 * PRNG keyed by the client id (and an optional seed). Everything — ids, names, messy phones, event
 * times — depends only on that key, so reruns are identical and two accounts differ. Event times are
 * spread over a fixed past window (not "now"), for the same reason.
 */
import { DEMO_CANDIDATES, SANDBOX_USERS } from "./demo-data";
import { Rng, uuidV1, uuidV4 } from "./prng";
import type {
  ApplicationRecord,
  CandidateRecord,
  ContactMethodRecord,
  CustomField,
  JobRecord,
  PhoneParts,
  PhoneSlot,
  PostalAddress,
  SchoolRecord,
  SeededCandidate,
} from "./records";
import { emailsOf } from "./records";
import {
  APP_SOURCES,
  AUDIENCES,
  COMPANIES,
  COUNTRY_WEIGHTS,
  type Country,
  DEGREES,
  DISPOSITIONS,
  LIFECYCLES,
  LOCALES,
  NOTE_TEXTS,
  POSTINGS,
  SCHOOLS,
  SOURCES,
  TAGS,
  TITLES,
  WORDS,
} from "./seed-data";
import { garbagePhone, messyPhone } from "./seed-phones";
import { fieldTime, noteTime } from "./time";

/** Seeded events fall in this window: fixed, so reruns are identical, and in the past, before any write. */
export const SEED_WINDOW = { from: Date.parse("2022-01-01T00:00:00Z"), to: Date.parse("2025-06-30T00:00:00Z") };

export interface SeedOptions {
  clientId: string;
  count: number;
  /** Mixed into the PRNG key: the same client id with another seed gets other data. */
  seed?: string;
  /** Include the demo candidates (default true). */
  demo?: boolean;
}

type Weights<T> = ReadonlyArray<readonly [T, number]>;

/** How many of each thing a generated candidate has, and how likely each kind is (hoisted: hot loop). */
const PHONE_COUNT: Weights<number> = [
  [0, 10],
  [1, 50],
  [2, 30],
  [3, 10],
];
const PHONE_SLOT: Weights<PhoneSlot> = [
  ["Mobile", 50],
  ["Telephone", 44],
  ["Fax", 4],
  ["Pager", 2],
];
const PHONE_USE: Weights<string | null> = [
  ["personal", 60],
  ["business", 25],
  ["home", 8],
  [null, 7],
];
const EMAIL_COUNT: Weights<number> = [
  [0, 8],
  [1, 77],
  [2, 15],
];
const JOB_COUNT: Weights<number> = [
  [0, 20],
  [1, 40],
  [2, 25],
  [3, 10],
  [4, 5],
];
const SCHOOL_COUNT: Weights<number> = [
  [0, 40],
  [1, 45],
  [2, 15],
];
const APP_COUNT: Weights<number> = [
  [0, 45],
  [1, 35],
  [2, 15],
  [3, 5],
];
const UPDATE_COUNT: Weights<number> = [
  [0, 40],
  [1, 35],
  [2, 15],
  [3, 10],
];
const NOTE_COUNT: Weights<number> = [
  [0, 45],
  [1, 30],
  [2, 15],
  [3, 10],
];
const TAG_COUNT: Weights<number> = [
  [0, 40],
  [1, 30],
  [2, 20],
  [4, 10],
];

interface SeedState {
  rng: Rng;
  emails: Set<string>;
  /** Next numeric suffix to try per base address, so finding a free address stays O(1). */
  emailSuffix: Map<string, number>;
  /** Recent real numbers per country: a few candidates reuse one (households, shared office lines). */
  phonePool: Map<Country, PhoneParts[]>;
}

/** The account's candidates in seeding order; a generator so 10,000 records never sit in memory at once. */
export function* seedCandidates(options: SeedOptions): Generator<SeededCandidate> {
  const demo = options.demo === false ? [] : DEMO_CANDIDATES.slice(0, options.count);
  for (const d of demo) {
    yield { record: structuredClone(d.record), createdAt: d.createdAt, updatedAt: [...d.updatedAt], deletedAt: null };
  }
  const state: SeedState = {
    rng: new Rng(`talemetry-sandbox:${options.clientId}:${options.seed ?? ""}`),
    // Demo emails are reserved whether or not the demo candidates are seeded, so generated data does
    // not depend on the `demo` flag and a demo candidate can always be added later without a conflict.
    emails: new Set(DEMO_CANDIDATES.flatMap((d) => emailsOf(d.record))),
    emailSuffix: new Map(),
    phonePool: new Map(),
  };
  for (let i = demo.length; i < options.count; i++) yield generateCandidate(state);
}

const seconds = (ms: number) => Math.floor(ms / 1000) * 1000;

function timeBetween(rng: Rng, from: number, to: number): number {
  return seconds(from + rng.next() * Math.max(0, to - from));
}

/** Memoized: the same few dozen names come back thousands of times when seeding 10,000 candidates. */
const slugs = new Map<string, string>();

function asciiSlug(text: string): string {
  let slug = slugs.get(text);
  if (slug === undefined) {
    slug = text
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z]+/g, "");
    slugs.set(text, slug);
  }
  return slug;
}

function uniqueEmail(state: SeedState, given: string, family: string, domains: readonly string[]): string {
  const { rng } = state;
  const local = `${asciiSlug(given)}${rng.pick([".", "_", ""])}${asciiSlug(family)}` || "candidate";
  const domain = rng.pick(domains);
  const base = `${local}@${domain}`;
  let email = base;
  if (state.emails.has(base)) {
    let n = state.emailSuffix.get(base) ?? 2;
    while (state.emails.has(`${local}${n}@${domain}`)) n++;
    email = `${local}${n}@${domain}`;
    state.emailSuffix.set(base, n + 1);
  }
  state.emails.add(email);
  // Some CRMs keep whatever case was typed; uniqueness is case-insensitive all the same.
  if (!rng.chance(0.12)) return email;
  const [l, d] = email.split("@");
  const cap = (s: string) => s.replace(/(^|[._])([a-z])/g, (_m, p: string, c: string) => p + c.toUpperCase());
  return `${cap(l)}@${cap(d)}`;
}

function address(rng: Rng, country: Country): PostalAddress {
  const [municipality, region, postal] = rng.pick(WORDS[country].cities);
  const line = rng.weighted<string | string[] | null>([
    [null, 3],
    [`${rng.int(1, 9999)} ${rng.pick(["Main St", "High Street", "Hauptstraße", "Rue de la Paix", "Av. Paulista"])}`, 5],
    [[`${rng.int(1, 500)} Market St`, `Apt ${rng.int(1, 40)}`], 1],
  ]);
  return {
    CountryCode: rng.chance(0.93) ? country : rng.pick(["US", "GB", "CA", null]),
    PostalCode: rng.chance(0.9) ? postal : null,
    Region: region,
    Municipality: municipality,
    DeliveryAddress: { AddressLine: line },
  };
}

/** Phones with their HR-XML slot and Use. A few are copied from an earlier candidate (shared numbers). */
function phones(state: SeedState, country: Country): Array<{ slot: PhoneSlot; use: string | null; parts: PhoneParts }> {
  const { rng } = state;
  const count = rng.weighted(PHONE_COUNT);
  const out: Array<{ slot: PhoneSlot; use: string | null; parts: PhoneParts }> = [];
  for (let i = 0; i < count; i++) {
    const slot = rng.weighted(PHONE_SLOT);
    const use = rng.weighted(PHONE_USE);
    const pool = state.phonePool.get(country) ?? [];
    state.phonePool.set(country, pool);
    let parts: PhoneParts;
    if (pool.length > 0 && rng.chance(0.04)) parts = structuredClone(rng.pick(pool));
    else if (rng.chance(0.03)) parts = garbagePhone(rng);
    else {
      parts = messyPhone(rng, country, slot === "Mobile");
      pool.push(parts);
      if (pool.length > 32) pool.shift();
    }
    out.push({ slot, use, parts });
  }
  return out;
}

/**
 * Groups emails, phones and the address into ContactMethods: about half the candidates get one
 * ContactMethod holding everything (an object when rendered), the others one per phone (an array).
 */
function contactMethods(state: SeedState, country: Country, given: string, family: string): ContactMethodRecord[] {
  const { rng } = state;
  if (rng.chance(0.05)) return [];
  const emailCount = rng.weighted(EMAIL_COUNT);
  const emails = Array.from({ length: emailCount }, () => uniqueEmail(state, given, family, WORDS[country].domains));
  const list = phones(state, country);
  const addr = rng.chance(0.7) ? address(rng, country) : undefined;
  const methods: ContactMethodRecord[] = [];
  const together = rng.chance(0.55);
  for (const p of list) {
    const target = together ? methods[0] : undefined;
    if (target && !target[p.slot]) target[p.slot] = p.parts;
    else methods.push({ Use: p.use, [p.slot]: p.parts });
  }
  emails.forEach((email, i) => {
    const target = methods.find((m) => m.InternetEmailAddress === undefined);
    if (target && (i === 0 || !together)) target.InternetEmailAddress = email;
    else methods.push({ Use: rng.pick(["personal", "business"]), InternetEmailAddress: email });
  });
  if (addr) {
    if (methods.length === 0) methods.push({ Use: "personal" });
    methods[0].PostalAddress = addr;
  }
  return methods;
}

function yearMonth(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}

function jobs(rng: Rng, country: Country): JobRecord[] {
  const count = rng.weighted(JOB_COUNT);
  const out: JobRecord[] = [];
  let end = SEED_WINDOW.to;
  for (let i = 0; i < count; i++) {
    const start = end - rng.int(6, 72) * 30 * 86_400_000;
    const title = rng.pick(TITLES);
    const job: JobRecord = {
      org: rng.chance(0.97) ? rng.pick(COMPANIES) : null,
      title: rng.chance(0.97) ? title : null,
      start: rng.chance(0.95) ? yearMonth(start) : null,
      end: i === 0 && rng.chance(0.7) ? "current" : yearMonth(end),
    };
    if (rng.chance(0.5)) job.country = country;
    if (rng.chance(0.5)) job.description = rng.chance(0.2) ? null : `${title}\u00b7 ${rng.pick(NOTE_TEXTS)}`;
    out.push(job);
    end = start - rng.int(0, 6) * 30 * 86_400_000;
  }
  return out;
}

function schools(rng: Rng): SchoolRecord[] {
  const count = rng.weighted(SCHOOL_COUNT);
  return Array.from({ length: count }, () => {
    const [degree, major] = rng.pick(DEGREES);
    const to = rng.int(1995, 2024);
    return {
      type: rng.pick(["university", "college", null]),
      name: rng.chance(0.85) ? rng.pick(SCHOOLS) : null,
      degree,
      year: rng.chance(0.9) ? String(to) : null,
      major: rng.chance(0.9) ? major : null,
      from: String(to - rng.int(1, 4)),
      to: String(to),
    };
  });
}

function applications(rng: Rng, createdAt: number): ApplicationRecord[] {
  const count = rng.weighted(APP_COUNT);
  return Array.from({ length: count }, () => {
    const [id, title, department] = rng.pick(POSTINGS);
    const [code, name] = rng.pick(DISPOSITIONS);
    const applied = timeBetween(rng, createdAt, SEED_WINDOW.to);
    const source = rng.pick(APP_SOURCES);
    const app: ApplicationRecord = {
      application_date: new Date(applied).toISOString().slice(0, 10),
      DispositionReasonName: "New",
      DispositionStatusCode: code,
      DispositionStatusName: name,
      DispositionDate: new Date(applied + rng.int(0, 40) * 86_400_000).toISOString().slice(0, 10),
      Id: id,
      PostingTitle: title,
      app_source_id: source,
      app_source_name: source,
      company_source: source,
    };
    if (department) app.DepartmentName = department;
    return app;
  });
}

function consentField(rng: Rng, at: number): CustomField {
  if (rng.chance(0.03)) return { Value: null, UpdatedAt: null };
  return { Value: rng.chance(0.55) ? "Yes" : "No", UpdatedAt: fieldTime(at) };
}

function generateCandidate(state: SeedState): SeededCandidate {
  const { rng } = state;
  const country = rng.weighted(COUNTRY_WEIGHTS);
  const words = WORDS[country];
  const given = rng.pick(words.given);
  const family = rng.pick(words.family);
  const createdAt = timeBetween(rng, SEED_WINDOW.from, SEED_WINDOW.to - 30 * 86_400_000);
  const id = uuidV1(rng, createdAt);

  const updatedAt = Array.from({ length: rng.weighted(UPDATE_COUNT) }, () => timeBetween(rng, createdAt + 1000, SEED_WINDOW.to)).sort(
    (a, b) => a - b,
  );
  const deletedAt = rng.chance(0.03) ? timeBetween(rng, createdAt + 1000, SEED_WINDOW.to) : null;
  const touched = updatedAt.length ? updatedAt[updatedAt.length - 1] : createdAt;

  const name: CandidateRecord["name"] = rng.chance(0.01)
    ? null
    : {
        formatted: rng.chance(0.97) ? `${given} ${family}` : null,
        given: rng.chance(0.98) ? given : null,
        family,
      };

  const noteCount = rng.weighted(NOTE_COUNT);
  const notes = Array.from({ length: noteCount }, () => ({
    Id: uuidV4(rng),
    Text: rng.pick(NOTE_TEXTS),
    DateTime: noteTime(timeBetween(rng, createdAt, SEED_WINDOW.to)),
    // Historical notes may be by users who are inactive now.
    AuthorEmail: rng.pick(SANDBOX_USERS).Email,
  })).sort((a, b) => a.DateTime.localeCompare(b.DateTime));

  const tags: string[] = [];
  for (let n = rng.weighted(TAG_COUNT); tags.length < n; ) {
    const tag = rng.pick(TAGS);
    if (!tags.includes(tag)) tags.push(tag);
  }

  const custom: Array<[string, CustomField]> = [];
  if (rng.chance(0.8)) custom.push(["sms_consent", consentField(rng, touched)]);
  if (rng.chance(0.85)) custom.push(["email_consent", consentField(rng, touched)]);
  if (rng.chance(0.3)) custom.push(["primary_locale", { Value: rng.pick(LOCALES), UpdatedAt: fieldTime(createdAt) }]);
  if (rng.chance(0.2)) custom.push(["Relocate", { Value: rng.pick(["Yes", "No"]), UpdatedAt: fieldTime(createdAt) }]);

  const flag = (pYes: number): CustomField => ({ Value: rng.chance(pYes) ? "Yes" : "No", UpdatedAt: fieldTime(touched) });
  const record: CandidateRecord = {
    id,
    name,
    contact: contactMethods(state, country, given, family),
    jobs: jobs(rng, country),
    schools: schools(rng),
    apps: applications(rng, createdAt),
    notes,
    tags,
    custom,
    audience: rng.chance(0.3) ? [...new Set([rng.pick(AUDIENCES), rng.pick(AUDIENCES)])] : null,
    lifecycle: rng.chance(0.92) ? rng.pick(LIFECYCLES) : null,
    doNotContact: rng.chance(0.85) ? flag(0.06) : null,
    doNotHire: rng.chance(0.7) ? flag(0.02) : null,
    source: rng.chance(0.95) ? rng.pick(SOURCES) : null,
    userAreaOn: rng.chance(0.5) ? "Candidate" : "Resume",
  };
  return { record, createdAt, updatedAt, deletedAt };
}
