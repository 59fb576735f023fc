import { z } from "@hono/zod-openapi";
import { isSupportedCountry } from "libphonenumber-js";
import { ACTIVITY_TYPE_ID } from "../tenants/activity-types";
import { LOCATION_HINTS } from "../tenants/location";
import { DEFAULT_TALEMETRY_CONCURRENCY, MAX_TALEMETRY_CONCURRENCY } from "../tenants/settings";

/**
 * Sync interval bounds, the same as the deployment's SYNC_INTERVAL_SECONDS: 10 s is for a tenant whose
 * partners want changes (webhooks, the change feed) within seconds — each run is 3 one-page listings when
 * nothing changed; above a day the index goes stale.
 */
export const MIN_SYNC_INTERVAL_SECONDS = 10;
export const MAX_SYNC_INTERVAL_SECONDS = 86_400;
/** Reconcile bounds: hourly at most (it lists every id), every 90 days at least. */
export const MIN_RECONCILE_INTERVAL_SECONDS = 3_600;
export const MAX_RECONCILE_INTERVAL_SECONDS = 90 * 86_400;

/** ISO 3166-1 alpha-2, upper case, and known to libphonenumber (the region is used to resolve phone numbers). */
export const RegionSchema = z
  .string()
  // abort: an ill-formed code gets one message, not also "Unknown region."
  .regex(/^[A-Z]{2}$/, { message: "Use an ISO 3166-1 alpha-2 code in upper case, e.g. GB.", abort: true })
  .refine((r) => isSupportedCountry(r), "Unknown region.")
  .openapi({ example: "GB", description: "Default region for phone numbers given without a country (ISO 3166-1 alpha-2)." });

const TalemetryCredentialsSchema = z
  .strictObject({
    client_id: z.string().trim().min(1).max(256),
    secret_key: z.string().min(1).max(1024).openapi({ description: "Stored encrypted; never shown again." }),
  })
  .openapi("TalemetryCredentials");

function isHttpUrlTemplate(template: string): boolean {
  try {
    const url = new URL(template.split("{id}").join("x"));
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}

const ActivityTypeOverridePatchSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(80).nullable().optional().openapi({ description: "Display name; required for a new type." }),
    hidden: z.boolean().nullable().optional().openapi({ description: "Hide the type from /v1/activity-types." }),
  })
  .openapi("ActivityTypeOverride");

/** Settings as sent by operators: a JSON merge patch (RFC 7396) — given values replace, `null` resets. */
export const SettingsPatchSchema = z
  .strictObject({
    default_author_email: z.email().max(254).nullable().optional().openapi({ description: "Author of notes written without a user." }),
    activity_types: z
      .record(
        z.string().regex(ACTIVITY_TYPE_ID, "Type ids are lower-case letters, digits and _ (at most 32)."),
        ActivityTypeOverridePatchSchema.nullable(),
      )
      .optional()
      .openapi({
        description:
          "Per type id: rename a built-in (`{name}`), add a type (`{name}`), hide one (`{hidden: true}`); `null` removes the override.",
        example: { call: { name: "Call" }, meeting: { hidden: true }, interview: { name: "Interview" } },
      }),
    default_activity_type: z
      .string()
      .regex(ACTIVITY_TYPE_ID, "Type ids are lower-case letters, digits and _ (at most 32).")
      .nullable()
      .optional()
      .openapi({
        description: "The type of an activity created without one; one of the tenant's visible types. `null` → `note`.",
        example: "call",
      }),
    candidate_url_template: z
      .string()
      .max(2048)
      .refine((t) => t.includes("{id}"), "Must contain {id}.")
      .refine(isHttpUrlTemplate, "Must be an http(s) URL.")
      .nullable()
      .optional()
      .openapi({ example: "https://crm.example/people/{id}" }),
    sync_interval_seconds: z
      .number()
      .int()
      .min(MIN_SYNC_INTERVAL_SECONDS)
      .max(MAX_SYNC_INTERVAL_SECONDS)
      .nullable()
      .optional()
      .openapi({ description: "null → the deployment's SYNC_INTERVAL_SECONDS." }),
    talemetry_concurrency: z
      .number()
      .int()
      .min(1)
      .max(MAX_TALEMETRY_CONCURRENCY)
      .nullable()
      .optional()
      .openapi({
        description: `Talemetry calls a sync run keeps in flight, 1–${MAX_TALEMETRY_CONCURRENCY}; null → ${DEFAULT_TALEMETRY_CONCURRENCY}. A 429 from Talemetry halves it until the pass ends.`,
      }),
    reconcile_interval_seconds: z
      .number()
      .int()
      .min(MIN_RECONCILE_INTERVAL_SECONDS)
      .max(MAX_RECONCILE_INTERVAL_SECONDS)
      .nullable()
      .optional()
      .openapi({ description: "Time between reconcile passes; null → weekly (daily when the account has no changes feed)." }),
    location_hint: z.enum(LOCATION_HINTS).nullable().optional().openapi({
      description:
        "Where the tenant's Durable Object (directory index) is created, as a Cloudflare location hint; null → derived from `region`. Takes effect when the object is created (at onboarding).",
    }),
  })
  .openapi("TenantSettingsPatch");

