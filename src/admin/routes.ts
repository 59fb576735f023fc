/**
 * The admin API (docs/contracts/admin-api.md): tenant onboarding, settings, key rotation and
 * sync control, for operators of the bridge. Every route needs `Authorization: Bearer <ADMIN_TOKEN>`.
 */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { Env } from "../config/env";
import type { AppEnv } from "../core/context";
import { tenantDirectory } from "../directory/api";
import { forgetSearchGeneration } from "../directory/search-cache";
import { jsonBody } from "../platform/body";
import { setRequestTenant } from "../platform/context";
import { AppError } from "../platform/errors";
import { PROBLEM_CONTENT_TYPE, ProblemSchema } from "../platform/problem";
import { createRouter } from "../platform/validation";
import { createTenant, deleteTenant, getCredentialRecord, getTenant, patchTenant, rotateTenantKeys, tenantView } from "../tenants/store";
import type { Tenant } from "../tenants/types";
import { adminAuth } from "./auth";
import { registerSandboxAccounts } from "./sandbox-accounts";
import {
  CreatedTenantSchema,
  CreateTenantSchema,
  DeletedTenantSchema,
  PatchTenantSchema,
  RotatedKeysSchema,
  SyncRequestSchema,
  SyncStatusSchema,
  TenantIdParamsSchema,
  TenantViewSchema,
} from "./schemas";

/** Name of the admin security scheme in the OpenAPI document. */
export const ADMIN_SECURITY_SCHEME = "AdminToken";

const TAGS = ["Admin"];
const security = [{ [ADMIN_SECURITY_SCHEME]: [] }];

const problem = (description: string) => ({ description, content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } } });
const json = <T>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });

const common = { 401: problem("Missing or wrong admin token."), 500: problem("Internal error; the details are in the bridge's log.") };
const withTenant = { ...common, 404: problem("No such tenant.") };
/** A write to KV refused for its write rate (one key, once a second) is a retryable 429. */
const writes = { 429: problem("Too many changes to this record at once; retry after `Retry-After` seconds.") };
const withBody = {
  400: problem("Malformed JSON."),
  413: problem("Body larger than MAX_BODY_BYTES."),
  415: problem("Body is not application/json."),
  422: problem("Invalid fields (each named in `errors`)."),
};

const createTenantRoute = createRoute({
  operationId: "createTenant",
  method: "post",
  path: "/tenants",
  tags: TAGS,
  security,
  summary: "Create a tenant",
  description: "Issues the tenant's API key and OAuth client (secrets shown once) and starts the directory backfill.",
  middleware: [jsonBody()],
  request: { body: { required: true, content: { "application/json": { schema: CreateTenantSchema } } } },
  responses: { 201: json(CreatedTenantSchema, "Created; secrets shown once."), ...common, ...withBody, ...writes },
});

const getTenantRoute = createRoute({
  operationId: "getTenant",
  method: "get",
  path: "/tenants/{id}",
  tags: TAGS,
  security,
  summary: "Read a tenant's configuration (no secrets)",
  request: { params: TenantIdParamsSchema },
  responses: { 200: json(TenantViewSchema, "The tenant."), ...withTenant },
});

const patchTenantRoute = createRoute({
  operationId: "updateTenant",
  method: "patch",
  path: "/tenants/{id}",
  tags: TAGS,
  security,
  summary: "Change name, region, Talemetry credentials or settings",
  description: "`settings` is a JSON merge patch (RFC 7396): given values replace, `null` resets to the default.",
  middleware: [jsonBody()],
  request: { params: TenantIdParamsSchema, body: { required: true, content: { "application/json": { schema: PatchTenantSchema } } } },
  responses: { 200: json(TenantViewSchema, "The updated tenant."), ...withTenant, ...withBody, ...writes },
});

const deleteTenantRoute = createRoute({
  operationId: "deleteTenant",
  method: "delete",
  path: "/tenants/{id}",
  tags: TAGS,
  security,
  summary: "Delete a tenant",
  description: "Keys stop working at once; the index, tokens, mappings and records are purged in the background.",
  request: { params: TenantIdParamsSchema },
  responses: { 202: json(DeletedTenantSchema, "Deleted; purge under way."), ...withTenant },
});

const rotateKeysRoute = createRoute({
  operationId: "rotateTenantKeys",
  method: "post",
  path: "/tenants/{id}/keys",
  tags: TAGS,
  security,
  summary: "Rotate the API key and client secret",
  description: "The client id stays. The old key, old secret and access tokens issued before stop working (everywhere within 60 s).",
  request: { params: TenantIdParamsSchema },
  responses: { 200: json(RotatedKeysSchema, "New secrets, shown once."), ...withTenant, ...writes },
});

