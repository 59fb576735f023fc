import { createRoute, z } from "@hono/zod-openapi";
import { CANDIDATE_EVENTS, CHANGES_DEFAULT_LIMIT, CHANGES_MAX_LIMIT, listChanges } from "../core/changes";
import { V1_SECURITY_SCHEME } from "./auth";
import { PersonSchema, problemResponses } from "./schemas";
import type { V1Router } from "./v1";

/**
 * `GET /v1/changes` (docs/contracts/v1-api.md, "Changes and webhooks"): candidates created, changed or
 * deleted since a cursor, oldest first, from the tenant directory's change log (src/core/changes.ts).
 */

export const ChangeSchema = z
  .object({
    event: z.enum(CANDIDATE_EVENTS),
    id: z.string().openapi({ example: "0290bb50-7113-11ef-9c70-b6a35a531041" }),
    occurred_at: z.string().openapi({ description: "When the bridge saw the change (ISO 8601, UTC)", example: "2026-11-30T10:15:00.000Z" }),
    candidate: PersonSchema.optional().openapi({ description: "The record as of the change; absent (not null) on `candidate.deleted`" }),
  })
  .openapi("Change");

export const ChangesResponseSchema = z
  .object({
    data: z.array(ChangeSchema),
    next_cursor: z
      .string()
      .openapi({ description: "Opaque; pass it as `cursor` for the next page (also when `has_more` is false, to poll)" }),
    has_more: z.boolean().openapi({ description: "More changes are there now: ask again at once with `next_cursor`" }),
  })
  .openapi("ChangesPage");

const ChangesQuery = z
  .object({
    cursor: z.string().min(1).max(512).optional().openapi({ description: "A `next_cursor` from an earlier page" }),
    from: z.literal("beginning").optional().openapi({
      description: "Without `cursor`: list every live candidate as `candidate.created` (paged), then continue with the changes since",
    }),
    limit: z
      .string()
      .regex(/^\d+$/, "must be a whole number")
      .transform(Number)
      .pipe(z.number().int().min(1).max(CHANGES_MAX_LIMIT))
      .optional()
      .openapi({ type: "integer", description: `1…${CHANGES_MAX_LIMIT}, default ${CHANGES_DEFAULT_LIMIT}`, example: 100 }),
  })
  .refine((q) => !(q.cursor && q.from), { message: "Send either cursor or from=beginning, not both.", path: ["from"] });

/** `GET /v1/changes`. */
export const changesRoute = createRoute({
  method: "get",
  path: "/changes",
  operationId: "listChanges",
  tags: ["Changes and webhooks"],
  summary: "Candidates created, changed or deleted since a cursor",
  description:
    "Oldest first. Without `cursor`: an empty page whose `next_cursor` means now. With `from=beginning`: every live candidate as " +
    "`candidate.created`, paged, then the changes made since that listing began — nothing is skipped or repeated while records change " +
    "during paging. `candidate.updated` means a field of the candidate record changed. Cursors are opaque and survive restarts; one this " +
    "API did not issue (for this tenant) → `400`; one older than the change log's retention (at least 7 days) → `410`: start again from " +
    "the beginning.",
  security: [{ [V1_SECURITY_SCHEME]: [] }],
  request: { query: ChangesQuery },
  responses: {
    200: { description: "A page of changes", content: { "application/json": { schema: ChangesResponseSchema } } },
    ...problemResponses(400, 401, 410, 429, 500),
  },
});

/** Registers `GET /v1/changes` on the /v1 router. */
export function registerChanges(app: V1Router): void {
  app.openapi(changesRoute, async (c) => {
    const q = c.req.valid("query");
    const page = await listChanges(c.var.services, { cursor: q.cursor, fromBeginning: q.from === "beginning", limit: q.limit });
    return c.json(page, 200);
  });
}
