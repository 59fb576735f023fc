/**
 * The control API (sandbox/README.md): create accounts (each with a random secret key, shown once),
 * arrange an account's data, faults and settings, read its call counters. Never counted as upstream
 * calls, never faulted.
 */
import { Hono } from "hono";
import { controlAuth } from "./control-auth";
import {
  candidateInputSchema,
  createAccountSchema,
  deleteQuerySchema,
  faultsBodySchema,
  seedBodySchema,
  settingsBodySchema,
} from "./control-schemas";
import type { SandboxEnv } from "./env";
import { type AccountStub, accountStub, type Checked, jsonBody, registryStub, type SandboxContext, validate } from "./pipeline";
import { fail, ok, type Reply, toResponse } from "./reply";
import { RESERVED_PREFIX } from "./schema";
import { newSecretKey, secretDigest } from "./secure";
import { parseInstant } from "./time";

export const controlRoutes = new Hono<{ Bindings: SandboxEnv }>();
controlRoutes.use("*", controlAuth());

/** Runs `fn` on the account named in the path, after validating its input. */
async function onAccount<T>(
  c: SandboxContext,
  input: Checked<T>,
  fn: (account: AccountStub, clientId: string, input: T) => Promise<Reply> | Reply,
): Promise<Response> {
  const clientId = c.req.param("clientId") ?? "";
  if (!clientId || clientId.startsWith(RESERVED_PREFIX)) {
    return toResponse(fail(422, "invalid", `client ids starting with "${RESERVED_PREFIX}" are reserved`));
  }
  if ("reply" in input) return toResponse(input.reply);
  return toResponse(await fn(accountStub(c.env, clientId), clientId, input.value));
}

/** A new secret key for the account: only its SHA-256 is stored; the key is in this answer only. */
async function issueSecret(
  c: SandboxContext,
  clientId: string,
  store: (account: AccountStub, digest: string) => Promise<Reply>,
  status: 200 | 201,
): Promise<Reply> {
  const secretKey = newSecretKey();
  const reply = await store(accountStub(c.env, clientId), await secretDigest(secretKey));
  return reply.status >= 300 ? reply : ok({ client_id: clientId, secret_key: secretKey }, status);
}

const none: Checked<null> = { value: null };
const ACCOUNT = "/accounts/:clientId";

controlRoutes.get("/accounts", async (c) => toResponse(ok({ accounts: await registryStub(c.env).accounts() })));

/** Creates an account (default seed) → 201 `{client_id, secret_key}`; 409 when the client id exists. */
controlRoutes.post("/accounts", async (c) => {
  const body = await jsonBody(c.req.raw, createAccountSchema);
  if ("reply" in body) return toResponse(body.reply);
  const clientId = body.value.client_id ?? `sandbox-${crypto.randomUUID().slice(0, 13).replace("-", "")}`;
  if (clientId.startsWith(RESERVED_PREFIX)) {
    return toResponse(fail(422, "invalid", `client ids starting with "${RESERVED_PREFIX}" are reserved`));
  }
  const reply = await issueSecret(
    c,
    clientId,
    async (account, digest) => {
      const created = await account.create(clientId, digest);
      // Listed so that POST /__control/reset finds it.
      if (created.status === 201) await registryStub(c.env).noteAccount(clientId);
      return created;
    },
    201,
  );
  return toResponse(reply);
});

/** A new secret key for the account (the old one stops working; issued tokens stay valid). */
controlRoutes.post(`/accounts/:clientId/secret`, (c) =>
  onAccount(c, none, (_account, clientId) => issueSecret(c, clientId, (account, digest) => account.replaceSecret(clientId, digest), 200)),
);

/** Wipes every account and the token registry. */
controlRoutes.post("/reset", async (c) => {
  const registry = registryStub(c.env);
  const accounts = await registry.accounts();
  await Promise.all(accounts.map((clientId) => accountStub(c.env, clientId).wipe()));
  await registry.wipe();
  return toResponse(ok({ reset: accounts.length }));
});

/** Wipes one account's data, tokens, faults, settings and counters and reseeds it; the account and its secret stay. */
controlRoutes.post(`${ACCOUNT}/reset`, (c) =>
  onAccount(c, none, async (account, clientId) => {
    const reply = await account.resetAccount(clientId);
    if (reply.status === 200) await registryStub(c.env).forgetAccount(clientId);
    return reply;
  }),
);

controlRoutes.get(`${ACCOUNT}/faults`, (c) => onAccount(c, none, (a, id) => a.getFaults(id)));
controlRoutes.post(`${ACCOUNT}/faults`, async (c) =>
  onAccount(c, await jsonBody(c.req.raw, faultsBodySchema), (a, id, body) => a.setFaults(id, body.rules)),
);
controlRoutes.delete(`${ACCOUNT}/faults`, (c) => onAccount(c, none, (a, id) => a.setFaults(id, [])));

controlRoutes.post(`${ACCOUNT}/revoke-tokens`, (c) => onAccount(c, none, (a, id) => a.revokeTokens(id)));

controlRoutes.get(`${ACCOUNT}/stats`, (c) => onAccount(c, none, (a, id) => a.stats(id)));
controlRoutes.post(`${ACCOUNT}/stats/reset`, (c) => onAccount(c, none, (a, id) => a.resetStats(id)));

controlRoutes.post(`${ACCOUNT}/seed`, async (c) =>
  onAccount(c, await jsonBody(c.req.raw, seedBodySchema), (a, id, body) => a.seed(id, body)),
);

controlRoutes.post(`${ACCOUNT}/settings`, async (c) =>
  onAccount(c, await jsonBody(c.req.raw, settingsBodySchema), (a, id, body) => a.settings(id, body)),
);
controlRoutes.get(`${ACCOUNT}/settings`, (c) => onAccount(c, none, (a, id) => a.settings(id, {})));

controlRoutes.post(`${ACCOUNT}/candidates`, async (c) =>
  onAccount(c, await jsonBody(c.req.raw, candidateInputSchema), (a, id, input) => a.createCandidate(id, input)),
);
controlRoutes.get(`${ACCOUNT}/candidates/:id`, (c) => onAccount(c, none, (a, clientId) => a.getCandidate(clientId, c.req.param("id"))));
controlRoutes.patch(`${ACCOUNT}/candidates/:id`, async (c) =>
  onAccount(c, await jsonBody(c.req.raw, candidateInputSchema), (a, clientId, input) =>
    a.updateCandidate(clientId, c.req.param("id"), input),
  ),
);
controlRoutes.delete(`${ACCOUNT}/candidates/:id`, (c) =>
  onAccount(c, validate(deleteQuerySchema, c.req.query()), (a, clientId, query) =>
    a.deleteCandidate(clientId, c.req.param("id"), query.at ? parseInstant(query.at) : null),
  ),
);
