/** Contract §6: `GET /v1/users?page=&per_page=` (profiles host). The users are fixed (demo-data.ts). */
import { Hono } from "hono";
import { SANDBOX_USERS } from "./demo-data";
import type { SandboxEnv } from "./env";
import { tokenCall, validate } from "./pipeline";
import { ok } from "./reply";
import { usersQuerySchema } from "./upstream-schemas";

export const usersRoutes = new Hono<{ Bindings: SandboxEnv }>();

usersRoutes.get("/v1/users", async (c) =>
  tokenCall(c, "users", validate(usersQuerySchema, c.req.query()), async (_account, _clientId, query) => {
    const start = (query.page - 1) * query.per_page;
    return ok({
      Users: SANDBOX_USERS.slice(start, start + query.per_page).map((u) => ({ ...u })),
      Page: query.page,
      TotalPages: Math.max(1, Math.ceil(SANDBOX_USERS.length / query.per_page)),
    });
  }),
);
