/**
 * Activities (Talemetry notes with a type) for every caller: `/v1/activities` and the Talkdesk
 * `log_call` / `add_note` actions (docs/contracts/v1-api.md, "Activities"). Callers hand in a generic
 * input and get an `Activity` back, or an `AppError` / `UpstreamError` to render in their own format.
 *
 * How a create stays single under retries and races:
 * 1. With an idempotency key, the tenant's Durable Object claims it first (synchronously in SQLite). A
 *    finished key answers with its first result; one in flight makes this request wait for it; another
 *    body under the key is a `409`. The claim pre-assigns the activity id.
 * 2. The note text ends with that id (`renderActivityNote`). When an earlier attempt may have written the
 *    note (its answer was lost, or it vanished), the candidate's notes are searched for the id first.
 * 3. The activity record and the claim's answer are stored in one transaction. A failed attempt
 *    releases the claim but the key stays bound to its body for 24 h: the same body runs again (checking
 *    Talemetry first when the note might have been written), another body is a `409`. Only a request the
 *    bridge refused as invalid (`422`) before any write leaves the key free: nothing was attempted.
 */

import type { ClaimRelease } from "../directory/activities";
import { type Activity, type ActivityDirection, newActivityId, publicActivity, type StoredActivity } from "../directory/activities";
import type { ClaimResult } from "../directory/api";
import { canonicalJson } from "../directory/index-keys";
import { sha256Hex } from "../platform/crypto";
import { AppError, asUpstreamError } from "../platform/errors";
import { isoUtc } from "../platform/time";
import { validationError } from "../platform/validation";
import type { TalemetryClient } from "../talemetry";
import { type ActivityType, activityTypesFor, defaultActivityTypeOf } from "../tenants/activity-types";
import type { Tenant } from "../tenants/types";
import { ActivityChangeSchema, ActivityInputSchema } from "./activity-input";
import { isNoteOfActivity, renderActivityNote } from "./activity-note";
import { isActivityId } from "./ids";
import type { Services } from "./services";
import { resolveAuthor } from "./users";

/** The activity record, re-exported for callers of the service. */
export type { Activity } from "../directory/activities";

/** A new activity, whoever asks for it. Field names are the /v1 body's, so errors name them alike. */
export interface ActivityInput {
  /** The candidate (Talemetry GUID). */
  entity_id: string;
  /** One of the tenant's activity types (`activityTypesFor`); absent → the tenant's default type. */
  type?: string | null;
  body: string;
  /** ISO 8601 with offset; default: when the request (the first attempt, with a key) arrived. */
  occurred_at?: string | null;
  /** Author by Talemetry user id... */
  user_id?: string | null;
  /** ...or by email; with neither, the tenant's `default_author_email`. */
  user_email?: string | null;
  direction?: ActivityDirection | null;
  duration_seconds?: number | null;
}

/** Options of `createActivity`. */
export interface CreateActivityOptions {
  /** The caller's idempotency key (claimed as given: prefix it per caller, e.g. `v1:`). */
  idempotencyKey?: string;
  /**
   * Other keys that name the same request (Talkdesk's previous time bucket, see
   * src/talkdesk/idempotency.ts): looked up, never claimed.
   */
  previousIdempotencyKeys?: readonly string[];
  /** What a retry under the same key must equal (as canonical JSON); default: the input. */
  fingerprint?: unknown;
}

/** A created (or replayed) activity. */
export interface ActivityResult {
  activity: Activity;
  /** The Talemetry note behind the activity (Talkdesk names it as the action's `external_id`); null if unknown. */
  noteId: string | null;
  /** True when an earlier request with the same key made it and this is its answer again. */
  replayed: boolean;
}

function typeOf(tenant: Tenant, id: string): ActivityType {
  const type = activityTypesFor(tenant).find((t) => t.id === id);
  if (!type) {
    throw new AppError("invalid", "Unknown activity type.", {
      errors: [{ field: "type", message: `'${id.slice(0, 64)}' is not one of this tenant's activity types (see GET /v1/activity-types).` }],
    });
  }
  return type;
}

