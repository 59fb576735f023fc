import { z } from "@hono/zod-openapi";
import { emailSchema } from "../domain/email";
import { CANDIDATE_ID_PATTERN, USER_ID_PATTERN } from "./ids";

/**
 * What a new activity and an activity change consist of, whoever asks (docs/contracts/v1-api.md,
 * "Activities"). Field names are the /v1 body's, so errors name them alike for every caller; the /v1
 * wire schemas build on these (src/v1/activity-schemas.ts).
 */

/** A note body a recruiter can still read; bounded so one activity cannot exhaust a 64 KB request. */
export const MAX_ACTIVITY_BODY_CHARS = 20_000;
/** A week: longer durations are typing errors (seconds for minutes...), not calls. */
export const MAX_DURATION_SECONDS = 7 * 24 * 60 * 60;

/** Fields of a new activity, without `entity` (the service only knows candidates). */
export const activityInputShape = {
  // Ids by the one rule of ./ids.ts: a malformed one is refused here, before any upstream call.
  entity_id: z
    .string()
    .trim()
    .regex(CANDIDATE_ID_PATTERN, "Not a candidate id: 1 to 128 letters, digits and ._:-, starting with a letter or digit.")
    .openapi({ description: "The candidate's id", example: "0290bb50-7113-11ef-9c70-b6a35a531041" }),
  type: z.string().min(1).max(64).nullish().openapi({
    description: "One of `GET /v1/activity-types`; default: the tenant's `default_activity_type` (`note` unless set)",
    example: "call",
  }),
  body: z
    .string()
    .max(MAX_ACTIVITY_BODY_CHARS)
    .openapi({ description: "The note text", example: "Discussed the night-shift role; calls back Friday." }),
  occurred_at: z.iso
    .datetime({ offset: true })
    .nullish()
    .openapi({ description: "ISO 8601 with offset; default: when the request was first received", example: "2026-11-22T10:03:00Z" }),
  user_id: z
    .string()
    .regex(USER_ID_PATTERN, "Not a user id: 1 to 128 letters, digits and ._:-, starting with a letter or digit.")
    .nullish()
    .openapi({ description: "Author: a CRM user id (`GET /v1/users`)", example: "u-123" }),
  user_email: emailSchema()
    .nullish()
    .openapi({ description: "Author: a CRM user's email (instead of `user_id`)", example: "amy@agency.example" }),
  direction: z.enum(["inbound", "outbound"]).nullish(),
  duration_seconds: z.number().int().min(0).max(MAX_DURATION_SECONDS).nullish().openapi({ example: 245 }),
};

/** The service's input schema (unknown keys ignored: callers inside the bridge build the object). */
export const ActivityInputSchema = z.object(activityInputShape);

/** An activity change (`body` and/or `type`); unknown keys ignored, as for `ActivityInputSchema`. */
export const ActivityChangeSchema = z.object({
  body: activityInputShape.body.optional(),
  type: z.string().min(1).max(64).optional().openapi({ description: "One of `GET /v1/activity-types`", example: "call" }),
});
