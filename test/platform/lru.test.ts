// The bounded LRU map used for isolate memos of pure computations (e.g. phone query readings).
import { describe, expect, it } from "vitest";
import { Lru } from "../../src/platform/lru";

describe("Lru", () => {
  it("keeps at most its capacity, dropping the least recently used", () => {
    const lru = new Lru<string, number>(2);
    lru.set("a", 1);
    lru.set("b", 2);
    expect(lru.get("a")).toBe(1); // a is now the most recently used
    lru.set("c", 3);
    expect(lru.get("b")).toBeUndefined();
    expect(lru.get("a")).toBe(1);
    expect(lru.get("c")).toBe(3);
    expect(lru.size).toBe(2);
  });

  it("replaces a value without growing", () => {
    const lru = new Lru<string, number>(2);
    lru.set("a", 1);
    lru.set("a", 2);
    expect(lru.get("a")).toBe(2);
    expect(lru.size).toBe(1);
  });

  it("shift removes and returns the least recently used entry", () => {
    const lru = new Lru<string, number>(3);
    lru.set("a", 1);
    lru.set("b", 2);
    lru.get("a");
    expect(lru.shift()).toEqual(["b", 2]);
    expect(lru.keys()).toEqual(["a"]);
    expect(lru.shift()).toEqual(["a", 1]);
    expect(lru.shift()).toBeUndefined();
  });

  it("refuses a capacity below one", () => {
    expect(() => new Lru(0)).toThrow(RangeError);
  });
});
