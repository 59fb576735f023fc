// The isolate-memory cache: TTL, least-recently-used eviction, and the bounds on entries and characters.
import { describe, expect, it } from "vitest";
import { MemoryCache } from "../../src/platform/memory-cache";

describe("MemoryCache", () => {
  it("returns a value until its TTL has passed, then nothing", () => {
    let now = 0;
    const cache = new MemoryCache(10, 1_000, () => now);
    cache.set("a", "one", 2);
    now = 1_999;
    expect(cache.get("a")).toBe("one");
    now = 2_000;
    expect(cache.get("a")).toBeNull();
    expect(cache.size).toBe(0);
    expect(cache.heldChars).toBe(0);
  });

  it("drops the least recently used entry when full", () => {
    const cache = new MemoryCache(2, 1_000);
    cache.set("a", "1", 60);
    cache.set("b", "2", 60);
    expect(cache.get("a")).toBe("1"); // a is now the most recent
    cache.set("c", "3", 60);
    expect(cache.get("b")).toBeNull();
    expect(cache.get("a")).toBe("1");
    expect(cache.get("c")).toBe("3");
  });

  it("keeps the characters held within the bound and refuses a value longer than a sixteenth of it", () => {
    const cache = new MemoryCache(100, 160);
    for (let i = 0; i < 20; i++) cache.set(`k${i}`, "x".repeat(10), 60);
    expect(cache.heldChars).toBeLessThanOrEqual(160);
    expect(cache.size).toBe(16);
    expect(cache.get("k19")).toBe("x".repeat(10));
    expect(cache.get("k0")).toBeNull();
    cache.set("big", "x".repeat(11), 60);
    expect(cache.get("big")).toBeNull();
  });

  it("replaces a value under the same key and keeps nothing for a TTL that is not positive", () => {
    const cache = new MemoryCache(10, 1_000);
    cache.set("a", "long value", 60);
    cache.set("a", "v2", 60);
    expect(cache.get("a")).toBe("v2");
    expect(cache.heldChars).toBe(2);
    cache.set("a", "v3", 0);
    expect(cache.get("a")).toBeNull();
    expect(cache.heldChars).toBe(0);
  });
});
