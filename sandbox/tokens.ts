/**
 * Talemetry's token shape (contract §1): `TGC-` + Unix seconds of issue + `r` + upper-case hex, at most
 * 29 characters after `TGC-` — a CAS ticket-granting ticket. 10 digits + "r" + 18 hex digits = 29.
 */

export const TOKEN_SHAPE = /^TGC-\d{1,10}r[0-9A-F]{1,18}$/;
/** Talemetry's default lifetime when `expires_in` is absent (contract §1): 2 hours. */
export const DEFAULT_TOKEN_TTL_SECONDS = 7200;

export function mintToken(nowMs: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(9));
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0"))
    .join("")
    .toUpperCase();
  return `TGC-${Math.floor(nowMs / 1000)}r${hex}`;
}

/** The token of `Authorization: OAUTH <token>`; the scheme is case-insensitive (RFC 9110 §11.1). */
export function oauthToken(header: string | undefined): string | null {
  const match = /^OAUTH +(\S+)\s*$/i.exec(header ?? "");
  return match ? match[1] : null;
}
