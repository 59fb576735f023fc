/**
 * Pure mapping from the bridge's shapes (src/domain/person.ts) to Talkdesk's: contacts (contact sync),
 * interactions ("Contact Activity"), agents (agent sync), and the note text a logged call becomes.
 * Field rules are those of docs/contracts/talkdesk-bridge.md §2–§5; no I/O happens here.
 */

import { withoutActivityMarker } from "../core/activity-note";
import type { CandidateDetails, Person, TalemetryUser } from "../domain/person";
import type { CallDirection } from "./actions-def";

/** The interaction types this integration declares (`interaction_types` in the manifest). */
export const TALKDESK_INTERACTION_TYPES = ["note", "application"] as const;
export type TalkdeskInteractionType = (typeof TALKDESK_INTERACTION_TYPES)[number];

/** Talkdesk shows a note's first line as the subject; the contract caps it at 80 characters. */
export const SUBJECT_MAX_CHARS = 80;

/**
 * Cap on interactions per response: Talkdesk asks every time a contact is displayed, and a long-lived
 * candidate can carry hundreds of notes; the newest ones are what an agent reads during a call.
 */
export const MAX_INTERACTIONS = 100;

/** Date given to items Talemetry left undated: Talkdesk requires `date`, and the epoch reads as "unknown". */
export const UNKNOWN_TALKDESK_DATE = "1970-01-01 00:00:00 UTC";

/** A contact in Talkdesk's contact-sync shape; optional fields are omitted rather than empty. */
export interface TalkdeskContact {
  id: string;
  name: string;
  title?: string;
  emails?: string[];
  /** E.164 only. */
  phones?: string[];
  company?: string;
  address?: string;
  /** The candidate's web addresses (HR-XML `InternetWebAddress`), when Talemetry holds any. */
  websites?: string[];
  url?: string;
}

/** One item of the interaction retriever's bare-array response. */
export interface TalkdeskInteraction {
  id: string;
  subject: string;
  description?: string;
  /** `YYYY-MM-DD HH:MM:SS UTC`. */
  date: string;
  url?: string;
  type: TalkdeskInteractionType;
  /** Applications only, when the disposition fits one of Talkdesk's statuses (`applicationStatus`). */
  status?: TalkdeskInteractionStatus;
}

/** Talkdesk's interaction statuses (§3). */
export const TALKDESK_INTERACTION_STATUSES = ["new", "open", "pending", "solved", "closed"] as const;
export type TalkdeskInteractionStatus = (typeof TALKDESK_INTERACTION_STATUSES)[number];

// Words of a disposition status name (ATS stages, e.g. "020 Applied", "Phone Screen Scheduled", "Not
// Selected"), checked in this order: an ending first ("Offer Declined" is over, not an offer), then a
// hire, a wait, a fresh application, and any stage in progress.
const STATUS_WORDS: ReadonlyArray<[TalkdeskInteractionStatus, RegExp]> = [
  [
    "closed",
    /\b(not selected|reject\w*|declin\w*|withdr[ae]wn?|disqualif\w*|unqualified|not qualified|unsuccessful|closed|cancell?ed|no show|archived|dispositioned)\b/,
  ],
  ["solved", /\b(hired|offer accepted|accepted offer|placed|onboard\w*|started)\b/],
  ["pending", /\b(on hold|hold|pending|waiting|wait ?list\w*|deferred)\b/],
  ["new", /\b(new|applied|received|submitted|unreviewed)\b/],
  [
    "open",
    /\b(screen\w*|interview\w*|review\w*|assess\w*|test\w*|offer\w*|reference\w*|background|shortlist\w*|scheduled|in progress|contacted|qualified)\b/,
  ],
];

/**
 * Talkdesk's status for an application, from its disposition status name, or null when none fits:
 * `closed` (rejected, withdrawn…), `solved` (hired), `pending` (on hold), `new` (applied), `open` (any
 * stage in progress: screening, interviews, an offer). A leading stage code ("020 Applied") is ignored.
 */
export function applicationStatus(disposition: string | null | undefined): TalkdeskInteractionStatus | null {
  const text = (disposition ?? "")
    .toLowerCase()
    .replace(/^[\s\d.:-]+/, "")
    .replace(/[_-]+/g, " ");
  if (!text.trim()) return null;
  for (const [status, words] of STATUS_WORDS) if (words.test(text)) return status;
  return null;
}

