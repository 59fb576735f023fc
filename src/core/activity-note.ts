/**
 * The text of the Talemetry note behind an activity. Talemetry notes have no type, direction or
 * duration (docs/contracts/talemetry-upstream.md §5), so the text carries them for the recruiter reading it in
 * Talemetry, and ends with the activity id so that an attempt whose answer was lost can be found
 * before a retry writes the note again. Pure functions.
 */
import type { ActivityDirection } from "../directory/activities";

/** What a note shows. */
export interface ActivityNoteContent {
  activityId: string;
  /** The type's display name (the tenant's own name for it). */
  typeName: string;
  direction: ActivityDirection | null;
  durationSeconds: number | null;
  body: string;
}

/** The last line of every note the bridge writes; unique per activity (96 random bits in the id). */
export function activityMarker(activityId: string): string {
  return `[talentlynk activity ${activityId}]`;
}

// The marker as the last line, whatever the activity (ids are `act_` + 24 hex digits, see newActivityId).
const TRAILING_MARKER = /\n?\[talentlynk activity act_[0-9a-f]{24}\]\s*$/;

/** A note's text without its trailing activity marker, for readers it means nothing to (Talkdesk agents). */
export function withoutActivityMarker(noteText: string): string {
  return noteText.replace(TRAILING_MARKER, "");
}

/** True when a note's text is the one written for this activity. */
export function isNoteOfActivity(noteText: string, activityId: string): boolean {
  return noteText.includes(activityMarker(activityId));
}

/** "45 s", "4 min 5 s", "1 h 2 min", as a recruiter reads it. */
export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const parts: string[] = [];
  if (h > 0) parts.push(`${h} h`);
  if (m > 0) parts.push(`${m} min`);
  if (s > 0 || parts.length === 0) parts.push(`${s} s`);
  return parts.join(" ");
}

/**
 * ```
 * Phone call · Outbound · 4 min 5 s
 * <body>
 * [talentlynk activity act_…]
 * ```
 */
export function renderActivityNote(content: ActivityNoteContent): string {
  const heading = [content.typeName];
  if (content.direction) heading.push(content.direction === "inbound" ? "Inbound" : "Outbound");
  if (content.durationSeconds !== null) heading.push(formatDuration(content.durationSeconds));
  return [heading.join(" · "), content.body, activityMarker(content.activityId)].join("\n");
}
