/** Time formats Talemetry uses, and strict parsing of the ISO instants clients send. */

const YEAR_10000 = Date.UTC(10000, 0, 1);
const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/**
 * "YYYY-MM-DD", "HH:MM:SS" of a UTC instant. Arithmetic (for years 1970–9999) instead of
 * `new Date(ms).toISOString()`: derived seed records format several times each, millions of times over.
 * The civil-from-days conversion is Howard Hinnant's (public domain algorithm).
 */
export function utcParts(ms: number): { date: string; time: string } {
  if (!(ms >= 0 && ms < YEAR_10000)) {
    const iso = new Date(ms).toISOString();
    const t = iso.indexOf("T", 1);
    return { date: iso.slice(0, t), time: iso.slice(t + 1, t + 9) };
  }
  const days = Math.floor(ms / 86_400_000);
  const secs = Math.floor((ms - days * 86_400_000) / 1000);
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return {
    date: `${year}-${pad2(month)}-${pad2(day)}`,
    time: `${pad2(Math.floor(secs / 3600))}:${pad2(Math.floor(secs / 60) % 60)}:${pad2(secs % 60)}`,
  };
}

/** "YYYY-MM-DD" of a UTC instant. */
export function isoDate(ms: number): string {
  return utcParts(ms).date;
}

/** Note times look like "2024-11-13T17:07:36+00:00" in Talemetry's samples. */
export function noteTime(ms: number): string {
  const { date, time } = utcParts(ms);
  return `${date}T${time}+00:00`;
}

/** Custom-field times look like "2024-11-12 18:07:28 UTC". */
export function fieldTime(ms: number): string {
  const { date, time } = utcParts(ms);
  return `${date} ${time} UTC`;
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
