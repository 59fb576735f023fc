/** Contract §1: `POST /v1/authorization` (profiles host). */
import { Hono } from "hono";
import type { SandboxEnv } from "./env";
import { execute, readJson, registryStub, rememberRoute } from "./pipeline";
import { fail, toResponse } from "./reply";
import { RESERVED_PREFIX } from "./schema";
import { secretDigest } from "./secure";
import { authorizeSchema } from "./upstream-schemas";

export const authRoutes = new Hono<{ Bindings: SandboxEnv }>();

const invalidCredentials = () => toResponse(fail(401, "invalid_credentials", "Invalid client id or secret key"));

authRoutes.post("/v1/authorization", async (c) => {
  const body = await readJson(c.req.raw);
  if ("reply" in body) return toResponse(body.reply);
  // Without a usable client id there is no account to count or fault the call against.
  const parsed = authorizeSchema.safeParse(body.value);
  if (!parsed.success || parsed.data.client_id.startsWith(RESERVED_PREFIX)) return invalidCredentials();
  const clientId = parsed.data.client_id;
  return execute(c, {
    op: "authorize",
    clientId,
    token: null,
    // Hashed here, so the account compares digests synchronously and never sees the key itself.
    input: { value: await secretDigest(parsed.data.secret_key) },
    perform: async (account, id, secretSha256) => {
      const result = await account.authorize(id, secretSha256);
      // Registered before the answer leaves, so the token works on the very next call.
      if (result.token && result.expiresAt) {
        await registryStub(c.env).registerToken(result.token, id, result.expiresAt);
        rememberRoute(result.token, { clientId: id, expiresAt: result.expiresAt });
      }
      return result.reply;
    },
  });
});
