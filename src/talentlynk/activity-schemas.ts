import { z } from "@hono/zod-openapi";

/**
 * Wire schemas of `/v1/activities` (contracts/talentlynk-api.md, "Activities"). The input shape is
 * shared with the activity service, which validates what the Talkdesk actions hand it by the same rules.
 */

/** A note body a recruiter can still read; bounded so one activity cannot exhaust a 64 KB request. */
export const MAX_ACTIVITY_BODY_CHARS = 20_000;
/** A week: longer durations are typing errors (seconds for minutes...), not calls. */
export const MAX_DURATION_SECONDS = 7 * 24 * 60 * 60;

const ACTIVITY_ID = /^act_[0-9a-f]{24}$/;

/** Fields of a new activity, without `entity` (the service only knows candidates). */
export const activityInputShape = {
  entity_id: z
    .string()
    .trim()
    .min(1)
    .max(128)
    .openapi({ description: "The candidate's id", example: "0290bb50-7113-11ef-9c70-b6a35a531041" }),
  type: z.string().min(1).max(64).openapi({ description: "One of `GET /v1/activity-types`", example: "call" }),
  body: z
    .string()
    .max(MAX_ACTIVITY_BODY_CHARS)
    .openapi({ description: "The note text", example: "Discussed the night-shift role; calls back Friday." }),
  occurred_at: z.iso
    .datetime({ offset: true })
    .nullish()
    .openapi({ description: "ISO 8601 with offset; default: when the request was first received", example: "2026-11-22T10:03:00Z" }),
  user_id: z.string().min(1).max(128).nullish().openapi({ description: "Author: a CRM user id (`GET /v1/users`)", example: "u-123" }),
  user_email: z
    .email()
    .max(254)
    .nullish()
    .openapi({ description: "Author: a CRM user's email (instead of `user_id`)", example: "amy@agency.example" }),
  direction: z.enum(["inbound", "outbound"]).nullish(),
  duration_seconds: z.number().int().min(0).max(MAX_DURATION_SECONDS).nullish().openapi({ example: 245 }),
};

/** The service's input schema (unknown keys ignored: callers inside the bridge build the object). */
export const ActivityInputSchema = z.object(activityInputShape);

/** `POST /v1/activities` body: unknown keys are refused, so a misspelt field is not silently dropped. */
export const CreateActivityBodySchema = z
  .object({
    entity: z.string().default("candidate").openapi({ description: "Only `candidate`; other entities answer `501`", example: "candidate" }),
    ...activityInputShape,
  })
  .strict()
  .openapi("NewActivity");

/** `PATCH /v1/activities/{id}` body. */
export const PatchActivityBodySchema = z
  .object({
    body: activityInputShape.body.optional(),
    type: activityInputShape.type.optional(),
  })
  .strict()
  .openapi("ActivityChange");

/** `{id}` of `/v1/activities/{id}`: `act_` + 24 hex. */
export const ActivityIdParamsSchema = z.object({
  id: z
    .string()
    .regex(ACTIVITY_ID, "Not an activity id.")
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

/** The activity record (contracts/talentlynk-api.md, "Activities"). */
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
