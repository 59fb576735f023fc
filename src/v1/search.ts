import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { TenantEnv } from "../core/context";
import type { TenantDirectoryApi } from "../directory/api";
import { MAX_SEARCH_LIMIT, MAX_SEARCH_RESULTS } from "../directory/index-store";
import { emailCacheQuery, phoneCacheQuery, SearchCache, type SearchCacheQuery } from "../directory/search-cache";
import { isEmailAddress } from "../domain/email";
import type { Person } from "../domain/person";
import { parsePhoneQuery, phoneQueryProblem } from "../phone/match";
import { decideRateLimit } from "../platform/context";
import { AppError } from "../platform/errors";
import { Lru } from "../platform/lru";
import { candidateUrl } from "../tenants/settings";
import type { Tenant } from "../tenants/types";
import { V1_SECURITY_SCHEME } from "./auth";
import { problemResponses, SearchResponseSchema } from "./schemas";
import { enforceRateLimit, type V1Router } from "./v1";

/**
 * `GET /v1/search` — the caller-ID lookup (docs/contracts/v1-api.md, "Search"; the phone rules with
 * examples in docs/phone-matching.md). The hot path: answered from the edge cache or, in one call for
 * every reading of the number, from the tenant's directory index; it never calls Talemetry.
 */

const SearchQuery = z.object({
  phone: z
    .string()
    .max(64)
    .optional()
    .openapi({
      description:
        "E.164, international without `+` (`447700900123`), `00…` or the region's international prefix (`011…` in NANP), or national only, " +
        "with any punctuation; vanity letters are keypad digits, an extension (`x12`) is ignored, and a leading space (an unencoded `+`) reads as `+`",
      example: "4155550142",
    }),
  email: z.string().max(320).optional().openapi({
    description: "Whole address, trimmed, case-insensitive; internationalized domains accepted",
    example: "maya.ortiz@example.com",
  }),
  region: z
    .string()
    .optional()
    .openapi({ description: "ISO 3166 alpha-2 country of a national number; else the tenant's default region", example: "US" }),
  partial: z.enum(["true", "false"]).optional().openapi({ description: "Also return suffix matches (≥ 7 digits)" }),
  entity: z.string().optional().openapi({ description: "Only `candidate` (the default) is supported" }),
});

export const searchRoute = createRoute({
  method: "get",
  path: "/search",
  operationId: "searchCandidates",
  tags: ["Search"],
  summary: "Caller-ID search by phone or email",
  description:
    "Zero, one or many candidates, ranked exact → national → partial, at most 50 (`has_more: true` when more matched). A phone is " +
    "searched under every plausible reading at once; each result names the reading it matched (`matched_as`). `national` only when " +
    "the query named no country; `partial` only with `partial=true`.",
  security: [{ [V1_SECURITY_SCHEME]: [] }],
  request: { query: SearchQuery },
  responses: {
    200: {
      description: "Matches (possibly none)",
      headers: {
        "X-Search-Source": {
          description: "`cache`: answered from the edge cache; `index`: from the bridge's directory index.",
          schema: { type: "string", enum: ["cache", "index"] },
        },
      },
      content: { "application/json": { schema: SearchResponseSchema } },
    },
    ...problemResponses(400, 401, 429, 500, 501),
  },
});

type Hit = { person: Person; match: string; matchedAs: string };
type Parsed = { cacheQuery: SearchCacheQuery; run: (stub: DirectoryStub) => Promise<Hit[]> };
type DirectoryStub = Pick<TenantDirectoryApi, "searchPhone" | "searchEmail">;

/**
 * Reading a phone query takes libphonenumber a tenth of a millisecond or more, and a cache-hit search
 * spends little else: a caller's hot numbers are read once per isolate. The reading depends on nothing
 * but these three inputs, so a remembered one is never wrong.
 */
const phoneReadings = new Lru<string, ReturnType<typeof parsePhoneQuery>>(5_000);

function readPhoneQuery(text: string, region: string | null, tenantRegion: string): ReturnType<typeof parsePhoneQuery> {
  const key = `${tenantRegion}\u0000${region ?? ""}\u0000${text}`;
  let parsed = phoneReadings.get(key);
  if (!parsed) {
    parsed = parsePhoneQuery(text, { region, tenantRegion });
    phoneReadings.set(key, parsed);
  }
  return parsed;
}

function parseSearch(q: z.infer<typeof SearchQuery>, tenant: Tenant): Parsed {
  if (q.entity !== undefined && q.entity !== "candidate") {
    throw new AppError(
      "entity_not_supported",
      `Talemetry has no searchable '${q.entity.slice(0, 40)}' entity; only 'candidate' is supported.`,
    );
  }
  const hasPhone = q.phone !== undefined && q.phone.trim() !== "";
  const hasEmail = q.email !== undefined && q.email.trim() !== "";
  if (hasPhone === hasEmail) {
    throw new AppError("bad_request", "Send exactly one of `phone` or `email`.", {
      errors: [{ field: hasPhone ? "email" : "phone", message: hasPhone ? "Not allowed together with phone." : "Required (or email)." }],
    });
  }
  if (hasEmail) {
    const email = q.email!.trim();
    if (!isEmailAddress(email))
      throw new AppError("bad_request", "`email` is not an email address.", {
        errors: [{ field: "email", message: "Not an email address." }],
      });
    return { cacheQuery: emailCacheQuery(email), run: (stub) => stub.searchEmail(email, MAX_SEARCH_LIMIT) };
  }
  const parsed = readPhoneQuery(q.phone!, q.region ?? null, tenant.region);
  if (!parsed.ok) throw phoneQueryProblem(parsed.error);
  const partial = q.partial === "true";
  return { cacheQuery: phoneCacheQuery(parsed.query, partial), run: (stub) => stub.searchPhone(parsed.query, partial, MAX_SEARCH_LIMIT) };
}

async function handleSearch(c: Context<TenantEnv>, q: z.infer<typeof SearchQuery>): Promise<Response> {
  const tenant = c.get("tenant");
  const allowed = decideRateLimit(c, c.env.TENANT_RATE_LIMIT, tenant.id);
  const parsed = parseSearch(q, tenant);
  // The caller is authenticated; the limiter decides while the cache is read. Nothing is answered
  // (and nothing written) before the decision.
  // The generation was read by tenantAuth, in the same KV round trip as the caller's credentials.
  const cache = new SearchCache(tenant.id, c.get("searchGeneration"));
  const cached = await cache.match(parsed.cacheQuery);
  try {
    await enforceRateLimit(c, allowed);
  } catch (err) {
    if (cached instanceof ReadableStream) await cached.cancel();
    throw err;
  }
  if (cached !== null) return c.body(cached, 200, { "Content-Type": "application/json", "X-Search-Source": "cache" });

  // One row past the cap tells whether the answer was cut (`has_more`).
  const found = await parsed.run(c.var.services.directory);
  const hits = found.slice(0, MAX_SEARCH_RESULTS);
  // The link template is tenant config, applied at read time so a template change needs no re-index.
  const data = hits.map((h) => ({ ...h.person, url: candidateUrl(tenant.settings, h.person.id), match: h.match, matched_as: h.matchedAs }));
  const body = JSON.stringify({ data, count: data.length, has_more: found.length > hits.length });
  c.executionCtx.waitUntil(cache.put(parsed.cacheQuery, body, { hit: data.length > 0 }));
  return c.body(body, 200, { "Content-Type": "application/json", "X-Search-Source": "index" });
}

export function registerSearch(app: V1Router): void {
  app.openapi(searchRoute, (c) => handleSearch(c, c.req.valid("query")) as never);
}
