/**
 * What every Talkdesk action shares (docs/contracts/talkdesk-bridge.md §5): the contact it acts on
 * (`meta.contact_external_id`), the agent who triggered it (`meta.agent_external_id`, a Talemetry user
 * id from agent sync), and the `201` body Talkdesk reads.
 */
import type { Context } from "hono";
import { listCrmUsers } from "../../core/users";
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

/** The `201` body (§5); `contact_external_url` lets Talkdesk pop the candidate in Talemetry. */
export interface ActionResult {
  message: string;
  external_id: string;
  contact_external_id: string;
  contact_external_type: "candidate";
  contact_external_url?: string;
}

/** `meta.contact_external_id`, required by actions that have no other way to find the candidate. */
export function requireContactId(request: ActionRequest): string {
  const id = request.meta.contact_external_id;
  if (id === undefined)
    throw new AppError("bad_request", "meta.contact_external_id is required: the action needs the candidate it acts on");
  return id;
}

/**
 * The Talemetry user behind `meta.agent_external_id` (null when Talkdesk sent none); an id that is no
 * user of the tenant's Talemetry is a `400` naming the field, not a silent fallback to another author.
 * Reads the tenant's user list through its short KV cache, as the activity service does.
 */
export async function resolveAgent(action: ActionContext): Promise<TalemetryUser | null> {
  const agentId = action.request.meta.agent_external_id;
  if (agentId === undefined) return null;
  const { c } = action;
  const users = await listCrmUsers(c.var.services);
  const agent = users.find((user) => user.id === agentId);
  if (!agent) throw new AppError("bad_request", "meta.agent_external_id is not a user of this tenant's Talemetry (see agent sync)");
  return agent;
}

/** The `201` body for an action on candidate `contactId`. */
export function actionResult(action: ActionContext, contactId: string, message: string, externalId: string): ActionResult {
  const result: ActionResult = { message, external_id: externalId, contact_external_id: contactId, contact_external_type: "candidate" };
  const url = candidateUrl(action.c.get("tenant").settings, contactId);
  if (url) result.contact_external_url = url;
  return result;
}
