import { createRoute, z } from "@hono/zod-openapi";
import { activityTypesFor } from "../tenants/activity-types";
import { V1_SECURITY_SCHEME } from "./auth";
import { problemResponses } from "./schemas";
import type { V1Router } from "./v1";

/**
 * `GET /v1/activity-types` (docs/contracts/v1-api.md, "Metadata"): the built-in types, renamed,
 * added to or hidden by the tenant's settings. Pure configuration: no upstream call.
 */

/** An activity type as `/v1/activity-types` lists it. */
export const ActivityTypeSchema = z
  .object({ id: z.string().openapi({ example: "call" }), name: z.string().openapi({ example: "Phone call" }) })
  .openapi("ActivityType");

/** `GET /v1/activity-types`. */
export const activityTypesRoute = createRoute({
  method: "get",
  path: "/activity-types",
  operationId: "listActivityTypes",
  tags: ["Metadata"],
  summary: "The tenant's activity types",
  security: [{ [V1_SECURITY_SCHEME]: [] }],
  responses: {
    200: { description: "Activity types", content: { "application/json": { schema: z.object({ data: z.array(ActivityTypeSchema) }) } } },
    ...problemResponses(401, 429, 500),
  },
});

/** Registers `GET /v1/activity-types` on the /v1 router. */
export function registerActivityTypes(app: V1Router): void {
  app.openapi(activityTypesRoute, (c) => c.json({ data: activityTypesFor(c.get("tenant")) }, 200));
}
