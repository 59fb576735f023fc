/**
 * Zod schemas for what Talkdesk POSTs to each component (docs/contracts/talkdesk-bridge.md):
 * the `{auth, meta?, data?}` envelope and each action's `data`. They are lenient where Talkdesk's own
 * docs disagree with themselves (ids as strings or numbers, agent `offset` absent or `null`) and where
 * automation templates produce text (`"95"` for 95 seconds, `"Inbound"`, comma-separated lists), and
 * strict elsewhere. Every message names the field, because the contract answers a malformed envelope
 * with `400 {"message"}` naming it; values are never echoed (the envelope carries the API key).
 */
import { z } from "zod";
import { CANDIDATE_ID_PATTERN, USER_ID_PATTERN } from "../core/ids";
import { emailSchema } from "../domain/email";
import { CALL_DIRECTIONS, type CallDirection, type TalkdeskActionName } from "./actions-def";

/** Longest note or call summary accepted: keeps a request far inside the 64 KiB body limit. */
export const MAX_TEXT_CHARS = 10_000;
/** Most phones or emails one `update_contact` may add. */
export const MAX_LIST_ITEMS = 20;
/** A day: Talkdesk calls end long before, so more is a unit mix-up (milliseconds), not a call. */
export const MAX_CALL_SECONDS = 86_400;

/** Error-map helper: "is required" for a missing value, `message` for a wrong one. */
function req(message: string) {
  return (issue: { input?: unknown }) => (issue.input === undefined ? "is required" : message);
}

const absentAsEmptyObject = (v: unknown) => (v === undefined || v === null ? {} : v);
const nullAsAbsent = (v: unknown) => (v === null ? undefined : v);
const blankAsAbsent = (v: unknown) => (v === null || (typeof v === "string" && v.trim() === "") ? undefined : v);

/** An external id Talkdesk may send as a string or a number (its docs show both); always a string out. */
const externalId = z.preprocess(
  (v) => (typeof v === "number" && Number.isSafeInteger(v) ? String(v) : blankAsAbsent(v)),
  z.string({ error: "must be a string or an integer" }).trim().max(256, "is too long").optional(),
);

/**
 * An external id that names a Talemetry record (a candidate, or a user for agents): by the one id rule
 * (src/core/ids.ts), so `..` or `a/b` is a `400` naming the field before any upstream call.
 */
const talemetryExternalId = (pattern: RegExp, what: string) =>
  z.preprocess(
    (v) => (typeof v === "number" && Number.isSafeInteger(v) ? String(v) : blankAsAbsent(v)),
    z
      .string({ error: "must be a string or an integer" })
      .trim()
      .regex(pattern, `must be a ${what} id (up to 128 letters, digits and ._:-, starting with a letter or digit)`)
      .optional(),
  );
const candidateExternalId = talemetryExternalId(CANDIDATE_ID_PATTERN, "candidate");
const agentExternalId = talemetryExternalId(USER_ID_PATTERN, "user");

const optionalText = (max: number) =>
  z.preprocess(blankAsAbsent, z.string({ error: "must be text" }).trim().max(max, `must be at most ${max} characters`).optional());

/** Longest item kept in a list Talkdesk fills from a contact: longer text is no email, phone or type. */
export const MAX_LIST_ITEM_CHARS = 320;
/** Longest `contact_name` kept; a longer one is cut (the bridge only ever shows it, never matches on it). */
export const MAX_CONTACT_NAME_CHARS_IN = 512;

/**
 * A list of strings Talkdesk fills from a contact's fields (§3): items that are no string, or too long to
 * be an email, phone or type, are skipped — one odd value must not cost the agent the whole activity
 * list. A value that is no list at all (a string, an object) is still a `400` naming the field.
 */
const lenientStringList = z.preprocess(
  (v) =>
    v === null ? undefined : Array.isArray(v) ? v.filter((item) => typeof item === "string" && item.length <= MAX_LIST_ITEM_CHARS) : v,
  z.array(z.string(), { error: "must be an array of strings" }).optional(),
);

