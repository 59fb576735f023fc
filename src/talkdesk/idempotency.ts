/**
 * Idempotency keys for Talkdesk actions. Talkdesk sends no request id and retries an action it did not
 * see succeed (a timeout, a `5xx`), so the only way to recognise a retry is its content: the same
 * tenant, action, contact, agent and data within a few minutes. Two real calls with identical content
 * hours apart must still log two notes, hence a time bucket in the key.
 *
 * Bucket-boundary caveat: with buckets of W minutes, a retry a few seconds after a boundary falls in
 * the next bucket and gets another key. `actionIdempotencyKeys` therefore returns the keys of the
 * current and the previous bucket: look both up and treat a hit on either as the retry; claim only
 * `current`. That catches every retry within W minutes, at the price of also merging two genuinely
 * separate but byte-identical actions less than 2·W minutes apart (same contact, agent, duration and
 * summary) — an acceptable loss for a call log.
 */
import { sha256Hex } from "../platform/crypto";

export const DEFAULT_IDEMPOTENCY_WINDOW_MINUTES = 10;

export interface ActionIdempotencyInput {
  tenantId: string;
  action: string;
  contactId?: string | null;
  agentId?: string | null;
  /** The action's validated input (after coercion), so `95` and `"95"` give the same key. */
  data: unknown;
  now: Date | number;
  windowMinutes?: number;
}

/** JSON with object keys sorted at every level, so that key order in Talkdesk's body does not matter. */
function canonicalJson(value: unknown): string {
  return (
    JSON.stringify(value, (_key, v: unknown) => {
      if (v && typeof v === "object" && !Array.isArray(v)) {
        const obj = v as Record<string, unknown>;
        return Object.fromEntries(
          Object.keys(obj)
            .sort()
            .map((k) => [k, obj[k]]),
        );
      }
      return v;
    }) ?? "null"
  );
}

function bucketOf(now: Date | number, windowMinutes: number): number {
  const ms = now instanceof Date ? now.getTime() : now;
  if (!Number.isFinite(ms)) throw new RangeError("now must be a valid time");
  if (!Number.isFinite(windowMinutes) || windowMinutes <= 0) throw new RangeError("windowMinutes must be positive");
  return Math.floor(ms / (windowMinutes * 60_000));
}

async function keyFor(input: ActionIdempotencyInput, bucket: number, windowMinutes: number): Promise<string> {
  const material = canonicalJson({
    v: 1,
    tenant: input.tenantId,
    action: input.action,
    contact: input.contactId ?? null,
    agent: input.agentId ?? null,
    data: input.data ?? null,
    // The window is part of the key so that changing it never makes unrelated buckets collide.
    window: windowMinutes,
    bucket,
  });
  return `td-action:v1:${await sha256Hex(material)}`;
}

/** The key of the current time bucket (SHA-256 over the canonical request content and the bucket). */
export async function actionIdempotencyKey(input: ActionIdempotencyInput): Promise<string> {
  const window = input.windowMinutes ?? DEFAULT_IDEMPOTENCY_WINDOW_MINUTES;
  return keyFor(input, bucketOf(input.now, window), window);
}

/** Keys of the current and the previous bucket; see the boundary caveat at the top of this file. */
export async function actionIdempotencyKeys(input: ActionIdempotencyInput): Promise<{ current: string; previous: string }> {
  const window = input.windowMinutes ?? DEFAULT_IDEMPOTENCY_WINDOW_MINUTES;
  const bucket = bucketOf(input.now, window);
  const [current, previous] = await Promise.all([keyFor(input, bucket, window), keyFor(input, bucket - 1, window)]);
  return { current, previous };
}
