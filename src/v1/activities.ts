import { createRoute } from "@hono/zod-openapi";
import { createActivity, getActivity, updateActivity } from "../core/activities";
import { jsonBody } from "../platform/body";
import { AppError } from "../platform/errors";
import {
  ActivityIdParamsSchema,
  ActivitySchema,
  CreateActivityBodySchema,
  IdempotencyHeadersSchema,
  PatchActivityBodySchema,
} from "./activity-schemas";
import { V1_SECURITY_SCHEME } from "./auth";
import { problemResponses } from "./schemas";
import type { V1Router } from "./v1";

/**
 * `POST /v1/activities`, `GET` and `PATCH /v1/activities/{id}` (docs/contracts/v1-api.md,
 * "Activities"): a note on the candidate in Talemetry, with its type, direction and duration kept by the
 * bridge. The work is in activity-service.ts, shared with the Talkdesk actions.
 */

const security = [{ [V1_SECURITY_SCHEME]: [] }];
const activity = { "application/json": { schema: ActivitySchema } };

/** `Idempotency-Key`s of /v1 live apart from the keys other callers (Talkdesk) derive. */
const KEY_NAMESPACE = "v1:";

/** `POST /v1/activities`. */
export const createActivityRoute = createRoute({
  method: "post",
  path: "/activities",
  operationId: "createActivity",
  tags: ["Activities"],
  summary: "Log an activity (a note on the candidate)",
  description:
    '`type` must be one of `GET /v1/activity-types` (absent: the tenant\'s default type, `note` unless set); the author (`user_id` or `user_email`) an active CRM user, else the tenant\'s default author. With `Idempotency-Key`, the same key and the same body (compared after validation, with defaults applied: a retry that adds `"entity": "candidate"` is the same request) within 24 h return the first result (`201`, same id, `Idempotent-Replayed: true`) and create nothing — also when both arrive at once (the second waits for the first); the same key with another body → `409`, also after a failed attempt (the same body then runs again).',
  security,
  middleware: [jsonBody()],
  request: {
    headers: IdempotencyHeadersSchema,
    body: { required: true, content: { "application/json": { schema: CreateActivityBodySchema } } },
  },
  responses: {
    201: {
      description: "The activity (new, or the first result of this Idempotency-Key)",
      headers: {
        "Idempotent-Replayed": {
          description: "`true` when this is the first result of the `Idempotency-Key` again, and nothing new was created.",
          schema: { type: "string", enum: ["true"] },
        },
      },
      content: activity,
    },
    ...problemResponses(400, 401, 404, 409, 413, 415, 422, 429, 500, 501, 502, 503),
  },
});

/** `GET /v1/activities/{id}`. */
export const getActivityRoute = createRoute({
  method: "get",
  path: "/activities/{id}",
  operationId: "getActivity",
  tags: ["Activities"],
  summary: "One activity",
  security,
  request: { params: ActivityIdParamsSchema },
  responses: {
    200: { description: "The activity", content: activity },
    ...problemResponses(400, 401, 404, 429, 500),
  },
});

/** `PATCH /v1/activities/{id}`. */
export const patchActivityRoute = createRoute({
  method: "patch",
  path: "/activities/{id}",
  operationId: "updateActivity",
  tags: ["Activities"],
  summary: "Change an activity's body or type",
  description:
    "Rewrites the Talemetry note. Repeating the same change is harmless. Changes of one activity are applied one after the other (the later sees the earlier); one still waiting after 20 s → `409` with `Retry-After`.",
  security,
  middleware: [jsonBody()],
  request: {
    params: ActivityIdParamsSchema,
    body: { required: true, content: { "application/json": { schema: PatchActivityBodySchema } } },
  },
  responses: {
    200: { description: "The updated activity", content: activity },
    ...problemResponses(400, 401, 404, 409, 413, 415, 422, 429, 500, 502, 503),
  },
});

/**
 * What two requests under one `Idempotency-Key` must agree on (contract, "Activities": compared after
 * validation, with defaults applied): the validated body, `entity` filled in, an optional field sent as
 * `null` the same as one left out. The tenant's default type and the arrival time are not filled in: a
 * retry of the same body must replay even when the tenant's settings changed in between.
 */
export function idempotencyFingerprint(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== null && value !== undefined));
}

/** Registers the activity routes on the /v1 router. */
export function registerActivities(app: V1Router): void {
  app.openapi(createActivityRoute, async (c) => {
    const sent = c.req.valid("json");
    const body = { ...sent, entity: sent.entity ?? "candidate" };
    const { entity, ...input } = body;
    if (entity !== "candidate") {
      throw new AppError(
        "entity_not_supported",
        `Talemetry has no '${entity.slice(0, 40)}' entity to log activities on; only 'candidate' is supported.`,
      );
    }
    const key = c.req.valid("header")["idempotency-key"];
    const options = key ? { idempotencyKey: KEY_NAMESPACE + key, fingerprint: idempotencyFingerprint(body) } : {};
    const result = await createActivity(c.var.services, input, options);
    if (result.replayed) c.header("Idempotent-Replayed", "true");
    return c.json(result.activity, 201);
  });

  app.openapi(getActivityRoute, async (c) => c.json(await getActivity(c.var.services, c.req.valid("param").id), 200));

  app.openapi(patchActivityRoute, async (c) => {
    const { id } = c.req.valid("param");
    const change = c.req.valid("json");
    const updated = await updateActivity(c.var.services, id, change);
    return c.json(updated, 200);
  });
}
