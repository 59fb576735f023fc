// The simulator's authorization (contract §1): credential rule, token shape and lifetime, and the 401s
// of every authenticated call — missing, unknown, expired and revoked tokens.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  accountCredentials,
  createAccount,
  getStats,
  resetAccount,
  revokeTokens,
  type SandboxCredentials,
  sandboxToken,
  setSettings,
  upstreamJson,
} from "../helpers/sandbox";

const IDS = "/match/v1/people/ids";

describe("POST /v1/authorization", () => {
  it("issues a Talemetry-shaped token valid for 7200 s by default", async () => {
    const { client_id: clientId } = await createAccount("auth");
    const before = Math.floor(Date.now() / 1000);
    const res = await upstreamJson("/v1/authorization", { body: accountCredentials(clientId) });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const { token, expires_in } = res.json.result;
    expect(expires_in).toBe(7200);
    expect(token).toMatch(/^TGC-\d{10}r[0-9A-F]+$/);
    expect(token.length - "TGC-".length).toBeLessThanOrEqual(29);
    const issued = Number(/^TGC-(\d+)r/.exec(token)![1]);
    expect(Math.abs(issued - before)).toBeLessThanOrEqual(5);
  });

  it("issues a new token on every call", async () => {
    const { client_id: clientId } = await createAccount("auth");
    expect(await sandboxToken(clientId)).not.toBe(await sandboxToken(clientId));
  });

  it.each([
    ["a wrong secret", (id: string) => ({ client_id: id, secret_key: "nope" })],
    ["another account's secret", (id: string, other: SandboxCredentials) => ({ client_id: id, secret_key: other.secret_key })],
    ["the secret the simulator once derived from the client id", (id: string) => ({ client_id: id, secret_key: `sandbox-secret-${id}` })],
    ["no secret", (id: string) => ({ client_id: id })],
    ["no client id", (_id: string, other: SandboxCredentials) => ({ secret_key: other.secret_key })],
    [
      "the registry's reserved name",
      (_id: string, other: SandboxCredentials) => ({ client_id: "__registry", secret_key: other.secret_key }),
    ],
  ])("refuses %s with 401 invalid_credentials", async (_label, body) => {
    const { client_id: clientId } = await createAccount("auth");
    const res = await upstreamJson("/v1/authorization", { body: body(clientId, await createAccount("auth-other")) });
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ error: { code: "invalid_credentials", message: "Invalid client id or secret key" } });
  });

  it("answers 400 bad_request to a body that is not JSON", async () => {
    const res = await upstreamJson("/v1/authorization", { method: "POST", body: undefined });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("bad_request");
  });

  it("uses the account's configured token lifetime", async () => {
    const { client_id: clientId } = await createAccount("auth");
    await setSettings(clientId, { tokenTtlSeconds: 60 });
    const res = await upstreamJson("/v1/authorization", { body: accountCredentials(clientId) });
    expect(res.json.result.expires_in).toBe(60);
  });
});

describe("authenticated calls", () => {
  const withHeader = (authorization: string) =>
    env.TALEMETRY_SANDBOX!.fetch(`https://sandbox${IDS}`, {
      method: "POST",
      headers: { authorization, "content-type": "application/json" },
      body: "{}",
    });

  it("accept `Authorization: OAUTH <token>` (scheme in any case) and refuse a missing header", async () => {
    const token = await sandboxToken((await createAccount("auth")).client_id);
    expect((await upstreamJson(IDS, { token, body: { PageSize: 1 } })).status).toBe(200);
    expect((await withHeader(`oauth ${token}`)).status).toBe(200);
    const res = await upstreamJson(IDS, { body: { PageSize: 1 } });
    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe("unauthorized");
  });

  it("refuse an unknown token and a valid token sent with another scheme", async () => {
    const unknown = await upstreamJson(IDS, { token: "TGC-1733155440r2C2BC952A8F9A34CF9", body: {} });
    expect(unknown.status).toBe(401);
    expect(unknown.json.error.code).toBe("invalid_token");
    const token = await sandboxToken((await createAccount("auth")).client_id);
    expect((await withHeader(`Bearer ${token}`)).status).toBe(401);
    expect((await withHeader(token)).status).toBe(401);
  });

  it("refuse a revoked token; authorizing again works", async () => {
    const { client_id: clientId } = await createAccount("auth");
    const token = await sandboxToken(clientId);
    expect(await revokeTokens(clientId)).toBe(1);
    const res = await upstreamJson(IDS, { token, body: {} });
    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe("invalid_token");
    const fresh = await sandboxToken(clientId);
    expect((await upstreamJson(IDS, { token: fresh, body: {} })).status).toBe(200);
  });

  it("refuse an expired token, and still count the call on its account", async () => {
    const { client_id: clientId } = await createAccount("auth");
    await setSettings(clientId, { tokenTtlSeconds: 1 });
    const token = await sandboxToken(clientId);
    expect((await upstreamJson(IDS, { token, body: {} })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1100));
    const res = await upstreamJson(IDS, { token, body: {} });
    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe("invalid_token");
    expect((await getStats(clientId)).calls).toMatchObject({ authorize: 1, ids: 2 });
  });

  it("check the token before the request's shape (a bad token with a bad body is a 401)", async () => {
    const res = await upstreamJson(IDS, { token: "TGC-1r0", body: { PageSize: 9999 } });
    expect(res.status).toBe(401);
  });
});

// The Worker remembers where a token leads instead of asking the registry on every call (pipeline.ts);
// the answers and the counting must stay those of the registry.
describe("a token used before", () => {
  /** A token used once on a fresh account, `then` done to the account, and the token used again. */
  async function usedAgainAfter(then: (clientId: string) => Promise<unknown>) {
    const { client_id: clientId } = await createAccount("auth-route");
    const token = await sandboxToken(clientId);
    expect((await upstreamJson(IDS, { token, body: {} })).status).toBe(200);
    await then(clientId);
    return { clientId, res: await upstreamJson(IDS, { token, body: {} }) };
  }

  it("answers as unknown, counting nothing, once its account was reset", async () => {
    const { clientId, res } = await usedAgainAfter(resetAccount);
    expect(res.status).toBe(401);
    expect(res.json.error).toEqual({ code: "invalid_token", message: "Unknown token" });
    expect(Object.values((await getStats(clientId)).calls).every((n) => n === 0)).toBe(true);
  });

  it("is still counted on its account once revoked", async () => {
    const { clientId, res } = await usedAgainAfter(revokeTokens);
    expect(res.status).toBe(401);
    expect(res.json.error).toEqual({ code: "invalid_token", message: "The token has expired or was revoked" });
    expect((await getStats(clientId)).calls).toMatchObject({ authorize: 1, ids: 2 });
  });
});
