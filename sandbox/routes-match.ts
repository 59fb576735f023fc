/** Contract §2: `POST /match/v1/people/ids` (match host). */
import { Hono } from "hono";
import type { SandboxEnv } from "./env";
import { jsonBody, readCall } from "./pipeline";
import type { Reply } from "./reply";
import { idsSchema } from "./upstream-schemas";

export const matchRoutes = new Hono<{ Bindings: SandboxEnv }>();

matchRoutes.post("/match/v1/people/ids", async (c) =>
  readCall(c, {
    op: "ids",
    input: await jsonBody(c.req.raw, idsSchema),
    read: (request) => ({ kind: "ids", request }),
    // A listing is answered by the account whole.
    answer: (reply) => reply as Reply,
  }),
);
