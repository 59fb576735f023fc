/**
 * `log_call` and `add_note`: a note on the candidate in Talemetry, written through the activity
 * service that /v1 uses (one idempotency mechanism, one note format, one author rule).
 *
 * Talkdesk sends no request id and retries an action it did not see succeed, so a retry is recognised by
 * its content within a time window (`actionIdempotencyKeys`): the same request twice within minutes
 * creates one note, while two real calls with the same content hours apart create two.
 */

import { type ActivityInput, createActivity } from "../../core/activities";
import type { TalemetryUser } from "../../domain/person";
import { AppError } from "../../platform/errors";
import { activityTypesFor } from "../../tenants/activity-types";
import type { TalkdeskActionName } from "../actions-def";
import { findContactId } from "../contact-lookup";
import { actionIdempotencyKeys } from "../idempotency";
import { toCallActivity } from "../mapping";
import { type ActionInput, parseActionInput } from "../schemas";
import { type ActionContext, type ActionResult, actionResult, requireContactId, resolveAgent } from "./context";

/** The action's validated `data`; `400` naming `data.<key>` otherwise. */
export function actionInput<N extends TalkdeskActionName>(name: N, data: unknown): ActionInput<N> {
  const parsed = parseActionInput(name, data);
  if (!parsed.success) throw new AppError("bad_request", parsed.error.message);
  return parsed.data;
}

/**
 * The candidate of a call: `meta.contact_external_id`, else the one candidate whose phone is the call's
 * `data.phone` exactly (a shared or unknown number is refused rather than logged on someone else).
 */
async function callContactId(action: ActionContext, phone: string | undefined): Promise<string> {
  if (action.request.meta.contact_external_id !== undefined || phone === undefined) return requireContactId(action.request);
  const id = await findContactId(action.c.var.services.directory, { phones: [phone] }, action.c.get("tenant").region);
  if (id === null) {
    throw new AppError("bad_request", "data.phone is not the number of exactly one candidate; send meta.contact_external_id");
  }
  return id;
}

interface NoteSpec<N extends TalkdeskActionName> {
  name: N;
  input: ActionInput<N>;
  contactId: string;
  agent: TalemetryUser | null;
  activity: Omit<ActivityInput, "entity_id" | "user_id" | "user_email">;
  message: string;
}

/** Creates the note through the activity service under the request's content-derived idempotency key. */
async function writeNote<N extends TalkdeskActionName>(action: ActionContext, spec: NoteSpec<N>): Promise<ActionResult> {
  const { c } = action;
  const tenant = c.get("tenant");
  // What makes two requests "the same action": the validated input (so `95` and `"95"` agree), not the
  // rendered note, which also depends on the agent's current name.
  const material = { tenantId: tenant.id, action: spec.name, contactId: spec.contactId, agentId: spec.agent?.id ?? null, data: spec.input };
  const keys = await actionIdempotencyKeys({ ...material, now: Date.now() });
  const { activity, noteId } = await createActivity(
    c.var.services,
    // No agent: the tenant's default author (the activity service refuses when there is none).
    { ...spec.activity, entity_id: spec.contactId, user_id: spec.agent?.id ?? null },
    { idempotencyKey: keys.current, previousIdempotencyKeys: [keys.previous], fingerprint: material },
  );
  // Talkdesk's external id is the note's, as in the interaction retriever (`note:<Talemetry note id>`).
  return actionResult(action, spec.contactId, spec.message, noteId ? `note:${noteId}` : activity.id);
}

/** `log_call`: direction, duration (seconds) and summary of a Talkdesk call, as a `call` activity. */
export async function logCall(action: ActionContext): Promise<ActionResult> {
  const input = actionInput("log_call", action.request.data);
  const contactId = await callContactId(action, input.phone);
  const agent = await resolveAgent(action);
  return writeNote(action, {
    name: "log_call",
    input,
    contactId,
    agent,
    activity: toCallActivity({
      direction: input.direction,
      duration_seconds: input.duration,
      summary: input.summary,
      agent,
      call_id: input.call_id,
      phone: input.phone,
    }),
    message: "Call logged in Talemetry.",
  });
}

/**
 * `add_note`: free text on the candidate. Activities need a type and the built-in ones have no plain
 * note: a tenant's own `note` type when it defined one, else `call` — Talkdesk actions run from call
 * automations, so the note is about a call.
 */
export async function addNote(action: ActionContext): Promise<ActionResult> {
  const input = actionInput("add_note", action.request.data);
  const contactId = requireContactId(action.request);
  const agent = await resolveAgent(action);
  const type = activityTypesFor(action.c.get("tenant")).some((t) => t.id === "note") ? "note" : "call";
  return writeNote(action, {
    name: "add_note",
    input,
    contactId,
    agent,
    activity: { type, body: input.text },
    message: "Note added in Talemetry.",
  });
}
