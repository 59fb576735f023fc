/**
 * The non-HR-XML bodies of docs/contracts/talemetry-upstream.md: authorize (§1), Match ids (§2),
 * notes (§5), users (§6) and error bodies (§ "Common rules", §7's `existing_id`). Pure functions over parsed JSON (or raw
 * text for errors); lenient like the HR-XML schemas, since every one of these shapes is "assumed".
 */
import type { TalemetryUser } from "../domain/person";
import { asList, type HrxmlNote, isRecord, readNote, resultOf, text } from "./hrxml";

function textOf(value: unknown): string | null {
  return text(value);
}

/** A count or page number that may arrive as a number or a numeric string. */
function intOf(value: unknown): number | null {
  const n = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : Number.NaN;
  return Number.isInteger(n) ? n : null;
}

/** §1 `{"result": {"token", "expires_in"}}`; null when there is no token. */
export function parseAuthBody(body: unknown): { token: string; expiresIn: number | null } | null {
  const result = resultOf(body);
  const token = textOf(result.token);
  if (token === null) return null;
  const expiresIn = intOf(result.expires_in);
  return { token, expiresIn: expiresIn !== null && expiresIn > 0 ? expiresIn : null };
}

/** One page of §2 `{"result": {"Ids": [...], "Cursor": "<guid>" | null}}`. */
export interface IdsPage {
  ids: string[];
  /** Pass as `cursor` for the next page; null on the last page. */
  cursor: string | null;
}

/** §2; ids de-duplicated within the page, a missing `Cursor` read as the last page. */
export function parseIdsBody(body: unknown): IdsPage {
  const result = resultOf(body);
  // XML-style `{"Ids": {"Id": [...]}}` is accepted too.
  const list = isRecord(result.Ids) && "Id" in result.Ids ? result.Ids.Id : result.Ids;
  const ids = [
    ...new Set(
      asList(list)
        .map(textOf)
        .filter((id): id is string => id !== null),
    ),
  ];
  return { ids, cursor: textOf(result.Cursor) };
}

/** §5 `{"result": {"Note": {...}}}`. */
export function parseNoteBody(body: unknown): HrxmlNote | null {
  const note = resultOf(body).Note;
  return isRecord(note) ? readNote(note) : null;
}

function activeOf(value: unknown): boolean {
  if (typeof value === "boolean") return value;
  const v = textOf(value)?.toLowerCase();
  // §6 always sends `Active`; when it is missing the user is listed, so it is taken as active.
  return !(v === "false" || v === "no" || v === "n" || v === "0");
}

/** One page of §6 users. */
export interface UsersPage {
  users: TalemetryUser[];
  page: number;
  totalPages: number;
}

/**
 * §6 `{"result": {"Users": [...], "Page", "TotalPages"}}`. Users without an id or an email are left
 * out: a note's `AuthorEmail` must be a user's email (§5), so such a user can never be mapped.
 */
export function parseUsersBody(body: unknown, requestedPage: number): UsersPage {
  const result = resultOf(body);
  const list = isRecord(result.Users) && "User" in result.Users ? result.Users.User : result.Users;
  const users: TalemetryUser[] = [];
  for (const entry of asList(list)) {
    if (!isRecord(entry)) continue;
    const id = textOf(entry.Id);
    const email = textOf(entry.Email);
    if (id === null || email === null) continue;
    users.push({ id, name: textOf(entry.Name) ?? email, email, active: activeOf(entry.Active) });
  }
  const page = intOf(result.Page) ?? requestedPage;
  return { users, page, totalPages: Math.max(intOf(result.TotalPages) ?? page, 0) };
}

/** What could be read from an error body (§ "Common rules": JSON, empty, HTML or XML). */
export interface ErrorBody {
  format: "json" | "xml" | "html" | "text" | "empty";
  code: string | null;
  message: string | null;
  /** §7 409: the candidate that already holds the email (`error.existing_id`), when the body names one. */
  existingId?: string;
}

function xmlElement(body: string, name: string): string | null {
  const match = new RegExp(`<(?:[\\w-]+:)?${name}\\b[^>]*>([^<]*)<`, "i").exec(body);
  return match ? match[1].trim() || null : null;
}

/** Reads an error body defensively; never throws. */
export function parseErrorBody(body: string, contentType: string | null): ErrorBody {
  const trimmed = body.trim();
  if (trimmed === "") return { format: "empty", code: null, message: null };
  const type = (contentType ?? "").toLowerCase();
  if (trimmed.startsWith("{") || trimmed.startsWith("[") || type.includes("json")) {
    try {
      const json: unknown = JSON.parse(trimmed);
      // The assumed shape is {"error": {code, message}}; `{"error": "..."}` and top-level fields are tolerated.
      const error = isRecord(json) ? (isRecord(json.error) ? json.error : json) : {};
      const bareError = isRecord(json) && typeof json.error === "string" ? json.error : null;
      const existingId = textOf(error.existing_id);
      return {
        format: "json",
        code: textOf(error.code) ?? bareError,
        message: textOf(error.message),
        ...(existingId ? { existingId } : {}),
      };
    } catch {
      // Not JSON after all: fall through to the markup/text readers.
    }
  }
  if (/^<!doctype html|^<html/i.test(trimmed) || type.includes("html")) {
    return { format: "html", code: null, message: xmlElement(trimmed, "title") ?? xmlElement(trimmed, "h1") };
  }
  if (trimmed.startsWith("<") || type.includes("xml")) {
    return {
      format: "xml",
      code: xmlElement(trimmed, "code") ?? xmlElement(trimmed, "faultcode"),
      message: xmlElement(trimmed, "message") ?? xmlElement(trimmed, "faultstring"),
    };
  }
  return { format: "text", code: null, message: trimmed };
}

/** Talemetry tokens (§1 shape), wherever they appear in upstream text. */
const TOKEN_PATTERN = /TGC-[0-9]+r[0-9A-Za-z]+/g;
const MAX_DETAIL_CHARS = 300;

/**
 * Makes upstream text fit for logs (`UpstreamError.upstreamDetail`): control characters and runs of
 * whitespace collapsed, tokens and the given secrets redacted, length bounded.
 */
export function sanitizeDetail(detail: string, secrets: ReadonlyArray<string | null | undefined> = []): string {
  let out = detail
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this strips
    .replace(/[\u0000-\u001f\u007f]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  for (const secret of secrets) {
    // Short strings would redact ordinary words; real tokens and keys are long.
    if (secret && secret.length >= 8) out = out.split(secret).join("[redacted]");
  }
  out = out.replace(TOKEN_PATTERN, "[redacted]");
  return out.length > MAX_DETAIL_CHARS ? `${out.slice(0, MAX_DETAIL_CHARS)}…` : out;
}
