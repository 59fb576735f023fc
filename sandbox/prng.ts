/**
 * A small seeded PRNG (cyrb128 string hash → sfc32) so that an account's seed data depends only on its
 * client id (and an optional seed): two accounts differ, and the same account is identical on every run.
 * `Math.random` and `crypto.getRandomValues` cannot be seeded, hence this.
 */

/** Four 32-bit words hashed from a string: the key every account's seed data is derived from. */
export type SeedKey = readonly [number, number, number, number];

export function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  return [(h1 ^ h2 ^ h3 ^ h4) >>> 0, (h2 ^ h1) >>> 0, (h3 ^ h1) >>> 0, (h4 ^ h1) >>> 0];
}

/** MurmurHash3's 32-bit finalizer: a bijection on 32-bit integers that scatters neighbouring inputs. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The multiplicative inverse of an odd number modulo 2^32 (Newton's iteration doubles the correct bits). */
function inverseOdd(a: number): number {
  let x = a;
  for (let i = 0; i < 5; i++) x = Math.imul(x, 2 - Math.imul(a, x));
  return x >>> 0;
}

const INV_C1 = inverseOdd(0x85ebca6b);
const INV_C2 = inverseOdd(0xc2b2ae35);

/** The inverse of `fmix32`: turns a derived id's node bits back into the candidate's index. */
export function unfmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, INV_C2);
  h ^= (h >>> 13) ^ (h >>> 26);
  h = Math.imul(h, INV_C1);
  h ^= h >>> 16;
  return h >>> 0;
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(key: string | SeedKey) {
    const state = typeof key === "string" ? cyrb128(key) : key;
    this.a = state[0];
    this.b = state[1];
    this.c = state[2];
    this.d = state[3];
    for (let i = 0; i < 12; i++) this.next(); // let the state mix before the first real draw
  }

  /**
   * An independent stream for one (index, stream) pair of a seed key, without building a string:
   * derived seed data asks for millions of these (one per candidate and purpose).
   */
  static at(key: SeedKey, index: number, stream: number): Rng {
    return new Rng([
      fmix32(key[0] ^ index),
      fmix32(key[1] ^ Math.imul(index, 0x9e3779b1) ^ stream),
      fmix32(key[2] + stream * 0x632be5ab),
      fmix32(key[3] ^ (index + 0x7f4a7c15)),
    ]);
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    this.d >>>= 0;
    let t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    t = (t + this.d) | 0;
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Picks by weight: `[[value, weight], …]`. */
  weighted<T>(items: ReadonlyArray<readonly [T, number]>): T {
    let total = 0;
    for (const [, w] of items) total += w;
    let r = this.next() * total;
    for (const [value, w] of items) {
      r -= w;
      if (r < 0) return value;
    }
    return items[items.length - 1][0];
  }

  /** `n` decimal digits; the first one is 2–9 when `leadingNonZero` (real numbering plans avoid 0/1 there). */
  digits(n: number, leadingNonZero = true): string {
    let out = leadingNonZero ? String(this.int(2, 9)) : String(this.int(0, 9));
    while (out.length < n) out += String(this.int(0, 9));
    return out.slice(0, n);
  }

  /** `n` lower-case hex digits, eight per draw. */
  hex(n: number): string {
    let out = "";
    while (out.length < n)
      out += Math.floor(this.next() * 4294967296)
        .toString(16)
        .padStart(8, "0");
    return out.slice(0, n);
  }
}

/** Offset between the UUID v1 epoch (1582-10-15) and the Unix epoch, in 100 ns intervals (0x01b21dd213814000). */
const UUID_EPOCH_HIGH = 0x01b21dd2;
const UUID_EPOCH_LOW = 0x13814000;

/**
 * A UUID v1 for `timeMs`: Talemetry's candidate GUIDs are v1 (`fb2270a0-a120-11ef-…`), so seeded ids
 * look the same, time fields included. Clock sequence and node come from `rng`.
 */
export function uuidV1(rng: Rng, timeMs: number): string {
  const ticks = rng.int(0, 9999);
  const clockSeq = rng.int(0, 0x3fff);
  return uuidV1From(timeMs, ticks, clockSeq, rng.hex(12));
}

const hex = (n: number, digits: number) => n.toString(16).padStart(digits, "0");

/**
 * A UUID v1 from its parts: time (ms) plus 100 ns ticks, 14-bit clock sequence, 12 hex digits of node.
 * The 60-bit timestamp is computed in two 32-bit halves (a Number holds 53 bits exactly; BigInt was
 * the slowest part of deriving a candidate).
 */
export function uuidV1From(timeMs: number, ticks: number, clockSeq: number, node: string): string {
  // timeMs × 10000 = (th × 10000) × 2^20 + tl × 10000, and (th × 10000) × 2^20 splits at 2^32.
  const th = Math.floor(timeMs / 0x100000);
  const tl = timeMs - th * 0x100000;
  const upper = th * 10000;
  let low = tl * 10000 + ticks + UUID_EPOCH_LOW + (upper % 0x1000) * 0x100000;
  let high = Math.floor(upper / 0x1000) + UUID_EPOCH_HIGH;
  high += Math.floor(low / 0x100000000);
  low %= 0x100000000;
  const timeHi = ((high >>> 16) & 0x0fff) | 0x1000;
  return `${hex(low, 8)}-${hex(high & 0xffff, 4)}-${hex(timeHi, 4)}-${hex(clockSeq | 0x8000, 4)}-${node}`;
}

/** A UUID v4 drawn from `rng` (note ids in Talemetry's samples are v4). */
export function uuidV4(rng: Rng): string {
  const h = rng.hex(32).split("");
  h[12] = "4";
  h[16] = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  const s = h.join("");
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}