/** Text that is cut to `max` characters (never splitting a character) rather than refused; blank is absent. */
const truncatedText = (max: number) =>
  z.preprocess(
    (v) => (typeof v === "string" ? Array.from(v.trim()).slice(0, max).join("") || undefined : blankAsAbsent(v)),
    z.string({ error: "must be text" }).optional(),
  );

/** `auth`: the stored credentials; ours is one `api_key`. Other stored fields pass through untouched. */
export const talkdeskAuthSchema = z.looseObject(
  {
    api_key: z
      .string({ error: req("must be a string") })
      .trim()
      .min(1, "is required")
      .max(512, "is too long"),
  },
  { error: "must be an object" },
);

/** `requireData`: a component that cannot work without `data` (§3) names it when it is absent. */
function envelope<M extends z.ZodType, D extends z.ZodType>(meta: M, data: D, opts: { requireData?: boolean } = {}) {
  return z.object(
    {
      // A missing `auth` reports "auth.api_key is required": the field the caller must actually fix.
      auth: z.preprocess(absentAsEmptyObject, talkdeskAuthSchema),
      meta: z.preprocess(absentAsEmptyObject, meta),
      data: opts.requireData ? z.preprocess(nullAsAbsent, data) : z.preprocess(absentAsEmptyObject, data),
    },
    { error: "must be a JSON object" },
  );
}

/** Authorization validator (§1): only `auth` matters. */
export const authValidationRequestSchema = envelope(z.looseObject({}, { error: "must be an object" }), z.unknown());

/** Contact retriever (§2). An empty checkpoint or offset is treated as absent. */
export const contactsRequestSchema = envelope(
  z.looseObject(
    {
      synchronization_checkpoint: z.preprocess(blankAsAbsent, z.string({ error: "must be a string" }).optional()),
      offset: z.preprocess(blankAsAbsent, z.string({ error: "must be a string" }).optional()),
      context: z.unknown().optional(),
    },
    { error: "must be an object" },
  ),
  z.unknown(),
);

/**
 * Interaction retriever (§3). Absent or empty `interaction_types` means all types. Tolerant of what
 * Talkdesk may send from a contact: an over-long name is cut, list items that are no string are
 * skipped. A field of the wrong kind altogether (a list sent as a string) or no `data` at all is a `400`
 * naming it.
 */
export const interactionsRequestSchema = envelope(
  z.looseObject({ interaction_types: lenientStringList }, { error: "must be an object" }),
  z.looseObject(
    {
      contact_external_id: candidateExternalId,
      contact_name: truncatedText(MAX_CONTACT_NAME_CHARS_IN),
      contact_emails: lenientStringList,
      contact_phones: lenientStringList,
    },
    { error: req("must be an object") },
  ),
  { requireData: true },
);

/** Agent retriever (§4): `offset` absent, `null`, an integer or a numeric string; absent means 0. */
export const agentsRequestSchema = envelope(
  z.looseObject(
    {
      offset: z
        .preprocess(
          (v) => (typeof v === "string" && /^\s*\d{1,15}\s*$/.test(v) ? Number(v) : blankAsAbsent(v)),
          z
            .number({ error: "must be a non-negative integer" })
            .int("must be a non-negative integer")
            .min(0, "must be a non-negative integer")
            .optional(),
        )
        .transform((v) => v ?? 0),
    },
    { error: "must be an object" },
  ),
  z.unknown(),
);

/** Action executor (§5) envelope; `data` is validated per action by `parseActionInput`. */
export const actionRequestSchema = envelope(
  z.looseObject({ contact_external_id: candidateExternalId, agent_external_id: agentExternalId }, { error: "must be an object" }),
  z.record(z.string(), z.unknown(), { error: "must be an object" }),
);

/** `"4:12"` (m:ss) or `"1:02:05"` (h:mm:ss) → seconds; null when the text is not such a clock reading. */
function clockSeconds(text: string): number | null {
  const m = /^\s*(?:(\d{1,2}):)?(\d{1,3}):([0-5]\d)\s*$/.exec(text);
  if (!m) return null;
  const [, h, min, sec] = m;
  if (h !== undefined && Number(min) > 59) return null;
  return Number(h ?? 0) * 3600 + Number(min) * 60 + Number(sec);
}

