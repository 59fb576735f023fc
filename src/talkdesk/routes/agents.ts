/**
 * §4 Agent retriever — `POST /talkdesk/agents` (docs/contracts/talkdesk-bridge.md).
 *
 * Agents are Talemetry's **active** users ordered by id, `id` as a string (Talkdesk's reference types
 * it String, and it comes back as `meta.agent_external_id` on actions). `meta.offset` is the index of
 * the page's first agent in that list: absent or `null` on a run's first call (the docs say both),
 * then the `next_offset` we returned, which is present only while agents remain.
 */
import type { Hono } from "hono";
import { readEnvelope, type TalkdeskEnv } from "../envelope";
import { talkdeskCall } from "../errors";
import { toAgentPage } from "../mapping";
import { agentsRequestSchema } from "../schemas";

/** Registers `POST /agents`. */
export function registerAgentRetriever(app: Hono<TalkdeskEnv>): void {
  app.post("/agents", async (c) => {
    const { meta } = readEnvelope(c, agentsRequestSchema);
    // Every page reads the whole user list (a few pages of 100 at most): an offset into a list that
    // changed between pages shifts by the change, which agent sync tolerates — Talkdesk matches by email.
    const users = await talkdeskCall("agents", () => c.var.services.talemetry.listAllUsers());
    return c.json(toAgentPage(users, meta.offset, c.var.settings.talkdeskPageSize), 200);
  });
}
