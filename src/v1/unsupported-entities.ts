import { createRoute, z } from "@hono/zod-openapi";
import { AppError } from "../platform/errors";
import { V1_SECURITY_SCHEME } from "./auth";
import { problemDefault, problemResponses } from "./schemas";
import type { V1Router } from "./v1";

/**
 * `GET`/`PATCH /v1/contacts/{id}` and `/v1/companies/{id}` (docs/contracts/v1-api.md, "Entities"):
 * Talemetry has no client contacts or companies, so these answer `501` `entity-not-supported` — the
 * routes exist so that TalentLynk's generic CRM client gets that answer instead of a `404`.
 */

const ENTITIES = [
  { path: "contacts", entity: "contact", what: "client contacts" },
  { path: "companies", entity: "company", what: "companies" },
] as const;

const IdParams = z.object({ id: z.string().openapi({ param: { name: "id", in: "path" } }) });

/** Registers the `501` routes of contacts and companies on the /v1 router. */
export function registerUnsupportedEntities(app: V1Router): void {
  for (const { path, entity, what } of ENTITIES) {
    const refuse = (): never => {
      throw new AppError("entity_not_supported", `Talemetry has no ${what}; only candidates are supported (see GET /v1/capabilities).`);
    };
    for (const method of ["get", "patch"] as const) {
      const route = createRoute({
        method,
        path: `/${path}/{id}`,
        operationId: `${method === "get" ? "get" : "update"}${entity[0].toUpperCase()}${entity.slice(1)}`,
        tags: ["Unsupported entities"],
        summary: `${method === "get" ? "Read" : "Change"} a ${entity}: not supported by Talemetry`,
        security: [{ [V1_SECURITY_SCHEME]: [] }],
        request: { params: IdParams },
        // Never a 2xx: `default` says any other status is a problem document too (OpenAPI needs a success or default).
        responses: { ...problemResponses(401, 429, 500, 501), default: problemDefault() },
      });
      app.openapi(route, refuse);
    }
  }
}
