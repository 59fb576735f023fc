/**
 * A small least-recently-used map: at most `capacity` entries, the least recently read or written
 * dropped first. For memos of pure computations in an isolate (a value derived only from its key), never
 * for state that must agree across isolates.
 */
export class Lru<K, V> {
  private readonly map = new Map<K, V>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError("Lru: capacity must be a positive integer");
  }

  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value === undefined) return undefined;
    // Map keeps insertion order: re-inserting marks the entry most recently used.
    this.map.delete(key);
    this.map.set(key, value);
    return value;
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    if (this.map.size >= this.capacity) this.shift();
    this.map.set(key, value);
  }

  /** Removes the least recently used entry and returns it (undefined when empty). */
  shift(): [K, V] | undefined {
    const oldest = this.map.entries().next();
    if (oldest.done) return undefined;
    this.map.delete(oldest.value[0]);
    return oldest.value;
  }

  delete(key: K): void {
    this.map.delete(key);
  }

  /** The keys, least recently used first. */
  keys(): K[] {
    return [...this.map.keys()];
  }

  get size(): number {
    return this.map.size;
  }
}
