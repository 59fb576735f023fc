/** Timestamps in the contracts' style: ISO 8601 UTC, `2026-11-22T10:03:00Z`. */

/** Milliseconds are kept only when they are not zero. */
export function isoUtc(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, "Z");
}

/** Whole seconds, rounded down (Talemetry's Match API may not accept fractions). */
export function isoSeconds(ms: number): string {
  return isoUtc(Math.floor(ms / 1000) * 1000);
}

/** Whole seconds, rounded up: an upper bound that still includes everything of this very second. */
export function isoSecondsCeil(ms: number): string {
  return isoUtc(Math.ceil(ms / 1000) * 1000);
}
