/**
 * Lenient readers for Talemetry's mechanical XML→JSON (docs/contracts/talemetry-upstream.md §3): each
 * turns any JSON value into the shape the normalizer reads and never fails. They replace zod for the
 * bulk of a profile because zod's general machinery (a pipe per `preprocess`, a result object per node)
 * cost more than the rest of a sync page together, while these readers check nothing zod checked here:
 * every one of those schemas accepted anything. What is strict (the candidate GUID) stays zod
 * (./hrxml.ts). test/talemetry/hrxml.property.test.ts keeps the former zod schemas as the reference and
 * checks that these readers give the same output for any input.
 */

/** Reads any value as a `T`; never throws. */
export type Reader<T> = (value: unknown) => T;

/** Named readers of an element's children. */
export type Shape = Record<string, Reader<unknown>>;

/** An element as read: every child of the shape present, unknown keys kept as they were. */
export type Element<S extends Shape> = { [K in keyof S]: ReturnType<S[K]> } & { [key: string]: unknown };

/** True for a JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A repeatable value as a list (§3: object when one, array when several, null when none). */
export function asList(value: unknown): unknown[] {
  return value == null ? [] : Array.isArray(value) ? value : [value];
}

/** Reads any XML-ish leaf as text: numbers and booleans stringified, `{"#text"}` unwrapped, lists joined. */
export function leafText(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : null;
  if (typeof value === "boolean") return String(value);
  // Some XML→JSON converters put the text of an element that has attributes under "#text".
  if (isRecord(value) && "#text" in value) return leafText(value["#text"]);
  if (Array.isArray(value)) {
    const parts = value.map(leafText).filter((part): part is string => part !== null && part.trim() !== "");
    return parts.length > 0 ? parts.join(" ") : null;
  }
  return null;
}

/** A text leaf: trimmed string, or null when absent, empty or not text at all. */
export const text: Reader<string | null> = (value) => {
  const raw = leafText(value);
  const trimmed = raw === null ? "" : raw.trim();
  return trimmed === "" ? null : trimmed;
};

/** A free-text leaf (note bodies): kept as written, not trimmed; null when absent. */
export const freeText: Reader<string | null> = leafText;

/**
 * An element: its keys as they are, the shape's children read; anything that is not an object (null, a
 * string, a list) reads as `{}`. (Cloned by spreading, V8's fast path, then the children overwritten.)
 */
export function element<S extends Shape>(shape: S): Reader<Element<S>> {
  const keys = Object.keys(shape);
  return (value) => {
    const input = isRecord(value) ? value : {};
    const out: Record<string, unknown> = { ...input };
    for (const key of keys) out[key] = shape[key]!(input[key]);
    return out as Element<S>;
  };
}

/** A non-repeatable element that a dirty export may still repeat: the first non-null occurrence wins. */
export function single<S extends Shape>(shape: S): Reader<Element<S>> {
  const read = element(shape);
  return (value) => read(Array.isArray(value) ? value.find((item) => item != null) : value);
}

/** A repeatable element (§3: object when one, array when several, null when none). */
export function many<T>(item: Reader<T>): Reader<T[]> {
  return (value) => asList(value).map((v) => item(v));
}

/** Reads a value first mapped by `prepare` (a bare value standing for an element, …). */
export function prepared<T>(prepare: (value: unknown) => unknown, read: Reader<T>): Reader<T> {
  return (value) => read(prepare(value));
}
