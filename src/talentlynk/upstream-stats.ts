import type { Context } from "hono";
import { countUpstreamCall, type RequestMeta } from "../platform/context";
import { createDeadline, createStats, type Deadline, type UpstreamStats } from "../talemetry";

/**
 * The request's one upstream deadline (ARCHITECTURE.md "Deadlines and upstream errors": 10 s per
 * request, retries included), started by the first upstream work of the request and shared by all of
 * it — a Talkdesk action that reads the agent list and then writes a note has 10 s for both, not 10 s
 * each. Kept on the request's `requestMeta`; a fresh deadline on contexts without it (unit tests).
 */
export function requestDeadline(c: Context): Deadline {
  const meta = c.get("requestMeta") as RequestMeta | undefined;
  if (!meta) return createDeadline();
  meta.upstreamDeadline ??= createDeadline();
  return meta.upstreamDeadline;
}

/**
 * Runs a handler's upstream work with a fresh counter and adds its Talemetry calls to the request log
 * line (`upstream_calls`), whether the work succeeded or failed. The counter carries the request's
 * deadline (`requestDeadline`): every Talemetry client built with it stops there.
 */
export async function withUpstreamStats<T>(c: Context, work: (stats: UpstreamStats) => Promise<T>): Promise<T> {
  const stats: UpstreamStats = { ...createStats(), deadline: requestDeadline(c) };
  try {
    return await work(stats);
  } finally {
    countUpstreamCall(c, stats.calls);
  }
}
