/**
 * Log redaction. Logs are read by more people and systems than the API is, so anything that could
 * authenticate as someone is scrubbed before a line is written: by key name (any depth) and by value
 * shape (our issued secrets, Talemetry tokens, credentials in Authorization-style strings).
 */

/** What a scrubbed value is replaced with. */
export const REDACTED = "[REDACTED]";

/** Key names whose values are never logged, whatever they hold. */
const SECRET_KEY = /authorization|cookie|api[-_]?key|secret|token|password|passwd|credential|signature/i;

/**
 * Value shapes that are secrets wherever they appear inside a string:
 * - our issued secrets: API keys (`tlk_live_…`, `tlk_test_…`), client secrets (`tlk_cs_…`), access tokens (`tlk_at_…`);
 * - Talemetry authorization tokens (`TGC-<seconds>r<hex>`, docs/contracts/talemetry-upstream.md);
 * - the credential part of `Bearer …` / `Basic …` strings.
 */
const SECRET_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/\btlk_(live|test|cs|at)_[A-Za-z0-9_-]+/g, `tlk_$1_${REDACTED}`],
  [/\bTGC-[A-Za-z0-9._-]+/g, `TGC-${REDACTED}`],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`],
];

/** Deeper structures are cut off: a log line is not a dump, and cycles must not hang the Worker. */
const MAX_DEPTH = 6;

/** Scrubs known secret shapes and the literal `secrets` (for example ADMIN_TOKEN) from a string. */
export function redactString(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    // Short values would scrub innocent text and are not secrets worth the name.
    if (secret.length >= 8 && out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/**
 * Returns a copy of `value` safe to log: values under secret-looking keys become `[REDACTED]`,
 * strings are scrubbed with `redactString`, errors become `{name, message}`. Never mutates its input.
 */
export function redact(value: unknown, secrets: readonly string[] = [], depth = 0): unknown {
  if (typeof value === "string") return redactString(value, secrets);
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_DEPTH) return "[…]";
  if (value instanceof Error) {
    return { name: value.name, message: redactString(value.message, secrets) };
  }
  if (Array.isArray(value)) return value.map((item) => redact(item, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) && item !== null && item !== undefined ? REDACTED : redact(item, secrets, depth + 1);
  }
  return out;
}
