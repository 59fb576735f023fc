/**
 * `create_contact` (docs/contracts/talkdesk-bridge.md §5): an agent on a call with an unknown caller
 * creates the candidate in Talemetry, through the caller-neutral candidate service (src/core/candidates.ts:
 * existing candidates first, one candidate per request however often Talkdesk retries, indexed at once),
 * and Talkdesk pops it: the answer names the candidate as the contact (`contact_external_*`) and as the
 * created resource (`external_id`). An optional note goes on the candidate like `add_note`'s.
 */
import { createCandidate } from "../../core/candidates";
import { AppError } from "../../platform/errors";
import { ACTION_MESSAGES } from "../actions-def";
import { actionIdempotencyKeys } from "../idempotency";
import { renderAddedNote } from "../mapping";
import { type ActionContext, type ActionResult, contactRef, resolveAuthor } from "./context";
import { actionInput, talkdeskNoteType, writeNote } from "./note-actions";

/** Talemetry's `Source` of candidates the bridge creates for Talkdesk callers (the Match API can leave them out). */
export const TALKDESK_CANDIDATE_SOURCE = "talkdesk";

/** The service's field names (`phones[0].number`, `emails[0]`, `name`) as the action's inputs. */
function inputField(field: string): string {
  if (field.startsWith("phones")) return "data.phone";
  if (field.startsWith("emails")) return "data.email";
  return "data.name";
}

/** A refusal of the service (`422`) as the action's `400`, naming the inputs an agent can fix. */
function asInputError(err: unknown): unknown {
  if (!(err instanceof AppError) || err.code !== "invalid" || !err.errors?.length) return err;
  const reasons = err.errors.slice(0, 3).map((e) => `${inputField(e.field)}: ${e.message}`);
  return new AppError("bad_request", `${err.detail} (${reasons.join("; ")}) Nothing was created.`, { cause: err });
}

/** `create_contact`: `201` naming the new (or already existing) candidate; `400` with the reason otherwise. */
export async function createContact(action: ActionContext): Promise<ActionResult> {
  const { c, request } = action;
  const tenant = c.get("tenant");
  const input = actionInput("create_contact", request.data);
  // Who writes the note is settled before anything is created: no candidate is left behind by a note
  // that could never be written.
  const author = input.note === undefined ? null : await resolveAuthor(action);

  // The same request again (Talkdesk retries what it did not see succeed) is recognised by its content.
  const material = {
    tenantId: tenant.id,
    action: "create_contact",
    contactId: null,
    agentId: request.meta.agent_external_id ?? null,
    data: input,
  };
  const keys = await actionIdempotencyKeys({ ...material, now: Date.now() });
  const result = await createCandidate(
    c.var.services,
    {
      name: input.name,
      emails: input.email === undefined ? [] : [input.email],
      phones: input.phone === undefined ? [] : [{ number: input.phone }],
      source: TALKDESK_CANDIDATE_SOURCE,
    },
    { idempotencyKey: keys.current, previousIdempotencyKeys: [keys.previous], fingerprint: material },
  ).catch((err: unknown) => {
    throw asInputError(err);
  });
  const id = result.person.id;

  let message: string = result.created ? ACTION_MESSAGES.candidateCreated : ACTION_MESSAGES.candidateExists;
  if (input.note !== undefined && author) {
    const type = talkdeskNoteType(tenant);
    await writeNote(action, {
      name: "create_contact",
      input: { note: input.note },
      contactId: id,
      author,
      activity: { type, body: renderAddedNote(input.note, author.unknownAgentId) },
    });
    message += ACTION_MESSAGES.noteAlsoAdded;
  }
  return { message, external_id: id, ...contactRef(action, id) };
}
