import { z } from "@hono/zod-openapi";
import { ProblemSchema } from "../platform/problem";

/**
 * Wire schemas of the /v1 contract (docs/contracts/v1-api.md), shared by validation and the
 * OpenAPI document.
 */

export const PhoneSchema = z
  .object({
    number: z.string().openapi({ description: "E.164 when `valid`, else the raw text as stored", example: "+14155550142" }),
    type: z.enum(["mobile", "home", "work", "fax", "pager", "other"]),
    valid: z.boolean().openapi({ description: "libphonenumber found the number possible after resolving its region" }),
    raw: z.string().openapi({ description: "The stored text as Talemetry holds it", example: "1 415 5550142" }),
  })
  .openapi("Phone");

const ConsentValue = z.enum(["yes", "no"]).nullable();

export const PersonSchema = z
  .object({
    id: z.string().openapi({ example: "0290bb50-7113-11ef-9c70-b6a35a531041" }),
    entity: z.literal("candidate"),
    name: z.string().openapi({ example: "Maya Ortiz" }),
    first_name: z.string().nullable(),
    last_name: z.string().nullable(),
    emails: z.array(z.string()),
    phones: z.array(PhoneSchema),
    company: z.string().nullable(),
    title: z.string().nullable(),
    do_not_contact: z.boolean(),
    consent: z.object({ sms: ConsentValue, email: ConsentValue }),
    url: z.string().nullable().openapi({ description: "Link to the candidate in Talemetry, when the tenant configured a link template" }),
    updated_at: z.string().nullable().openapi({ description: "When the bridge last saw the candidate change; null if unknown" }),
  })
  .openapi("Candidate");

export const SearchResultSchema = PersonSchema.extend({
  match: z.enum(["exact", "national", "partial"]).openapi({
    description:
      "`exact`: the same E.164 under one of the query's readings; `national`: the same national number in another country (only when the query named no country); `partial`: a suffix match of at least 7 digits (only with `partial=true`)",
  }),
  matched_as: z.string().openapi({
    description:
      "The reading the result matched: an E.164 for `exact`, the national digits for `national` and `partial`, the address for email",
    example: "+447700900123",
  }),
}).openapi("SearchResult");

export const SearchResponseSchema = z
  .object({
    data: z.array(SearchResultSchema),
    count: z.number().int().openapi({ description: "How many results `data` holds (at most 50)" }),
    has_more: z.boolean().openapi({ description: "More candidates matched than the 50 returned; narrow the query" }),
  })
  .openapi("SearchResponse");

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: "Bad input (problem+json)",
  401: "Missing or invalid bearer credential (problem+json, `WWW-Authenticate: Bearer`)",
  404: "Not found (problem+json)",
  409: "Conflict (problem+json)",
  410: "Gone (problem+json)",
  413: "Request body too large (problem+json)",
  415: "Request body is not JSON (problem+json)",
  422: "Invalid field values; `errors` names each (problem+json)",
  429: "Over the tenant's rate limit (problem+json, `Retry-After`)",
  500: "Internal error (problem+json); the details are in the bridge's log under the request id",
  501: "Entity type not supported by Talemetry (problem+json)",
  502: "Talemetry rejected the tenant's stored credentials (problem+json)",
  503: "Talemetry unavailable or throttling (problem+json, `Retry-After`)",
};

const problemContent = { "application/problem+json": { schema: ProblemSchema } };

/** problem+json responses, for the OpenAPI document. */
export function problemResponses(...statuses: number[]) {
  return Object.fromEntries(statuses.map((s) => [s, { description: PROBLEM_DESCRIPTIONS[s] ?? "Error", content: problemContent }]));
}

/** The `default` response of an operation that never succeeds (OpenAPI wants a success or a default). */
export function problemDefault() {
  return { description: "Any other status is also a problem document (problem+json)", content: problemContent };
}
