/**
 * The integration configuration we submit to Talkdesk, built for one deployment URL. Field names are
 * exactly those of Talkdesk's configuration reference (docs/contracts/talkdesk-bridge.md,
 * "Integration configuration"); `GET /talkdesk/manifest` serves it and `npm run manifest` renders it into
 * Talkdesk's "API Manifest" document. Pure: no I/O, no secrets.
 */
import { TALKDESK_ACTIONS, type TalkdeskActionInput } from "./actions-def";
import { TALKDESK_INTERACTION_TYPES } from "./mapping";

/** The integration's system name; every action's `provider` must equal it (Talkdesk reference). */
export const INTEGRATION_NAME = "talemetry";
export const INTEGRATION_DISPLAY_NAME = "Talemetry";
export const INTEGRATION_DESCRIPTION =
  "Talemetry is a recruiting CRM. See a caller's candidate record and its recent notes and applications, " +
  "keep candidates in sync with Talkdesk contacts, and log calls and notes back to the candidate.";

/** Paths (under the deployment base) of everything Talkdesk calls or fetches; routes mount these. */
export const TALKDESK_PATHS = {
  manifest: "/talkdesk/manifest",
  auth: "/talkdesk/auth",
  contacts: "/talkdesk/contacts",
  interactions: "/talkdesk/interactions",
  agents: "/talkdesk/agents",
  logo: "/talkdesk/assets/logo.png",
  icon: "/talkdesk/assets/icon.png",
  logoSvg: "/talkdesk/assets/logo.svg",
  iconSvg: "/talkdesk/assets/icon.svg",
  /** Prefix of `/talkdesk/actions/<name>`. */
  actions: "/talkdesk/actions",
} as const;

/** One `authentication_configuration` field definition (Talkdesk reference, "Authentication Configuration"). */
export interface TalkdeskAuthField {
  source: "input" | "default" | "auth_validation";
  display: string;
  mandatory: boolean;
  type: "input" | "oauth";
  store: boolean;
  help?: string;
  format?: string;
}

export interface TalkdeskAction {
  provider: string;
  name: string;
  display: string;
  description: string;
  endpoint: string;
  inputs: TalkdeskActionInput[];
}

/** The integration configuration plus its actions, in Talkdesk's field names. */
export interface TalkdeskManifest {
  name: string;
  display_name: string;
  description: string;
  logo_url: string;
  icon_url: string;
  authentication_type: "none" | "custom" | "oauth2" | "oauth2_password" | "oauth2_client_credentials";
  /** Array of one-key objects, as in Talkdesk's own example. */
  authentication_configuration: Array<Record<string, TalkdeskAuthField>>;
  auth_validation_endpoint: string;
  contact_synchronization_endpoint: string;
  interaction_retrieval_endpoint: string;
  agent_synchronization_endpoint: string;
  interaction_types: string[];
  actions: TalkdeskAction[];
}

export interface ManifestOptions {
  /** Absolute URL overriding the logo the deployment serves (e.g. a CDN copy). */
  logoUrl?: string;
  /** Absolute URL overriding the icon the deployment serves. */
  iconUrl?: string;
}

// Talkdesk stores `auth` as typed and sends it back on every call, so the key is the only credential:
// Talemetry credentials never travel through Talkdesk (contract, "Transport").
const API_KEY_FIELD: TalkdeskAuthField = {
  source: "input",
  display: "API key",
  mandatory: true,
  type: "input",
  store: true,
  help: "The API key your Talemetry bridge operator issued for your organization (the same key TalentLynk uses). After the key is rotated, enter the new one here.",
};

/** Hosts of a local run, the only ones whose base may be plain `http://`. */
const LOCAL_HOSTNAMES = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * Normalizes a deployment base URL: absolute **https** (plain `http` only for `localhost`: Talkdesk
 * calls bridges over HTTPS), no query, fragment or credentials, trailing slashes removed (a path prefix
 * such as `https://host/bridge/` is kept). Throws `TypeError` otherwise, because a manifest with relative,
 * broken or unencrypted endpoints would be accepted by Talkdesk and fail later — or send API keys in clear.
 */
