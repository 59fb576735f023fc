// Envelope and action-input schemas: Talkdesk's own samples from the contract (with our `api_key`)
// are accepted, malformed envelopes are refused with messages naming the field, numbers and numeric
// strings coerce alike, and no message echoes a submitted value.
import { describe, expect, it } from "vitest";
import {
  actionRequestSchema,
  agentsRequestSchema,
  authValidationRequestSchema,
  contactsRequestSchema,
  interactionsRequestSchema,
  MAX_CALL_SECONDS,
  MAX_LIST_ITEMS,
  parseActionInput,
  parseTalkdesk,
  talkdeskValidationMessage,
} from "../../src/talkdesk/schemas";

const auth = { api_key: "tk_secret_value_123" };

function ok<T>(result: { success: true; data: T } | { success: false; error: { message: string } }): T {
  if (!result.success) throw new Error(`expected success, got: ${result.error.message}`);
  return result.data;
}
function message(result: { success: boolean; error?: { message: string } }): string {
  expect(result.success).toBe(false);
  return result.error!.message;
}

describe("Talkdesk's samples (contract) are accepted", () => {
  it("authorization validator", () => {
    expect(ok(parseTalkdesk(authValidationRequestSchema, { auth })).auth.api_key).toBe(auth.api_key);
    // Talkdesk may send back fields the bridge asked it to store: they pass through.
    expect(ok(parseTalkdesk(authValidationRequestSchema, { auth: { ...auth, extra: "x" } })).auth).toEqual({ ...auth, extra: "x" });
  });

  it("contact retriever: the four situations", () => {
    expect(ok(parseTalkdesk(contactsRequestSchema, { auth })).meta).toEqual({});
    expect(ok(parseTalkdesk(contactsRequestSchema, { auth, meta: { offset: "2" } })).meta).toEqual({ offset: "2" });
    expect(
      ok(parseTalkdesk(contactsRequestSchema, { auth, meta: { synchronization_checkpoint: "2012-11-20 23:01:00 UTC" } })).meta,
    ).toEqual({
      synchronization_checkpoint: "2012-11-20 23:01:00 UTC",
    });
    const both = ok(
      parseTalkdesk(contactsRequestSchema, { auth, meta: { offset: "2", synchronization_checkpoint: "seq:9", context: { k: [1] } } }),
    );
    expect(both.meta).toEqual({ offset: "2", synchronization_checkpoint: "seq:9", context: { k: [1] } });
  });

  it("contact retriever: null or empty checkpoint/offset count as absent", () => {
    expect(ok(parseTalkdesk(contactsRequestSchema, { auth, meta: { offset: null, synchronization_checkpoint: "" } })).meta).toEqual({});
    expect(ok(parseTalkdesk(contactsRequestSchema, { auth, meta: null })).meta).toEqual({});
  });

  it("interaction retriever", () => {
    const data = ok(
      parseTalkdesk(interactionsRequestSchema, {
        auth,
        meta: { interaction_types: ["case", "note"] },
        data: {
          contact_external_id: "1",
          contact_name: "Jane",
          contact_emails: ["jane.doe@example.com", "jane@example.com"],
          contact_phones: ["+15555555555"],
        },
      }),
    );
    expect(data.meta.interaction_types).toEqual(["case", "note"]);
    expect(data.data).toEqual({
      contact_external_id: "1",
      contact_name: "Jane",
      contact_emails: ["jane.doe@example.com", "jane@example.com"],
      contact_phones: ["+15555555555"],
    });
    // A numeric id becomes a string; a contact not from this bridge has no id at all.
    expect(ok(parseTalkdesk(interactionsRequestSchema, { auth, data: { contact_external_id: 42 } })).data.contact_external_id).toBe("42");
    expect(
      ok(parseTalkdesk(interactionsRequestSchema, { auth, data: { contact_phones: ["+15555555555"] } })).data.contact_external_id,
    ).toBeUndefined();
    expect(
      ok(parseTalkdesk(interactionsRequestSchema, { auth, meta: { interaction_types: null }, data: {} })).meta.interaction_types,
    ).toBeUndefined();
  });

  it("agent retriever: offset absent, null, integer or numeric string", () => {
    expect(ok(parseTalkdesk(agentsRequestSchema, { auth })).meta.offset).toBe(0);
    expect(ok(parseTalkdesk(agentsRequestSchema, { auth, meta: { offset: null } })).meta.offset).toBe(0);
    expect(ok(parseTalkdesk(agentsRequestSchema, { auth, meta: { offset: 5 } })).meta.offset).toBe(5);
    expect(ok(parseTalkdesk(agentsRequestSchema, { auth, meta: { offset: " 5 " } })).meta.offset).toBe(5);
  });

  it("action executor envelope", () => {
    const req = ok(
      parseTalkdesk(actionRequestSchema, {
        auth,
        meta: { contact_external_id: "1", agent_external_id: 2 },
        data: { subject: "Call missed in Talkdesk", description: "A call from Jane Doe was missed." },
      }),
    );
    expect(req.meta).toEqual({ contact_external_id: "1", agent_external_id: "2" });
    expect(req.data).toEqual({ subject: "Call missed in Talkdesk", description: "A call from Jane Doe was missed." });
    // Either meta id may be absent.
    expect(ok(parseTalkdesk(actionRequestSchema, { auth, data: {} })).meta).toEqual({});
    expect(ok(parseTalkdesk(actionRequestSchema, { auth })).data).toEqual({});
  });
});

