/**
 * The "Talkdesk answer" column of the upstream error table (docs/architecture.md, "Deadlines and
 * upstream errors"), per component. Everything not listed keeps the /v1 mapping of `toAppError`, rendered as
 * `{"message"}` by the app's error handler: rejected stored credentials → `502`, throttling and
 * outages → `503` with `Retry-After`.
 */
import { AppError, asUpstreamError, toAppError } from "../platform/errors";

/** `401` for an `api_key` that is unknown, rotated away or of a deleted tenant (every component). */
export const UNKNOWN_KEY_MESSAGE = "auth.api_key is unknown or has been revoked";

/** `404` for an action the bridge does not have. */
export const UNKNOWN_ACTION_MESSAGE = "There is no such action; see the manifest's actions";

/** The Talkdesk components whose answers differ from /v1's for some upstream outcomes. */
export type TalkdeskComponent = "auth" | "contacts" | "interactions" | "agents" | "actions";

/** Statuses an action turns into `400`: Talkdesk's action executor knows only `201` and `400` (§5). */
const ACTION_REFUSALS = new Set([404, 409, 422]);

/**
 * The error to answer Talkdesk with, or `null` when the outcome is not an error for this component
 * (the interaction retriever answers an unknown contact with `200 []`).
 */
export function talkdeskError(component: TalkdeskComponent, thrown: unknown): AppError | null {
  const upstream = asUpstreamError(thrown);
  if (component === "auth" && upstream?.kind === "auth") {
    // §1: the key is ours, but the Talemetry credentials behind it no longer work — for Talkdesk that is
    // "bad credentials", not an outage. The message does not say which Talemetry field is wrong.
    return new AppError(
      "unauthorized",
      "Talemetry rejected the credentials stored for this API key; ask the bridge operator to update them.",
      { cause: thrown },
    );
  }
  if (component === "interactions" && upstream?.kind === "not_found") return null;
  const err = toAppError(upstream ?? thrown);
  if (component === "actions" && ACTION_REFUSALS.has(err.status)) {
    // Talkdesk shows only `message`: the field-level reasons (already wire-safe) go into it.
    const reasons = (err.errors ?? []).slice(0, 3).map((e) => `${e.field}: ${e.message}`);
    return new AppError("bad_request", reasons.length > 0 ? `${err.detail} (${reasons.join("; ")})` : err.detail, { cause: thrown });
  }
  return err;
}

/**
 * Runs `task`, rethrowing its failure as the Talkdesk answer of `component`. When the outcome is no
 * error for the component (see `talkdeskError`), answers `fallback()` instead.
 */
export async function talkdeskCall<T>(component: TalkdeskComponent, task: () => Promise<T>, fallback?: () => T): Promise<T> {
  try {
    return await task();
  } catch (thrown) {
    const err = talkdeskError(component, thrown);
    if (err !== null) throw err;
    if (fallback) return fallback();
    throw toAppError(thrown);
  }
}
