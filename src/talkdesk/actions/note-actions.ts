/**
 * `log_call` and `add_note`: a note on the candidate in Talemetry, written through the activity
 * service that /v1 uses (one idempotency mechanism, one note format, one author rule).
 *
 * Talkdesk sends no request id and retries an action it did not see succeed, so a retry is recognised by
 * its content within a time window (`actionIdempotencyKeys`): the same request twice within minutes
 * creates one note, while two real calls with the same content hours apart create two.
 */

import { type ActivityInput, createActivity } from "../../core/activities";
import { AppError } from "../../platform/errors";
import { activityTypesFor } from "../../tenants/activity-types";
import type { Tenant } from "../../tenants/types";
import { ACTION_MESSAGES, type TalkdeskActionName } from "../actions-def";
import { findContactId } from "../contact-lookup";
import { actionIdempotencyKeys } from "../idempotency";
import { renderAddedNote, toCallActivity } from "../mapping";
import { type ActionInput, parseActionInput } from "../schemas";
import { type ActionAuthor, type ActionContext, type ActionResult, contactRef, requireContactId, resolveAuthor } from "./context";

/** The action's validated `data`; `400` naming `data.<key>` otherwise. */
export function actionInput<N extends TalkdeskActionName>(name: N, data: unknown): ActionInput<N> {
  const parsed = parseActionInput(name, data);
  if (!parsed.success) throw new AppError("bad_request", parsed.error.message);
  return parsed.data;
}

/**
 * The candidate of a call: `meta.contact_external_id`, else the one candidate whose phone is the call's
 * `data.phone` exactly (a shared or unknown number is refused rather than logged on someone else).
 * `resolved`: the action found the candidate itself, so its answer names it (§5 contact fields).
 */
async function callContact(action: ActionContext, phone: string | undefined): Promise<{ id: string; resolved: boolean }> {
  const given = action.request.meta.contact_external_id;
  if (given !== undefined) return { id: given, resolved: false };
  if (phone === undefined) {
    throw new AppError(
      "bad_request",
      "The call is not linked to a candidate: run the action on a Talemetry contact (meta.contact_external_id) or give the caller's number in data.phone.",
    );
  }
  const id = await findContactId(action.c.var.services.directory, { phones: [phone] }, action.c.get("tenant").region);
  if (id === null) {
    throw new AppError(
      "bad_request",
      "No single Talemetry candidate has the number in data.phone; run the action on the candidate's contact (meta.contact_external_id).",
    );
  }
  return { id, resolved: true };
}

/** A note an action writes: `input` is what makes a retry of the action recognisable (its idempotency key). */
export interface NoteSpec<N extends TalkdeskActionName> {
  name: N;
  input: unknown;
  contactId: string;
  author: ActionAuthor;
  activity: Omit<ActivityInput, "entity_id" | "user_id" | "user_email">;
}

/**
 * Creates the note through the activity service under the request's content-derived idempotency key;
 * returns the Talemetry note id (Talkdesk's `external_id`, as in the interaction retriever).
 */
export async function writeNote<N extends TalkdeskActionName>(action: ActionContext, spec: NoteSpec<N>): Promise<string> {
  const { c } = action;
  const tenant = c.get("tenant");
  // What makes two requests "the same action": the validated input (so `95` and `"95"` agree) and the
  // agent Talkdesk named, not the rendered note, which also depends on the agent's current name.
  const agentId = action.request.meta.agent_external_id ?? null;
  const material = { tenantId: tenant.id, action: spec.name, contactId: spec.contactId, agentId, data: spec.input };
  const keys = await actionIdempotencyKeys({ ...material, now: Date.now() });
  const { activity, noteId } = await createActivity(
    c.var.services,
    { ...spec.activity, entity_id: spec.contactId, user_id: spec.author.author.id },
    { idempotencyKey: keys.current, previousIdempotencyKeys: [keys.previous], fingerprint: material },
  );
  return noteId ? `note:${noteId}` : activity.id;
}

/** `log_call`: whatever Talkdesk knows of the call (direction, duration, summary…), as a `call` activity. */
export async function logCall(action: ActionContext): Promise<ActionResult> {
  const input = actionInput("log_call", action.request.data);
  const contact = await callContact(action, input.phone);
  const author = await resolveAuthor(action);
  const externalId = await writeNote(action, {
    name: "log_call",
    input,
    contactId: contact.id,
    author,
    activity: toCallActivity({
      direction: input.direction,
      duration_seconds: input.duration,
      summary: input.summary,
      agent: author.agent,
      unknownAgentId: author.unknownAgentId,
      call_id: input.call_id,
      phone: input.phone,
    }),
  });
  const result: ActionResult = { message: ACTION_MESSAGES.callLogged, external_id: externalId };
  return contact.resolved ? { ...result, ...contactRef(action, contact.id) } : result;
}

/**
 * The type of a free-text note written by a Talkdesk action (`add_note`, `create_contact`'s note): `note`
 * (built in since `note` joined the types) unless the tenant hid it, then `call` — Talkdesk actions run
 * from call automations, so the note is about a call.
 */
export function talkdeskNoteType(tenant: Tenant): string {
  return activityTypesFor(tenant).some((t) => t.id === "note") ? "note" : "call";
}

/** `add_note`: free text on the candidate, typed by `talkdeskNoteType`. */
export async function addNote(action: ActionContext): Promise<ActionResult> {
  const input = actionInput("add_note", action.request.data);
  const contactId = requireContactId(action.request);
  const author = await resolveAuthor(action);
  const type = talkdeskNoteType(action.c.get("tenant"));
  const externalId = await writeNote(action, {
    name: "add_note",
    input,
    contactId,
    author,
    activity: { type, body: renderAddedNote(input.text, author.unknownAgentId) },
  });
  return { message: ACTION_MESSAGES.noteAdded, external_id: externalId };
}
