import { AppError, type FieldError } from "../platform/errors";
import { activityTypesFor, DEFAULT_ACTIVITY_TYPE, isBuiltInActivityType } from "./activity-types";
import type { ActivityTypeOverride, TenantSettings, TenantSettingsPatch } from "./types";

/** A new tenant's settings: nothing set, deployment defaults apply. */
export const DEFAULT_SETTINGS: TenantSettings = {
  default_author_email: null,
  activity_types: {},
  default_activity_type: null,
  candidate_url_template: null,
  sync_interval_seconds: null,
  talemetry_concurrency: null,
  reconcile_interval_seconds: null,
  location_hint: null,
};

/** Talemetry calls in flight for a sync run: the default, and the most a tenant may set. */
export const DEFAULT_TALEMETRY_CONCURRENCY = 4;
export const MAX_TALEMETRY_CONCURRENCY = 4;

/** Keeps a tenant's list of types readable in a picker and its record small. */
export const MAX_ACTIVITY_TYPE_OVERRIDES = 50;

/** A tenant's stored settings with the defaults of fields added since it was stored. */
export function withDefaultSettings(settings: Partial<TenantSettings>): TenantSettings {
  return { ...DEFAULT_SETTINGS, ...settings };
}

/**
 * Applies a settings change as a JSON merge patch (RFC 7396): given values replace, `null` resets to the
 * default; `activity_types` merges per type id and per field. Checks the rules that need the merged
 * result (an added type needs a name; the default activity type must be a visible type) and throws a
 * 422 naming the fields.
 */
export function applySettingsPatch(current: TenantSettings, patch: TenantSettingsPatch): TenantSettings {
  const next: TenantSettings = { ...withDefaultSettings(current), activity_types: { ...current.activity_types } };
  if (patch.default_author_email !== undefined) next.default_author_email = patch.default_author_email;
  if (patch.default_activity_type !== undefined) next.default_activity_type = patch.default_activity_type;
  if (patch.candidate_url_template !== undefined) next.candidate_url_template = patch.candidate_url_template;
  if (patch.sync_interval_seconds !== undefined) next.sync_interval_seconds = patch.sync_interval_seconds;
  if (patch.talemetry_concurrency !== undefined) next.talemetry_concurrency = patch.talemetry_concurrency;
  if (patch.reconcile_interval_seconds !== undefined) next.reconcile_interval_seconds = patch.reconcile_interval_seconds;
  if (patch.location_hint !== undefined) next.location_hint = patch.location_hint;
  for (const [id, change] of Object.entries(patch.activity_types ?? {})) {
    if (change === null) {
      delete next.activity_types[id];
      continue;
    }
    const merged: ActivityTypeOverride = { ...next.activity_types[id] };
    if (change.name !== undefined) {
      if (change.name === null) delete merged.name;
      else merged.name = change.name;
    }
    if (change.hidden !== undefined) {
      // `hidden: false` is the default: stored as absent so the record says only what differs.
      if (change.hidden) merged.hidden = true;
      else delete merged.hidden;
    }
    if (Object.keys(merged).length === 0) delete next.activity_types[id];
    else next.activity_types[id] = merged;
  }
  const errors: FieldError[] = [];
  for (const [id, o] of Object.entries(next.activity_types)) {
    if (!isBuiltInActivityType(id) && !o.name) {
      errors.push({ field: `settings.activity_types.${id}.name`, message: "A new activity type needs a name." });
    }
  }
  // Activities without a type get the default: it must stay one a caller could name (contract, "Activities").
  const defaultType = next.default_activity_type ?? DEFAULT_ACTIVITY_TYPE;
  if (errors.length === 0 && !activityTypesFor({ settings: next }).some((t) => t.id === defaultType)) {
    // Blame what this patch changed: the type's override (hidden or removed), else the setting itself.
    const byOverride = patch.default_activity_type === undefined && patch.activity_types?.[defaultType] !== undefined;
    errors.push(
      byOverride
        ? {
            field: `settings.activity_types.${defaultType}`,
            message: `'${defaultType}' is the default activity type and must stay visible; change default_activity_type first.`,
          }
        : { field: "settings.default_activity_type", message: `'${defaultType}' is not one of this tenant's visible activity types.` },
    );
  }
  if (Object.keys(next.activity_types).length > MAX_ACTIVITY_TYPE_OVERRIDES) {
    errors.push({ field: "settings.activity_types", message: `At most ${MAX_ACTIVITY_TYPE_OVERRIDES} activity types may be overridden.` });
  }
  if (errors.length > 0) throw new AppError("invalid", "The settings are invalid.", { errors });
  return next;
}

/** The link to a candidate in Talemetry, or null when the tenant configured no template. */
export function candidateUrl(settings: Pick<TenantSettings, "candidate_url_template">, candidateId: string): string | null {
  const template = settings.candidate_url_template;
  return template ? template.split("{id}").join(encodeURIComponent(candidateId)) : null;
}

/** The tenant's sync interval, or the deployment default. */
export function syncIntervalSeconds(settings: Pick<TenantSettings, "sync_interval_seconds">, deploymentDefault: number): number {
  return settings.sync_interval_seconds ?? deploymentDefault;
}

/** Talemetry calls a sync run keeps in flight: the tenant's setting (never above 4), else 4. */
export function talemetryConcurrency(settings: Partial<Pick<TenantSettings, "talemetry_concurrency">>): number {
  const value = settings.talemetry_concurrency ?? DEFAULT_TALEMETRY_CONCURRENCY;
  return Math.max(1, Math.min(MAX_TALEMETRY_CONCURRENCY, Math.floor(value)));
}
