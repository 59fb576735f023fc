/**
 * Where a tenant's Durable Object (its directory index, sync and token single-flight) is created. A
 * Durable Object stays where it was first created, near the first `get()` unless a location hint says
 * otherwise (Cloudflare, "Data location: Provide a location hint"); the tenant's callers (TalentLynk and
 * Talkdesk calling for the tenant's recruiters) are best approximated by the tenant's phone region, so
 * the hint defaults from it and `settings.location_hint` overrides it. A country-level region cannot tell
 * the west of North America from the east: US and Canadian tenants default to `enam`; a tenant whose
 * callers sit in the west sets `wnam`.
 */
import type { LocationHint, Tenant } from "./types";

/** Cloudflare's Durable Object location hints, as `get(id, { locationHint })` accepts them. */
export const LOCATION_HINTS = ["wnam", "enam", "sam", "weur", "eeur", "apac", "oc", "afr", "me"] as const satisfies readonly LocationHint[];

/** Countries (ISO 3166-1 alpha-2, as the tenant's `region`) by the hint nearest to them. */
const COUNTRIES: Record<LocationHint, readonly string[]> = {
  // A country-level region names no coast; see the module comment.
  wnam: [],
  enam: [
    ...["US", "CA", "PM", "BM", "GL", "MX", "GT", "BZ", "SV", "HN", "NI", "CR", "PA"],
    // The Caribbean.
    ...["CU", "JM", "HT", "DO", "PR", "BS", "TC", "KY", "VG", "VI", "AI", "AG", "KN", "MS", "GP", "MQ", "DM", "LC", "VC", "BB"],
    ...["GD", "TT", "AW", "CW", "SX", "BQ", "MF", "BL"],
  ],
  sam: ["BR", "AR", "CL", "UY", "PY", "BO", "PE", "EC", "CO", "VE", "GY", "SR", "GF", "FK"],
  weur: [
    ...["GB", "IE", "IS", "FO", "NO", "SJ", "SE", "DK", "NL", "BE", "LU", "FR", "MC", "DE", "CH", "LI", "AT", "IT", "SM", "VA"],
    ...["MT", "ES", "PT", "AD", "GI", "GG", "JE", "IM"],
    // North-west Africa lies nearer to Western Europe than to any other hinted region.
    ...["MA", "DZ", "TN", "EH"],
  ],
  eeur: [
    ...["PL", "CZ", "SK", "HU", "SI", "HR", "BA", "RS", "ME", "MK", "XK", "AL", "GR", "BG", "RO", "MD", "UA", "BY", "RU"],
    ...["LT", "LV", "EE", "FI", "AX", "CY", "TR", "GE", "AM", "AZ", "KZ", "UZ", "TM", "KG", "TJ"],
  ],
  me: ["AE", "SA", "QA", "BH", "KW", "OM", "YE", "IQ", "IR", "IL", "PS", "JO", "LB", "SY", "EG", "LY", "AF", "PK"],
  apac: [
    ...["CN", "HK", "MO", "TW", "JP", "KR", "KP", "MN", "IN", "BD", "LK", "NP", "BT", "MV", "MM", "TH", "LA", "KH", "VN"],
    ...["MY", "SG", "BN", "ID", "PH", "TL", "IO", "CC", "CX"],
  ],
  oc: [
    ...["AU", "NZ", "NF", "NC", "PG", "SB", "VU", "FJ", "WS", "AS", "TO", "TV", "KI", "NR", "MH", "FM", "PW", "GU", "MP"],
    ...["CK", "NU", "TK", "WF", "PF"],
  ],
  afr: [
    ...["NG", "GH", "CI", "SN", "ML", "BF", "NE", "TD", "CM", "CF", "GA", "CG", "CD", "AO", "ZA", "NA", "BW", "ZW", "ZM"],
    ...["MZ", "MW", "TZ", "KE", "UG", "RW", "BI", "ET", "ER", "DJ", "SO", "SD", "SS", "MG", "MU", "SC", "KM", "RE", "YT"],
    ...["CV", "GM", "GW", "GN", "SL", "LR", "TG", "BJ", "MR", "GQ", "ST", "SZ", "LS", "SH", "AC", "TA"],
  ],
};

const BY_COUNTRY: ReadonlyMap<string, LocationHint> = new Map(
  Object.entries(COUNTRIES).flatMap(([hint, countries]) => countries.map((country) => [country, hint as LocationHint] as const)),
);

/** The hint nearest to a country, or null for a code the table does not know. */
export function locationHintForRegion(region: string): LocationHint | null {
  return BY_COUNTRY.get(region.toUpperCase()) ?? null;
}

/** The hint a tenant's Durable Object is created with: its setting, else from its region. */
export function tenantLocationHint(tenant: Pick<Tenant, "region" | "settings">): LocationHint | null {
  return tenant.settings.location_hint ?? locationHintForRegion(tenant.region);
}
