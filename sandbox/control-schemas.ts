/** Bodies of the control API (/__control/…). Strict objects: a misspelt key is an error, not a no-op. */
import { z } from "zod";
import { faultRuleSchema, MAX_LATENCY_MS } from "./faults";
import { PHONE_SLOTS } from "./records";
import { MAX_SEED_CANDIDATES } from "./seed-plan";
import { parseInstant } from "./time";

const text = (max = 200) => z.string().max(max);
const nullableText = (max = 200) => text(max).nullable();
const instant = z.string().refine((s) => parseInstant(s) !== null, "must be an ISO 8601 date-time with a zone (Z)");
const yesNo = z.enum(["Yes", "No"]).nullable();

const phonePartsShape = {
  InternationalCountryCode: nullableText(20).optional(),
  AreaCityCode: nullableText(20).optional(),
  SubscriberNumber: nullableText(60).optional(),
  Extension: nullableText(20).optional(),
  FormattedNumber: nullableText(60).optional(),
};
const phoneParts = z.object(phonePartsShape).strict();

const postalAddress = z
  .object({
    CountryCode: nullableText(10).optional(),
    PostalCode: nullableText(20).optional(),
    Region: nullableText().optional(),
    Municipality: nullableText().optional(),
    DeliveryAddress: z
      .object({ AddressLine: z.union([text(), z.array(text()), z.null()]) })
      .nullable()
      .optional(),
  })
  .strict();

/** A raw HR-XML ContactMethod, stored verbatim (for data no shorthand can express). */
const contactMethod = z
  .object({
    Use: nullableText(40).optional(),
    Telephone: phoneParts.optional(),
    Mobile: phoneParts.optional(),
    Fax: phoneParts.optional(),
    Pager: phoneParts.optional(),
    InternetEmailAddress: text(254).optional(),
    InternetWebAddress: text(2048).optional(),
    PostalAddress: postalAddress.optional(),
  })
  .strict();

/** A phone in HR-XML parts plus where it goes: the slot (`kind`) and the ContactMethod `Use` text. */
const phoneInput = z
  .object({
    kind: z.enum(PHONE_SLOTS).default("Telephone"),
    use: nullableText(40).default("personal"),
    ...phonePartsShape,
  })
  .strict();

export const candidateInputSchema = z
  .object({
    /** Create only: a fixed id (must be unused). Default: a new UUID v1. */
    id: z
      .string()
      .regex(/^[A-Za-z0-9-]{1,64}$/, "letters, digits and hyphens")
      .optional(),
    givenName: nullableText().optional(),
    familyName: nullableText().optional(),
    /** Default on create: "given family". */
    formattedName: nullableText().optional(),
    /** Replace all emails (placed like the contract's PATCH does). */
    emails: z
      .array(text(254).regex(/^[^\s@]+@[^\s@]+$/, "must be an email address"))
      .max(20)
      .optional(),
    /** Replace all phones with these raw parts (dirty data welcome). */
    phones: z.array(phoneInput).max(20).optional(),
    /** Replace the whole contact block verbatim (wins over emails/phones/address). */
    contactMethods: z.array(contactMethod).max(20).optional(),
    /** The address of the first ContactMethod; null removes it. */
    address: postalAddress.nullable().optional(),
    /** Current employer and title (the first, "current" position); both null removes it. */
    employer: nullableText().optional(),
    title: nullableText().optional(),
    tags: z.array(text()).max(50).optional(),
    lifecycle: nullableText(60).optional(),
    source: nullableText(60).optional(),
    smsConsent: yesNo.optional(),
    emailConsent: yesNo.optional(),
    doNotContact: yesNo.optional(),
    userArea: z.enum(["Candidate", "Resume"]).optional(),
    /** Time of the recorded event (created / updated). Default: now. */
    at: instant.optional(),
  })
  .strict();
export type CandidateInput = z.input<typeof candidateInputSchema>;
export type ParsedCandidateInput = z.infer<typeof candidateInputSchema>;

/** `POST /__control/accounts`: the client id to create (default: a new `sandbox-…` id). */
export const createAccountSchema = z
  .object({
    client_id: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._@+-]{0,199}$/, "letters, digits and . _ @ + - (at most 200), starting with a letter or digit")
      .optional(),
  })
  .strict();

export const faultsBodySchema = z.object({ rules: z.array(faultRuleSchema).max(50) }).strict();

export const seedBodySchema = z
  .object({
    /** Derived on demand (seed-plan.ts): a million costs no more to seed than ten. */
    count: z.number().int().min(0).max(MAX_SEED_CANDIDATES),
    seed: z.union([z.string().max(200), z.number()]).optional(),
    demo: z.boolean().optional(),
  })
  .strict();
export type SeedBody = z.input<typeof seedBodySchema>;

export const settingsBodySchema = z
  .object({
    /** Added to every upstream call of the account (benchmarks). */
    latencyMs: z.number().int().min(0).max(MAX_LATENCY_MS).optional(),
    /** `expires_in` of tokens issued from now on; tokens already issued keep theirs. */
    tokenTtlSeconds: z
      .number()
      .int()
      .min(1)
      .max(30 * 86_400)
      .optional(),
    /** Answer `"Candidates": {…}` instead of `[{…}]` when exactly one candidate is found. */
    singleCandidateAsObject: z.boolean().optional(),
    /** Off: the Match API refuses `updated` and `deleted` listings (an account without the feature). */
    trackCandidateLastChanges: z.boolean().optional(),
  })
  .strict();
export type SettingsBody = z.infer<typeof settingsBodySchema>;

export const deleteQuerySchema = z.object({ at: instant.optional() });
