import { createRoute } from "@hono/zod-openapi";
import { readCandidate, updateCandidateContact } from "../core/candidates";
import { jsonBody } from "../platform/body";
import { V1_SECURITY_SCHEME } from "./auth";
import { CandidateIdParamsSchema, PatchCandidateBodySchema } from "./candidate-schemas";
import { PersonSchema, problemResponses } from "./schemas";
import type { V1Router } from "./v1";

/**
 * `GET /v1/candidates/{id}` and `PATCH /v1/candidates/{id}` (docs/contracts/v1-api.md, "Entities"):
 * a fresh read from Talemetry; a change of emails and/or phones written to Talemetry and through to the
 * directory, answered with the updated record.
 */

const security = [{ [V1_SECURITY_SCHEME]: [] }];
const candidate = { "application/json": { schema: PersonSchema } };

/** `GET /v1/candidates/{id}`. */
export const getCandidateRoute = createRoute({
  method: "get",
  path: "/candidates/{id}",
  operationId: "getCandidate",
  tags: ["Candidates"],
  summary: "One candidate, fresh from Talemetry",
  description: "`updated_at` is when the bridge last saw the candidate change (null if unknown); `url` follows the tenant's link template.",
  security,
  request: { params: CandidateIdParamsSchema },
  responses: {
    200: { description: "The candidate", content: candidate },
    ...problemResponses(400, 401, 404, 429, 500, 502, 503),
  },
});

/** `PATCH /v1/candidates/{id}`. */
export const patchCandidateRoute = createRoute({
  method: "patch",
  path: "/candidates/{id}",
  operationId: "updateCandidate",
  tags: ["Candidates"],
  summary: "Replace a candidate's emails and/or phones",
  description:
    "Each list given replaces that list. Every phone must be a *possible* number after resolving it (`+`/`00` international; else the entry's `region`, else the tenant's region), else `422` names each bad entry (`phones[1].number`) and nothing is written. Phones are stored as E.164. An email that belongs to another candidate → `409`.",
  security,
  middleware: [jsonBody()],
  request: {
    params: CandidateIdParamsSchema,
    body: { required: true, content: { "application/json": { schema: PatchCandidateBodySchema } } },
  },
  responses: {
    200: { description: "The updated candidate", content: candidate },
    ...problemResponses(400, 401, 404, 409, 413, 415, 422, 429, 500, 502, 503),
  },
});

/** Registers the candidate routes on the /v1 router. */
export function registerCandidates(app: V1Router): void {
  app.openapi(getCandidateRoute, async (c) => {
    const { id } = c.req.valid("param");
    const person = await readCandidate(c.var.services, id);
    return c.json(person, 200);
  });

  app.openapi(patchCandidateRoute, async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const person = await updateCandidateContact(c.var.services, id, body);
    return c.json(person, 200);
  });
}
