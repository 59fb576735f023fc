// Cross-cutting HTTP behaviour of the app: request ids on every answer, problem+json shape, and errors
// rendered in each caller's format (/talkdesk → {"message"}, /oauth → RFC 6749, else problem+json).
import { exports } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { adminFetch } from "../helpers/tenants";

const fetchBridge = (path: string, init?: RequestInit) => exports.default.fetch(`http://bridge${path}`, init);

describe("X-Request-Id", () => {
  it("is on every answer: success, 404, 401, validation failure, oauth error, talkdesk 404", async () => {
    const answers = await Promise.all([
      fetchBridge("/healthz"),
      fetchBridge("/no/such/route"),
      fetchBridge("/admin/tenants/ten_000000000000000000000000"),
      adminFetch("/admin/tenants", { method: "POST", body: {} }),
      fetchBridge("/oauth/token", { method: "POST" }),
      fetchBridge("/talkdesk/no-such-endpoint", { method: "POST" }),
    ]);
    for (const res of answers) expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("echoes a safe incoming id and replaces an unsafe or oversized one", async () => {
    const echoed = await fetchBridge("/healthz", { headers: { "x-request-id": "talentlynk-req.42:a_b" } });
    expect(echoed.headers.get("x-request-id")).toBe("talentlynk-req.42:a_b");
    for (const unsafe of ['evil"}, {"level":"error', "x".repeat(129), "a b"]) {
      const res = await fetchBridge("/healthz", { headers: { "x-request-id": unsafe } });
      expect(res.headers.get("x-request-id")).not.toBe(unsafe);
      expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});

describe("problem+json", () => {
  it("has type, title, status, detail and the request id", async () => {
    const res = await fetchBridge("/no/such/route");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({
      type: "http://bridge/problems/not-found",
      title: "Not found",
      status: 404,
      detail: expect.any(String),
      request_id: res.headers.get("x-request-id"),
    });
  });

  it("names each bad field in errors[] and the status matches the body", async () => {
    const res = await adminFetch("/admin/tenants", { method: "POST", body: { name: "x", region: "GB", talemetry: { client_id: "c" } } });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { status: number; type: string; errors: Array<{ field: string; message: string }> };
    expect(body.status).toBe(422);
    expect(body.type).toBe("http://bridge/problems/invalid");
    expect(body.errors).toEqual([{ field: "talemetry.secret_key", message: expect.any(String) }]);
  });

  it("challenges Bearer on 401", async () => {
    const res = await fetchBridge("/admin/tenants/x");
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe("Bearer");
    expect(res.headers.get("content-type")).toBe("application/problem+json");
  });
});

describe("errors by caller", () => {
  it("answers unknown /talkdesk routes with {message}", async () => {
    // GET: Talkdesk only POSTs, so no Talkdesk handler (envelope checks included) claims this path.
    const res = await fetchBridge("/talkdesk/no-such-endpoint");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ message: expect.any(String) });
  });

  it("answers /oauth errors in RFC 6749 form", async () => {
    const res = await fetchBridge("/oauth/token", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: "invalid_request", error_description: expect.any(String) });
  });
});

describe("thrown errors, rendered by caller", () => {
  let consoleError: ReturnType<typeof vi.spyOn>;
  beforeEach(() => {
    consoleError = vi.spyOn(console, "error").mockImplementation(() => {});
  });
  afterEach(() => vi.restoreAllMocks());

  // Probe routes on the real app (same middleware and error handler as production).
  async function call(path: string): Promise<Response> {
    const { buildApp } = await import("../../src/app");
    const { AppError } = await import("../../src/platform/errors");
    const { createExecutionContext, waitOnExecutionContext } = await import("cloudflare:test");
    const { env } = await import("cloudflare:workers");
    const app = buildApp();
    for (const prefix of ["/probe", "/talkdesk/probe", "/oauth/probe"]) {
      app.get(`${prefix}/unavailable`, () => {
        throw new AppError("upstream_unavailable", "The CRM is unavailable; retry later.", { retryAfter: 7 });
      });
      app.get(`${prefix}/crash`, () => {
        throw new Error("database password hunter2 and key tlk_live_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
      });
    }
    const ctx = createExecutionContext();
    const res = await app.fetch(new Request(`http://bridge${path}`), env, ctx);
    await waitOnExecutionContext(ctx);
    return res;
  }

  it("problem+json with Retry-After for a retryable error", async () => {
    const res = await call("/probe/unavailable");
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("7");
    expect(await res.json()).toMatchObject({ type: "http://bridge/problems/upstream-unavailable", status: 503 });
  });

  it("{message} with Retry-After on /talkdesk", async () => {
    const res = await call("/talkdesk/probe/unavailable");
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("7");
    expect(await res.json()).toEqual({ message: "The CRM is unavailable; retry later." });
  });

  it("RFC 6749 temporarily_unavailable on /oauth", async () => {
    const res = await call("/oauth/probe/unavailable");
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("7");
    expect(await res.json()).toMatchObject({ error: "temporarily_unavailable" });
  });

  it("a safe 500 that never echoes the internal message, in every format", async () => {
    for (const [path, expected] of [
      ["/probe/crash", { type: "http://bridge/problems/internal", status: 500 }],
      ["/talkdesk/probe/crash", { message: "Internal error." }],
      ["/oauth/probe/crash", { error: "server_error" }],
    ] as const) {
      const res = await call(path);
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(JSON.parse(text)).toMatchObject(expected);
      expect(text).not.toMatch(/hunter2|tlk_live_/);
    }
    // The reason is logged (the log level lets errors through), with the key scrubbed.
    const logged = consoleError.mock.calls.map((args: unknown[]) => String(args[0])).join("\n");
    expect(logged).toContain("hunter2");
    expect(logged).not.toContain("tlk_live_AAAA");
  });
});
