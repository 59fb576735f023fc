import type { Tenant } from "./types";

/** An activity type as `GET /v1/activity-types` lists it. */
export interface ActivityType {
  id: string;
  name: string;
}

/** The built-in types (docs/contracts/v1-api.md, "Metadata"); tenants rename, add or hide on top. */
export const DEFAULT_ACTIVITY_TYPES: readonly ActivityType[] = [
  { id: "call", name: "Phone call" },
  { id: "sms", name: "SMS" },
  { id: "whatsapp", name: "WhatsApp" },
  { id: "email", name: "Email" },
  { id: "voicemail", name: "Voicemail" },
  { id: "meeting", name: "Meeting" },
  { id: "note", name: "Note" },
];

/** The type of an activity created without one, unless the tenant set `default_activity_type`. */
export const DEFAULT_ACTIVITY_TYPE = "note";

/** Activity type ids: short, lower-case, stable (they travel in API bodies). */
export const ACTIVITY_TYPE_ID = /^[a-z][a-z0-9_]{0,31}$/;

/** True for the ids of the built-in types. */
export function isBuiltInActivityType(id: string): boolean {
  return DEFAULT_ACTIVITY_TYPES.some((t) => t.id === id);
}

/** The type an activity created without one gets: the tenant's `default_activity_type`, else `note`. */
export function defaultActivityTypeOf(tenant: Pick<Tenant, "settings">): string {
  // `?? `: tenants stored before the setting existed have no such field.
  return tenant.settings.default_activity_type ?? DEFAULT_ACTIVITY_TYPE;
}

/** The tenant's visible activity types: built-ins (renamed where overridden) then added ones, hidden ones left out. */
export function activityTypesFor(tenant: Pick<Tenant, "settings">): ActivityType[] {
  const overrides = tenant.settings.activity_types;
  const out: ActivityType[] = [];
  for (const builtIn of DEFAULT_ACTIVITY_TYPES) {
    const o = overrides[builtIn.id];
    if (o?.hidden) continue;
    out.push({ id: builtIn.id, name: o?.name ?? builtIn.name });
  }
  for (const [id, o] of Object.entries(overrides).sort(([a], [b]) => a.localeCompare(b))) {
    if (isBuiltInActivityType(id) || o.hidden || !o.name) continue;
    out.push({ id, name: o.name });
  }
  return out;
}
