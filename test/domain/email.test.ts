// The one email rule (src/domain/email.ts): what search, PATCH, activities and Talkdesk update_contact
// accept — trimmed first, dot-atom local part, internationalized domains — and the comparison key.
import { describe, expect, it } from "vitest";
import { emailKey, emailSchema, isEmailAddress } from "../../src/domain/email";

describe("isEmailAddress", () => {
  it.each([
    "maya.ortiz@example.com",
    "  Maya.Ortiz@Example.COM ",
    "first.last+tag@sub.example.co.uk",
    "o'brien@example.ie",
    "a!#$%&*/=?^_`{|}~-@example.org",
    "josé@bücher.example",
    "user@xn--bcher-kva.example",
    "用户@例子.广告",
    "x@example.xn--p1ai",
  ])("accepts %j", (address) => {
    expect(isEmailAddress(address)).toBe(true);
  });

  it.each([
    "",
    "   ",
    "not-an-email",
    "a@b",
    "@example.com",
    "maya@",
    "maya@@example.com",
    ".maya@example.com",
    "maya.@example.com",
    "ma..ya@example.com",
    "ma ya@example.com",
    '"maya"@example.com',
    "maya@example..com",
    "maya@-example.com",
    "maya@example-.com",
    "maya@example.c",
    "maya@example.123",
    "maya@[127.0.0.1]",
    "maya@127.0.0.1",
    "maya@exa mple.com",
    "maya@example.com/path",
    "<maya@example.com>",
    `${"a".repeat(65)}@example.com`,
    `maya@${"a".repeat(250)}.com`,
  ])("refuses %j", (address) => {
    expect(isEmailAddress(address)).toBe(false);
  });
});

describe("emailSchema and emailKey", () => {
  it("trims before checking and gives the caller's messages", () => {
    expect(emailSchema().parse("  maya@example.com ")).toBe("maya@example.com");
    expect(emailSchema({ invalid: "must be an email address" }).safeParse("nope").error?.issues[0]?.message).toBe(
      "must be an email address",
    );
    expect(emailSchema({ tooLong: "is too long" }).safeParse(`${"a".repeat(250)}@example.com`).error?.issues[0]?.message).toBe(
      "is too long",
    );
  });
  it("compares whole addresses, trimmed and case-insensitively", () => {
    expect(emailKey("  Maya.Ortiz@Example.COM ")).toBe("maya.ortiz@example.com");
    expect(emailKey("JOSÉ@BÜCHER.example")).toBe("josé@bücher.example");
  });
});
