/**
 * Sample data for the "API Manifest" document: one candidate as the Talemetry adapter would extract it
 * (the contract's Maya Ortiz, docs/contracts/v1-api.md "Entities"), a second minimal one,
 * and a few Talemetry users. The document runs these through the real mapping functions, so its sample
 * responses are exactly what the bridge would answer. Fictional people, `example` domains only.
 */
import { renderActivityNote } from "../../src/core/activity-note";
import { type CandidateDetails, type Person, type TalemetryUser, toPerson } from "../../src/domain/person";
import { type CallNoteInput, toCallActivity } from "../../src/talkdesk/mapping";
import { DEFAULT_ACTIVITY_TYPES } from "../../src/tenants/activity-types";
import { candidateUrl } from "../../src/tenants/settings";

/** The activity id the sample call note carries (the shape `newActivityId` issues). */
export const SAMPLE_ACTIVITY_ID = "act_5f0c6a1e9b2d4c7a8e3f1b6d";

/**
 * The whole text of a logged call's note as it lands in Talemetry: the activity service's heading and
 * marker around `renderCallNote`'s body, under the built-in name of the `call` type.
 */
export function sampleCallNoteText(input: CallNoteInput & { duration_seconds?: number | null }): string {
  const activity = toCallActivity(input);
  const typeName = DEFAULT_ACTIVITY_TYPES.find((t) => t.id === activity.type)?.name ?? activity.type;
  return renderActivityNote({
    activityId: SAMPLE_ACTIVITY_ID,
    typeName,
    direction: activity.direction,
    durationSeconds: activity.duration_seconds,
    body: activity.body,
  });
}

/** A tenant's `candidate_url_template` (reserved `.example` domain). */
export const SAMPLE_CANDIDATE_URL_TEMPLATE = "https://talemetry.example/candidates/{id}";

export const SAMPLE_DETAILS: CandidateDetails = {
  id: "0290bb50-7113-11ef-9c70-b6a35a531041",
  name: "Maya Ortiz",
  first_name: "Maya",
  last_name: "Ortiz",
  emails: ["maya.ortiz@example.com"],
  phones: [
    { number: "+14155550142", type: "mobile", valid: true, raw: "1 415 5550142" },
    // Not E.164-resolvable: stays in Talemetry for TalentLynk to fix, never sent to Talkdesk.
    { number: "555 0199", type: "home", valid: false, raw: "555 0199" },
  ],
  company: "Example Health",
  title: "Staff Nurse",
  address: "Oakland, CA 94612, US",
  websites: ["https://portfolio.example/maya-ortiz"],
  do_not_contact: false,
  consent: { sms: "yes", email: "yes" },
  lifecycle: "Active",
  tags: ["icu", "nights"],
  notes: [
    {
      id: "5b0c7f24-a8e1-11ef-8d2c-0242ac120002",
      text: sampleCallNoteText({
        direction: "inbound",
        duration_seconds: 252,
        summary: "Asked about the ICU night-shift posting; prefers three 12-hour shifts a week.",
        agent: { name: "Ana Silva", email: "ana.silva@example.com" },
        phone: "+14155550142",
        call_id: "6f1d3b2a9c8e4f7a",
      }),
      date_time: "2026-11-22T10:03:00Z",
      author_email: "ana.silva@example.com",
    },
    {
      id: "3e9a51d6-a6f0-11ef-8d2c-0242ac120002",
      text: "Phone screen passed\nStrong ICU background (5 years, Level I trauma). Available from January.",
      date_time: "2026-11-20T15:42:10Z",
      author_email: "ben.okafor@example.com",
    },
  ],
  applications: [
    {
      id: "a7c2e0f4-a5d1-11ef-8d2c-0242ac120002",
      posting_title: "Staff Nurse - ICU (Nights)",
      applied_at: "2026-11-18",
      status: "Phone Screen Scheduled",
      disposition_date: "2026-11-20",
    },
    {
      id: "1f4b8c3e-6a2d-11ef-9c70-b6a35a531041",
      posting_title: "Registered Nurse - Med/Surg",
      applied_at: "2026-09-02",
      status: "Not Selected",
      disposition_date: "2026-09-15",
    },
  ],
};

/** The directory's person record of `SAMPLE_DETAILS`. */
export const SAMPLE_PERSON: Person = toPerson(SAMPLE_DETAILS, {
  url: candidateUrl({ candidate_url_template: SAMPLE_CANDIDATE_URL_TEMPLATE }, SAMPLE_DETAILS.id),
  updatedAt: "2026-11-22T10:03:00Z",
});

/** A candidate with only a name and an email, as many imported candidates are. */
export const SAMPLE_PERSON_MINIMAL: Person = {
  id: "902b3f8e-8bd6-11ef-b7ce-b24f8d2e4b83",
  entity: "candidate",
  name: "Joe Park",
  first_name: "Joe",
  last_name: "Park",
  emails: ["joe.park@example.org"],
  phones: [],
  company: null,
  title: null,
  do_not_contact: false,
  consent: { sms: null, email: null },
  url: "https://talemetry.example/candidates/902b3f8e-8bd6-11ef-b7ce-b24f8d2e4b83",
  updated_at: "2026-11-22T11:15:00Z",
};

export const SAMPLE_USERS: TalemetryUser[] = [
  { id: "1001", name: "Ana Silva", email: "ana.silva@example.com", active: true },
  { id: "1002", name: "Ben Okafor", email: "ben.okafor@example.com", active: true },
  { id: "1003", name: "Carla Nguyen", email: "carla.nguyen@example.com", active: false },
  { id: "1004", name: "Chloé Martin", email: "chloe.martin@example.com", active: true },
];
