/**
 * The one rule for the ids callers hand the bridge: candidate ids (Talemetry GUIDs), activity ids (the
 * bridge's own) and CRM user ids (Talemetry user ids). Every caller checks its ids against these
 * patterns where the request enters — /v1 path parameters and bodies, Talkdesk's `contact_external_id`
 * and `agent_external_id` — so a malformed id is answered in the caller's format before any upstream
 * call, and no id can leave its path segment (`..` would make `/v1/people/../notes` into `/v1/notes`).
 * The adapter refuses such segments too (src/talemetry/client.ts); this is the first of the two fences.
 */

/**
 * A Talemetry id (candidate GUID, user id): opaque (docs/contracts/talemetry-upstream.md, "Common rules")
 * but always letters and digits with `._:-`, starting with a letter or digit, at most 128 characters.
 * That excludes `.`, `..`, `/`, `%`, `?`, `#`, spaces and control characters: one path segment, always.
 */
export const TALEMETRY_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** A candidate id (a Talemetry GUID, e.g. `0290bb50-7113-11ef-9c70-b6a35a531041`). */
export const CANDIDATE_ID_PATTERN = TALEMETRY_ID_PATTERN;

/** A CRM user id (a Talemetry user id, e.g. `u-123`): `user_id` of /v1, Talkdesk's agent ids. */
export const USER_ID_PATTERN = TALEMETRY_ID_PATTERN;

/** An activity id: the bridge issues `act_` + 24 hex digits (src/directory/activities.ts `newActivityId`). */
export const ACTIVITY_ID_PATTERN = /^act_[0-9a-f]{24}$/;

/** True when `value` can be a candidate id. */
export function isCandidateId(value: string): boolean {
  return CANDIDATE_ID_PATTERN.test(value);
}

/** True when `value` can be a CRM user id. */
export function isUserId(value: string): boolean {
  return USER_ID_PATTERN.test(value);
}

/** True when `value` can be an activity id. */
export function isActivityId(value: string): boolean {
  return ACTIVITY_ID_PATTERN.test(value);
}
