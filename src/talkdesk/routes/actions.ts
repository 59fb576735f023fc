/**
 * §5 Action executor — `POST /talkdesk/actions/{name}` (docs/contracts/talkdesk-bridge.md).
 *
 * `data` is keyed by the action's `inputs[].key` (src/talkdesk/actions-def.ts); the candidate comes from
 * `meta.contact_external_id`, the author from `meta.agent_external_id`. `201` with `message`,
 * `external_id`, `contact_external_id` and `contact_external_url`; `400 {"message"}` with the reason
 * otherwise — Talemetry's `404`, `409` and `422` included; an action we do not have → `404`.
 */
import type { Hono } from "hono";
import { AppError } from "../../platform/errors";
import type { ActionContext, ActionResult } from "../actions/context";
import { createContact } from "../actions/create-contact";
import { addNote, logCall } from "../actions/note-actions";
import { updateContact } from "../actions/update-contact";
import { isTalkdeskActionName, type TalkdeskActionName } from "../actions-def";
import { readEnvelope, type TalkdeskEnv } from "../envelope";
import { talkdeskCall, UNKNOWN_ACTION_MESSAGE } from "../errors";
import { actionRequestSchema } from "../schemas";

const ACTIONS: Record<TalkdeskActionName, (action: ActionContext) => Promise<ActionResult>> = {
  log_call: logCall,
  add_note: addNote,
  update_contact: updateContact,
  create_contact: createContact,
};

/** Registers `POST /actions/:name`. */
export function registerActionExecutor(app: Hono<TalkdeskEnv>): void {
  app.post("/actions/:name", async (c) => {
    const name = c.req.param("name");
    if (!isTalkdeskActionName(name)) throw new AppError("not_found", UNKNOWN_ACTION_MESSAGE);
    const request = readEnvelope(c, actionRequestSchema);
    const result = await talkdeskCall("actions", () => ACTIONS[name]({ c, request }));
    return c.json(result, 201);
  });
}