describe("malformed envelopes name the field", () => {
  it.each([
    [{}, "auth.api_key is required"],
    [{ auth: {} }, "auth.api_key is required"],
    [{ auth: { api_key: "   " } }, "auth.api_key is required"],
    [{ auth: { api_key: 42 } }, "auth.api_key must be a string"],
    [{ auth: "key" }, "auth must be an object"],
    [null, "body must be a JSON object"],
    [[], "body must be a JSON object"],
    ["text", "body must be a JSON object"],
    [{ auth, meta: [] }, "meta must be an object"],
    [{ auth, meta: { offset: 3 } }, "meta.offset must be a string"],
    [{ auth, meta: { synchronization_checkpoint: {} } }, "meta.synchronization_checkpoint must be a string"],
  ])("contacts %j → %s", (body, expected) => {
    expect(message(parseTalkdesk(contactsRequestSchema, body))).toBe(expected);
  });

  it.each([
    [{ auth, meta: { offset: -1 } }, "meta.offset must be a non-negative integer"],
    [{ auth, meta: { offset: 1.5 } }, "meta.offset must be a non-negative integer"],
    [{ auth, meta: { offset: "five" } }, "meta.offset must be a non-negative integer"],
  ])("agents %j → %s", (body, expected) => {
    expect(message(parseTalkdesk(agentsRequestSchema, body))).toBe(expected);
  });

  it("interactions and actions", () => {
    expect(message(parseTalkdesk(interactionsRequestSchema, { auth, meta: { interaction_types: "note" }, data: {} }))).toBe(
      "meta.interaction_types must be an array of strings",
    );
    expect(message(parseTalkdesk(interactionsRequestSchema, { auth, data: { contact_phones: "+15555555555" } }))).toBe(
      "data.contact_phones must be an array of strings",
    );
    // No data at all: nothing to find the contact by.
    expect(message(parseTalkdesk(interactionsRequestSchema, { auth }))).toBe("data is required");
    expect(message(parseTalkdesk(interactionsRequestSchema, { auth, data: null }))).toBe("data is required");
    expect(message(parseTalkdesk(interactionsRequestSchema, { auth, data: ["x"] }))).toBe("data must be an object");
    expect(message(parseTalkdesk(actionRequestSchema, { auth, data: ["x"] }))).toBe("data must be an object");
    expect(message(parseTalkdesk(actionRequestSchema, { auth, meta: { agent_external_id: 1.5 } }))).toBe(
      "meta.agent_external_id must be a string or an integer",
    );
  });

  it("interactions tolerate what Talkdesk may send from a contact: odd list items skipped, an over-long name cut", () => {
    const parsed = ok(
      parseTalkdesk(interactionsRequestSchema, {
        auth,
        meta: { interaction_types: ["note", 7, null, { type: "case" }, "application"] },
        data: {
          contact_name: `  ${"é".repeat(600)}  `,
          contact_emails: [null, "jane@example.com", 42, ["x"], "x".repeat(321), {}],
          contact_phones: [15555555555, "+15555555555", false],
        },
      }),
    );
    expect(parsed.meta.interaction_types).toEqual(["note", "application"]);
    expect(parsed.data.contact_name).toBe("é".repeat(512));
    expect(parsed.data.contact_emails).toEqual(["jane@example.com"]);
    expect(parsed.data.contact_phones).toEqual(["+15555555555"]);
    expect(ok(parseTalkdesk(interactionsRequestSchema, { auth, data: { contact_name: "  " } })).data.contact_name).toBeUndefined();
    expect(message(parseTalkdesk(interactionsRequestSchema, { auth, data: { contact_name: 5 } }))).toBe("data.contact_name must be text");
  });

  it("lists several problems, at most three, and never echoes values", () => {
    const msg = message(
      parseTalkdesk(interactionsRequestSchema, {
        auth: { api_key: 123456789 },
        meta: { interaction_types: "tk_secret" },
        data: { contact_emails: "tk_secret", contact_phones: "tk_secret" },
      }),
    );
    expect(msg).toBe(
      "auth.api_key must be a string; meta.interaction_types must be an array of strings; data.contact_emails must be an array of strings (and 1 more)",
    );
    expect(msg).not.toMatch(/tk_secret|123456789/);
  });
});

