// The lenient HR-XML readers (src/talemetry/lenient.ts, hrxml.ts) against the zod schemas they replaced,
// kept here verbatim as the reference: for any candidate-like input, parseProfilesBody gives exactly what
// the zod schemas gave (the same candidates, the same values, unknown keys kept, the same rejections).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { parseProfilesBody } from "../../src/talemetry/hrxml";
import full from "../fixtures/talemetry-profile-full.json";
import notesTagsCustom from "../fixtures/talemetry-profile-notes-tags-custom.json";

// ---- the reference: the former zod schemas of src/talemetry/hrxml.ts
function asList(value: unknown): unknown[] {
  return value == null ? [] : Array.isArray(value) ? value : [value];
}

/** True for a JSON object (not null, not an array). */
function isRecord(value: unknown): value is Record<string, unknown> {
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
const text = z
  .unknown()
  .optional()
  .transform((value): string | null => {
    const raw = leafText(value);
    const trimmed = raw === null ? "" : raw.trim();
    return trimmed === "" ? null : trimmed;
  });

/** A free-text leaf (note bodies): kept as written, not trimmed; null when absent. Never fails. */
const freeText = z
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
const noteSchema = element({ Id: text, Text: freeText, DateTime: text, AuthorEmail: text });

const relatedPositionPosting = element({
  Id: text,
  PostingTitle: text,
  application_date: text,
  DispositionStatusName: text,
  DispositionDate: text,
});

/** `UserArea` — appears under `Candidate` and under `Resume` in Talemetry's own samples (§3). */
const userAreaSchema = element({
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
const candidateSchema = z.looseObject({
  CandidateRecordInfo: z.looseObject({ Id: z.looseObject({ IdValue: guid }) }),
  Resume: resumeSchema,
  UserArea: userAreaSchema,
});

/** The reference's reading of a profiles body's candidate list (`Candidates` as a list of `{Candidate}`). */
function reference(entries: unknown[]): { candidates: unknown[]; rejected: number } {
  const candidates: unknown[] = [];
  let rejected = 0;
  for (const entry of entries) {
    const parsed = candidateSchema.safeParse(entry);
    if (parsed.success) candidates.push(parsed.data);
    else rejected += 1;
  }
  return { candidates, rejected };
}

/** Same values at every depth (key order aside: nothing reads it). */
function expectSame(actual: unknown, expected: unknown): void {
  expect(actual).toStrictEqual(expected);
}

// ---- generators: candidates shaped like the schema (each element possibly dirty) plus unknown keys

type Gen = fc.Arbitrary<unknown>;
const junk: Gen = fc.oneof(fc.constant(null), fc.string({ maxLength: 4 }), fc.integer(), fc.constant([]), fc.constant({}));
const leaf: Gen = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom("", " ", " +44 (0)20 7946 0958 ", "Yes", " current ", "Current", "N"),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
const textGen: Gen = fc.oneof(
  { weight: 6, arbitrary: leaf },
  fc.record({ "#text": leaf, "@type": leaf }, { requiredKeys: [] }),
  fc.array(leaf, { maxLength: 3 }),
  junk,
);
const unknownKeys = fc.dictionary(fc.constantFrom("xmlns:rm", "custom", "Description", "0"), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 2 });
/** An element of this shape: some of its children, unknown keys, or not an object at all. */
function elementGen(shape: Record<string, Gen>): Gen {
  const obj = fc
    .tuple(unknownKeys, fc.record(shape, { requiredKeys: [] }), fc.boolean())
    .map(([extra, known, first]) => (first ? { ...extra, ...known } : { ...known, ...extra }));
  return fc.oneof({ weight: 8, arbitrary: obj }, junk);
}
const singleGen = (shape: Record<string, Gen>): Gen => {
  const el = elementGen(shape);
  return fc.oneof({ weight: 4, arbitrary: el }, fc.array(fc.oneof(el, fc.constant(null)), { maxLength: 3 }));
};
const manyGen = (item: Gen): Gen => fc.oneof(item, fc.array(item, { maxLength: 3 }), fc.constant(null));
const custom: Gen = fc.oneof(elementGen({ Value: textGen, UpdatedAt: textGen }), leaf);
const phone: Gen = fc.oneof(
  elementGen({
    InternationalCountryCode: textGen,
    AreaCityCode: textGen,
    SubscriberNumber: textGen,
    Extension: textGen,
    FormattedNumber: textGen,
  }),
  fc.string({ maxLength: 12 }),
  fc.integer(),
);
const date = singleGen({ StringDate: textGen, AnyDate: textGen, YearMonth: textGen, Year: textGen });
const userAreaGen = elementGen({
  Notes: singleGen({ Note: manyGen(elementGen({ Id: textGen, Text: textGen, DateTime: textGen, AuthorEmail: textGen })) }),
  Tags: singleGen({ Tag: manyGen(textGen) }),
  RelatedPositionPostings: singleGen({
    RelatedPositionPosting: manyGen(
      elementGen({
        Id: textGen,
        PostingTitle: textGen,
        application_date: textGen,
        DispositionStatusName: textGen,
        DispositionDate: textGen,
      }),
    ),
  }),
  Lifecycle: singleGen({ State: textGen }),
  DoNotContact: custom,
  DoNotHire: custom,
  sms_consent: custom,
  email_consent: custom,
});
const resumeGen = elementGen({
  StructuredXMLResume: singleGen({
    ContactInfo: singleGen({
      PersonName: singleGen({ FormattedName: textGen, GivenName: textGen, FamilyName: textGen }),
      ContactMethod: manyGen(
        elementGen({
          Use: textGen,
          Telephone: manyGen(phone),
          Mobile: manyGen(phone),
          Fax: manyGen(phone),
          Pager: manyGen(phone),
          InternetEmailAddress: manyGen(textGen),
          InternetWebAddress: manyGen(textGen),
          PostalAddress: singleGen({
            CountryCode: textGen,
            PostalCode: textGen,
            Region: manyGen(textGen),
            Municipality: textGen,
            DeliveryAddress: singleGen({ AddressLine: manyGen(textGen) }),
          }),
        }),
      ),
    }),
    EmploymentHistory: singleGen({
      EmployerOrg: manyGen(
        elementGen({
          EmployerOrgName: textGen,
          PositionHistory: manyGen(
            elementGen({ Title: textGen, OrgName: singleGen({ OrganizationName: textGen }), StartDate: date, EndDate: date }),
          ),
        }),
      ),
    }),
    EducationHistory: singleGen({
      SchoolOrInstitution: manyGen(
        elementGen({ School: singleGen({ SchoolName: textGen }), Degree: manyGen(elementGen({ DegreeName: textGen })) }),
      ),
    }),
  }),
  UserArea: userAreaGen,
});
/** A GUID: usually usable (else most candidates would only test the rejection). */
const guidGen: Gen = fc.oneof(
  { weight: 6, arbitrary: fc.string({ minLength: 1, maxLength: 6 }) },
  fc.constantFrom("", "  ", " g ", 7, null, { "#text": "g" }),
);
const candidate: Gen = fc.oneof(
  {
    weight: 10,
    arbitrary: elementGen({
      CandidateRecordInfo: elementGen({ Id: elementGen({ IdValue: guidGen }) }),
      Resume: resumeGen,
      UserArea: userAreaGen,
    }),
  },
  fc.jsonValue({ maxDepth: 3 }),
);

describe("lenient HR-XML readers", () => {
  it("read the contract's fixtures as the zod schemas did", () => {
    for (const body of [full, notesTagsCustom]) {
      const entries = asList((body as { result: { Candidates: unknown } }).result.Candidates).flatMap((e) =>
        asList((e as { Candidate: unknown }).Candidate),
      );
      expectSame(parseProfilesBody(body), reference(entries));
    }
  });

  it("read any candidate-like value as the zod schemas did", () => {
    fc.assert(
      fc.property(fc.array(candidate, { maxLength: 4 }), (entries) => {
        expectSame(
          parseProfilesBody({ result: { Candidates: entries.map((c) => ({ Candidate: c })) } }),
          reference(entries.flatMap(asList)),
        );
      }),
      { numRuns: 500 },
    );
  });
});