/** One agent of the agent retriever's response; `id` is a string (Talkdesk's reference types it so). */
export interface TalkdeskAgent {
  id: string;
  name: string;
  email: string;
}

const E164 = /^\+[1-9]\d{1,14}$/;

function clean(value: string | null | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function uniqueBy(values: string[], key: (value: string) => string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const value of values) {
    const k = key(value);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(value);
  }
  return out;
}

/**
 * Maps a directory person to a Talkdesk contact. Only phones the bridge accepted (`valid`, hence E.164)
 * are sent: Talkdesk matches callers on E.164, and a raw invalid number would never match anyway.
 * `extras.url` wins over `person.url`; `address` and `websites` come from the adapter's details when known.
 */
export function toTalkdeskContact(
  person: Person,
  extras: { address?: string | null; url?: string | null; websites?: readonly string[] | null } = {},
): TalkdeskContact {
  const emails = uniqueBy(
    person.emails.map((e) => e.trim()).filter((e) => e.length > 0),
    (e) => e.toLowerCase(),
  );
  const phones = uniqueBy(
    person.phones.filter((p) => p.valid && E164.test(p.number)).map((p) => p.number),
    (p) => p,
  );
  const fullName = [clean(person.first_name), clean(person.last_name)].filter(Boolean).join(" ");
  // `name` is mandatory for Talkdesk; a candidate stored without one is still worth showing on a call.
  const name = clean(person.name) ?? clean(fullName) ?? emails[0] ?? phones[0] ?? `Candidate ${person.id}`;

  const contact: TalkdeskContact = { id: person.id, name };
  const title = clean(person.title);
  if (title) contact.title = title;
  if (emails.length > 0) contact.emails = emails;
  if (phones.length > 0) contact.phones = phones;
  const company = clean(person.company);
  if (company) contact.company = company;
  const address = clean(extras.address);
  if (address) contact.address = address;
  const websites = uniqueBy(
    (extras.websites ?? []).map((w) => w.trim()).filter((w) => w.length > 0),
    (w) => w.toLowerCase(),
  );
  if (websites.length > 0) contact.websites = websites;
  const url = clean(extras.url) ?? clean(person.url);
  if (url) contact.url = url;
  return contact;
}

// ISO 8601 date or date-time (`T` or space), optional seconds and fraction, optional zone (`Z`, `UTC`,
// `±HH`, `±HH:MM`, `±HHMM`). No zone means UTC: Talemetry timestamps are UTC, and JavaScript would
// otherwise read a zoneless date-time as local time.
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|UTC|[+-]\d{2}(?::?\d{2})?)?$/i;

function parseDate(input: string | Date): number | null {
  if (input instanceof Date) {
    const ms = input.getTime();
    return Number.isNaN(ms) ? null : ms;
  }
  const m = ISO_DATE.exec(input.trim());
  if (!m) return null;
  const [, y, mo, d, h = "0", mi = "0", s = "0", frac = "", zone = ""] = m;
  const parts = [Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)] as const;
  const local = Date.UTC(...parts, Number(frac.slice(0, 3).padEnd(3, "0")));
  // Round-trip the fields so that impossible dates (2026-02-30, 25:00) are refused, not rolled over.
  const check = new Date(local);
  if (
    check.getUTCFullYear() !== parts[0] ||
    check.getUTCMonth() !== parts[1] ||
    check.getUTCDate() !== parts[2] ||
    check.getUTCHours() !== parts[3] ||
    check.getUTCMinutes() !== parts[4] ||
    check.getUTCSeconds() !== parts[5]
  ) {
    return null;
  }
  let offsetMinutes = 0;
  if (zone && !/^(z|utc)$/i.test(zone)) {
    const sign = zone.startsWith("-") ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2) || "0");
    if (oh > 23 || om > 59) return null;
    offsetMinutes = sign * (oh * 60 + om);
  }
  return local - offsetMinutes * 60_000;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/**
 * Formats a date the way Talkdesk's samples do: `YYYY-MM-DD HH:MM:SS UTC` (seconds precision).
 * Accepts a `Date` or ISO 8601 text (a bare `YYYY-MM-DD` is midnight UTC); returns null when the input
 * is not a real date, so callers decide what an unknown date means.
 */
