import { z } from "@hono/zod-openapi";
import { ActivityChangeSchema, activityInputShape } from "../core/activity-input";
import { ACTIVITY_ID_PATTERN } from "../core/ids";

/**
 * Wire schemas of `/v1/activities` (docs/contracts/v1-api.md, "Activities"). The input shape is
 * shared with the activity service, which validates what the Talkdesk actions hand it by the same rules.
 */

/** `POST /v1/activities` body: unknown keys are refused, so a misspelt field is not silently dropped. */
export const CreateActivityBodySchema = z
  .object({
    // Optional rather than `.default()`: the document must not tell clients to send it (a default renders as required).
    entity: z
      .string()
      .optional()
      .openapi({ description: "Only `candidate` (the default); other entities answer `501`", example: "candidate" }),
    ...activityInputShape,
  })
  .strict()
  .openapi("NewActivity");

/** `PATCH /v1/activities/{id}` body: unknown keys are refused. */
export const PatchActivityBodySchema = ActivityChangeSchema.strict().openapi("ActivityChange");

/** `{id}` of `/v1/activities/{id}`: `act_` + 24 hex. */
export const ActivityIdParamsSchema = z.object({
  id: z
    .string()
    .regex(ACTIVITY_ID_PATTERN, "Not an activity id.")
    .openapi({ param: { name: "id", in: "path" }, example: "act_5f0c6a1e9b2d4c7a8e3f1b6d" }),
});

/** `Idempotency-Key`: printable ASCII, as the IETF Idempotency-Key draft's examples (UUIDs and the like). */
export const IdempotencyHeadersSchema = z.object({
  "idempotency-key": z
    .string()
    .regex(/^[\x21-\x7e]{1,255}$/, "1 to 255 printable ASCII characters without spaces.")
    .optional()
    .openapi({
      // Listed under the validator's lower-case key: header names are case-insensitive (RFC 9110 §5.1).
      param: { in: "header" },
      description:
        "Recommended. The same key with the same body within 24 h returns the first result and creates nothing; with another body: `409`.",
      example: "3f1c9a52-8c1e-4b9f-a3f4-2d7c6a0b9e11",
    }),
});

/** The activity record (docs/contracts/v1-api.md, "Activities"). */
export const ActivitySchema = z
  .object({
    id: z.string().openapi({ example: "act_5f0c6a1e9b2d4c7a8e3f1b6d" }),
    entity: z.literal("candidate"),
    entity_id: z.string(),
    type: z.string().openapi({ example: "call" }),
    body: z.string(),
    occurred_at: z.string().openapi({ example: "2026-11-22T10:03:00Z" }),
    user_id: z.string().nullable().openapi({ description: "The CRM user who authored the note", example: "u-123" }),
    direction: z.enum(["inbound", "outbound"]).nullable(),
    duration_seconds: z.number().int().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Activity");