export const CreateTenantSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    region: RegionSchema,
    talemetry: TalemetryCredentialsSchema,
    settings: SettingsPatchSchema.optional(),
  })
  .openapi("CreateTenant");

export const PatchTenantSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    region: RegionSchema.optional(),
    talemetry: TalemetryCredentialsSchema.optional(),
    settings: SettingsPatchSchema.optional(),
  })
  .openapi("PatchTenant");

export const TenantIdParamsSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "id", in: "path" }, example: "ten_5f0c6a1e9b2d4c7a8e3f1b6d" }),
});

export const CreatedTenantSchema = z
  .object({
    id: z.string(),
    api_key: z.string().openapi({ description: "Shown once. Bearer key for /v1 and the Talkdesk `api_key`." }),
    client_id: z.string(),
    client_secret: z.string().openapi({ description: "Shown once. For POST /oauth/token." }),
  })
  .openapi("CreatedTenant");

export const RotatedKeysSchema = z
  .object({ api_key: z.string(), client_secret: z.string() })
  .openapi("RotatedKeys", { description: "Shown once; the previous key, secret and access tokens stop working." });

const ActivityTypeOverrideSchema = z.object({ name: z.string().optional(), hidden: z.boolean().optional() });

export const TenantViewSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    region: z.string(),
    client_id: z.string(),
    key_version: z.number().int(),
    talemetry: z.object({ client_id: z.string(), credentials_version: z.number().int() }),
    settings: z.object({
      default_author_email: z.string().nullable(),
      activity_types: z.record(z.string(), ActivityTypeOverrideSchema),
      default_activity_type: z.string().nullable(),
      candidate_url_template: z.string().nullable(),
      sync_interval_seconds: z.number().int().nullable(),
      talemetry_concurrency: z.number().int().nullable(),
      reconcile_interval_seconds: z.number().int().nullable(),
      location_hint: z.enum(LOCATION_HINTS).nullable(),
    }),
    location_hint: z
      .enum(LOCATION_HINTS)
      .nullable()
      .openapi({ description: "The location hint the tenant's Durable Object was created with (null: none)." }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Tenant");

export const DeletedTenantSchema = z.object({ id: z.string(), status: z.literal("purging") }).openapi("DeletedTenant");

const ReconcileCountsSchema = z.object({
  listed: z.number().int().openapi({ description: "Ids Talemetry listed." }),
  added: z.number().int().openapi({ description: "Candidates the index lacked, fetched and added." }),
  removed: z.number().int().openapi({ description: "Index rows Talemetry no longer has, removed." }),
  upstream_calls: z.number().int(),
});

export const SyncStatusSchema = z
  .object({
    state: z.enum(["idle", "running", "backfilling", "failing"]),
    indexed: z.number().int(),
    storage_bytes: z
      .number()
      .int()
      .openapi({ description: "Bytes of the tenant's Durable Object storage (directory index and activity records)." }),
    checkpoint: z.string().nullable(),
    last_success_at: z.string().nullable(),
    last_error: z.string().optional(),
    talemetry_concurrency: z
      .number()
      .int()
      .openapi({ description: "Talemetry calls in flight now (halved after a 429 until the pass ends)." }),
    changes_feed: z.enum(["unknown", "available", "unavailable"]).openapi({
      description:
        "Whether the account lists updated/deleted events (Talemetry's track_candidate_last_changes feature); `unavailable`: changes and deletions arrive through reconcile only.",
    }),
    changes_feed_error: z.string().optional(),
    reconcile: z.object({
      state: z.enum(["idle", "running"]),
      next_at: z.string().nullable(),
      progress: ReconcileCountsSchema.nullable(),
      last: ReconcileCountsSchema.extend({ started_at: z.string(), finished_at: z.string() }).nullable(),
    }),
  })
  .openapi("SyncStatus");

export const SyncRequestSchema = z
  .strictObject({
    full: z.boolean().optional().openapi({ description: "Re-read everything instead of the changes since the checkpoint." }),
    reconcile: z.boolean().optional().openapi({ description: "Start a reconcile pass now (unless one is under way)." }),
  })
  .openapi("SyncRequest");
