/** Contract §3: `POST /soap/profiles/v1` (profiles host). */
import { Hono } from "hono";
import type { SandboxEnv } from "./env";
import { jsonBody, readCall } from "./pipeline";
import { profilesReply } from "./profiles";
import { profilesSchema } from "./upstream-schemas";

export const profilesRoutes = new Hono<{ Bindings: SandboxEnv }>();

/** Each id once, in the order first asked. */
const distinct = (ids: readonly string[]) => [...new Set(ids)];

profilesRoutes.post("/soap/profiles/v1", async (c) =>
  readCall(c, {
    op: "profiles",
    input: await jsonBody(c.req.raw, profilesSchema),
    read: (request) => ({ kind: "profiles", ids: distinct(request.ids) }),
    answer: (sources, request) => ("seed" in sources ? profilesReply(sources, distinct(request.ids), request.include) : sources),
  }),
);
