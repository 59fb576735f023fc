import { Lru } from "./lru";

/**
 * Text values kept in this isolate's memory until they expire, least recently used dropped first, within
 * a bound on entries and on characters held (an isolate has 128 MB for everything). A front for a
 * shared cache whose keys already say everything that decides the value (tenant, version, query): an
 * entry here is exactly as current as the shared one it mirrors, and is simply gone after a restart.
 */
export class MemoryCache {
  private readonly entries: Lru<string, { value: string; expires: number }>;
  private chars = 0;

  constructor(
    readonly maxEntries: number,
    /** Characters held in all values together; a value longer than a sixteenth of this is not kept. */
    readonly maxChars: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError("MemoryCache: maxEntries must be a positive integer");
    if (!Number.isInteger(maxChars) || maxChars < 16) throw new RangeError("MemoryCache: maxChars must be an integer ≥ 16");
    this.entries = new Lru(maxEntries);
  }

  /** The value, or null when absent or expired. */
  get(key: string): string | null {
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (entry.expires > this.now()) return entry.value;
    this.delete(key);
    return null;
  }

  /** Keeps `value` for `ttlSeconds` (nothing when the TTL is not positive or the value is too long). */
  set(key: string, value: string, ttlSeconds: number): void {
    this.delete(key);
    if (!(ttlSeconds > 0) || value.length > this.maxChars / 16) return;
    // Room made here, with the characters counted, so the LRU never drops an entry by itself.
    while (this.entries.size >= this.maxEntries || this.chars + value.length > this.maxChars) {
      const dropped = this.entries.shift();
      if (!dropped) break;
      this.chars -= dropped[1].value.length;
    }
    this.entries.set(key, { value, expires: this.now() + ttlSeconds * 1000 });
    this.chars += value.length;
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.chars -= entry.value.length;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Characters held in all values. */
  get heldChars(): number {
    return this.chars;
  }
}
