/**
 * Which tenant a caller's credential belongs to, for both callers: `/v1` presents a bearer credential
 * (an access token from `/oauth/token` or the tenant's API key), Talkdesk the same API key inside its
 * envelope (docs/contracts/talkdesk-bridge.md, "Transport").
 */
import type { Env } from "../config/env";
import { ACCESS_TOKEN_PREFIX, type RideAlong, resolveAccessToken, resolveApiKey } from "../tenants/store";
import type { Tenant } from "../tenants/types";

/** The tenant whose current API key this is, or null (unknown, rotated away, tenant deleted). */
export async function authenticateApiKey(env: Env, apiKey: string, ride?: RideAlong): Promise<Tenant | null> {
  return resolveApiKey(env, apiKey, ride);
}

/** The tenant of a bearer credential: an access token (by its prefix) or else an API key. */
export async function authenticateBearer(env: Env, credential: string, ride?: RideAlong): Promise<Tenant | null> {
  return credential.startsWith(ACCESS_TOKEN_PREFIX) ? resolveAccessToken(env, credential, ride) : resolveApiKey(env, credential, ride);
}
