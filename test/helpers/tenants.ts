// Helpers for tests that need tenants: admin calls through the Worker's own fetch, tenant creation with
// the credentials of a simulator account, and access tokens from /oauth/token.
import { env, exports } from "cloudflare:workers";
import { accountCredentials, createAccount } from "./sandbox";

/** The base URL tests call the bridge on. */
export const BRIDGE = "http://bridge";

/** Credentials issued for a tenant created by `createTenant`. */
export interface TestTenant {
  id: string;
  api_key: string;
  client_id: string;
  client_secret: string;
  /** The Talemetry credentials the tenant was created with (the simulator accepts them). */
  talemetry: { client_id: string; secret_key: string };
}

/** Options of `createTenant`. */
export interface CreateTenantOptions {
  name?: string;
  region?: string;
  /** A simulator account created with `createAccount` (its credentials are used); default a new account. */
  talemetryClientId?: string;
  settings?: Record<string, unknown>;
}

/** True for values `adminFetch` sends as JSON (plain objects and arrays; streams, strings etc. go as they are). */
function isJsonValue(body: unknown): boolean {
  return body !== null && typeof body === "object" && (Array.isArray(body) || Object.getPrototypeOf(body) === Object.prototype);
}

/** Calls the bridge with the admin token; a plain object or array body is sent as JSON. */
export async function adminFetch(path: string, init: Omit<RequestInit, "body"> & { body?: unknown } = {}): Promise<Response> {
  const headers = new Headers(init.headers as HeadersInit | undefined);
  if (!headers.has("authorization")) headers.set("authorization", `Bearer ${env.ADMIN_TOKEN}`);
  let body = init.body as BodyInit | undefined;
  if (isJsonValue(init.body)) {
    body = JSON.stringify(init.body);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  return exports.default.fetch(`${BRIDGE}${path}`, { ...init, headers, body } as RequestInit);
}

/** Creates a tenant through `POST /admin/tenants` and returns its issued credentials. Throws on failure. */
export async function createTenant(opts: CreateTenantOptions = {}): Promise<TestTenant> {
  const talemetry = opts.talemetryClientId ? accountCredentials(opts.talemetryClientId) : await createAccount("tenant");
  const res = await adminFetch("/admin/tenants", {
    method: "POST",
    body: {
      name: opts.name ?? "Test tenant",
      region: opts.region ?? "GB",
      talemetry,
      ...(opts.settings ? { settings: opts.settings } : {}),
    },
  });
  if (res.status !== 201) throw new Error(`createTenant: ${res.status} ${await res.text()}`);
  const issued = (await res.json()) as Omit<TestTenant, "talemetry">;
  return { ...issued, talemetry };
}

/** Asks `/oauth/token` for an access token with the tenant's client credentials (form body). Throws on failure. */
export async function issueToken(creds: Pick<TestTenant, "client_id" | "client_secret">): Promise<string> {
  const res = await exports.default.fetch(`${BRIDGE}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: creds.client_id,
      client_secret: creds.client_secret,
    }).toString(),
  });
  if (res.status !== 200) throw new Error(`issueToken: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** `Authorization: Bearer …` headers for a key or token. */
export function bearer(credential: string): Record<string, string> {
  return { authorization: `Bearer ${credential}` };
}
