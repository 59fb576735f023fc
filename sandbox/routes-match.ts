/** Contract §2: `POST /match/v1/people/ids` (match host). */
import { Hono } from "hono";
import type { SandboxEnv } from "./env";
import { jsonBody, tokenCall } from "./pipeline";
import { idsSchema } from "./upstream-schemas";

export const matchRoutes = new Hono<{ Bindings: SandboxEnv }>();

matchRoutes.post("/match/v1/people/ids", async (c) =>
  tokenCall(c, "ids", await jsonBody(c.req.raw, idsSchema), (account, clientId, request) => account.listIds(clientId, request)),
);
