import { createRoute, z } from "@hono/zod-openapi";
import { listCrmUsers } from "../core/users";
import { V1_SECURITY_SCHEME } from "./auth";
import { problemResponses } from "./schemas";
import type { V1Router } from "./v1";

/**
 * `GET /v1/users` (docs/contracts/v1-api.md, "Metadata"): the CRM users, which TalentLynk matches to
 * its own users by email. From a short KV cache, else Talemetry (see crm-users.ts).
 */

/** A CRM user as `/v1/users` lists it. */
export const UserSchema = z
  .object({
    id: z.string().openapi({ example: "u-123" }),
    name: z.string().openapi({ example: "Amy Recruiter" }),
    email: z.string().openapi({ example: "amy@agency.example" }),
    active: z.boolean(),
  })
  .openapi("User");

/** `GET /v1/users`. */
export const usersRoute = createRoute({
  method: "get",
  path: "/users",
  operationId: "listUsers",
  tags: ["Metadata"],
  summary: "The CRM users",
  description: "Cached for up to two minutes. Use an `id` as `user_id` (or the `email` as `user_email`) when creating activities.",
  security: [{ [V1_SECURITY_SCHEME]: [] }],
  responses: {
    200: { description: "Users", content: { "application/json": { schema: z.object({ data: z.array(UserSchema) }) } } },
    ...problemResponses(401, 429, 500, 502, 503),
  },
});

/** Registers `GET /v1/users` on the /v1 router. */
export function registerUsers(app: V1Router): void {
  app.openapi(usersRoute, async (c) => {
    const users = await listCrmUsers(c.var.services);
    return c.json({ data: users.map(({ id, name, email, active }) => ({ id, name, email, active })) }, 200);
  });
}