const getSyncRoute = createRoute({
  operationId: "getSyncStatus",
  method: "get",
  path: "/tenants/{id}/sync",
  tags: TAGS,
  security,
  summary: "Directory index status",
  request: { params: TenantIdParamsSchema },
  responses: { 200: json(SyncStatusSchema, "Index status."), ...withTenant },
});

const requestSyncRoute = createRoute({
  operationId: "requestSync",
  method: "post",
  path: "/tenants/{id}/sync",
  tags: TAGS,
  security,
  summary: "Run a sync now",
  description: 'Incremental by default; `{"full": true}` re-reads everything. The body is optional.',
  middleware: [jsonBody({ required: false })],
  request: { params: TenantIdParamsSchema, body: { required: false, content: { "application/json": { schema: SyncRequestSchema } } } },
  responses: { 202: json(SyncStatusSchema, "Sync requested; the status as of now."), ...withTenant, ...withBody },
});

async function requireTenant(env: Env, id: string): Promise<Tenant> {
  const tenant = await getTenant(env, id);
  if (!tenant) throw new AppError("not_found", "No tenant with this id.");
  return tenant;
}

const directory = (env: Env, tenant: Tenant) => tenantDirectory(env.TENANT, tenant);

/** Answers that carry secrets must not be stored by any cache (RFC 9111 §5.2.2.5). */
const NO_STORE = { "Cache-Control": "no-store" };

/** What the admin router is given by the app. */
export interface AdminRouteOptions {
  /** The admin API's OpenAPI document for this request (built by the app, which knows every router). */
  document: (c: Context<AppEnv>) => unknown;
}

/** Builds the `/admin` sub-app (mounted by app.ts). */
export function adminRoutes(options: AdminRouteOptions): OpenAPIHono<AppEnv> {
  const admin = createRouter<AppEnv>();
  admin.openAPIRegistry.registerComponent("securitySchemes", ADMIN_SECURITY_SCHEME, {
    type: "http",
    scheme: "bearer",
    description: "The deployment's ADMIN_TOKEN secret.",
  });
  admin.use("*", adminAuth());

  // The operators' own OpenAPI document: behind the admin token like every admin route, and no longer
  // in the partners' public /openapi.json.
  admin.get("/openapi.json", (c) => c.json(options.document(c), 200, { "X-Content-Type-Options": "nosniff" }));

  admin.openapi(createTenantRoute, async (c) => {
    const { tenant, credentials } = await createTenant(c.env, c.req.valid("json"));
    setRequestTenant(c, tenant.id);
    c.get("logger").info("tenant created", { tenant_id: tenant.id });
    return c.json({ id: tenant.id, ...credentials }, 201, NO_STORE);
  });

  admin.openapi(getTenantRoute, async (c) => {
    const { id } = c.req.valid("param");
    const tenant = await requireTenant(c.env, id);
    setRequestTenant(c, id);
    return c.json(tenantView(tenant, await getCredentialRecord(c.env, tenant)), 200);
  });

  admin.openapi(patchTenantRoute, async (c) => {
    const { id } = c.req.valid("param");
    const tenant = await patchTenant(c.env, id, c.req.valid("json"));
    if (!tenant) throw new AppError("not_found", "No tenant with this id.");
    setRequestTenant(c, id);
    return c.json(tenantView(tenant, await getCredentialRecord(c.env, tenant)), 200);
  });

  admin.openapi(deleteTenantRoute, async (c) => {
    const { id } = c.req.valid("param");
    if (!(await deleteTenant(c.env, id))) throw new AppError("not_found", "No tenant with this id.");
    setRequestTenant(c, id);
    c.get("logger").info("tenant deleted", { tenant_id: id });
    return c.json({ id, status: "purging" as const }, 202);
  });

  admin.openapi(rotateKeysRoute, async (c) => {
    const { id } = c.req.valid("param");
    const keys = await rotateTenantKeys(c.env, id);
    if (!keys) throw new AppError("not_found", "No tenant with this id.");
    setRequestTenant(c, id);
    c.get("logger").info("tenant keys rotated", { tenant_id: id });
    return c.json(keys, 200, NO_STORE);
  });

  admin.openapi(getSyncRoute, async (c) => {
    const { id } = c.req.valid("param");
    const tenant = await requireTenant(c.env, id);
    setRequestTenant(c, id);
    return c.json(await directory(c.env, tenant).syncStatus(), 200);
  });

  admin.openapi(requestSyncRoute, async (c) => {
    const { id } = c.req.valid("param");
    const { full, reconcile } = c.req.valid("json");
    const tenant = await requireTenant(c.env, id);
    setRequestTenant(c, id);
    const status = await directory(c.env, tenant).requestSync({ full: full ?? false, reconcile: reconcile ?? false });
    // The run may have moved the search generation in the object (elsewhere): this isolate reads it afresh.
    forgetSearchGeneration(tenant.id);
    return c.json(status, 202);
  });

  registerSandboxAccounts(admin);
  return admin;
}
