// Pure pieces of the adapter's resilience: token expiry (§1), Retry-After, full-jitter backoff,
// status classification, deadlines, error-body parsing and redaction of upstream text.
import { describe, expect, it } from "vitest";
import { backoffDelay, DEFAULT_RETRY_POLICY, kindForStatus, parseRetryAfter } from "../../src/talemetry/retry";
import { tokenExpiry } from "../../src/talemetry/token";
import { createDeadline } from "../../src/talemetry/transport";
import { parseAuthBody, parseErrorBody, parseIdsBody, parseUsersBody, sanitizeDetail } from "../../src/talemetry/wire";

describe("tokenExpiry", () => {
  const now = 1_800_000_000_000;
  it("uses expires_in when given", () => {
    expect(tokenExpiry("TGC-1733155440r2C2BC952A8F9A34CF9", 7200, now)).toBe(now + 7_200_000);
    expect(tokenExpiry("anything", 60, now)).toBe(now + 60_000);
  });
  it("assumes 2 hours from the issue time embedded in the token when expires_in is absent", () => {
    expect(tokenExpiry("TGC-1733155440r2C2BC952A8F9A34CF9", undefined, now)).toBe((1733155440 + 7200) * 1000);
    expect(tokenExpiry("TGC-1733155440r2C2BC952A8F9A34CF9", null, now)).toBe((1733155440 + 7200) * 1000);
    expect(tokenExpiry("TGC-1733155440r2C2BC952A8F9A34CF9", 0, now)).toBe((1733155440 + 7200) * 1000);
  });
  it("falls back to 2 hours from now for a token without an embedded time", () => {
    expect(tokenExpiry("opaque-token", undefined, now)).toBe(now + 7_200_000);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-11-22T10:00:00Z");
  it("reads seconds and HTTP dates", () => {
    expect(parseRetryAfter("3", now)).toBe(3000);
    expect(parseRetryAfter("Sun, 22 Nov 2026 10:00:05 GMT", now)).toBe(5000);
    expect(parseRetryAfter("Sun, 22 Nov 2026 09:00:00 GMT", now)).toBe(0);
  });
  it("ignores absent and unreadable values", () => {
    for (const v of [null, "", "soon", "-1", "1.5", "12345-01"]) expect(parseRetryAfter(v, now)).toBeNull();
  });
});

describe("backoffDelay", () => {
  it("is full jitter under an exponential, capped ceiling", () => {
    const top = () => 0.999999;
    expect(backoffDelay(1, DEFAULT_RETRY_POLICY, top)).toBe(99);
    expect(backoffDelay(2, DEFAULT_RETRY_POLICY, top)).toBe(199);
    expect(backoffDelay(10, DEFAULT_RETRY_POLICY, top)).toBe(999);
    expect(backoffDelay(3, DEFAULT_RETRY_POLICY, () => 0)).toBe(0);
  });
});

describe("kindForStatus", () => {
  it("follows the contract's classes", () => {
    expect(kindForStatus(401, null)).toBe("auth");
    expect(kindForStatus(400, "invalid_credentials")).toBe("auth");
    expect(kindForStatus(404, null)).toBe("not_found");
    expect(kindForStatus(409, "conflict")).toBe("conflict");
    expect(kindForStatus(400, null)).toBe("invalid");
    expect(kindForStatus(422, "invalid")).toBe("invalid");
    expect(kindForStatus(429, null)).toBe("throttled");
    expect(kindForStatus(500, null)).toBe("unavailable");
    expect(kindForStatus(504, null)).toBe("unavailable");
  });
});

describe("createDeadline", () => {
  it("counts down from the given budget and never goes negative", () => {
    let t = 1000;
    const deadline = createDeadline(500, () => t);
    expect(deadline.at).toBe(1500);
    t = 1200;
    expect(deadline.remainingMs()).toBe(300);
    t = 9999;
    expect(deadline.remainingMs()).toBe(0);
  });
});

describe("wire bodies", () => {
  it("parses error bodies in every shape the contract warns about", () => {
    expect(parseErrorBody('{"error":{"code":"conflict","message":"Email taken"}}', "application/json")).toEqual({
      format: "json",
      code: "conflict",
      message: "Email taken",
    });
    expect(parseErrorBody('{"error":"invalid_credentials"}', null)).toMatchObject({ code: "invalid_credentials" });
    expect(parseErrorBody("", "application/json")).toEqual({ format: "empty", code: null, message: null });
    expect(parseErrorBody("<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head></html>", "text/html")).toEqual({
      format: "html",
      code: null,
      message: "502 Bad Gateway",
    });
    expect(
      parseErrorBody('<?xml version="1.0"?><error><code>throttled</code><message>Slow down</message></error>', "application/xml"),
    ).toEqual({ format: "xml", code: "throttled", message: "Slow down" });
    expect(parseErrorBody("{not json", "application/json")).toMatchObject({ format: "text" });
    expect(parseErrorBody("Service Unavailable", "text/plain")).toEqual({ format: "text", code: null, message: "Service Unavailable" });
  });

  it("redacts tokens and secrets and bounds the length", () => {
    const out = sanitizeDetail(`token TGC-1733155440r2C2BC952A8F9A34CF9 and sandbox-secret-abc\n\u0000 ${"x".repeat(500)}`, [
      "sandbox-secret-abc",
    ]);
    expect(out).not.toContain("TGC-1733155440");
    expect(out).not.toContain("sandbox-secret-abc");
    expect(out.length).toBeLessThanOrEqual(301);
  });

  it("reads auth, ids and users envelopes leniently", () => {
    expect(parseAuthBody({ result: { token: "TGC-1r1", expires_in: "7200" } })).toEqual({ token: "TGC-1r1", expiresIn: 7200 });
    expect(parseAuthBody({ result: {} })).toBeNull();
    expect(parseIdsBody({ result: { Ids: "a", Cursor: null } })).toEqual({ ids: ["a"], cursor: null });
    expect(parseIdsBody({ result: { Ids: ["a", "a", null, "b"] } })).toEqual({ ids: ["a", "b"], cursor: null });
    expect(parseUsersBody({ result: { Users: { Id: "u1", Email: "a@x.example", Active: "false" }, Page: "2", TotalPages: 3 } }, 2)).toEqual(
      {
        users: [{ id: "u1", name: "a@x.example", email: "a@x.example", active: false }],
        page: 2,
        totalPages: 3,
      },
    );
    expect(parseUsersBody({ result: { Users: [{ Id: "u2" }, null] } }, 1)).toEqual({ users: [], page: 1, totalPages: 1 });
  });
});