/**
 * Seconds as a number, numeric text (automation templates render numbers as text) or a clock reading
 * (`4:12`, `01:02:05`, as call reports show durations). Blank means absent.
 */
const seconds = z.preprocess(
  (v) => {
    if (typeof v !== "string") return v;
    if (v.trim() === "") return undefined;
    if (/^\s*\d+(\.\d+)?\s*$/.test(v)) return Number(v);
    return clockSeconds(v) ?? v;
  },
  z
    .number({ error: "must be a number of seconds" })
    .min(0, "must be a number of seconds")
    .max(MAX_CALL_SECONDS, `must be at most ${MAX_CALL_SECONDS} seconds`)
    .transform((n) => Math.round(n))
    .optional(),
);

/** Several values as an array or as one string separated by commas, semicolons or newlines. */
function valueList<T extends z.ZodType>(item: T) {
  return z
    .preprocess((v) => {
      const split = (s: string) =>
        s
          .split(/[,;\n]/)
          .map((part) => part.trim())
          .filter((part) => part.length > 0);
      if (v === undefined || v === null) return undefined;
      if (typeof v === "string") return split(v);
      if (Array.isArray(v)) return v.flatMap((entry) => (typeof entry === "string" ? split(entry) : [entry]));
      return v;
    }, z
      .array(item, { error: "must be a list or a comma-separated string" })
      .max(MAX_LIST_ITEMS, `must list at most ${MAX_LIST_ITEMS} values`)
      .optional())
    .transform((list) => list ?? []);
}

/**
 * How Talkdesk and call reports name a call's direction, lower-cased, to ours. Talkdesk's own call
 * types for a call nobody answered (`abandoned`, `short_abandoned`, `voicemail`) are missed calls.
 */
export const CALL_DIRECTION_WORDS: Readonly<Record<string, CallDirection>> = {
  inbound: "inbound",
  incoming: "inbound",
  outbound: "outbound",
  outgoing: "outbound",
  missed: "missed",
  abandoned: "missed",
  short_abandoned: "missed",
  voicemail: "missed",
};

/**
 * `log_call`: every input optional (Talkdesk does not run an action whose mandatory input is empty, and
 * its automations may not supply a direction or duration); what is missing is left out of the note.
 * A value that is present but unusable is still a `400` naming it: it is a configuration mistake the
 * integrator should see, not something to guess around.
 */
export const logCallInputSchema = z.object({
  direction: z.preprocess((v) => {
    if (typeof v !== "string") return v === null ? undefined : v;
    const word = v
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, "_");
    return word === "" ? undefined : (CALL_DIRECTION_WORDS[word] ?? v);
  }, z.enum(CALL_DIRECTIONS, { error: `must be one of ${CALL_DIRECTIONS.join(", ")}` }).optional()),
  duration: seconds,
  summary: optionalText(MAX_TEXT_CHARS),
  call_id: externalId,
  phone: optionalText(64),
});

/** `add_note`: the note text. */
export const addNoteInputSchema = z.object({
  text: z
    .string({ error: req("must be text") })
    .trim()
    .min(1, "must not be empty")
    .max(MAX_TEXT_CHARS, `must be at most ${MAX_TEXT_CHARS} characters`),
});

/** `update_contact`: phones and/or emails to add; at least one value overall. */
export const updateContactInputSchema = z
  .object({
    phones: valueList(z.string({ error: "must be a string" }).max(64, "is too long")),
    emails: valueList(emailSchema({ invalid: "must be an email address", tooLong: "is too long" })),
  })
  .superRefine((value, ctx) => {
    if (value.phones.length === 0 && value.emails.length === 0) {
      ctx.addIssue({ code: "custom", path: [], message: "must include phones or emails" });
    }
  });

/** Longest name `create_contact` takes (Talemetry's limit for one name part, §7). */
export const MAX_CONTACT_NAME_CHARS = 200;

/**
 * `create_contact`: the caller's name, a phone and/or an email, an optional note. The phone is only
 * bounded here: the candidate service resolves it by the one phone rule (a bad one is a `400` naming
 * `data.phone`).
 */
