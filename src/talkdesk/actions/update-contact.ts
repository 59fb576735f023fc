/**
 * `update_contact`: adds phones and emails to the candidate; existing ones are kept. Talemetry replaces
 * a list it is given (§4), so the action reads the candidate, appends what is new, and writes the whole
 * lists through the same function as `PATCH /v1/candidates/{id}` (same phone rule, same write-through
 * to the directory). Repeating the action is harmless: values already present are not added twice.
 */

import { type ContactInput, contactChangeOf, readCandidate, updateCandidateContact, WRITABLE_PHONE_TYPES } from "../../core/candidates";
import type { Person } from "../../domain/person";
import { AppError } from "../../platform/errors";
import { ACTION_MESSAGES } from "../actions-def";
import type { ActionContext, ActionResult } from "./context";
import { requireContactId } from "./context";
import { actionInput } from "./note-actions";

type WritablePhone = NonNullable<ContactInput["phones"]>[number];

/**
 * The new phones in E.164, by the /v1 PATCH rule (possible after resolving `+`/`00`, else the tenant's
 * region; no extensions); a `400` naming each bad `data.phones[i]` otherwise, before anything is written.
 */
function newPhonesE164(phones: readonly string[], tenantRegion: string): string[] {
  try {
    return (contactChangeOf({ phones: phones.map((number) => ({ number })) }, tenantRegion).phones ?? []).map((p) => p.number);
  } catch (err) {
    if (!(err instanceof AppError) || !err.errors) throw err;
    const reasons = err.errors.map((e) => `data.${e.field.replace(/\.number$/, "")} ${e.message.replace(/^./, (ch) => ch.toLowerCase())}`);
    throw new AppError("bad_request", `${reasons.join("; ")} Nothing was changed.`, { cause: err });
  }
}

/**
 * The candidate's phones as a PATCH must send them back. A phone Talemetry could not take back as it is
 * (not E.164-resolvable, or a fax/pager that §4 cannot write) would be lost by replacing the list, so
 * the action refuses rather than silently drop it.
 */
function keptPhones(person: Person): WritablePhone[] {
  const kept: WritablePhone[] = [];
  for (const phone of person.phones) {
    const type = WRITABLE_PHONE_TYPES.find((t) => t === phone.type);
    if (!phone.valid || !type) {
      throw new AppError(
        "bad_request",
        "The candidate has a phone number Talemetry cannot take back unchanged (not a possible number, or a fax or pager); " +
          "adding phones would drop it, so nothing was changed. Fix the candidate's phones in Talemetry first.",
      );
    }
    kept.push({ number: phone.number, type });
  }
  return kept;
}

/**
 * `update_contact`: `201` when written or when everything was already there; `400` with the reason
 * otherwise. The answer is only a message: the action creates nothing, and acts on the contact Talkdesk
 * named (§5: `external_id` and the contact fields are for what an action creates or resolves).
 */
export async function updateContact(action: ActionContext): Promise<ActionResult> {
  const { c } = action;
  const tenant = c.get("tenant");
  const input = actionInput("update_contact", action.request.data);
  const contactId = requireContactId(action.request);
  const phones = newPhonesE164(input.phones, tenant.region);

  // repairIndex: a retry after a write whose answer was lost finds the values in Talemetry already;
  // the index gets them now, not at the next sync.
  const person = await readCandidate(c.var.services, contactId, { repairIndex: true });
  const change: ContactInput = {};

  const emailKeys = new Set(person.emails.map((e) => e.trim().toLowerCase()));
  const addEmails = input.emails.filter((e) => !emailKeys.has(e.toLowerCase()) && emailKeys.add(e.toLowerCase()));
  if (addEmails.length > 0) change.emails = [...person.emails, ...addEmails];

  const known = new Set(person.phones.filter((p) => p.valid).map((p) => p.number));
  const addPhones = phones.filter((p) => !known.has(p) && known.add(p));
  // Talkdesk gives no phone type; "other" is the PATCH default.
  if (addPhones.length > 0) change.phones = [...keptPhones(person), ...addPhones.map((number) => ({ number, type: "other" as const }))];

  if (change.emails === undefined && change.phones === undefined) {
    return { message: ACTION_MESSAGES.contactUnchanged };
  }
  await updateCandidateContact(c.var.services, contactId, change);
  return { message: ACTION_MESSAGES.contactUpdated };
}
