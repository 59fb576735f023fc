// The type of a free-text note a Talkdesk action writes (add_note, create_contact's note): the built-in
// `note`, or `call` when the tenant hid `note`.
import { describe, expect, it } from "vitest";
import { talkdeskNoteType } from "../../src/talkdesk/actions/note-actions";
import { DEFAULT_SETTINGS } from "../../src/tenants/settings";
import type { Tenant } from "../../src/tenants/types";

const tenantWith = (activity_types: Tenant["settings"]["activity_types"]) =>
  ({ settings: { ...DEFAULT_SETTINGS, activity_types } }) as Tenant;

describe("talkdeskNoteType", () => {
  it("is note for a tenant with the built-in types, also when note is renamed", () => {
    expect(talkdeskNoteType(tenantWith({}))).toBe("note");
    expect(talkdeskNoteType(tenantWith({ note: { name: "Remark" } }))).toBe("note");
  });

  it("is call when the tenant hid note", () => {
    expect(talkdeskNoteType(tenantWith({ note: { hidden: true } }))).toBe("call");
  });
});