describe("action inputs", () => {
  it("log_call coerces numbers and numeric strings alike, direction in any case", () => {
    const a = ok(parseActionInput("log_call", { direction: "Inbound", duration: "95", summary: " Talked. " }));
    const b = ok(parseActionInput("log_call", { direction: "INBOUND", duration: 95, summary: "Talked." }));
    expect(a).toEqual(b);
    expect(a).toEqual({ direction: "inbound", duration: 95, summary: "Talked." });
    expect(ok(parseActionInput("log_call", { direction: " missed ", duration: " 12.6 " })).duration).toBe(13);
    expect(ok(parseActionInput("log_call", { direction: "outbound", duration: 0, call_id: 987, phone: "" }))).toEqual({
      direction: "outbound",
      duration: 0,
      call_id: "987",
    });
  });

  it("log_call takes every input as optional: absent, null and blank values are left out", () => {
    expect(ok(parseActionInput("log_call", {}))).toEqual({});
    expect(ok(parseActionInput("log_call", { direction: "", duration: " ", summary: null, call_id: "", phone: null }))).toEqual({});
    expect(ok(parseActionInput("log_call", { summary: "Left a message." }))).toEqual({ summary: "Left a message." });
  });

  it("log_call reads Talkdesk's call types and clock durations", () => {
    const direction = (d: unknown) => ok(parseActionInput("log_call", { direction: d })).direction;
    expect(["Incoming", "inbound", "INBOUND"].map(direction)).toEqual(["inbound", "inbound", "inbound"]);
    expect(["outgoing", "Outbound"].map(direction)).toEqual(["outbound", "outbound"]);
    expect(["abandoned", "short_abandoned", "Short abandoned", "voicemail", "missed"].map(direction)).toEqual(Array(5).fill("missed"));
    const duration = (d: unknown) => ok(parseActionInput("log_call", { duration: d })).duration;
    expect(["4:12", "04:12", "1:02:05", "0:00", "90:00"].map(duration)).toEqual([252, 252, 3725, 0, 5400]);
  });

  it("log_call refuses a value that is present but unusable, naming data.<key>", () => {
    expect(message(parseActionInput("log_call", { direction: "sideways", duration: 1 }))).toBe(
      "data.direction must be one of inbound, outbound, missed",
    );
    expect(message(parseActionInput("log_call", { direction: 3 }))).toBe("data.direction must be one of inbound, outbound, missed");
    for (const duration of ["abc", "-5", "1e3", "4:60", "1:60:00", "4:1", true, [], {}]) {
      expect(message(parseActionInput("log_call", { direction: "inbound", duration })), JSON.stringify(duration)).toBe(
        "data.duration must be a number of seconds",
      );
    }
    expect(message(parseActionInput("log_call", { direction: "inbound", duration: -1 }))).toBe("data.duration must be a number of seconds");
    expect(message(parseActionInput("log_call", { direction: "inbound", duration: MAX_CALL_SECONDS + 1 }))).toBe(
      `data.duration must be at most ${MAX_CALL_SECONDS} seconds`,
    );
    expect(message(parseActionInput("log_call", { direction: "inbound", duration: 1, summary: "x".repeat(10_001) }))).toBe(
      "data.summary must be at most 10000 characters",
    );
  });

  it("add_note needs non-empty text", () => {
    expect(ok(parseActionInput("add_note", { text: "  Hello\n" }))).toEqual({ text: "Hello" });
    expect(message(parseActionInput("add_note", {}))).toBe("data.text is required");
    expect(message(parseActionInput("add_note", { text: " " }))).toBe("data.text must not be empty");
    expect(message(parseActionInput("add_note", { text: 5 }))).toBe("data.text must be text");
  });

  it("update_contact takes arrays or comma/semicolon separated strings", () => {
    expect(
      ok(parseActionInput("update_contact", { phones: "+1 415 555 0142; 020 7946 0958,", emails: ["a@example.com, b@example.org"] })),
    ).toEqual({
      phones: ["+1 415 555 0142", "020 7946 0958"],
      emails: ["a@example.com", "b@example.org"],
    });
    expect(ok(parseActionInput("update_contact", { phones: ["+14155550142"] }))).toEqual({ phones: ["+14155550142"], emails: [] });
    expect(ok(parseActionInput("update_contact", { emails: "a@example.com", phones: null }))).toEqual({
      phones: [],
      emails: ["a@example.com"],
    });
  });

  it("update_contact refusals", () => {
    expect(message(parseActionInput("update_contact", {}))).toBe("data must include phones or emails");
    expect(message(parseActionInput("update_contact", { phones: " , ; ", emails: [] }))).toBe("data must include phones or emails");
    expect(message(parseActionInput("update_contact", { emails: "a@example.com; nope" }))).toBe("data.emails[1] must be an email address");
    expect(message(parseActionInput("update_contact", { phones: [14155550142] }))).toBe("data.phones[0] must be a string");
    expect(message(parseActionInput("update_contact", { phones: 14155550142 }))).toBe(
      "data.phones must be a list or a comma-separated string",
    );
    expect(
      message(
        parseActionInput("update_contact", {
          phones: Array.from({ length: MAX_LIST_ITEMS + 1 }, (_, i) => `+1415555${String(i).padStart(4, "0")}`),
        }),
      ),
    ).toBe(`data.phones must list at most ${MAX_LIST_ITEMS} values`);
  });
});

describe("talkdeskValidationMessage", () => {
  it("formats odd keys and replaces library wording", () => {
    const result = actionRequestSchema.safeParse({ auth, data: { "odd key": 1 } });
    expect(result.success).toBe(true);
    const bad = agentsRequestSchema.safeParse({ auth, meta: { offset: "x" } });
    expect(bad.success).toBe(false);
    if (!bad.success) expect(talkdeskValidationMessage(bad.error, "outer")).toBe("outer.meta.offset must be a non-negative integer");
  });
});
