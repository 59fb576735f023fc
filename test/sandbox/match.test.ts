// The Match API (contract §2): keyset pages by (event time, GUID) with an opaque cursor, the
// DateTimeRange window (From ≤ t ≤ To, inclusive), created/updated/deleted events — including writes'
// `updated` events — the exclusion filters, and request validation.
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO } from "../../sandbox/demo-data";
import {
  createAccount,
  createCandidate,
  deleteCandidate,
  getStats,
  sandboxToken,
  seedAccount,
  setSettings,
  updateCandidate,
  upstreamJson,
} from "../helpers/sandbox";

const IDS = "/match/v1/people/ids";

async function page(token: string, body: Record<string, unknown>) {
  const res = await upstreamJson(IDS, { token, body });
  expect(res.status, res.text).toBe(200);
  return res.json.result as { Ids: string[]; Cursor: string | null };
}

/** Follows the cursor to the end; returns every id and the number of pages. */
async function all(token: string, body: Record<string, unknown>) {
  const ids: string[] = [];
  let pages = 0;
  let cursor: string | null = null;
  do {
    const p = await page(token, { ...body, Cursor: cursor });
    ids.push(...p.Ids);
    cursor = p.Cursor;
    pages++;
  } while (cursor);
  return { ids, pages };
}

const range = (Event: string, From: string, To: string) => ({ DateTimeRange: { From, To, Event } });

describe("without DateTimeRange", () => {
  let token: string;
  let clientId: string;
  beforeAll(async () => {
    ({ client_id: clientId } = await createAccount("match"));
    token = await sandboxToken(clientId);
  });

  it("lists every current candidate once, 100 a page by default, Cursor null on the last page", async () => {
    const first = await page(token, {});
    expect(first.Ids).toHaveLength(100);
    expect(typeof first.Cursor).toBe("string");
    const { ids, pages } = await all(token, {});
    const { candidates } = await getStats(clientId);
    expect(ids).toHaveLength(candidates.current);
    expect(new Set(ids).size).toBe(ids.length);
    expect(pages).toBe(Math.ceil(candidates.current / 100));
    expect(ids).toContain(DEMO.maya.record.id);
  });

  it("pages of any size up to 500 give the same sequence", async () => {
    const by7 = await all(token, { PageSize: 7 });
    const by500 = await all(token, { PageSize: 500 });
    expect(by7.ids).toEqual(by500.ids);
    expect(by500.pages).toBe(1);
  });

  it("leaves deleted candidates out", async () => {
    const { client_id: own } = await createAccount("match-del");
    const ownToken = await sandboxToken(own);
    await deleteCandidate(own, DEMO.maya.record.id);
    expect((await all(ownToken, { PageSize: 500 })).ids).not.toContain(DEMO.maya.record.id);
  });
});

