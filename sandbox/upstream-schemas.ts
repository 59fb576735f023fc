/**
 * Request bodies of the contract's calls, validated in the Worker. A failure becomes a `422 invalid`
 * (or `400 bad_request` for a body that is not JSON), reported after the request was counted and
 * faults applied — the same order as a real API behind a gateway.
 */
import { z } from "zod";
import { CONTACT_USES, e164Parts } from "./contact";
import { findUser } from "./demo-data";
import { INCLUDE_OPTIONS } from "./render-hrxml";
import { parseInstant } from "./time";

/** Contract §3: at most 50 ids a call. */
export const MAX_PROFILE_IDS = 50;
/** Contract §2: `PageSize` at most 500; 100 when absent. */
export const MAX_PAGE_SIZE = 500;
export const DEFAULT_PAGE_SIZE = 100;
/** Users page size bounds (contract §6 shows per_page=100). */
export const MAX_USERS_PER_PAGE = 100;
/**
 * Exclusion lists are bound as SQL parameters, and a Durable Object query takes at most 100 of them;
 * 40 + 40 leaves room for the range and the cursor.
 */
const MAX_EXCLUDES = 40;

const instant = z.string().refine((s) => parseInstant(s) !== null, "must be an ISO 8601 date-time with a zone (Z)");

export const authorizeSchema = z.object({
  client_id: z.string().min(1).max(200),
  secret_key: z.string().min(1).max(500),
});

export const EVENTS = ["created", "updated", "deleted"] as const;
export type EventKind = (typeof EVENTS)[number];

export const idsSchema = z.object({
  DateTimeRange: z
    .object({ From: instant, To: instant, Event: z.enum(EVENTS) })
    .refine((r) => parseInstant(r.From)! <= parseInstant(r.To)!, "From must not be after To")
    .optional(),
  ExcludeSources: z.array(z.string().max(200)).max(MAX_EXCLUDES).optional(),
  ExcludeLifeCycles: z.array(z.string().max(200)).max(MAX_EXCLUDES).optional(),
  PageSize: z.number().int().min(1).max(MAX_PAGE_SIZE).optional(),
  Cursor: z.string().min(1).max(500).nullable().optional(),
});
export type IdsRequest = z.infer<typeof idsSchema>;

export const profilesSchema = z.object({
  ids: z.array(z.string().min(1).max(100)).max(MAX_PROFILE_IDS, `at most ${MAX_PROFILE_IDS} ids a call`),
  include: z.array(z.enum(INCLUDE_OPTIONS)).optional(),
});
export type ProfilesRequest = z.infer<typeof profilesSchema>;

const email = z
  .string()
  .trim()
  .max(254)
  .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, "must be an email address");

/** §4 (and §7): emails and `{use, number}` phones, numbers in E.164. */
const emails = z.array(email).max(20);
const phones = z
  .array(
    z.object({
      use: z.enum(CONTACT_USES),
      number: z
        .string()
        .max(32)
        .refine((n) => e164Parts(n) !== null, "must be an E.164 number like +14155550142"),
    }),
  )
  .max(20);

export const contactPatchSchema = z.object({
  emails: emails.optional(),
  phones: phones.optional(),
});
export type ContactPatch = z.infer<typeof contactPatchSchema>;

const personName = z.string().trim().max(200).nullable().optional();

/** §7: a name (given or family) and a way to reach the candidate (an email or a phone) are required. */
export const personCreateSchema = z
  .object({
    GivenName: personName,
    FamilyName: personName,
    emails: emails.optional(),
    phones: phones.optional(),
    Source: z.string().trim().max(60).nullable().optional(),
  })
  .refine((p) => Boolean(p.GivenName || p.FamilyName), { message: "GivenName or FamilyName is required", path: ["GivenName"] })
  .refine((p) => (p.emails?.length ?? 0) + (p.phones?.length ?? 0) > 0, {
    message: "at least one email or phone is required",
    path: ["emails"],
  });
export type PersonCreate = z.infer<typeof personCreateSchema>;

export const noteCreateSchema = z.object({
  Text: z.string().min(1).max(20_000),
  DateTime: instant.optional(),
  // §5: the author must be one of the account's Talemetry users (GET /v1/users).
  AuthorEmail: z
    .string()
    .max(254)
    .refine((e) => findUser(e) !== undefined, "must be the email of a Talemetry user"),
});
export type NoteCreate = z.infer<typeof noteCreateSchema>;

export const noteUpdateSchema = z.object({ Text: z.string().min(1).max(20_000) });

export const usersQuerySchema = z.object({
  page: z.coerce.number().int().min(1).default(1),
  per_page: z.coerce.number().int().min(1).max(MAX_USERS_PER_PAGE).default(100),
});

/** One readable line from a zod error: "phones.0.number: must be E.164; …". */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message))
    .join("; ");
}
