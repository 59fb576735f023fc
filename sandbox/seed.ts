/**
 * Deterministic seed data for one account: the demo candidates (stored rows, see account-store.ts) and
 * generated candidates derived on demand. A generated candidate is a pure function of the account's seed
 * key and its index (seed-plan.ts gives its id and timeline, this file its record): names, messy
 * phones, emails and the rest come from PRNG streams keyed by (key, index), so reruns are identical,
 * two accounts differ, and candidate 999,999 costs no more than candidate 0.
 *
 * What a sequential generator would get from shared state is derived instead: an email is unique
 * because it carries the index (`indexOfEmail` reads it back, for the 409 check), and a shared phone
 * number is copied from a nearby earlier candidate of the same country.
 */
import { DEMO_CANDIDATES, SANDBOX_USERS } from "./demo-data";
import { Rng, uuidV4 } from "./prng";
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
import {
  APP_SOURCES,
  AUDIENCES,
  COMPANIES,
  COUNTRY_WEIGHTS,
  type Country,
  DEGREES,
  DISPOSITIONS,
  LOCALES,
  NOTE_TEXTS,
  POSTINGS,
  SCHOOLS,
  TAGS,
  TITLES,
  WORDS,
} from "./seed-data";
import { garbagePhone, messyPhone } from "./seed-phones";
import { SEED_WINDOW, type SeedPlan, type Skeleton, STREAM } from "./seed-plan";
import { fieldTime, isoDate, noteTime } from "./time";

export { SEED_WINDOW };

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

/** How far back (in indexes) a candidate looks for a same-country candidate whose number it shares. */
const SHARE_LOOKBACK = 32;

/** The demo candidates an account seeded with `plan` holds (stored rows, with their fixed times). */
export function demoCandidates(plan: SeedPlan): SeededCandidate[] {
  return DEMO_CANDIDATES.slice(0, plan.demoCount).map((d) => ({
    record: structuredClone(d.record),
    createdAt: d.createdAt,
    updatedAt: [...d.updatedAt],
    deletedAt: null,
  }));
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

/** Letters and digits only, so the index an email carries is the one run of digits before the `@`. */
function emailFor(rng: Rng, given: string, family: string, domains: readonly string[], index: number, nth: number): string {
  const g = asciiSlug(given) || "c";
  const f = asciiSlug(family) || "candidate";
  const local = nth === 0 ? `${g}${rng.pick([".", "_", ""])}${f}` : `${g[0]}${f}`;
  const email = `${local}${index + 1}@${rng.pick(domains)}`;
  // Some CRMs keep whatever case was typed; uniqueness is case-insensitive all the same.
  if (!rng.chance(0.12)) return email;
  const [l, d] = email.split("@");
  const cap = (s: string) => s.replace(/(^|[._])([a-z])/g, (_m, p: string, c: string) => p + c.toUpperCase());
  return `${cap(l)}@${cap(d)}`;
}

/** The index a generated email carries (`indexOfEmail("Ana.Silva17@example.com") === 16`), or null. */
export function indexOfEmail(email: string): number | null {
  const match = /(\d+)@[^@]*$/.exec(email);
  if (!match || match[1].length > 9) return null;
  return Number(match[1]) - 1;
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

interface SeedPhone {
  slot: PhoneSlot;
  use: string | null;
  parts: PhoneParts;
  /** Its own dialable number (not garbage, not copied): one a later candidate may share. */
  own: boolean;
}

/** A dialable number has at least 9 digits among its country, area and subscriber parts. */
function dialable(parts: PhoneParts): boolean {
  return `${parts.InternationalCountryCode ?? ""}${parts.AreaCityCode ?? ""}${parts.SubscriberNumber ?? ""}`.replace(/\D/g, "").length >= 9;
}

const countryOf = (plan: SeedPlan, j: number): Country => Rng.at(plan.key, j, STREAM.content).weighted(COUNTRY_WEIGHTS);

/**
 * Candidate j's phones (or null: no contact block at all), from its own stream. A phone marked to be
 * shared takes the first own number of the nearest earlier candidate of the same country (households,
 * shared office lines); `share: false` leaves such a phone as drawn, which is how that neighbour's own
 * numbers are found without following a chain.
 */
function phonesOf(plan: SeedPlan, j: number, country: Country, share: boolean): SeedPhone[] | null {
  const rng = Rng.at(plan.key, j, STREAM.phones);
  if (rng.chance(0.05)) return null;
  const count = rng.weighted(PHONE_COUNT);
  const out: SeedPhone[] = [];
  for (let i = 0; i < count; i++) {
    const slot = rng.weighted(PHONE_SLOT);
    const use = rng.weighted(PHONE_USE);
    const copy = rng.chance(0.04);
    const parts = rng.chance(0.03) ? garbagePhone(rng) : messyPhone(rng, country, slot === "Mobile");
    const shared = copy && share ? sharedNumber(plan, j, country) : null;
    out.push({ slot, use, parts: shared ?? parts, own: !copy && dialable(parts) });
  }
  return out;
}

function sharedNumber(plan: SeedPlan, j: number, country: Country): PhoneParts | null {
  for (let k = j - 1; k >= Math.max(0, j - SHARE_LOOKBACK); k--) {
    if (countryOf(plan, k) !== country) continue;
    const own = phonesOf(plan, k, country, false)?.find((p) => p.own);
    if (own) return structuredClone(own.parts);
  }
  return null;
}

/**
 * Groups emails, phones and the address into ContactMethods: about half the candidates get one
 * ContactMethod holding everything (an object when rendered), the others one per phone (an array).
 */
function contactMethods(rng: Rng, plan: SeedPlan, j: number, country: Country, given: string, family: string): ContactMethodRecord[] {
  const list = phonesOf(plan, j, country, true);
  if (list === null) return [];
  const emailCount = rng.weighted(EMAIL_COUNT);
  const emails = Array.from({ length: emailCount }, (_, nth) => emailFor(rng, given, family, WORDS[country].domains, j, nth));
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
  return isoDate(ms).slice(0, 7);
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
      application_date: isoDate(applied),
      DispositionReasonName: "New",
      DispositionStatusCode: code,
      DispositionStatusName: name,
      DispositionDate: isoDate(applied + rng.int(0, 40) * 86_400_000),
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

/** Generated candidate j's full record; `skeleton` is `plan.skeleton(j)` (id, times, lifecycle, source). */
export function generateRecord(plan: SeedPlan, skeleton: Skeleton): CandidateRecord {
  const j = skeleton.index;
  const rng = Rng.at(plan.key, j, STREAM.content);
  const country = rng.weighted(COUNTRY_WEIGHTS); // the first draw: countryOf() repeats it
  const words = WORDS[country];
  const given = rng.pick(words.given);
  const family = rng.pick(words.family);
  const { createdAt } = skeleton;
  const touched = skeleton.updates.length ? skeleton.updates[skeleton.updates.length - 1] : createdAt;

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
  return {
    id: skeleton.id,
    name,
    contact: contactMethods(rng, plan, j, country, given, family),
    jobs: jobs(rng, country),
    schools: schools(rng),
    apps: applications(rng, createdAt),
    notes,
    tags,
    custom,
    audience: rng.chance(0.3) ? [...new Set([rng.pick(AUDIENCES), rng.pick(AUDIENCES)])] : null,
    lifecycle: skeleton.lifecycle,
    doNotContact: rng.chance(0.85) ? flag(0.06) : null,
    doNotHire: rng.chance(0.7) ? flag(0.02) : null,
    source: skeleton.source,
    userAreaOn: rng.chance(0.5) ? "Candidate" : "Resume",
  };
}
