// Accounts at a large customer's size (issue 13): seeded candidates are derived on demand, so an account
// of a million costs no storage; the Match API pages a 200,000-candidate account returning every id
// exactly once; and whatever the API or control routes change on a seeded candidate — contact, notes,
// lifecycle, deletion — is stored as an override that wins over the derivation everywhere.
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO } from "../../sandbox/demo-data";
import {
  control,
  createAccount,
  createCandidate,
  deleteCandidate,
  getCandidate,
  getStats,
  sandboxToken,
  seedAccount,
  updateCandidate,
  upstreamJson,
} from "../helpers/sandbox";

const IDS = "/match/v1/people/ids";

/** Follows the cursor to the end with PageSize 500; returns every id and the number of pages. */
async function listAll(token: string, body: Record<string, unknown> = {}) {
  const ids: string[] = [];
  let pages = 0;
  let cursor: string | null = null;
  do {
    const res: any = await upstreamJson(IDS, { token, body: { PageSize: 500, ...body, Cursor: cursor } });
    expect(res.status, res.text).toBe(200);
    ids.push(...res.json.result.Ids);
    cursor = res.json.result.Cursor;
    pages++;
  } while (cursor);
  return { ids, pages };
}

const range = (Event: string, From: string, To: string) => ({ DateTimeRange: { From, To, Event } });
const EVER = ["2000-01-01T00:00:00Z", "2099-01-01T00:00:00Z"] as const;

async function profile(token: string, id: string, include: string[] = []) {
  const res = await upstreamJson("/soap/profiles/v1", { token, body: { ids: [id], include } });
  expect(res.status).toBe(200);
  return res.json.result.Candidates[0]?.Candidate ?? null;
}

describe("an account of 1,000,000 seeded candidates", () => {
  it("is seeded without storing them, and serves every call", async () => {
    const { client_id: clientId } = await createAccount("million");
    expect(await seedAccount(clientId, 1_000_000)).toMatchObject({ count: 1_000_000 });
    const stats = await getStats(clientId);
    expect(stats.candidates.current + stats.candidates.deleted).toBe(1_000_000);
    expect(stats.candidates.deleted).toBeGreaterThan(20_000); // about 3 %
    // The demo candidates and a few rows of bookkeeping: nowhere near a million rows.
    expect(stats.storageBytes).toBeLessThan(1_000_000);

    const token = await sandboxToken(clientId);
    const first = await upstreamJson(IDS, { token, body: { PageSize: 500 } });
    expect(first.json.result.Ids).toHaveLength(500);
    const recent = await upstreamJson(IDS, {
      token,
      body: { ...range("created", "2025-05-01T00:00:00Z", "2025-05-31T23:59:59Z"), PageSize: 500 },
    });
    const ids: string[] = recent.json.result.Ids;
    expect(ids).toHaveLength(500);
    const found = await upstreamJson("/soap/profiles/v1", { token, body: { ids: ids.slice(0, 50), include: ["notes", "tags"] } });
    const listed = found.json.result.Candidates.map((c: any) => c.Candidate.CandidateRecordInfo.Id.IdValue);
    // Deleted candidates stay listed under `created` but have no profile.
    expect(listed.length).toBeGreaterThan(40);
    expect(ids.slice(0, 50)).toEqual(expect.arrayContaining(listed));
  });
});