export function normalizeBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl.trim());
  } catch {
    throw new TypeError(`base URL must be an absolute https URL, got ${JSON.stringify(baseUrl)}`);
  }
  if (url.protocol === "http:" && !LOCAL_HOSTNAMES.has(url.hostname)) {
    throw new TypeError("base URL must use https (Talkdesk sends the API key in every request); http is for localhost only");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new TypeError(`base URL must use https, got ${url.protocol}`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new TypeError("base URL must not carry a query, fragment or credentials");
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

function absoluteUrl(value: string, field: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === "https:" || url.protocol === "http:") return url.href;
  } catch {
    // Fall through to the error below: the message names the option.
  }
  throw new TypeError(`${field} must be an absolute http(s) URL, got ${JSON.stringify(value)}`);
}

/**
 * Builds the integration configuration for a deployment. Every URL is absolute, under `baseUrl`
 * (see `normalizeBaseUrl`) unless the logo or icon is overridden.
 */
export function buildManifest(baseUrl: string, opts: ManifestOptions = {}): TalkdeskManifest {
  const base = normalizeBaseUrl(baseUrl);
  return {
    name: INTEGRATION_NAME,
    display_name: INTEGRATION_DISPLAY_NAME,
    description: INTEGRATION_DESCRIPTION,
    logo_url: opts.logoUrl ? absoluteUrl(opts.logoUrl, "logoUrl") : base + TALKDESK_PATHS.logo,
    icon_url: opts.iconUrl ? absoluteUrl(opts.iconUrl, "iconUrl") : base + TALKDESK_PATHS.icon,
    authentication_type: "custom",
    authentication_configuration: [{ api_key: { ...API_KEY_FIELD } }],
    auth_validation_endpoint: base + TALKDESK_PATHS.auth,
    contact_synchronization_endpoint: base + TALKDESK_PATHS.contacts,
    interaction_retrieval_endpoint: base + TALKDESK_PATHS.interactions,
    agent_synchronization_endpoint: base + TALKDESK_PATHS.agents,
    interaction_types: [...TALKDESK_INTERACTION_TYPES],
    actions: TALKDESK_ACTIONS.map((action) => ({
      provider: INTEGRATION_NAME,
      name: action.name,
      display: action.display,
      description: action.description,
      endpoint: `${base}${TALKDESK_PATHS.actions}/${action.name}`,
      inputs: action.inputs.map((input) => ({ ...input })),
    })),
  };
}

/** Content type for the two assets below. */
export const SVG_CONTENT_TYPE = "image/svg+xml";

/**
 * The PNG renders Talkdesk shows (`logo_url`, `icon_url`): within its limits of 192×96 for the logo and
 * 96×96 for the icon. `npm run assets` renders them from the SVGs below into ./assets-png.ts.
 */
export const TALKDESK_PNG_SIZES = {
  logo: { width: 192, height: 51, maxWidth: 192, maxHeight: 96 },
  icon: { width: 96, height: 96, maxWidth: 96, maxHeight: 96 },
} as const;

// Paths only (no <text>) in the icon: Talkdesk renders it small next to interactions, where font
// fallback would be unpredictable. The logo adds a wordmark with a generic sans-serif stack.
const MARK =
  '<rect width="64" height="64" rx="14" fill="#0f766e"/>' +
  '<path d="M16 18h32v8H36v24h-8V26H16z" fill="#ffffff"/>' +
  '<circle cx="47" cy="46" r="5" fill="#5eead4"/>';

/** Square icon served at `/talkdesk/assets/icon.svg` (its PNG render is `icon_url`). */
export const TALKDESK_ICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64" role="img" aria-label="Talemetry">${MARK}</svg>`;

/** Wide logo served at `/talkdesk/assets/logo.svg` (its PNG render is `logo_url`). */
export const TALKDESK_LOGO_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="240" height="64" viewBox="0 0 240 64" role="img" aria-label="Talemetry">' +
  MARK +
  '<text x="78" y="42" font-family="Helvetica, Arial, sans-serif" font-size="28" font-weight="600" fill="#0f172a">Talemetry</text>' +
  "</svg>";
