/**
 * The actions this bridge offers Talkdesk automations, as data: the manifest publishes them, the input
 * schemas (./schemas.ts) validate them, the manifest document renders them. One list, so the three can
 * never disagree about an action's name or its inputs (docs/contracts/talkdesk-bridge.md, §5).
 */

/** One entry of an action's `inputs`, named exactly as Talkdesk's configuration reference names them. */
export interface TalkdeskActionInput {
  /** The key the value arrives under in the request's `data`. */
  key: string;
  /** The label Talkdesk shows next to the field. */
  name: string;
  /** Talkdesk does not execute the action when a mandatory input has no value. */
  mandatory: boolean;
}

/** An action without the deployment-specific parts (`provider`, `endpoint`), which the manifest adds. */
export interface TalkdeskActionDef {
  name: string;
  /** Lower case: Talkdesk shows it as "Then <display>". */
  display: string;
  /** A lower-case phrase without a final period: Talkdesk shows it after the action's "Then". */
  description: string;
  inputs: readonly TalkdeskActionInput[];
}

/** The `message` of each action's `201` (the manifest document shows these very texts). */
export const ACTION_MESSAGES = {
  callLogged: "Call logged in Talemetry.",
  noteAdded: "Note added in Talemetry.",
  contactUpdated: "Candidate updated in Talemetry.",
  contactUnchanged: "The candidate already has these phones and emails in Talemetry.",
  candidateCreated: "Candidate created in Talemetry.",
  candidateExists: "A Talemetry candidate already has this phone or email; no new candidate was created.",
  noteAlsoAdded: " The note was added.",
} as const;

/** The call directions `log_call` accepts (case-insensitive on the wire). */
export const CALL_DIRECTIONS = ["inbound", "outbound", "missed"] as const;
export type CallDirection = (typeof CALL_DIRECTIONS)[number];

export const TALKDESK_ACTIONS = [
  {
    name: "log_call",
    display: "log the call",
    description: "adds a call note to the candidate in Talemetry: direction, duration, the agent and the call summary",
    // Nothing is mandatory: Talkdesk does not run an action whose mandatory input has no value, and its
    // automations may not supply a direction or duration — the call would go unlogged. What is missing
    // is left out of the note; the candidate comes from the contact, else from the call's phone.
    inputs: [
      { key: "direction", name: "Call direction (inbound, outbound or missed)", mandatory: false },
      { key: "duration", name: "Call duration in seconds", mandatory: false },
      { key: "summary", name: "Call summary", mandatory: false },
      { key: "call_id", name: "Talkdesk call ID", mandatory: false },
      { key: "phone", name: "Candidate phone number of the call", mandatory: false },
    ],
  },
  {
    name: "add_note",
    display: "add a note to the candidate",
    description: "adds a free-text note to the candidate in Talemetry, authored by the agent when known",
    inputs: [{ key: "text", name: "Note text", mandatory: true }],
  },
  {
    name: "update_contact",
    display: "update the candidate's phones and emails",
    description:
      "adds phone numbers and email addresses to the candidate in Talemetry, keeping the existing ones (several values separated by commas)",
    inputs: [
      { key: "phones", name: "Phone numbers (comma-separated)", mandatory: false },
      { key: "emails", name: "Email addresses (comma-separated)", mandatory: false },
    ],
  },
  {
    name: "create_contact",
    display: "create a candidate for the caller",
    description:
      "creates the caller as a candidate in Talemetry (or finds the one who already has the phone or email) and shows it in Talkdesk",
    inputs: [
      { key: "name", name: "Full name", mandatory: true },
      // Optional each, one of the two required: Talkdesk knows only "mandatory" per input.
      { key: "phone", name: "Phone number", mandatory: false },
      { key: "email", name: "Email address", mandatory: false },
      { key: "note", name: "Note about the caller", mandatory: false },
    ],
  },
] as const satisfies readonly TalkdeskActionDef[];

export type TalkdeskActionName = (typeof TALKDESK_ACTIONS)[number]["name"];

/** Narrows a path segment to one of our action names (anything else is a `404` per the contract). */
export function isTalkdeskActionName(name: string): name is TalkdeskActionName {
  return TALKDESK_ACTIONS.some((action) => action.name === name);
}
