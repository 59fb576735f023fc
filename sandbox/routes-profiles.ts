/** Contract §3: `POST /soap/profiles/v1` (profiles host). */
import { Hono } from "hono";
import type { SandboxEnv } from "./env";
import { jsonBody, tokenCall } from "./pipeline";
import { profilesReply } from "./profiles";
import { profilesSchema } from "./upstream-schemas";

export const profilesRoutes = new Hono<{ Bindings: SandboxEnv }>();

profilesRoutes.post("/soap/profiles/v1", async (c) =>
  tokenCall(c, "profiles", await jsonBody(c.req.raw, profilesSchema), async (account, clientId, request) => {
    // Each id once, in the order first asked.
    const ids = [...new Set(request.ids)];
    const sources = await account.profileSources(clientId, ids);
    return "seed" in sources ? profilesReply(sources, ids, request.include) : sources;
  }),
);