describe("with DateTimeRange", () => {
  let clientId: string;
  let token: string;
  const created: Record<string, string> = {};

  beforeAll(async () => {
    ({ client_id: clientId } = await createAccount("match-range"));
    await seedAccount(clientId, 0);
    token = await sandboxToken(clientId);
    // Three candidates at the same instant (ordered by GUID), one a second later, one far later.
    for (const [key, at, id] of [
      ["b", "2026-01-01T10:00:00Z", "bbbbbbbb-0000-1000-8000-000000000000"],
      ["a", "2026-01-01T10:00:00Z", "aaaaaaaa-0000-1000-8000-000000000000"],
      ["c", "2026-01-01T10:00:00Z", "cccccccc-0000-1000-8000-000000000000"],
      ["d", "2026-01-01T10:00:01Z", "dddddddd-0000-1000-8000-000000000000"],
      ["e", "2026-03-01T00:00:00Z", "eeeeeeee-0000-1000-8000-000000000000"],
    ] as const) {
      created[key] = await createCandidate(clientId, { id, givenName: key.toUpperCase(), familyName: "Range", at });
    }
  });

  it("orders by (event time, GUID) and keeps the order across pages", async () => {
    const { ids, pages } = await all(token, { ...range("created", "2025-01-01T00:00:00Z", "2027-01-01T00:00:00Z"), PageSize: 2 });
    expect(ids).toEqual([created.a, created.b, created.c, created.d, created.e]);
    expect(pages).toBe(3);
  });

  it("includes events exactly at From and exactly at To", async () => {
    const { ids } = await all(token, range("created", "2026-01-01T10:00:00Z", "2026-01-01T10:00:01Z"));
    expect(ids).toEqual([created.a, created.b, created.c, created.d]);
    const justAfter = await all(token, range("created", "2026-01-01T10:00:00.001Z", "2026-01-01T10:00:00.999Z"));
    expect(justAfter.ids).toEqual([]);
    const offset = await all(token, range("created", "2026-01-01T11:00:01+01:00", "2026-01-01T11:00:01+01:00"));
    expect(offset.ids).toEqual([created.d]);
  });

  it("lists an update under `updated` at its time; a GUID can appear there many times", async () => {
    await updateCandidate(clientId, created.a, { title: "Nurse", at: "2026-02-01T00:00:00Z" });
    await updateCandidate(clientId, created.a, { title: "Head Nurse", at: "2026-02-02T00:00:00Z" });
    await updateCandidate(clientId, created.b, { title: "Driver", at: "2026-02-01T12:00:00Z" });
    const { ids } = await all(token, range("updated", "2026-01-01T00:00:00Z", "2026-12-31T00:00:00Z"));
    expect(ids).toEqual([created.a, created.b, created.a]);
    expect((await all(token, range("created", "2026-02-01T00:00:00Z", "2026-02-28T00:00:00Z"))).ids).toEqual([]);
  });

  it("keeps a deleted candidate under `created` and lists it under `deleted`", async () => {
    const id = await createCandidate(clientId, { givenName: "Gone", familyName: "Soon", at: "2026-04-01T00:00:00Z" });
    await deleteCandidate(clientId, id);
    const window = ["2026-04-01T00:00:00Z", "2099-01-01T00:00:00Z"] as const;
    expect((await all(token, range("created", ...window))).ids).toEqual([id]);
    expect((await all(token, range("deleted", ...window))).ids).toEqual([id]);
  });

  it("records contact and note writes as `updated` at write time", async () => {
    const before = new Date(Date.now() - 1000).toISOString();
    const patch = await upstreamJson(`/v1/people/${created.c}/contact`, {
      method: "PATCH",
      token,
      body: { emails: ["c.range@example.com"] },
    });
    expect(patch.status).toBe(200);
    const note = await upstreamJson(`/v1/people/${created.d}/notes`, {
      token,
      body: { Text: "hello", AuthorEmail: "amy@agency.example" },
    });
    expect(note.status).toBe(201);
    const after = new Date(Date.now() + 1000).toISOString();
    expect((await all(token, range("updated", before, after))).ids).toEqual([created.c, created.d]);
  });

  it("applies ExcludeLifeCycles and ExcludeSources (null values are never excluded)", async () => {
    const { client_id: own } = await createAccount("match-excl");
    await seedAccount(own, 0);
    const ownToken = await sandboxToken(own);
    const at = "2026-05-01T00:00:00Z";
    const keep = await createCandidate(own, { givenName: "Keep", lifecycle: "applicant", source: "indeed", at });
    const byLifecycle = await createCandidate(own, { givenName: "Contingent", lifecycle: "current_contingent", at });
    const bySource = await createCandidate(own, { givenName: "PeopleSoft", source: "peoplesoft_ats", at });
    const unknown = await createCandidate(own, { givenName: "Unknown", at });
    const filters = { ExcludeLifeCycles: ["current_contingent"], ExcludeSources: ["peoplesoft_ats"] };
    const listed = (await all(ownToken, filters)).ids;
    expect(new Set(listed)).toEqual(new Set([keep, unknown]));
    const ranged = (await all(ownToken, { ...filters, ...range("created", at, at) })).ids;
    expect(new Set(ranged)).toEqual(new Set([keep, unknown]));
    expect(listed).not.toContain(byLifecycle);
    expect(listed).not.toContain(bySource);
  });
});