describe("a derived account of 200,000", () => {
  const COUNT = 200_000;
  let clientId: string;
  let token: string;

  beforeAll(async () => {
    ({ client_id: clientId } = await createAccount("scale"));
    await seedAccount(clientId, COUNT);
    token = await sandboxToken(clientId);
  });

  it("pages every current id exactly once with PageSize 500", { timeout: 120_000 }, async () => {
    const { ids, pages } = await listAll(token);
    const { candidates } = await getStats(clientId);
    expect(candidates.current + candidates.deleted).toBe(COUNT);
    expect(ids).toHaveLength(candidates.current);
    expect(new Set(ids).size).toBe(ids.length);
    expect(pages).toBe(Math.ceil(candidates.current / 500));
    for (const demo of Object.values(DEMO)) expect(ids).toContain(demo.record.id);
  });

  it("lists every candidate once under `created` and every deleted one under `deleted`", { timeout: 120_000 }, async () => {
    const created = (await listAll(token, range("created", ...EVER))).ids;
    expect(created).toHaveLength(COUNT);
    expect(new Set(created).size).toBe(COUNT);
    const deleted = (await listAll(token, range("deleted", ...EVER))).ids;
    expect(deleted).toHaveLength((await getStats(clientId)).candidates.deleted);
    expect(new Set(deleted).size).toBe(deleted.length);
    const current = new Set((await listAll(token)).ids);
    expect(deleted.filter((id) => current.has(id))).toEqual([]);
  });

  it("pages `updated` the same whatever the page size, and adjacent windows add up to the whole", { timeout: 120_000 }, async () => {
    const window = range("updated", "2024-03-01T00:00:00Z", "2024-03-10T23:59:59.999Z");
    const by500 = (await listAll(token, window)).ids;
    expect(by500.length).toBeGreaterThan(1000);
    expect((await listAll(token, { ...window, PageSize: 37 })).ids).toEqual(by500);
    const firstHalf = (await listAll(token, range("updated", "2024-03-01T00:00:00Z", "2024-03-05T12:00:00Z"))).ids;
    const secondHalf = (await listAll(token, range("updated", "2024-03-05T12:00:00.001Z", "2024-03-10T23:59:59.999Z"))).ids;
    expect([...firstHalf, ...secondHalf]).toEqual(by500);
  });
});

