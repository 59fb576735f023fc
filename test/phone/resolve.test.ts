// Phone resolution rules of the contract: +/00 international, else region, else tenant default; isPossible.
import { describe, expect, it } from "vitest";
import { resolvePhone } from "../../src/phone/resolve";

describe("resolvePhone", () => {
  it("reads E.164 and 00-prefixed numbers as international", () => {
    expect(resolvePhone("+447700900123", "US")).toMatchObject({ e164: "+447700900123", nsn: "7700900123", explicitCountry: true });
    expect(resolvePhone("00447700900123", "US")).toMatchObject({ e164: "+447700900123", explicitCountry: true });
    expect(resolvePhone("00 44 7700 900123", "US")).toMatchObject({ e164: "+447700900123" });
  });
  it("uses the region for national numbers, with any punctuation", () => {
    expect(resolvePhone("07700 900123", "GB")).toMatchObject({ e164: "+447700900123", explicitCountry: false });
    expect(resolvePhone("(972) 523-2266", "US")).toMatchObject({ e164: "+19725232266", nsn: "9725232266" });
    expect(resolvePhone("447700900123", "GB")).toMatchObject({ e164: "+447700900123" });
  });
  it("keeps extensions apart from the number", () => {
    expect(resolvePhone("+1 415 555 0142 ext. 12", null)).toMatchObject({ e164: "+14155550142", extension: "12" });
  });
  it("rejects garbage and impossible lengths without throwing", () => {
    for (const s of ["", "n/a", "call me", "123", "+999999999999999999999", "\u0000", "0".repeat(500)]) {
      expect(resolvePhone(s, "GB")).toBeNull();
    }
    expect(resolvePhone(undefined, "GB")).toBeNull();
  });
});
