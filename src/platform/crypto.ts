/**
 * Secrets, hashes and encryption (Web Crypto, available in workerd). Model: cloudflare/workers-oauth-provider —
 * issued secrets are stored only as SHA-256 hashes; credentials we must use later (Talemetry's secret key)
 * are AES-GCM encrypted under CREDENTIALS_KEY.
 */

/** 256 bits: far above the 128-bit floor for bearer secrets, and still a short header (43 base64url chars). */
export const SECRET_BYTES = 32;

/** AES-GCM's recommended IV length (NIST SP 800-38D): 96 bits, random per encryption. */
const IV_BYTES = 12;

/** Envelope format version: `v1.<iv base64url>.<ciphertext+tag base64url>`. A new format or key gets a new prefix. */
const ENVELOPE_VERSION = "v1";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Encodes bytes as unpadded base64url (RFC 4648 §5). */
export function base64UrlEncode(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Decodes base64url or standard base64, padded or not. Throws on malformed input. */
export function base64Decode(text: string): Uint8Array {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** A random secret: `prefix` + `bytes` random bytes in base64url (e.g. `tlk_live_…`). */
export function randomSecret(prefix: string, bytes = SECRET_BYTES): string {
  return prefix + base64UrlEncode(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** A random lower-case hex identifier (for ids that are not secrets but must not be guessable in bulk). */
export function randomHex(bytes: number): string {
  return hexOf(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** "00" … "ff". */
const HEX_BYTES = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));

/** Bytes as lower-case hex, through a table (hashing is on every authenticated request's path). */
export function hexOf(bytes: Uint8Array | ArrayBuffer): string {
  let hex = "";
  for (const byte of bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)) hex += HEX_BYTES[byte];
  return hex;
}

/** SHA-256 of the UTF-8 text, lower-case hex. */
export async function sha256Hex(text: string): Promise<string> {
  return hexOf(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
}

/**
 * Compares two strings in time independent of where they differ. Both are hashed first, so the
 * comparison also hides their lengths and `timingSafeEqual` always sees equal-length inputs.
 */
export async function timingSafeEqualStrings(a: string, b: string): Promise<boolean> {
  const [da, db] = await Promise.all([
    crypto.subtle.digest("SHA-256", encoder.encode(a)),
    crypto.subtle.digest("SHA-256", encoder.encode(b)),
  ]);
  return crypto.subtle.timingSafeEqual(da, db);
}

async function importCredentialsKey(keyBase64: string): Promise<CryptoKey> {
  let raw: Uint8Array;
  try {
    raw = base64Decode(keyBase64.trim());
  } catch {
    throw new Error("CREDENTIALS_KEY is not base64.");
  }
  // AES-256 only: a shorter key would silently select AES-128 or AES-192.
  if (raw.length !== 32) throw new Error("CREDENTIALS_KEY must be 32 bytes (base64).");
  return crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
}

/**
 * Encrypts `plaintext` with AES-256-GCM under `keyBase64` (CREDENTIALS_KEY). `context` is bound as
 * additional authenticated data (e.g. the tenant id), so a ciphertext copied to another record fails to decrypt.
 */
export async function encryptSecret(plaintext: string, keyBase64: string, context: string): Promise<string> {
  const key = await importCredentialsKey(keyBase64);
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: encoder.encode(context) },
    key,
    encoder.encode(plaintext),
  );
  return `${ENVELOPE_VERSION}.${base64UrlEncode(iv)}.${base64UrlEncode(new Uint8Array(sealed))}`;
}

/** Decrypts an envelope made by `encryptSecret` with the same key and context. Throws if anything differs. */
export async function decryptSecret(envelope: string, keyBase64: string, context: string): Promise<string> {
  const [version, ivText, sealedText, ...rest] = envelope.split(".");
  if (version !== ENVELOPE_VERSION || !ivText || !sealedText || rest.length > 0) throw new Error("Unknown credential envelope format.");
  const key = await importCredentialsKey(keyBase64);
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: base64Decode(ivText), additionalData: encoder.encode(context) },
    key,
    base64Decode(sealedText),
  );
  return decoder.decode(plain);
}
