// Simulator accounts (issue 11): an account exists only once created through the control API, which
// shows a random secret key once; the simulator keeps only its SHA-256 and checks it in constant time.
// The secret the simulator used to derive from the client id no longer works, an account never created
// is refused (and left uncreated), and the control routes stay closed with a missing or short
// SANDBOX_CONTROL_TOKEN.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { buildApp } from "../../sandbox/app";
import { MIN_CONTROL_TOKEN_LENGTH } from "../../sandbox/control-auth";
import { DEMO } from "../../sandbox/demo-data";
import type { SandboxEnv } from "../../sandbox/env";
import {
  control,
  createAccount,
  getStats,
  resetAccount,
  sandboxToken,
  seedAccount,
  setSettings,
  uniqueClientId,
  upstreamJson,
} from "../helpers/sandbox";

const authorize = (body: unknown) => upstreamJson("/v1/authorization", { body });
const INVALID = { error: { code: "invalid_credentials", message: "Invalid client id or secret key" } };

async function create(body: unknown) {
  const res = await control("/accounts", { method: "POST", body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as any };
}

describe("POST /__control/accounts", () => {
  it("creates an account with a random secret key, shown once", async () => {
    const clientId = uniqueClientId("acct");
    const res = await create({ client_id: clientId });
    expect(res.status).toBe(201);
    const { secret_key } = res.json.result;
    expect(res.json.result).toEqual({ client_id: clientId, secret_key: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    expect(secret_key).not.toContain(clientId);
    // Nothing the control API answers afterwards repeats it.
    for (const path of ["", "/stats", "/settings", "/faults", `/candidates/${DEMO.maya.record.id}`]) {
      const text = await (await control(path ? `/accounts/${clientId}${path}` : "/accounts")).text();
      expect(text, path).not.toContain(secret_key);
    }
    expect(((await (await control("/accounts")).json()) as any).result.accounts).toContain(clientId);
  });

  it("gives every account its own secret, and names one when no client id is given", async () => {
    const a = await createAccount("acct-a");
    const b = await createAccount("acct-b");
    expect(a.secret_key).not.toBe(b.secret_key);
    const unnamed = await create({});
    expect(unnamed.status).toBe(201);
    expect(unnamed.json.result.client_id).toMatch(/^sandbox-[0-9a-f]{12}$/);
    expect((await authorize(unnamed.json.result)).status).toBe(200);
  });

  it("refuses an existing client id (409), a reserved or malformed one and unknown fields (422)", async () => {
    const { client_id } = await createAccount("acct-twice");
    expect((await create({ client_id })).status).toBe(409);
    for (const body of [{ client_id: "__registry" }, { client_id: "a/b" }, { client_id: "" }, { client_id: "x", secret_key: "mine" }]) {
      expect((await create(body)).status, JSON.stringify(body)).toBe(422);
    }
  });

  it("seeds the new account with the default data", async () => {
    const { client_id } = await createAccount("acct-seed");
    const { candidates } = await getStats(client_id);
    expect(candidates.current + candidates.deleted).toBe(240);
  });
});

describe("authorization", () => {
  it("accepts a created account's own secret only", async () => {
    const mine = await createAccount("auth-own");
    const other = await createAccount("auth-other");
    expect((await authorize(mine)).status).toBe(200);
    for (const secret_key of [other.secret_key, `${mine.secret_key}x`, mine.secret_key.slice(0, -1), mine.secret_key.toUpperCase()]) {
      const res = await authorize({ client_id: mine.client_id, secret_key });
      expect(res.status).toBe(401);
      expect(res.json).toEqual(INVALID);
    }
  });

  it("no longer accepts the secret derived from the client id", async () => {
    const { client_id } = await createAccount("auth-derived");
    const res = await authorize({ client_id, secret_key: `sandbox-secret-${client_id}` });
    expect(res.status).toBe(401);
    expect(res.json).toEqual(INVALID);
  });

  it("refuses an account that was never created, without counting or creating anything", async () => {
    const clientId = uniqueClientId("never");
    for (const secret_key of [`sandbox-secret-${clientId}`, "anything"]) {
      const res = await authorize({ client_id: clientId, secret_key });
      expect(res.status).toBe(401);
      expect(res.json).toEqual(INVALID);
    }
    // Still not an account: every control route on it is a 404, and it is not listed.
    for (const [method, path, body] of [
      ["GET", "/stats"],
      ["POST", "/seed", { count: 1 }],
      ["GET", "/settings"],
      ["POST", "/revoke-tokens"],
      ["POST", "/reset"],
      ["POST", "/secret"],
      ["POST", "/candidates", { givenName: "Ghost" }],
    ] as const) {
      const res = await control(`/accounts/${clientId}${path}`, { method, body: body ? JSON.stringify(body) : undefined });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    expect(((await (await control("/accounts")).json()) as any).result.accounts).not.toContain(clientId);
    // Creating it afterwards works, and its first authorization is the first counted.
    const created = await createAccount("never", clientId);
    await sandboxToken(created.client_id);
    expect((await getStats(clientId)).calls.authorize).toBe(1);
  });

  it("keeps the secret across an account reset, and replaces it on POST /secret (tokens stay valid)", async () => {
    const first = await createAccount("auth-keys");
    await setSettings(first.client_id, { tokenTtlSeconds: 600 });
    await seedAccount(first.client_id, 3);
    await resetAccount(first.client_id);
    expect((await authorize(first)).status).toBe(200);
    const token = await sandboxToken(first.client_id);
    const res = await control(`/accounts/${first.client_id}/secret`, { method: "POST" });
    expect(res.status).toBe(200);
    const second = ((await res.json()) as any).result;
    expect(second.client_id).toBe(first.client_id);
    expect(second.secret_key).not.toBe(first.secret_key);
    expect((await authorize(first)).status).toBe(401);
    expect((await authorize(second)).status).toBe(200);
    expect((await upstreamJson("/v1/users", { token })).status).toBe(200);
  });

  it("forgets every account on a global reset: none authorizes until created again", async () => {
    // The global reset wipes every account this file made; it runs last in the file for that reason.
    const account = await createAccount("auth-global");
    expect((await control("/reset", { method: "POST" })).status).toBe(200);
    expect((await authorize(account)).status).toBe(401);
    expect((await control(`/accounts/${account.client_id}/stats`)).status).toBe(404);
  });

  it("after a global reset, a token issued before it is unknown, even to an account created again under its client id", async () => {
    // A global reset too: after the one above, for the same reason.
    const { client_id: clientId } = await createAccount("auth-global");
    const token = await sandboxToken(clientId);
    expect((await upstreamJson("/v1/users", { token })).status).toBe(200);
    expect((await control("/reset", { method: "POST" })).status).toBe(200);
    await createAccount("auth-global", clientId);
    const res = await upstreamJson("/v1/users", { token });
    expect(res.status).toBe(401);
    expect(res.json.error).toEqual({ code: "invalid_token", message: "Unknown token" });
    expect(Object.values((await getStats(clientId)).calls).every((n) => n === 0)).toBe(true);
  });
});

describe("SANDBOX_CONTROL_TOKEN", () => {
  const app = buildApp();
  const call = (token: string, presented = token) =>
    app.request(
      "/__control/accounts",
      { method: "POST", headers: { authorization: `Bearer ${presented}`, "content-type": "application/json" }, body: "not json" },
      { SANDBOX_CONTROL_TOKEN: token } as unknown as SandboxEnv,
    );

  it(`refuses every control call when shorter than ${MIN_CONTROL_TOKEN_LENGTH} characters, even presented exactly`, async () => {
    expect(MIN_CONTROL_TOKEN_LENGTH).toBe(32);
    for (const token of ["x", "short-control-token", "a".repeat(MIN_CONTROL_TOKEN_LENGTH - 1)]) {
      const res = await call(token);
      expect(res.status, token).toBe(404);
      for (const [method, path] of [
        ["GET", "/__control/accounts"],
        ["POST", "/__control/reset"],
        ["GET", "/__control/accounts/acme/stats"],
      ]) {
        const other = await app.request(path, { method, headers: { authorization: `Bearer ${token}` } }, {
          SANDBOX_CONTROL_TOKEN: token,
        } as unknown as SandboxEnv);
        expect(other.status, `${token} ${method} ${path}`).toBe(404);
      }
    }
  });

  it(`opens the control routes from ${MIN_CONTROL_TOKEN_LENGTH} characters (and only to that token)`, async () => {
    const token = "b".repeat(MIN_CONTROL_TOKEN_LENGTH);
    // Past authentication: the body is read and refused as not JSON.
    expect((await call(token)).status).toBe(400);
    expect((await call(token, `${token}x`)).status).toBe(401);
    expect(env.SANDBOX_CONTROL_TOKEN.length).toBeGreaterThanOrEqual(MIN_CONTROL_TOKEN_LENGTH);
  });
});
