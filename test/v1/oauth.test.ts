// POST /oauth/token (RFC 6749 §4.4 client credentials): form, JSON and HTTP Basic client authentication;
// RFC 6749 §5.2 errors (400 invalid_request / unsupported_grant_type, 401 invalid_client); no-store.
import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { resolveAccessToken } from "../../src/tenants/store";
import { createTenant, type TestTenant } from "../helpers/tenants";

let tenant: TestTenant;
beforeAll(async () => {
  tenant = await createTenant();
});

const token = (init: RequestInit) => exports.default.fetch("http://bridge/oauth/token", { method: "POST", ...init });
const form = (params: Record<string, string>) => ({
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(params).toString(),
});
const json = (params: Record<string, unknown>) => ({ headers: { "content-type": "application/json" }, body: JSON.stringify(params) });
const basic = (id: string, secret: string) => `Basic ${btoa(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`)}`;

async function expectToken(res: Response): Promise<string> {
  expect(res.status).toBe(200);
  expect(res.headers.get("cache-control")).toBe("no-store");
  expect(res.headers.get("pragma")).toBe("no-cache");
  const body = (await res.json()) as Record<string, unknown>;
  expect(body).toEqual({ access_token: expect.stringMatching(/^tlk_at_[A-Za-z0-9_-]{43}$/), token_type: "Bearer", expires_in: 3600 });
  expect((await resolveAccessToken(env, body.access_token as string))?.id).toBe(tenant.id);
  return body.access_token as string;
}

async function expectError(res: Response, status: number, error: string): Promise<void> {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  expect(res.headers.get("cache-control")).toBe("no-store");
  const body = (await res.json()) as Record<string, unknown>;
  expect(body).toEqual({ error, error_description: expect.any(String) });
  expect(JSON.stringify(body)).not.toContain(tenant.client_secret);
}

describe("issuing tokens", () => {
  it("with a form body", async () => {
    await expectToken(
      await token(form({ grant_type: "client_credentials", client_id: tenant.client_id, client_secret: tenant.client_secret })),
    );
  });

  it("with a JSON body", async () => {
    await expectToken(
      await token(json({ grant_type: "client_credentials", client_id: tenant.client_id, client_secret: tenant.client_secret })),
    );
  });

  it("with HTTP Basic (and a client_id in the body that matches)", async () => {
    const auth = { authorization: basic(tenant.client_id, tenant.client_secret) };
    const f = form({ grant_type: "client_credentials" });
    await expectToken(await token({ ...f, headers: { ...f.headers, ...auth } }));
    const j = json({ grant_type: "client_credentials", client_id: tenant.client_id });
    await expectToken(await token({ ...j, headers: { ...j.headers, ...auth } }));
  });

  it("ignores a scope parameter", async () => {
    await expectToken(
      await token(
        form({ grant_type: "client_credentials", client_id: tenant.client_id, client_secret: tenant.client_secret, scope: "read" }),
      ),
    );
  });

  it("issues a different token each time", async () => {
    const params = { grant_type: "client_credentials", client_id: tenant.client_id, client_secret: tenant.client_secret };
    expect(await expectToken(await token(form(params)))).not.toBe(await expectToken(await token(form(params))));
  });
});

describe("invalid_client (401)", () => {
  it.each([
    ["a wrong secret", () => ({ client_id: tenant.client_id, client_secret: `${tenant.client_secret}x` })],
    ["an unknown client id", () => ({ client_id: "tlk_ci_00000000000000000000000000000000", client_secret: tenant.client_secret })],
    ["a malformed client id", () => ({ client_id: "someone", client_secret: tenant.client_secret })],
    ["the API key as secret", () => ({ client_id: tenant.client_id, client_secret: tenant.api_key })],
    ["no secret", () => ({ client_id: tenant.client_id })],
    ["no credentials at all", () => ({})],
  ])("for %s in the body, without a Basic challenge", async (_name, creds) => {
    const res = await token(form({ grant_type: "client_credentials", ...creds() }));
    expect(res.headers.get("www-authenticate")).toBeNull();
    await expectError(res, 401, "invalid_client");
  });

  it("for wrong Basic credentials, with a Basic challenge", async () => {
    const f = form({ grant_type: "client_credentials" });
    const res = await token({ ...f, headers: { ...f.headers, authorization: basic(tenant.client_id, "wrong") } });
    expect(res.headers.get("www-authenticate")).toMatch(/^Basic /);
    await expectError(res, 401, "invalid_client");
  });

  it("for undecodable Basic credentials", async () => {
    const f = form({ grant_type: "client_credentials" });
    const res = await token({ ...f, headers: { ...f.headers, authorization: "Basic %%%" } });
    await expectError(res, 401, "invalid_client");
  });
});

describe("invalid_request and unsupported_grant_type (400)", () => {
  it("without grant_type", async () => {
    await expectError(await token(form({ client_id: tenant.client_id, client_secret: tenant.client_secret })), 400, "invalid_request");
  });

  it.each(["password", "authorization_code", "refresh_token", "CLIENT_CREDENTIALS"])("for grant_type=%s", async (grant_type) => {
    await expectError(
      await token(form({ grant_type, client_id: tenant.client_id, client_secret: tenant.client_secret })),
      400,
      "unsupported_grant_type",
    );
  });

  it("for two client authentication methods at once (RFC 6749 §2.3)", async () => {
    const f = form({ grant_type: "client_credentials", client_id: tenant.client_id, client_secret: tenant.client_secret });
    const res = await token({ ...f, headers: { ...f.headers, authorization: basic(tenant.client_id, tenant.client_secret) } });
    await expectError(res, 400, "invalid_request");
  });

  it("for a repeated parameter (RFC 6749 §3.2)", async () => {
    const res = await token({
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `grant_type=client_credentials&client_id=${tenant.client_id}&client_id=${tenant.client_id}&client_secret=${tenant.client_secret}`,
    });
    await expectError(res, 400, "invalid_request");
  });

  it("for another media type, malformed JSON, a non-object or non-string values", async () => {
    await expectError(
      await token({ headers: { "content-type": "text/plain" }, body: "grant_type=client_credentials" }),
      400,
      "invalid_request",
    );
    await expectError(await token({ body: "grant_type=client_credentials" }), 400, "invalid_request");
    await expectError(await token({ headers: { "content-type": "application/json" }, body: "{oops" }), 400, "invalid_request");
    await expectError(await token({ headers: { "content-type": "application/json" }, body: "[]" }), 400, "invalid_request");
    await expectError(
      await token(json({ grant_type: "client_credentials", client_id: 42, client_secret: tenant.client_secret })),
      400,
      "invalid_request",
    );
  });

  it("413 in RFC 6749 form for an oversized body", async () => {
    await expectError(await token(form({ grant_type: "client_credentials", pad: "x".repeat(70_000) })), 413, "invalid_request");
  });

  it("405 for other methods", async () => {
    const res = await exports.default.fetch("http://bridge/oauth/token");
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
    expect(await res.json()).toMatchObject({ error: "invalid_request" });
  });
});