/** Validates a service input by the /v1 body's rules (Talkdesk inputs included). */
function parseInput(input: ActivityInput): ActivityInput {
  const parsed = ActivityInputSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error, "json");
  if (parsed.data.user_id && parsed.data.user_email) {
    throw new AppError("invalid", "Name the author once.", {
      errors: [{ field: "user_email", message: "Send user_id or user_email, not both." }],
    });
  }
  return parsed.data;
}

/**
 * True unless the error proves the note was not written: Talemetry answered 4xx (including 429) or
 * refused our credentials. No answer, a 5xx, or a success we could not read may hide a written note.
 */
export function mayHaveWritten(err: unknown): boolean {
  // asUpstreamError: a token failure comes from the Durable Object, where RPC drops the error's class.
  const upstream = asUpstreamError(err);
  return upstream === null || upstream.kind === "unavailable";
}

/** How a failed attempt gives its claim up (see `ActivityStore.release`); candidate creates use it too. */
export function releaseOutcome(err: unknown, writing: boolean): ClaimRelease {
  if (!writing) return err instanceof AppError && err.code === "invalid" ? "refused" : "failed";
  return mayHaveWritten(err) ? "uncertain" : "failed";
}

async function claimOf(s: Services, input: ActivityInput, options: CreateActivityOptions): Promise<ClaimResult | null> {
  if (!options.idempotencyKey) return null;
  const bodyHash = await sha256Hex(canonicalJson(options.fingerprint ?? input));
  const keys = [options.idempotencyKey, ...(options.previousIdempotencyKeys ?? [])];
  return s.directory.claimActivity(keys, bodyHash);
}

/** The note of `activityId` among the candidate's notes in Talemetry, if an earlier attempt wrote it. */
async function findWrittenNote(client: TalemetryClient, candidateId: string, activityId: string): Promise<{ id: string } | null> {
  const [details] = await client.fetchProfiles([candidateId], ["notes"]);
  const note = details?.notes.find((n) => isNoteOfActivity(n.text, activityId));
  return note ? { id: note.id } : null;
}

/**
 * Creates an activity: a Talemetry note on the candidate plus the bridge's record of it.
 * @throws AppError `422` (type, author, fields), `409` (key reused with another body, or still in flight
 *   after a full lease); `UpstreamError` for Talemetry failures (`404` unknown candidate, `503`, `502`).
 */
export async function createActivity(s: Services, input: ActivityInput, options: CreateActivityOptions = {}): Promise<ActivityResult> {
  const arrivedAt = Date.now();
  // The key is checked before anything else: a replay answers as the first time did, even if the
  // tenant's types or users changed since.
  const outcome = await claimOf(s, input, options);
  if (outcome?.kind === "done") return { activity: outcome.activity, noteId: outcome.noteId, replayed: true };
  if (outcome?.kind === "conflict") {
    throw new AppError("conflict", "This Idempotency-Key was already used with another request body.", {
      errors: [{ field: "Idempotency-Key", message: "Use a new key for a different activity." }],
    });
  }
  if (outcome?.kind === "busy") {
    throw new AppError("conflict", "A request with this Idempotency-Key is still in progress; retry shortly.", { retryAfter: 1 });
  }
  const claim = outcome;
  let writing = false;
  try {
    const data = parseInput(input);
    // No type: the tenant's default (contract, "Activities"); the answer and later reads show it.
    const type = typeOf(s.tenant, data.type ?? defaultActivityTypeOf(s.tenant));
    const author = await resolveAuthor(s, { userId: data.user_id, userEmail: data.user_email });
    const activityId = claim?.activityId ?? newActivityId();
    const occurredAt = data.occurred_at ? isoUtc(Date.parse(data.occurred_at)) : (claim?.firstAttemptAt ?? isoUtc(arrivedAt));
    const direction = data.direction ?? null;
    const durationSeconds = data.duration_seconds ?? null;

    writing = true;
    let note = claim?.recover ? await findWrittenNote(s.talemetry, data.entity_id, activityId) : null;
    note ??= await s.talemetry.createNote(data.entity_id, {
      text: renderActivityNote({ activityId, typeName: type.name, direction, durationSeconds, body: data.body }),
      dateTime: occurredAt,
      authorEmail: author.email,
    });
    const now = isoUtc(Date.now());
    const stored: StoredActivity = {
      id: activityId,
      entity: "candidate",
      entity_id: data.entity_id,
      type: type.id,
      body: data.body,
      occurred_at: occurredAt,
      user_id: author.id,
      direction,
      duration_seconds: durationSeconds,
      created_at: now,
      updated_at: now,
      note_id: note.id,
    };
    const completed = await s.directory.completeActivity(stored, claim?.kind === "claimed" ? { key: claim.key } : null);
    return { activity: completed.activity, noteId: completed.noteId, replayed: false };
  } catch (err) {
    if (claim?.kind === "claimed") {
      // Best effort: if this fails too, the claim's lease runs out and the next attempt checks Talemetry.
      await s.directory.releaseActivityClaim(claim.key, claim.owner, releaseOutcome(err, writing)).catch(() => undefined);
    }
    throw err;
  }
}

