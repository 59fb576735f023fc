/**
 * Small pure helpers of the directory index: the email key, a canonical JSON form and a synchronous
 * content hash (SQLite in a Durable Object is synchronous, so `crypto.subtle.digest` cannot be used
 * inside a write).
 */

/** The email search key (src/domain/email.ts): the whole address, trimmed and lower-cased. */
export { emailKey } from "../domain/email";

/** A JSON value as stored beside a record. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * JSON with object keys sorted at every depth and `undefined` members dropped, so that two equal
 * records built by different code paths (adapter, write-through) hash alike whatever their key order.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? "null";
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : sortKeys(v)));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/**
 * A 64-bit non-cryptographic hash (two independent 32-bit multiply-xorshift lanes, as in cyrb53) as
 * 16 hex digits. It only detects content changes of our own records; nobody gains anything from a
 * collision, and at 64 bits an accidental one is negligible.
 */
export function hash64(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h1 >>> 0).toString(16).padStart(8, "0") + (h2 >>> 0).toString(16).padStart(8, "0");
}
