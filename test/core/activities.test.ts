// The activity service (src/core/activities.ts) and note authors (src/core/users.ts), called directly
// with a request's services object against the simulator — once for every caller: the note written with
// its type and author, one note per idempotency key (the replay names the same note), a conflict for
// another body under the key, an update that rewrites the note, and the author rules.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO } from "../../sandbox/demo-data";
import { createActivity, getActivity, updateActivity } from "../../src/core/activities";
import { listCrmUsers, resolveAuthor } from "../../src/core/users";
import { AppError } from "../../src/platform/errors";
import { getTenant } from "../../src/tenants/store";
import type { Tenant } from "../../src/tenants/types";
import { getCandidate, getStats } from "../helpers/sandbox";
import { servicesFor } from "../helpers/services";
import { createTenant, type TestTenant } from "../helpers/tenants";

const MAYA = DEMO.maya.record.id;

let issued: TestTenant;
let tenant: Tenant;
beforeAll(async () => {
  issued = await createTenant({ region: "GB", settings: { default_author_email: "amy@agency.example" } });
  tenant = (await getTenant(env, issued.id))!;
});

async function notesOf(id: string): Promise<Array<{ Id: string; Text: string; AuthorEmail: string }>> {
  const candidate = await getCandidate(issued.talemetry.client_id, id);
  const notes = (candidate.Candidate as { UserArea?: { Notes?: { Note?: unknown } } }).UserArea?.Notes?.Note;
  return (Array.isArray(notes) ? notes : notes ? [notes] : []) as Array<{ Id: string; Text: string; AuthorEmail: string }>;
}

async function appError(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe("createActivity", () => {
  it("writes one note with its type, author and text, and returns the record with the note's id", async () => {
    const before = (await notesOf(MAYA)).length;
    const { activity, noteId, replayed } = await createActivity(servicesFor(tenant), {
      entity_id: MAYA,
      type: "call",
      body: "Discussed the night shift.",
      user_email: "BEN@agency.example",
      direction: "outbound",
      duration_seconds: 95,
    });
    expect(replayed).toBe(false);
    expect(activity).toMatchObject({ entity_id: MAYA, type: "call", user_id: "u-124", direction: "outbound", duration_seconds: 95 });
    const notes = await notesOf(MAYA);
    expect(notes).toHaveLength(before + 1);
    const note = notes.find((n) => n.Id === noteId);
    expect(note?.AuthorEmail).toBe("ben@agency.example");
    expect(note?.Text).toContain("Discussed the night shift.");
    expect(await getActivity(servicesFor(tenant), activity.id)).toEqual(activity);
  });

  it("answers a repeated key with the first activity and note, writing nothing", async () => {
    const key = `core:${crypto.randomUUID()}`;
    const input = { entity_id: MAYA, type: "sms", body: "Sent the job link." };
    const first = await createActivity(servicesFor(tenant), input, { idempotencyKey: key });
    const writes = (await getStats(issued.talemetry.client_id)).calls.note_create;
    const again = await createActivity(servicesFor(tenant), input, { idempotencyKey: key });
    expect(again).toEqual({ ...first, replayed: true });
    expect((await getStats(issued.talemetry.client_id)).calls.note_create).toBe(writes);
  });

  it("refuses another body under a used key with 409", async () => {
    const key = `core:${crypto.randomUUID()}`;
    await createActivity(servicesFor(tenant), { entity_id: MAYA, type: "sms", body: "one" }, { idempotencyKey: key });
    const err = await appError(createActivity(servicesFor(tenant), { entity_id: MAYA, type: "sms", body: "two" }, { idempotencyKey: key }));
    expect(err.status).toBe(409);
  });

  it("refuses an unknown type and an unknown author with 422 naming the field, before writing", async () => {
    const writes = (await getStats(issued.talemetry.client_id)).calls.note_create;
    const type = await appError(createActivity(servicesFor(tenant), { entity_id: MAYA, type: "fax", body: "x" }));
    expect([type.status, type.errors?.[0]?.field]).toEqual([422, "type"]);
    const author = await appError(createActivity(servicesFor(tenant), { entity_id: MAYA, type: "call", body: "x", user_id: "u-999" }));
    expect([author.status, author.errors?.[0]?.field]).toEqual([422, "user_id"]);
    expect((await getStats(issued.talemetry.client_id)).calls.note_create).toBe(writes);
  });
});

describe("updateActivity", () => {
  it("rewrites the note and the record", async () => {
    const { activity, noteId } = await createActivity(servicesFor(tenant), { entity_id: MAYA, type: "call", body: "before" });
    const updated = await updateActivity(servicesFor(tenant), activity.id, { body: "after", type: "meeting" });
    expect(updated).toMatchObject({ id: activity.id, body: "after", type: "meeting" });
    expect((await notesOf(MAYA)).find((n) => n.Id === noteId)?.Text).toContain("after");
  });

  it("is a 404 for an unknown activity", async () => {
    expect((await appError(updateActivity(servicesFor(tenant), "act_000000000000000000000000", { body: "x" }))).status).toBe(404);
  });
});

describe("note authors", () => {
  it("resolve by id, by email (any case), else the tenant's default author", async () => {
    const s = servicesFor(tenant);
    expect(await resolveAuthor(s, { userId: "u-125" })).toEqual({ id: "u-125", email: "chloe.martin@agency.example" });
    expect(await resolveAuthor(s, { userEmail: " Hiro@Agency.Example " })).toEqual({ id: "u-132", email: "hiro@agency.example" });
    expect(await resolveAuthor(s, {})).toEqual({ id: "u-123", email: "amy@agency.example" });
  });

  it("must be active CRM users; without a default author the first active user by id writes", async () => {
    const s = servicesFor(tenant);
    await expect(resolveAuthor(s, { userId: "u-127" })).rejects.toMatchObject({ status: 422, errors: [{ field: "user_id" }] });
    await expect(resolveAuthor(s, { userEmail: "grace.okafor@agency.example" })).rejects.toMatchObject({
      status: 422,
      errors: [{ field: "user_email" }],
    });
    const bare = { ...tenant, settings: { ...tenant.settings, default_author_email: null } };
    expect(await resolveAuthor(servicesFor(bare), {})).toEqual({ id: "u-123", email: "amy@agency.example" });
  });

  it("list the CRM users from KV after the first read", async () => {
    const first = await listCrmUsers(servicesFor(tenant));
    const s = servicesFor(tenant);
    expect(await listCrmUsers(s)).toEqual(first);
    expect(s.stats.calls).toBe(0);
  });
});
