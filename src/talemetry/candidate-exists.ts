/**
 * §7 of docs/contracts/talemetry-upstream.md: Talemetry merges candidates by email, so a create whose
 * email already belongs to a candidate is refused with `409` naming that candidate in `existing_id`.
 * The adapter turns that answer into this error, so that a caller can answer with the existing
 * candidate instead of creating a duplicate. It stays an `UpstreamError` of kind `conflict`: a caller
 * that does not look closer maps it like any other conflict.
 */
import { UpstreamError } from "../platform/errors";

/** §7 `409` with `existing_id`: the candidate to be created already exists as `existingId`. */
export class CandidateExistsError extends UpstreamError {
  /** The GUID of the candidate that holds one of the new candidate's emails. */
  readonly existingId: string;

  constructor(existingId: string, message: string, opts: { upstreamStatus?: number; upstreamDetail?: string } = {}) {
    super("conflict", message, opts);
    this.existingId = existingId;
  }
}

/**
 * The existing candidate's id when `err` is §7's "already exists" refusal, else null. Also works on an
 * error that crossed a Durable Object RPC boundary: workerd keeps its own properties (`kind`,
 * `existingId`) and its `name`, but not its class.
 */
export function existingCandidateId(err: unknown): string | null {
  if (!(err instanceof Error) || err.name !== "UpstreamError") return null;
  const remote = err as Error & { kind?: unknown; existingId?: unknown };
  return remote.kind === "conflict" && typeof remote.existingId === "string" && remote.existingId !== "" ? remote.existingId : null;
}
