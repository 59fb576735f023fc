/** Secret comparison that takes the same time whatever the input (no early exit on the first difference). */

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
