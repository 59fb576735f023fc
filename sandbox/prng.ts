/**
 * A small seeded PRNG (cyrb128 string hash → sfc32) so that an account's seed data depends only on its
 * client id (and an optional seed): two accounts differ, and the same account is identical on every run.
 * `Math.random` and `crypto.getRandomValues` cannot be seeded, hence this.
 */

function cyrb128(text: string): [number, number, number, number] {
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

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(key: string) {
    [this.a, this.b, this.c, this.d] = cyrb128(key);
    for (let i = 0; i < 12; i++) this.next(); // let the state mix before the first real draw
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

/** Offset between the UUID v1 epoch (1582-10-15) and the Unix epoch, in 100 ns intervals. */
const UUID_EPOCH_OFFSET = 0x01b21dd213814000n;

/**
 * A UUID v1 for `timeMs`: Talemetry's candidate GUIDs are v1 (`fb2270a0-a120-11ef-…`), so seeded ids
 * look the same, time fields included. Clock sequence and node come from `rng`.
 */
export function uuidV1(rng: Rng, timeMs: number): string {
  const ts = BigInt(Math.floor(timeMs)) * 10000n + UUID_EPOCH_OFFSET + BigInt(rng.int(0, 9999));
  const timeLow = (ts & 0xffffffffn).toString(16).padStart(8, "0");
  const timeMid = ((ts >> 32n) & 0xffffn).toString(16).padStart(4, "0");
  const timeHi = (((ts >> 48n) & 0x0fffn) | 0x1000n).toString(16).padStart(4, "0");
  const clockSeq = (rng.int(0, 0x3fff) | 0x8000).toString(16).padStart(4, "0");
  return `${timeLow}-${timeMid}-${timeHi}-${clockSeq}-${rng.hex(12)}`;
}

/** A UUID v4 drawn from `rng` (note ids in Talemetry's samples are v4). */
export function uuidV4(rng: Rng): string {
  const h = rng.hex(32).split("");
  h[12] = "4";
  h[16] = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  const s = h.join("");
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}