describe("an account without track_candidate_last_changes", () => {
  it("refuses `updated` and `deleted` listings with a 403 and answers `created` and unranged listings", async () => {
    const { client_id: clientId } = await createAccount("no-feed");
    await seedAccount(clientId, 20);
    await setSettings(clientId, { trackCandidateLastChanges: false });
    const token = await sandboxToken(clientId);
    const window = ["2020-01-01T00:00:00Z", "2099-01-01T00:00:00Z"] as const;
    for (const event of ["updated", "deleted"]) {
      const res = await upstreamJson(IDS, { token, body: range(event, ...window) });
      expect(res.status).toBe(403);
      expect(res.json.error).toMatchObject({ code: "feature_disabled", message: expect.stringContaining("track_candidate_last_changes") });
    }
    expect((await all(token, range("created", ...window))).ids.length).toBeGreaterThan(0);
    expect((await all(token, {})).ids.length).toBe((await getStats(clientId)).candidates.current);
    await setSettings(clientId, { trackCandidateLastChanges: true });
    expect((await upstreamJson(IDS, { token, body: range("updated", ...window) })).status).toBe(200);
  });
});

describe("seeded events", () => {
  it("spread `created` over several past years, with updates and deletions", async () => {
    const { client_id: clientId } = await createAccount("match-seed");
    const token = await sandboxToken(clientId);
    for (const year of [2022, 2023, 2024]) {
      const { ids } = await all(token, { ...range("created", `${year}-01-01T00:00:00Z`, `${year}-12-31T23:59:59Z`), PageSize: 500 });
      expect(ids.length).toBeGreaterThan(20);
    }
    const wide = ["2000-01-01T00:00:00Z", "2026-01-01T00:00:00Z"] as const;
    expect((await all(token, { ...range("updated", ...wide), PageSize: 500 })).ids.length).toBeGreaterThan(100);
    const deleted = (await all(token, range("deleted", ...wide))).ids;
    expect(deleted.length).toBe((await getStats(clientId)).candidates.deleted);
    expect(deleted.length).toBeGreaterThan(0);
  });
});

describe("validation", () => {
  let token: string;
  beforeAll(async () => {
    token = await sandboxToken((await createAccount("match-invalid")).client_id);
  });

  it.each([
    ["PageSize 0", { PageSize: 0 }],
    ["PageSize 501", { PageSize: 501 }],
    ["PageSize 2.5", { PageSize: 2.5 }],
    ["an unknown Event", range("touched", "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z")],
    ["From after To", range("created", "2026-01-02T00:00:00Z", "2026-01-01T00:00:00Z")],
    ["a time without zone", range("created", "2026-01-01T00:00:00", "2026-01-02T00:00:00Z")],
    ["a missing Event", { DateTimeRange: { From: "2026-01-01T00:00:00Z", To: "2026-01-02T00:00:00Z" } }],
    ["a garbage cursor", { Cursor: "not-a-cursor" }],
  ])("refuses %s with 422 invalid", async (_label, body) => {
    const res = await upstreamJson(IDS, { token, body });
    expect(res.status).toBe(422);
    expect(res.json.error.code).toBe("invalid");
  });

  it("refuses a cursor from another listing", async () => {
    const { Cursor } = await page(token, { PageSize: 1 });
    const res = await upstreamJson(IDS, { token, body: { ...range("created", "2000-01-01T00:00:00Z", "2030-01-01T00:00:00Z"), Cursor } });
    expect(res.status).toBe(422);
  });

  it("accepts PageSize 500 and a null Cursor", async () => {
    expect((await page(token, { PageSize: 500, Cursor: null })).Ids.length).toBeGreaterThan(200);
  });
});
