/** Time formats Talemetry uses, and strict parsing of the ISO instants clients send. */

/** Note times look like "2024-11-13T17:07:36+00:00" in Talemetry's samples. */
export function noteTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}+00:00`;
}

/** Custom-field times look like "2024-11-12 18:07:28 UTC". */
export function fieldTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/**
 * ISO 8601 date-time with an explicit zone (Z or ±hh:mm). A zone-less time is refused rather than
 * guessed: the contract says UTC, and a silently shifted window would hide sync bugs.
 */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export function parseInstant(text: string): number | null {
  if (!ISO_INSTANT.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : null;
}
