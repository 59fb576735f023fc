/**
 * Secrets of the simulator: the control token's comparison and the accounts' secret keys. Comparisons
 * take the same time whatever the input (no early exit on the first difference).
 */

const encoder = new TextEncoder();

/**
 * Compares SHA-256 digests with `timingSafeEqual`: hashing first gives equal lengths, so neither the
 * secret's length nor its prefix leaks through timing.
 */
export async function sameSecret(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([
    crypto.subtle.digest("SHA-256", encoder.encode(given)),
    crypto.subtle.digest("SHA-256", encoder.encode(expected)),
  ]);
  return crypto.subtle.timingSafeEqual(a, b);
}

/** SHA-256 of a secret, hex: all an account stores of its secret key. */
export async function secretDigest(secret: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(secret)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/**
 * Whether two hex SHA-256 digests are equal, in constant time. Synchronous, so the authorization
 * check and the token it issues happen in one uninterrupted step of the account's Durable Object.
 */
export function sameDigest(a: string, b: string): boolean {
  const x = hexBytes(a);
  const y = hexBytes(b);
  return x.length === 32 && y.length === 32 && crypto.subtle.timingSafeEqual(x, y);
}

/** A new account secret key: 32 random bytes, base64url (43 characters). */
export function newSecretKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}
