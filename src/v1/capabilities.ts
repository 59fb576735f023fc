import { createRoute, z } from "@hono/zod-openapi";
import { MAX_SEARCH_RESULTS } from "../directory/index-store";
import { V1_SECURITY_SCHEME } from "./auth";
import { problemResponses } from "./schemas";
import type { V1Router } from "./v1";

/**
 * `GET /v1/capabilities` (docs/contracts/v1-api.md, "Entities"): what the connected CRM supports,
 * so TalentLynk can hide what Talemetry cannot do (client contacts, companies) instead of trying it.
 */

const Operation = z.enum(["read", "update", "search", "activities"]);

/** The capabilities document. */
export const CapabilitiesSchema = z
  .object({
    crm: z.literal("talemetry"),
    api_version: z.literal("v1"),
    entities: z
      .array(
        z.object({ entity: z.string(), supported: z.boolean(), operations: z.array(Operation), updatable_fields: z.array(z.string()) }),
      )
      .openapi({ description: "Every entity type of the API; unsupported ones answer `501` `entity-not-supported`" }),
    search: z.object({
      by: z.array(z.enum(["phone", "email"])),
      match_levels: z.array(z.enum(["exact", "national", "partial"])),
      max_results: z.number().int(),
    }),
    activities: z.object({
      operations: z.array(z.enum(["create", "read", "update"])),
      idempotency_key: z.boolean(),
      types_endpoint: z.string(),
    }),
    users: z.boolean(),
    rate_limit: z
      .object({ requests: z.number().int(), window_seconds: z.number().int() })
      .openapi({ description: "This deployment's per-tenant budget" }),
  })
  .openapi("Capabilities");

/** `GET /v1/capabilities`. */
export const capabilitiesRoute = createRoute({
  method: "get",
  path: "/capabilities",
  operationId: "getCapabilities",
  tags: ["Metadata"],
  summary: "Which entity types and operations the CRM supports",
  security: [{ [V1_SECURITY_SCHEME]: [] }],
  responses: {
    200: { description: "Capabilities", content: { "application/json": { schema: CapabilitiesSchema } } },
    ...problemResponses(401, 429, 500),
  },
});

/** Registers `GET /v1/capabilities` on the /v1 router. */
export function registerCapabilities(app: V1Router): void {
  app.openapi(capabilitiesRoute, (c) => {
    const { requests, periodSeconds } = c.var.settings.rateLimit;
    const capabilities: z.infer<typeof CapabilitiesSchema> = {
      crm: "talemetry",
      api_version: "v1",
      entities: [
        {
          entity: "candidate",
          supported: true,
          operations: ["read", "update", "search", "activities"],
          updatable_fields: ["emails", "phones"],
        },
        { entity: "contact", supported: false, operations: [], updatable_fields: [] },
        { entity: "company", supported: false, operations: [], updatable_fields: [] },
      ],
      search: { by: ["phone", "email"], match_levels: ["exact", "national", "partial"], max_results: MAX_SEARCH_RESULTS },
      activities: { operations: ["create", "read", "update"], idempotency_key: true, types_endpoint: "/v1/activity-types" },
      users: true,
      rate_limit: { requests, window_seconds: periodSeconds },
    };
    return c.json(capabilities, 200);
  });
}
