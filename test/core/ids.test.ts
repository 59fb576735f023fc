// The one id rule (src/core/ids.ts): every id it accepts stays one path segment of an upstream URL
// (property-tested through `new URL`, which resolves dot segments), and the ids that would not — `.`,
// `..`, anything with `/`, `%`, `?`, `#`, spaces or control characters — are refused.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isActivityId, isCandidateId, isUserId } from "../../src/core/ids";

const BASE = "https://api.talemetry.example";

describe("id rule", () => {
  it("accepts Talemetry GUIDs, user ids and the bridge's activity ids", () => {
    expect(isCandidateId("0290bb50-7113-11ef-9c70-b6a35a531041")).toBe(true);
    expect(isCandidateId("12345")).toBe(true);
    expect(isUserId("u-123")).toBe(true);
    expect(isActivityId("act_5f0c6a1e9b2d4c7a8e3f1b6d")).toBe(true);
  });

  it.each([".", "..", "", "../notes", "a/b", "/", "a%2Fb", "%2E%2E", "a?b", "a#b", "a b", " a", "a\n", ".hidden", "x".repeat(129)])(
    "refuses %j as a candidate or user id",
    (id) => {
      expect(isCandidateId(id)).toBe(false);
      expect(isUserId(id)).toBe(false);
    },
  );

  it.each([
    "act_",
    "act_5F0C6A1E9B2D4C7A8E3F1B6D",
    "act_5f0c6a1e9b2d4c7a8e3f1b6d0",
    "act_../notes",
    "0290bb50-7113-11ef-9c70-b6a35a531041",
  ])("refuses %j as an activity id", (id) => expect(isActivityId(id)).toBe(false));

  it("keeps every accepted id one path segment of an upstream URL", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 130, unit: fc.constantFrom(..."aZ09._:-/%?#\\ \u00e9\n") }), (id) => {
        if (!isCandidateId(id)) return;
        const url = new URL(`/v1/people/${encodeURIComponent(id)}/notes`, BASE);
        expect(url.pathname).toBe(`/v1/people/${encodeURIComponent(id)}/notes`);
        expect(decodeURIComponent(url.pathname.split("/")[3]!)).toBe(id);
      }),
      { numRuns: 2000 },
    );
  });
});
