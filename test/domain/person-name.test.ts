// splitPersonName: one line of name text → Talemetry's given and family name (upstream §7).
import { describe, expect, it } from "vitest";
import { MAX_NAME_PART_CHARS, splitPersonName } from "../../src/domain/person-name";

describe("splitPersonName", () => {
  it.each([
    ["Jane Doe", "Jane", "Doe"],
    ["  Maria   de la  Cruz ", "Maria", "de la Cruz"],
    ["Doe, Jane", "Jane", "Doe"],
    ["Prince", "Prince", null],
    ["Chloé Martin", "Chloé", "Martin"],
    [", Jane", "Jane", null],
    ["Doe,", "Doe", null],
    ["", null, null],
    ["   ", null, null],
  ])("%j → %j / %j", (text, given, family) => {
    expect(splitPersonName(text)).toEqual({ givenName: given, familyName: family });
  });

  it("cuts each part to Talemetry's limit without splitting a character", () => {
    const long = splitPersonName(`${"é".repeat(300)} ${"😀".repeat(300)}`);
    expect(Array.from(long.givenName!)).toHaveLength(MAX_NAME_PART_CHARS);
    expect(Array.from(long.familyName!)).toHaveLength(MAX_NAME_PART_CHARS);
    expect(long.familyName).toBe("😀".repeat(MAX_NAME_PART_CHARS));
  });
});