export function formatTalkdeskDate(isoOrDate: string | Date): string | null {
  const ms = parseDate(isoOrDate);
  if (ms === null) return null;
  const d = new Date(ms);
  if (Number.isNaN(d.getTime()) || d.getUTCFullYear() < 0 || d.getUTCFullYear() > 9999) return null;
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`
  );
}

/** Truncates to `max` code points (never splitting a surrogate pair), marking the cut with "…". */
function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return `${chars
    .slice(0, max - 1)
    .join("")
    .trimEnd()}…`;
}

function noteSubjectAndDescription(text: string): { subject: string; description?: string } {
  const body = text.replace(/\r\n?/g, "\n").trim();
  if (!body) return { subject: "Note" };
  const newline = body.indexOf("\n");
  const first = (newline < 0 ? body : body.slice(0, newline)).trim();
  const rest = newline < 0 ? "" : body.slice(newline + 1).trim();
  if (Array.from(first).length <= SUBJECT_MAX_CHARS) {
    return rest ? { subject: first, description: rest } : { subject: first };
  }
  // The first line did not fit: the description repeats the whole note so that nothing is lost.
  return { subject: truncate(first, SUBJECT_MAX_CHARS), description: body };
}

export interface InteractionOptions {
  /** Link to the candidate in Talemetry; Talemetry has no per-note URL, so every item links there. */
  candidateUrl?: string | null;
  /** At most this many items, newest first (default `MAX_INTERACTIONS`). */
  limit?: number;
}

/**
 * Builds the interaction retriever's bare array from a candidate's notes and applications: filtered
 * by the requested types (absent or empty → all of ours; unknown types are ignored), ids prefixed by
 * type so they stay unique across types, newest first. Items without a parseable date come last,
 * dated `UNKNOWN_TALKDESK_DATE`. An application is dated by its application date, else its
 * disposition date.
 */
export function toInteractions(
  details: CandidateDetails,
  types: readonly string[] | undefined,
  opts: InteractionOptions = {},
): TalkdeskInteraction[] {
  const wanted = new Set<string>(types && types.length > 0 ? types : TALKDESK_INTERACTION_TYPES);
  const url = clean(opts.candidateUrl);
  const items: Array<{ at: number | null; item: TalkdeskInteraction }> = [];

  const push = (
    type: TalkdeskInteractionType,
    id: string,
    date: string | null,
    text: { subject: string; description?: string },
    status: TalkdeskInteractionStatus | null = null,
  ) => {
    const at = date ? parseDate(date) : null;
    const formatted = at === null ? null : formatTalkdeskDate(new Date(at));
    // Keys in the order of Talkdesk's own sample, so responses read like its docs.
    const item: TalkdeskInteraction = {
      id: `${type}:${id}`,
      subject: text.subject,
      ...(text.description ? { description: text.description } : {}),
      date: formatted ?? UNKNOWN_TALKDESK_DATE,
      ...(url ? { url } : {}),
      type,
      ...(status ? { status } : {}),
    };
    items.push({ at: formatted ? at : null, item });
  };

  if (wanted.has("note")) {
    // The bridge's own notes end with an activity marker (for lost-answer recovery): noise to an agent.
    for (const note of details.notes) push("note", note.id, note.date_time, noteSubjectAndDescription(withoutActivityMarker(note.text)));
  }
  if (wanted.has("application")) {
    for (const app of details.applications) {
      const description = clean(app.status);
      push(
        "application",
        app.id,
        app.applied_at ?? app.disposition_date,
        {
          subject: truncate(clean(app.posting_title) ?? "Application", SUBJECT_MAX_CHARS),
          ...(description ? { description } : {}),
        },
        applicationStatus(app.status),
      );
    }
  }

  items.sort((a, b) => {
    if (a.at !== b.at) {
      if (a.at === null) return 1;
      if (b.at === null) return -1;
      return b.at - a.at;
    }
    // Deterministic order for equal dates, so Talkdesk's list does not reshuffle between views.
    return a.item.id < b.item.id ? -1 : a.item.id > b.item.id ? 1 : 0;
  });
  const limit = opts.limit !== undefined && opts.limit >= 0 ? Math.floor(opts.limit) : MAX_INTERACTIONS;
  return items.slice(0, limit).map((entry) => entry.item);
}

/** Maps a Talemetry user to a Talkdesk agent (Talkdesk links agents to its users by email). */
export function toAgent(user: TalemetryUser): TalkdeskAgent {
  const email = user.email.trim();
  return { id: String(user.id), name: clean(user.name) ?? email, email };
}

/**
 * One page of agent sync: `offset` indexes the list of **active** users ordered by id (code-unit
 * order, so the order never depends on a locale); `next_offset` only when more remain.
 */
export function toAgentPage(
  users: readonly TalemetryUser[],
  offset: number,
  pageSize: number,
): { agents: TalkdeskAgent[]; next_offset?: number } {
  const active = users.filter((u) => u.active).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const start = Math.max(0, Math.floor(offset));
  const size = Math.max(1, Math.floor(pageSize));
  const agents = active.slice(start, start + size).map(toAgent);
  return start + size < active.length ? { agents, next_offset: start + size } : { agents };
}

/** What `renderCallNote` needs; the agent is whoever `meta.agent_external_id` resolved to, if anyone. */
export interface CallNoteInput {
  /** Absent when Talkdesk did not say: the note then names no direction. */
  direction?: CallDirection | null;
  summary?: string | null;
  agent?: { name?: string | null; email?: string | null } | null;
  /**
   * Talkdesk's `agent_external_id` when it names no active Talemetry user: the note is then written
   * under the tenant's default author, and its headline says which Talkdesk agent it was.
   */
  unknownAgentId?: string | null;
  call_id?: string | null;
  phone?: string | null;
}

// Control characters other than tab and newline would show up as garbage in Talemetry's note view.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this strips
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

function sanitize(text: string | null | undefined): string {
  return (text ?? "").replace(/\r\n?/g, "\n").replace(CONTROL, "").trim();
}

/**
 * ` by Talkdesk agent 4711 (not a Talemetry user)` when the action's agent is no active Talemetry user
 * (the note's author is then the tenant's default author, who did not make the call), else nothing.
 */
export function unknownAgentByline(agentId: string | null | undefined): string {
  const id = sanitize(agentId).replace(/\s+/g, " ");
  return id ? ` by Talkdesk agent ${id} (not a Talemetry user)` : "";
}

/**
 * The body of the note a logged call becomes. The activity service writes it under a heading that
 * already names the type, direction and duration (`Phone call · Inbound · 4 min 12 s`) and ends it with
 * the activity marker, so the body starts with a headline saying what the heading cannot — that the call
 * came through Talkdesk, whether it was missed, and which Talkdesk agent made it when the author is a
 * stand-in — then the summary, then the facts. Whatever Talkdesk did not send is left out.
 */
export function renderCallNote(input: CallNoteInput): string {
  const headline = `${input.direction === "missed" ? "Missed call in Talkdesk" : "Call in Talkdesk"}${unknownAgentByline(input.unknownAgentId)}`;
  const lines = [headline];
  const summary = sanitize(input.summary);
  if (summary) lines.push(summary);

  const facts: string[] = [];
  const agentName = sanitize(input.agent?.name);
  const agentEmail = sanitize(input.agent?.email);
  if (agentName || agentEmail) {
    facts.push(`Agent: ${agentName && agentEmail ? `${agentName} <${agentEmail}>` : agentName || agentEmail}`);
  }
  const phone = sanitize(input.phone);
  if (phone) facts.push(`Phone: ${phone}`);
  const callId = sanitize(input.call_id);
  if (callId) facts.push(`Talkdesk call ID: ${callId}`);
  if (facts.length > 0) lines.push("", ...facts);
  return lines.join("\n");
}

/**
 * The body of an `add_note` note: the agent's text, under a headline naming the Talkdesk agent when the
 * author is a stand-in for one who is no Talemetry user.
 */
export function renderAddedNote(text: string, unknownAgentId?: string | null): string {
  const byline = unknownAgentByline(unknownAgentId);
  return byline ? `Note in Talkdesk${byline}\n${text}` : text;
}

/** What a logged call becomes in the activity service: a `call` activity (candidate and author aside). */
export interface CallActivity {
  type: "call";
  body: string;
  direction: "inbound" | "outbound" | null;
  duration_seconds: number | null;
}

/**
 * Maps a `log_call` to its activity. A missed call came in (`inbound`) and has no duration: Talkdesk's
 * duration there is ringing time, not a conversation. No direction or duration: none in the activity.
 */
export function toCallActivity(input: CallNoteInput & { duration_seconds?: number | null }): CallActivity {
  const direction = input.direction ?? null;
  return {
    type: "call",
    body: renderCallNote(input),
    direction: direction === null ? null : direction === "outbound" ? "outbound" : "inbound",
    duration_seconds: direction === "missed" ? null : (input.duration_seconds ?? null),
  };
}
