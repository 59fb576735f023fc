/**
 * What the Talkdesk routes reach beyond the request: the tenant's directory (its Durable Object) and
 * Talemetry through the adapter, under the request's one 10 s deadline.
 */
import type { Context } from "hono";
import type { StoredActivity } from "../directory/activities";
import type { IndexChange } from "../directory/index-store";
import type { TokenOutcome } from "../directory/token-flight";
import { talemetryForRequest } from "../directory/upstream";
import type { TalemetryClient } from "../talemetry";
import { withUpstreamStats } from "../talentlynk/upstream-stats";
import type { ContactDirectory } from "./contact-lookup";
import type { TalkdeskEnv } from "./envelope";

/**
 * The tenant Durable Object methods the Talkdesk routes call. Named here rather than inferred from the
 * stub: the inferred RPC types of the whole class are deeper than the compiler will follow.
 */
export interface TalkdeskDirectory extends ContactDirectory {
  getToken(): Promise<TokenOutcome>;
  changes(afterSeq: number, highWater: number | null, limit: number): Promise<{ highWater: number; rows: IndexChange[] }>;
  getActivity(id: string): Promise<StoredActivity | null>;
}

/** The authenticated tenant's directory. */
export function tenantDirectory(c: Context<TalkdeskEnv>): TalkdeskDirectory {
  const env = c.env;
  return env.TENANT.get(env.TENANT.idFromName(c.get("tenant").id)) as unknown as TalkdeskDirectory;
}

/** Runs `task` with a Talemetry client for this request; its upstream attempts go to the request log. */
export function withTalemetry<T>(c: Context<TalkdeskEnv>, task: (talemetry: TalemetryClient) => Promise<T>): Promise<T> {
  return withUpstreamStats(c, (stats) => task(talemetryForRequest(c.env, c.get("tenant"), stats)));
}
