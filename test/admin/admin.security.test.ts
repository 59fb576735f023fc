// Admin API security: the admin token is required (401 problem otherwise, before any body is read),
// secrets are shown once and rest in KV only as hashes or ciphertext, and rotation/deletion revoke
// the old API key, client secret and access tokens.
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { authenticateApiKey } from "../../src/core/authentication";
import { resolveAccessToken } from "../../src/tenants/store";
import { dumpKv } from "../helpers/kv";
import { createAccount } from "../helpers/sandbox";
import { adminFetch, createTenant, issueToken } from "../helpers/tenants";

const tokenRequest = (client_id: string, client_secret: string) =>
  exports.default.fetch("http://bridge/oauth/token", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ grant_type: "client_credentials", client_id, client_secret }),
  });

describe("admin token", () => {
  it.each([
    ["no Authorization", {}],
    ["a wrong token", { authorization: `Bearer ${env.ADMIN_TOKEN}x` }],
    ["a prefix of the token", { authorization: `Bearer ${env.ADMIN_TOKEN.slice(0, -1)}` }],
    ["an empty bearer", { authorization: "Bearer " }],
    ["the token as Basic", { authorization: `Basic ${btoa(`admin:${env.ADMIN_TOKEN}`)}` }],
    ["the token without scheme", { authorization: env.ADMIN_TOKEN }],
  ])("refuses %s with a 401 problem", async (_name, headers) => {
    for (const [method, path] of [
      ["POST", "/admin/tenants"],
      ["GET", "/admin/tenants/ten_000000000000000000000000"],
      ["POST", "/admin/tenants/x/keys"],
      ["GET", "/admin/nothing"],
    ]) {
      const res = await exports.default.fetch(`http://bridge${path}`, { method, headers });
      expect(res.status).toBe(401);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(res.headers.get("www-authenticate")).toBe("Bearer");
      const body = await res.text();
      expect(body).not.toContain(env.ADMIN_TOKEN);
    }
  });

  it("accepts the scheme in any case", async () => {
    const res = await exports.default.fetch("http://bridge/admin/tenants/ten_000000000000000000000000", {
      headers: { authorization: `bearer ${env.ADMIN_TOKEN}` },
    });
    expect(res.status).toBe(404);
  });

  it("is checked before the body is read (no 413/415/422 for strangers)", async () => {
    const res = await exports.default.fetch("http://bridge/admin/tenants", {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "x".repeat(200_000),
    });
    expect(res.status).toBe(401);
  });
});

describe("secrets at rest", () => {
  it("no plaintext API key, client secret, access token or Talemetry secret in any KV value or key", async () => {
    const t = await createTenant();
    const token = await issueToken(t);
    const rotated = (await (await adminFetch(`/admin/tenants/${t.id}/keys`, { method: "POST" })).json()) as {
      api_key: string;
      client_secret: string;
    };
    const second = await createAccount("at-rest-2");
    await adminFetch(`/admin/tenants/${t.id}`, { method: "PATCH", body: { talemetry: second } });
    const secrets = [t.api_key, t.client_secret, t.talemetry.secret_key, token, rotated.api_key, rotated.client_secret, second.secret_key];

    const dump = await dumpKv();
    const everything = dump.join("\n");
    expect(everything).toContain(`tenant:${t.id}`);
    for (const secret of secrets) {
      expect(everything).not.toContain(secret);
      // Nor the random part without its prefix.
      expect(everything).not.toContain(secret.slice(-20));
    }
    const record = JSON.parse((await env.KV.get(`tenant:${t.id}`))!);
    expect(record.talemetry.secret_key_encrypted).toMatch(/^v1\./);
  });

  it("shows secrets only in the create and rotate answers", async () => {
    const t = await createTenant();
    const reads = await Promise.all([adminFetch(`/admin/tenants/${t.id}`), adminFetch(`/admin/tenants/${t.id}/sync`)]);
    for (const res of reads) {
      const text = await res.text();
      for (const secret of [t.api_key, t.client_secret, t.talemetry.secret_key]) expect(text).not.toContain(secret);
    }
  });
});

describe("rotation revokes the old credentials", () => {
  it("old API key, old client secret and access tokens issued before stop working; new ones work", async () => {
    const t = await createTenant();
    const oldToken = await issueToken(t);
    expect((await authenticateApiKey(env, t.api_key))?.id).toBe(t.id);
    expect((await resolveAccessToken(env, oldToken))?.id).toBe(t.id);

    const res = await adminFetch(`/admin/tenants/${t.id}/keys`, { method: "POST" });
    const rotated = (await res.json()) as { api_key: string; client_secret: string };

    expect(await authenticateApiKey(env, t.api_key)).toBeNull();
    expect(await resolveAccessToken(env, oldToken)).toBeNull();
    const refused = await tokenRequest(t.client_id, t.client_secret);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: "invalid_client" });

    expect((await authenticateApiKey(env, rotated.api_key))?.id).toBe(t.id);
    const newToken = await issueToken({ client_id: t.client_id, client_secret: rotated.client_secret });
    expect((await resolveAccessToken(env, newToken))?.id).toBe(t.id);
  });

  it("a second rotation revokes the first rotation's credentials", async () => {
    const t = await createTenant();
    const first = (await (await adminFetch(`/admin/tenants/${t.id}/keys`, { method: "POST" })).json()) as {
      api_key: string;
      client_secret: string;
    };
    const firstToken = await issueToken({ client_id: t.client_id, client_secret: first.client_secret });
    await adminFetch(`/admin/tenants/${t.id}/keys`, { method: "POST" });
    expect(await authenticateApiKey(env, first.api_key)).toBeNull();
    expect(await resolveAccessToken(env, firstToken)).toBeNull();
  });

  it("a PATCH does not revive old keys", async () => {
    const t = await createTenant();
    await adminFetch(`/admin/tenants/${t.id}/keys`, { method: "POST" });
    await adminFetch(`/admin/tenants/${t.id}`, { method: "PATCH", body: { name: "After rotation" } });
    expect(await authenticateApiKey(env, t.api_key)).toBeNull();
  });
});

describe("deletion revokes everything at once", () => {
  it("API key, client credentials and access tokens stop working", async () => {
    const t = await createTenant();
    const token = await issueToken(t);
    expect((await adminFetch(`/admin/tenants/${t.id}`, { method: "DELETE" })).status).toBe(202);
    expect(await authenticateApiKey(env, t.api_key)).toBeNull();
    expect(await resolveAccessToken(env, token)).toBeNull();
    expect((await tokenRequest(t.client_id, t.client_secret)).status).toBe(401);
  });

  it("one tenant's deletion leaves another tenant working", async () => {
    const [a, b] = await Promise.all([createTenant(), createTenant()]);
    await adminFetch(`/admin/tenants/${a.id}`, { method: "DELETE" });
    expect((await authenticateApiKey(env, b.api_key))?.id).toBe(b.id);
  });
});
