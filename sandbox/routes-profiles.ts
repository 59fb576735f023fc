/** Contract §3: `POST /soap/profiles/v1` (profiles host). */
import { Hono } from "hono";
import type { SandboxEnv } from "./env";
import { jsonBody, tokenCall } from "./pipeline";
import { profilesSchema } from "./upstream-schemas";

export const profilesRoutes = new Hono<{ Bindings: SandboxEnv }>();

profilesRoutes.post("/soap/profiles/v1", async (c) =>
  tokenCall(c, "profiles", await jsonBody(c.req.raw, profilesSchema), (account, clientId, request) => account.profiles(clientId, request)),
);