/** One activity of the tenant. @throws AppError `404`. */
export async function getActivity(s: Pick<Services, "directory">, id: string): Promise<Activity> {
  const stored = isActivityId(id) ? await s.directory.getActivity(id) : null;
  if (!stored) throw new AppError("not_found", "No such activity.");
  const { note_id: _noteId, ...activity } = stored;
  return activity;
}

/**
 * Changes an activity's body and/or type: rewrites its Talemetry note, then the record. Repeating the
 * same change is harmless, so a retry after a lost answer needs no idempotency key. Changes of one
 * activity run one after the other (the tenant's Durable Object hands out the edit), so of two
 * concurrent PATCHes the note ends as the later answer says.
 * @throws AppError `404` unknown activity, `422` unknown type, `409` another change still running after a
 *   full lease; `UpstreamError` for Talemetry failures.
 */
export async function updateActivity(s: Services, id: string, change: { body?: string; type?: string }): Promise<Activity> {
  const parsed = ActivityChangeSchema.safeParse(change);
  if (!parsed.success) throw validationError(parsed.error, "json");
  const edit = isActivityId(id) ? await s.directory.beginActivityEdit(id) : null;
  if (!edit) throw new AppError("not_found", "No such activity.");
  if (edit.kind === "busy") {
    throw new AppError("conflict", "Another change of this activity is still in progress; retry shortly.", { retryAfter: 1 });
  }
  const { owner, activity: current } = edit;
  let next: { body: string; type: string } | null = null;
  try {
    const body = parsed.data.body ?? current.body;
    // The current type may have been hidden since; only a new type must be one of today's.
    const type = parsed.data.type !== undefined && parsed.data.type !== current.type ? typeOf(s.tenant, parsed.data.type) : null;
    if (body !== current.body || type !== null) {
      const typeName = type?.name ?? activityTypesFor(s.tenant).find((t) => t.id === current.type)?.name ?? current.type;
      await s.talemetry.updateNote(current.entity_id, current.note_id, {
        text: renderActivityNote({
          activityId: id,
          typeName,
          direction: current.direction,
          durationSeconds: current.duration_seconds,
          body,
        }),
      });
      next = { body, type: type?.id ?? current.type };
    }
  } catch (err) {
    // The edit goes to the next change at once, not after its lease.
    await s.directory.endActivityEdit(id, owner, null, isoUtc(Date.now())).catch(() => undefined);
    throw err;
  }
  const ended = await s.directory.endActivityEdit(id, owner, next, isoUtc(Date.now()));
  if (!ended) throw new AppError("not_found", "No such activity.");
  return publicActivity(ended);
}
