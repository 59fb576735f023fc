import { z } from "@hono/zod-openapi";
import { CANDIDATE_ID_PATTERN } from "../core/ids";
import { emailSchema } from "../domain/email";

/** Wire schemas of `/v1/candidates/{id}` (docs/contracts/v1-api.md, "Entities"). */

/** More than a person plausibly has; keeps one PATCH well inside the body limit and Talemetry's patience. */
export const MAX_CONTACT_ITEMS = 20;

/** `{id}` of `/v1/candidates/{id}`. */
export const CandidateIdParamsSchema = z.object({
  id: z
    .string()
    .regex(CANDIDATE_ID_PATTERN, "Not a candidate id.")
    .openapi({ param: { name: "id", in: "path" }, example: "0290bb50-7113-11ef-9c70-b6a35a531041" }),
});

/** The phone types Talemetry can store (§4 `use`); `fax` and `pager` are read-only. */
export const WRITABLE_PHONE_TYPES = ["mobile", "home", "work", "other"] as const;

/** One phone of a `PATCH /v1/candidates/{id}` body. */
export const PhoneInputSchema = z
  .object({
    number: z
      .string()
      .min(1)
      .max(64)
      .openapi({ description: "E.164, `00…`, or national (then `region`, else the tenant's region)", example: "07700 900123" }),
    type: z.enum(WRITABLE_PHONE_TYPES).optional().openapi({ description: "Default `other`" }),
    region: z
      .string()
      .regex(/^[A-Za-z]{2}$/, "An ISO 3166 alpha-2 country code.")
      .optional()
      .openapi({ description: "Country of a national number", example: "GB" }),
  })
  .strict()
  .openapi("PhoneInput");

/** `PATCH /v1/candidates/{id}` body: each list given replaces that list; unknown keys are refused. */
export const PatchCandidateBodySchema = z
  .object({
    emails: z
      .array(emailSchema())
      .max(MAX_CONTACT_ITEMS)
      .optional()
      .openapi({ description: "Replaces every email", example: ["maya.ortiz@example.com"] }),
    phones: z.array(PhoneInputSchema).max(MAX_CONTACT_ITEMS).optional().openapi({ description: "Replaces every phone" }),
  })
  .strict()
  .openapi("CandidateContactChange");

/** A validated `PATCH /v1/candidates/{id}` body. */
export type PatchCandidateBody = z.infer<typeof PatchCandidateBodySchema>;
