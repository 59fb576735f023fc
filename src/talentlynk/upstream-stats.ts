import type { Context } from "hono";
import { countUpstreamCall } from "../platform/context";
import { createStats, type UpstreamStats } from "../talemetry";

/**
 * Runs a handler's upstream work with a fresh counter and adds its Talemetry calls to the request log
 * line (`upstream_calls`), whether the work succeeded or failed.
 */
export async function withUpstreamStats<T>(c: Context, work: (stats: UpstreamStats) => Promise<T>): Promise<T> {
  const stats = createStats();
  try {
    return await work(stats);
  } finally {
    countUpstreamCall(c, stats.calls);
  }
}
