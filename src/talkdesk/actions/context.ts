/**
 * What every Talkdesk action shares (docs/contracts/talkdesk-bridge.md §5): the contact it acts on
 * (`meta.contact_external_id`), the agent who triggered it (`meta.agent_external_id`, a Talemetry user
 * id from agent sync), and the `201` body Talkdesk reads.
 */
import type { Context } from "hono";
import { activeUserById, fallbackAuthor } from "../../core/users";
import type { TalemetryUser } from "../../domain/person";
import { AppError } from "../../platform/errors";
import { candidateUrl } from "../../tenants/settings";
import type { TalkdeskEnv } from "../envelope";
import type { ActionRequest } from "../schemas";

/** An action handler's view of the request: the route has checked the envelope already. */
export interface ActionContext {
  c: Context<TalkdeskEnv>;
  request: ActionRequest;
}

/**
 * The `201` body (§5): `external_id` names the resource the action created (not a contact), the
 * `contact_external_*` fields are only for actions that created or resolved the contact themselves —
 * Talkdesk reads them as "this contact", e.g. to pop it.
 */
export interface ActionResult extends Partial<ContactRef> {
  message: string;
  external_id?: string;
}

/** `meta.contact_external_id`, required by actions that have no other way to find the candidate. */
export function requireContactId(request: ActionRequest): string {
  const id = request.meta.contact_external_id;
  if (id === undefined)
    throw new AppError(
      "bad_request",
      "The action needs a candidate: run it on a contact that came from Talemetry (meta.contact_external_id is missing).",
    );
  return id;
}

/** Who made the action, and who the note is written under. */
export interface ActionAuthor {
  /** The active Talemetry user `meta.agent_external_id` names; null when it names none (or is absent). */
  agent: TalemetryUser | null;
  /** The Talemetry user the note is written under: the agent, else the tenant's fallback author. */
  author: TalemetryUser;
  /** `meta.agent_external_id` when it names no active Talemetry user: the note's headline names it. */
  unknownAgentId: string | null;
}

/**
 * The author of an action's note. Talkdesk assigns the agent "if possible" (§5), so an agent id that is
 * no active Talemetry user never fails the action: the note goes under the tenant's default author
 * (`default_author_email`, else the first active Talemetry user by id) and says which agent it was.
 * Without any active Talemetry user there is nobody to write under: `400` saying so.
 */
export async function resolveAuthor(action: ActionContext): Promise<ActionAuthor> {
  const s = action.c.var.services;
  const agentId = action.request.meta.agent_external_id ?? null;
  const agent = agentId === null ? null : await activeUserById(s, agentId);
  const author = agent ?? (await fallbackAuthor(s));
  if (!author) {
    throw new AppError("bad_request", "Nobody in this tenant's Talemetry can author the note: there is no active Talemetry user.");
  }
  return { agent, author, unknownAgentId: agent === null ? agentId : null };
}

/** Talkdesk's contact fields (§5), for actions that create or resolve the contact themselves. */
export interface ContactRef {
  contact_external_id: string;
  contact_external_type: "candidate";
  contact_external_url?: string;
}

/** The contact fields naming candidate `contactId`; `contact_external_url` (contact pop) with a link template. */
export function contactRef(action: ActionContext, contactId: string): ContactRef {
  const ref: ContactRef = { contact_external_id: contactId, contact_external_type: "candidate" };
  const url = candidateUrl(action.c.get("tenant").settings, contactId);
  if (url) ref.contact_external_url = url;
  return ref;
}
