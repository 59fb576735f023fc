// Log redaction and the structured logger: secret keys and secret-shaped values never reach a log line.
import { afterEach, describe, expect, it, vi } from "vitest";
import { createLogger } from "../../src/platform/logger";
import { REDACTED, redact, redactString } from "../../src/platform/redact";

afterEach(() => vi.restoreAllMocks());

describe("redact", () => {
  it("scrubs values under secret-looking keys at any depth", () => {
    const out = redact({
      authorization: "Bearer abc",
      nested: { api_key: "k", client_secret: "cs", secret_key: "sk", password: "p", token: "t", list: [{ access_token: "a" }] },
      Cookie: "session=1",
      tenant_id: "ten_1",
      status: 200,
    });
    expect(out).toEqual({
      authorization: REDACTED,
      nested: {
        api_key: REDACTED,
        client_secret: REDACTED,
        secret_key: REDACTED,
        password: REDACTED,
        token: REDACTED,
        list: [{ access_token: REDACTED }],
      },
      Cookie: REDACTED,
      tenant_id: "ten_1",
      status: 200,
    });
  });

  it("scrubs our keys, Talemetry tokens and Authorization credentials inside any string", () => {
    const text = redactString(
      "key tlk_live_AbC-123_xyz9876543210abcdef and tlk_test_Q1w2E3r4T5y6U7i8O9p0 secret tlk_cs_ZZZZZZZZZZZZZZZZZZZZ token tlk_at_YYYYYYYYYYYYYYYYYYYY " +
        "upstream TGC-1733155440r2C2BC952A8F9A34CF9 header Bearer abc.def-ghi Basic dXNlcjpwYXNz",
    );
    for (const secret of ["AbC-123", "Q1w2E3r4", "ZZZZ", "YYYY", "1733155440r2C2BC", "abc.def-ghi", "dXNlcjpwYXNz"]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain("tlk_live_[REDACTED]");
    expect(text).toContain("TGC-[REDACTED]");
  });

  it("scrubs literal secrets such as ADMIN_TOKEN, and error messages", () => {
    const out = redact({ error: new Error("bad token test-admin-token-0123456789") }, ["test-admin-token-0123456789"]);
    expect(JSON.stringify(out)).not.toContain("test-admin-token-0123456789");
  });

  it("does not mutate its input and survives cycles", () => {
    const input: Record<string, unknown> = { password: "p" };
    input.self = input;
    redact(input);
    expect(input.password).toBe("p");
  });
});

describe("createLogger", () => {
  it("writes one JSON line per call, filtered by level, redacted", () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const debug = vi.spyOn(console, "debug").mockImplementation(() => {});
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const logger = createLogger({ level: "info", fields: { request_id: "r1" }, secrets: ["literal-secret-value"] });
    logger.debug("hidden");
    logger.info("shown", { api_key: "tlk_live_zzzzzzzzzzzzzzzzzzzz", note: "has literal-secret-value inside" });
    logger.child({ tenant_id: "ten_1" }).error("boom");
    expect(debug).not.toHaveBeenCalled();
    expect(log).toHaveBeenCalledTimes(1);
    const line = JSON.parse(log.mock.calls[0][0] as string);
    expect(line).toMatchObject({ level: "info", msg: "shown", request_id: "r1", api_key: REDACTED });
    expect(line.note).not.toContain("literal-secret-value");
    expect(JSON.parse(error.mock.calls[0][0] as string)).toMatchObject({
      level: "error",
      msg: "boom",
      request_id: "r1",
      tenant_id: "ten_1",
    });
  });
});
