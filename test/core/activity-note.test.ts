// The note text behind an activity: what a recruiter sees in Talemetry, and the marker that finds a
// note whose create answer was lost.
import { describe, expect, it } from "vitest";
import { formatDuration, isNoteOfActivity, renderActivityNote } from "../../src/core/activity-note";

describe("renderActivityNote", () => {
  it("shows type, direction, duration, body and the activity id", () => {
    const text = renderActivityNote({
      activityId: "act_0123456789abcdef01234567",
      typeName: "Phone call",
      direction: "outbound",
      durationSeconds: 245,
      body: "Discussed the role.",
    });
    expect(text).toBe("Phone call · Outbound · 4 min 5 s\nDiscussed the role.\n[talentlynk activity act_0123456789abcdef01234567]");
    expect(isNoteOfActivity(text, "act_0123456789abcdef01234567")).toBe(true);
    expect(isNoteOfActivity(text, "act_0123456789abcdef01234568")).toBe(false);
  });

  it("leaves out what is unknown", () => {
    expect(renderActivityNote({ activityId: "act_x", typeName: "SMS", direction: null, durationSeconds: null, body: "" })).toBe(
      "SMS\n\n[talentlynk activity act_x]",
    );
  });

  it.each([
    [0, "0 s"],
    [45, "45 s"],
    [60, "1 min"],
    [3_725, "1 h 2 min 5 s"],
  ])("formats %i seconds as %s", (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});