export const createContactInputSchema = z
  .object({
    name: z
      .string({ error: req("must be text") })
      .trim()
      .min(1, "must not be empty")
      .max(MAX_CONTACT_NAME_CHARS, `must be at most ${MAX_CONTACT_NAME_CHARS} characters`),
    phone: optionalText(64),
    email: z.preprocess(blankAsAbsent, emailSchema({ invalid: "must be an email address", tooLong: "is too long" }).optional()),
    note: optionalText(MAX_TEXT_CHARS),
  })
  .superRefine((value, ctx) => {
    if (value.phone === undefined && value.email === undefined) {
      ctx.addIssue({ code: "custom", path: [], message: "must include a phone or an email" });
    }
  });

/** The input schema of every action in `TALKDESK_ACTIONS`, by name. */
export const ACTION_INPUT_SCHEMAS = {
  log_call: logCallInputSchema,
  add_note: addNoteInputSchema,
  update_contact: updateContactInputSchema,
  create_contact: createContactInputSchema,
} as const satisfies Record<TalkdeskActionName, z.ZodType>;

export type AuthValidationRequest = z.output<typeof authValidationRequestSchema>;
export type ContactsRequest = z.output<typeof contactsRequestSchema>;
export type InteractionsRequest = z.output<typeof interactionsRequestSchema>;
export type AgentsRequest = z.output<typeof agentsRequestSchema>;
export type ActionRequest = z.output<typeof actionRequestSchema>;
export type ActionInput<N extends TalkdeskActionName> = z.output<(typeof ACTION_INPUT_SCHEMAS)[N]>;

/** Talkdesk's error body. */
export interface TalkdeskErrorBody {
  message: string;
}

export type TalkdeskParseResult<T> = { success: true; data: T } | { success: false; error: TalkdeskErrorBody };

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function fieldName(prefix: string | undefined, path: readonly PropertyKey[]): string {
  let name = prefix ?? "";
  for (const segment of path) {
    if (typeof segment === "number") name += `[${segment}]`;
    else if (typeof segment === "string" && IDENTIFIER.test(segment)) name += name ? `.${segment}` : segment;
    else name += `[${JSON.stringify(String(segment))}]`;
  }
  return name || "body";
}

// Our schemas phrase every message as a predicate ("is required", "must be …"); anything else (a
// library default) is replaced, so no message can leak an input value or read oddly after a field name.
const PREDICATE = /^(is|must|has|are) /;

/** Turns a zod error into the `message` of Talkdesk's error body, naming the field(s) at fault. */
export function talkdeskValidationMessage(error: z.ZodError, prefix?: string): string {
  const shown = error.issues.slice(0, 3).map((issue) => {
    const predicate = PREDICATE.test(issue.message) ? issue.message : "is invalid";
    return `${fieldName(prefix, issue.path)} ${predicate}`;
  });
  const more = error.issues.length - shown.length;
  return shown.join("; ") + (more > 0 ? ` (and ${more} more)` : "");
}

/** `{message}` for a zod error; see `talkdeskValidationMessage`. */
export function toTalkdeskError(error: z.ZodError, prefix?: string): TalkdeskErrorBody {
  return { message: talkdeskValidationMessage(error, prefix) };
}

/** Validates `input` with `schema`; on failure returns the Talkdesk `{message}` to send with `400`. */
export function parseTalkdesk<S extends z.ZodType>(schema: S, input: unknown, prefix?: string): TalkdeskParseResult<z.output<S>> {
  const result = schema.safeParse(input);
  return result.success ? { success: true, data: result.data } : { success: false, error: toTalkdeskError(result.error, prefix) };
}

/** Validates an action's `data` (from `actionRequestSchema`); messages name `data.<key>`. */
export function parseActionInput<N extends TalkdeskActionName>(action: N, data: unknown): TalkdeskParseResult<ActionInput<N>> {
  return parseTalkdesk(ACTION_INPUT_SCHEMAS[action], data, "data") as TalkdeskParseResult<ActionInput<N>>;
}
