import { z } from "@hono/zod-openapi";

/**
 * The one email rule of the bridge: search, `PATCH /v1/candidates/{id}`, activities' `user_email` and
 * Talkdesk `update_contact` accept the same addresses, and every comparison uses the same key.
 *
 * An address is accepted when, after trimming, it is `local@domain` with a dot-atom local part (RFC 5322
 * §3.2.3; UTF-8 allowed, RFC 6531) of at most 64 bytes, and a domain of at least two labels that is a
 * valid host name once converted to ASCII — so internationalized domains (`bücher.example`) are accepted,
 * in Unicode or punycode (RFC 5891). Quoted local parts and IP-literal domains are refused: no CRM user
 * or candidate has one, and they are what a typo or an injection attempt looks like.
 */

/** RFC 5321 §4.5.3.1: a path holds at most 256 octets, so an address at most 254. */
export const MAX_EMAIL_LENGTH = 254;
const MAX_LOCAL_BYTES = 64;

// RFC 5322 atext, plus any non-ASCII character (RFC 6531 UTF8-non-ascii); dots only between atoms.
const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~\u0080-\uFFFF-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~\u0080-\uFFFF-]+)*$/;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const TOP_LABEL = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/** The domain in ASCII (punycode), lower-cased, or null when it is not a host name. */
function asciiDomain(domain: string): string | null {
  if (domain === "" || /[\s/\\?#@:[\]%]/.test(domain)) return null;
  let host: string;
  try {
    host = new URL(`http://${domain}`).hostname;
  } catch {
    return null;
  }
  const labels = host.split(".");
  if (host.length > 253 || labels.length < 2) return null;
  if (!labels.every((label) => LABEL.test(label)) || !TOP_LABEL.test(labels[labels.length - 1]!)) return null;
  return host;
}

/** True when `text` (trimmed) is an email address by the rule above. */
export function isEmailAddress(text: string): boolean {
  const address = text.trim();
  if (address.length === 0 || address.length > MAX_EMAIL_LENGTH) return false;
  const at = address.lastIndexOf("@");
  if (at <= 0) return false;
  const local = address.slice(0, at);
  if (!LOCAL.test(local) || new TextEncoder().encode(local).length > MAX_LOCAL_BYTES) return false;
  return asciiDomain(address.slice(at + 1)) !== null;
}

/**
 * The comparison key of an address: the whole address, trimmed and lower-cased (the contract's
 * case-insensitive match; mailboxes are case-insensitive in practice). Used by the directory index, the
 * search cache and the CRM user lookup alike.
 */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * The zod schema of one email field: trimmed first, then checked by `isEmailAddress`. The messages are
 * the caller's wording (Talkdesk's field errors read "must be …").
 */
export function emailSchema(messages: { invalid?: string; tooLong?: string } = {}) {
  return z
    .string()
    .trim()
    .max(MAX_EMAIL_LENGTH, messages.tooLong ?? `At most ${MAX_EMAIL_LENGTH} characters.`)
    .refine(isEmailAddress, { message: messages.invalid ?? "Not an email address." })
    .openapi({ format: "email", description: "Trimmed; internationalized domains accepted", example: "maya.ortiz@example.com" });
}
