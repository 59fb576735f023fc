/** Parsing of the `Authorization` header schemes the bridge accepts. */

/**
 * The credential of `Authorization: Bearer <token>` (RFC 6750 §2.1; scheme case-insensitive), or null.
 * Any non-space characters are taken: the store rejects what it did not issue.
 */
export function bearerToken(header: string | null | undefined): string | null {
  const match = /^Bearer +(\S+) *$/i.exec(header ?? "");
  return match ? match[1] : null;
}

/** Credentials of HTTP Basic (RFC 7617), or null when the header is absent or another scheme. */
export interface BasicCredentials {
  username: string;
  password: string;
}

/**
 * Parses `Authorization: Basic …`. Returns `null` when the scheme is not Basic, `"malformed"` when it is
 * Basic but undecodable. OAuth clients form-urlencode id and secret before encoding (RFC 6749 §2.3.1),
 * so both parts are URL-decoded.
 */
export function basicCredentials(header: string | null | undefined): BasicCredentials | "malformed" | null {
  const match = /^Basic +(\S+) *$/i.exec(header ?? "");
  if (!match) return /^Basic\b/i.test(header ?? "") ? "malformed" : null;
  let decoded: string;
  try {
    decoded = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(Uint8Array.from(atob(match[1]), (ch) => ch.charCodeAt(0)));
  } catch {
    return "malformed";
  }
  const colon = decoded.indexOf(":");
  if (colon < 0) return "malformed";
  try {
    return {
      username: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, " ")),
      password: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, " ")),
    };
  } catch {
    return "malformed";
  }
}