describe("overrides win over derived records", () => {
  let clientId: string;
  let token: string;
  /** Seeded (derived) candidates created in a quiet week of 2023, each with its creation time. */
  let seeded: Array<{ id: string; createdAt: string }>;

  beforeAll(async () => {
    ({ client_id: clientId } = await createAccount("override"));
    await seedAccount(clientId, 100_000);
    token = await sandboxToken(clientId);
    const page = await upstreamJson(IDS, {
      token,
      body: { ...range("created", "2023-06-01T00:00:00Z", "2023-06-07T00:00:00Z"), PageSize: 40 },
    });
    seeded = [];
    for (const id of page.json.result.Ids as string[]) {
      const view = await getCandidate(clientId, id);
      if (view.deletedAt === null && view.record.contact.some((cm) => cm.InternetEmailAddress))
        seeded.push({ id, createdAt: view.createdAt });
    }
    expect(seeded.length).toBeGreaterThan(10);
  });

  const createdAt = (c: { createdAt: string }) => range("created", c.createdAt, c.createdAt);

  it("serves a contact PATCH on a seeded candidate from its override, the rest of the record kept", async () => {
    const [target] = seeded;
    const before = await profile(token, target.id, ["notes", "experience"]);
    const res = await upstreamJson(`/v1/people/${target.id}/contact`, {
      method: "PATCH",
      token,
      body: { emails: ["override.one@example.com"], phones: [{ use: "mobile", number: "+14155550177" }] },
    });
    expect(res.status, res.text).toBe(200);
    const after = await profile(token, target.id, ["notes", "experience"]);
    const methods = [after.Resume.StructuredXMLResume.ContactInfo.ContactMethod].flat();
    expect(methods.map((m: any) => m.InternetEmailAddress).filter(Boolean)).toEqual(["override.one@example.com"]);
    expect(methods.some((m: any) => m.Mobile?.FormattedNumber === "+14155550177")).toBe(true);
    expect(after.Resume.StructuredXMLResume.EmploymentHistory).toEqual(before.Resume.StructuredXMLResume.EmploymentHistory);
    expect(after.Resume.StructuredXMLResume.ContactInfo.PersonName).toEqual(before.Resume.StructuredXMLResume.ContactInfo.PersonName);
    // Still listed once, in its seeded place, and now under `updated` at write time.
    expect((await listAll(token, createdAt(target))).ids).toEqual([target.id]);
    const now = new Date().toISOString();
    const recent = await listAll(token, range("updated", new Date(Date.now() - 60_000).toISOString(), now));
    expect(recent.ids).toEqual([target.id]);
  });

  it("keeps a seeded candidate's notes and adds written ones (and edits of seeded notes) to its override", async () => {
    const target = seeded[1];
    const seededNotes = (await getCandidate(clientId, target.id)).record.notes;
    const res = await upstreamJson(`/v1/people/${target.id}/notes`, {
      token,
      body: { Text: "Called back", AuthorEmail: "amy@agency.example" },
    });
    expect(res.status).toBe(201);
    const notes = (await getCandidate(clientId, target.id)).record.notes;
    expect(notes).toEqual([...seededNotes, res.json.result.Note]);
    const edit = await upstreamJson(`/v1/people/${target.id}/notes/${notes[0].Id}`, { method: "PATCH", token, body: { Text: "edited" } });
    expect(edit.status).toBe(200);
    expect((await getCandidate(clientId, target.id)).record.notes[0]).toEqual({ ...notes[0], Text: "edited" });
  });

  it("filters a seeded candidate by its overridden lifecycle and source", async () => {
    const target = seeded[2];
    await updateCandidate(clientId, target.id, { lifecycle: "current_contingent", source: "indeed" });
    expect((await listAll(token, { ...createdAt(target), ExcludeLifeCycles: ["current_contingent"] })).ids).toEqual([]);
    await updateCandidate(clientId, target.id, { lifecycle: "applicant", source: "peoplesoft_ats" });
    expect((await listAll(token, { ...createdAt(target), ExcludeLifeCycles: ["current_contingent"] })).ids).toEqual([target.id]);
    expect((await listAll(token, { ...createdAt(target), ExcludeSources: ["peoplesoft_ats"] })).ids).toEqual([]);
  });

  it("deletes a seeded candidate: gone from profiles and the current listing, listed under `deleted`, counted", async () => {
    const target = seeded[3];
    const before = (await getStats(clientId)).candidates;
    const since = new Date(Date.now() - 1000).toISOString();
    await deleteCandidate(clientId, target.id);
    expect(await profile(token, target.id)).toBeNull();
    expect((await getStats(clientId)).candidates).toEqual({ current: before.current - 1, deleted: before.deleted + 1 });
    expect((await listAll(token, createdAt(target))).ids).toEqual([target.id]);
    expect((await listAll(token, range("deleted", since, "2099-01-01T00:00:00Z"))).ids).toEqual([target.id]);
    expect((await listAll(token)).ids).not.toContain(target.id);
    const patch = await upstreamJson(`/v1/people/${target.id}/contact`, { method: "PATCH", token, body: { emails: [] } });
    expect(patch.status).toBe(404);
  });

  it("refuses a seeded candidate's email to anyone else (409) until its override lets it go", async () => {
    const target = seeded[4];
    const email = (await getCandidate(clientId, target.id)).record.contact.find((cm) => cm.InternetEmailAddress)!.InternetEmailAddress!;
    const steal = (address: string) =>
      upstreamJson(`/v1/people/${DEMO.maya.record.id}/contact`, { method: "PATCH", token, body: { emails: [address] } });
    expect((await steal(email.toUpperCase())).status).toBe(409);
    const post = await control(`/accounts/${clientId}/candidates`, { method: "POST", body: JSON.stringify({ emails: [email] }) });
    expect(post.status).toBe(409);
    // The owner may keep writing its own email.
    const own = await upstreamJson(`/v1/people/${target.id}/contact`, { method: "PATCH", token, body: { emails: [email] } });
    expect(own.status).toBe(200);
    await updateCandidate(clientId, target.id, { emails: ["moved.elsewhere@example.com"] });
    expect((await steal(email)).status).toBe(200);
    // A deleted seeded candidate's emails are free as well.
    const gone = seeded[5];
    const goneEmail = (await getCandidate(clientId, gone.id)).record.contact.find((cm) => cm.InternetEmailAddress)!.InternetEmailAddress!;
    await deleteCandidate(clientId, gone.id);
    expect((await steal(goneEmail)).status).toBe(200);
  });

  it("refuses a fixed id that a seeded candidate has (409)", async () => {
    const res = await control(`/accounts/${clientId}/candidates`, { method: "POST", body: JSON.stringify({ id: seeded[6].id }) });
    expect(res.status).toBe(409);
    const created = await createCandidate(clientId, { givenName: "Fresh", at: "2023-06-03T00:00:00Z" });
    const window = (await listAll(token, range("created", "2023-06-01T00:00:00Z", "2023-06-07T00:00:00Z"))).ids;
    expect(window).toContain(created);
    expect(new Set(window).size).toBe(window.length);
  });
});
