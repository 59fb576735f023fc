// The profiles call's and the Match API's exact bytes, pinned: seeded candidates (derived from the seed), seeded ones
// changed through the control API and the contract's contact PATCH (stored overrides), seeded and demo
// ones deleted, a created one, unknown ids and duplicates — every include, none, and the bare-object
// quirk. The fixture was recorded from the simulator before its profiles call moved the derivation and
// rendering out of the account's Durable Object; any change to what the call answers shows up here as a
// byte difference, not only as a shape the other tests happen to check. Listings are pinned the same way
// (every page of each, as a SHA-256 of the answers' bytes: the ids themselves are checked elsewhere).
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO } from "../../sandbox/demo-data";
import golden from "../fixtures/sandbox-golden-answers.json";
import {
  control,
  createAccount,
  createCandidate,
  sandboxToken,
  seedAccount,
  setSettings,
  type UpstreamResult,
  updateCandidate,
  upstreamJson,
} from "../helpers/sandbox";

const ALL = ["contact", "education", "experience", "ats_application_histories", "donotcontact_info", "tags", "notes", "custom_data"];
const PERSON = ["experience", "donotcontact_info", "custom_data"];
const CREATED_ID = "5d2f0c4e-8a1b-11ef-9c3d-0a1b2c3d4e5f";

let clientId: string;
let token: string;
/** Named ids of the arranged account (see beforeAll). */
const ids: Record<string, string> = {};

async function listIds(body: Record<string, unknown>): Promise<string[]> {
  const res = await upstreamJson("/match/v1/people/ids", { token, body: { PageSize: 500, ...body } });
  expect(res.status).toBe(200);
  return res.json.result.Ids;
}

async function profilesText(idList: string[], include?: string[]): Promise<string> {
  const res = await upstreamJson("/soap/profiles/v1", { token, body: include ? { ids: idList, include } : { ids: idList } });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
  return res.text;
}

beforeAll(async () => {
  // A fixed client id and seed: the derivation depends on both.
  ({ client_id: clientId } = await createAccount("profiles-golden", "profiles-golden"));
  await seedAccount(clientId, 300, { seed: "golden" });
  token = await sandboxToken(clientId);
  const current = await listIds({});
  const seeded = current.filter((id) => !Object.values(DEMO).some((d) => d.record.id === id));
  const deletedBySeed = await listIds({
    DateTimeRange: { From: "2022-01-01T00:00:00Z", To: "2025-06-30T00:00:00Z", Event: "deleted" },
  });
  expect(deletedBySeed.length).toBeGreaterThan(0);
  Object.assign(ids, {
    seedA: seeded[0],
    seedB: seeded[17],
    seedC: seeded[101],
    seedD: seeded[250],
    changed: seeded[5],
    patched: seeded[9],
    deletedByControl: seeded[13],
    deletedBySeed: deletedBySeed[0],
    demoKept: DEMO.lena.record.id,
    demoChanged: DEMO.maya.record.id,
    demoDeleted: current.find((id) => id !== DEMO.lena.record.id && id !== DEMO.maya.record.id && !seeded.includes(id))!,
  });
  const at = "2025-08-01T10:00:00Z";
  await updateCandidate(clientId, ids.changed, {
    givenName: "Golden",
    title: "Staff Engineer",
    employer: "Fixture Inc",
    tags: ["golden", "override"],
    smsConsent: "No",
    doNotContact: "Yes",
    lifecycle: "Hired",
    userArea: "Resume",
    at,
  });
  await updateCandidate(clientId, ids.demoChanged, { emailConsent: "Yes", at });
  const patch = await upstreamJson(`/v1/people/${ids.patched}/contact`, {
    method: "PATCH",
    token,
    body: { emails: ["golden.patch@example.com"], phones: [{ use: "work", number: "+14155550199" }] },
  });
  expect(patch.status).toBe(200);
  for (const id of [ids.deletedByControl, ids.demoDeleted]) {
    const res = await control(`/accounts/${clientId}/candidates/${id}?at=2025-08-02T00:00:00Z`, { method: "DELETE" });
    expect(res.status).toBe(200);
  }
  await createCandidate(clientId, {
    id: CREATED_ID,
    givenName: "Cora",
    familyName: "Fixture",
    emails: ["cora.fixture@example.com"],
    phones: [{ kind: "Mobile", use: "personal", InternationalCountryCode: "44", SubscriberNumber: "7700 900123" }],
    tags: ["created"],
    smsConsent: "Yes",
    at: "2025-07-15T09:30:00Z",
  });
  ids.created = CREATED_ID;
});

/** Every arranged case in one call, in an order that mixes them, with an unknown id, garbage and repeats. */
function mixed(): string[] {
  return [
    ids.demoKept,
    ids.seedA,
    ids.changed,
    ids.deletedBySeed,
    ids.seedB,
    "00000000-0000-1000-8000-000000000000",
    ids.patched,
    ids.demoDeleted,
    ids.created,
    ids.seedA,
    ids.deletedByControl,
    ids.demoChanged,
    "not-a-guid",
    ids.seedC,
    ids.seedD,
  ];
}

describe("profiles answers, byte for byte", () => {
  it("every include", async () => {
    expect(await profilesText(mixed(), ALL)).toBe(JSON.stringify(golden.all));
  });

  it("the bridge's includes (experience, donotcontact_info, custom_data)", async () => {
    expect(await profilesText(mixed(), PERSON)).toBe(JSON.stringify(golden.person));
  });

  it("no include", async () => {
    expect(await profilesText(mixed())).toBe(JSON.stringify(golden.none));
  });

  it("no id found, and an empty list", async () => {
    expect(await profilesText([ids.deletedBySeed, ids.deletedByControl, "nope"], ALL)).toBe(JSON.stringify(golden.nothing));
    expect(await profilesText([], ALL)).toBe(JSON.stringify(golden.nothing));
  });

  it("a single candidate as a bare object, when the account asks for it", async () => {
    await setSettings(clientId, { singleCandidateAsObject: true });
    try {
      expect(await profilesText([ids.seedB, ids.deletedBySeed, "nope"], ALL)).toBe(JSON.stringify(golden.singleSeeded));
      expect(await profilesText([ids.changed], ALL)).toBe(JSON.stringify(golden.singleStored));
      expect(await profilesText([ids.seedA, ids.seedB])).toBe(JSON.stringify(golden.twoAsArray));
    } finally {
      await setSettings(clientId, { singleCandidateAsObject: false });
    }
  });
});

/** Every page of a listing (PageSize 40), the answers' bytes joined, as SHA-256 hex; and the page count. */
async function listingDigest(body: Record<string, unknown>): Promise<{ pages: number; sha256: string }> {
  const texts: string[] = [];
  let cursor: string | null = null;
  do {
    const res: UpstreamResult<{ result: { Cursor: string | null } }> = await upstreamJson("/match/v1/people/ids", {
      token,
      body: { ...body, PageSize: 40, Cursor: cursor },
    });
    expect(res.status).toBe(200);
    texts.push(res.text);
    cursor = res.json.result.Cursor;
  } while (cursor);
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(texts.join("\n")));
  return { pages: texts.length, sha256: [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("") };
}

const WINDOW = { From: "2022-01-01T00:00:00Z", To: "2025-12-31T23:59:59Z" };

describe("Match API listings, byte for byte", () => {
  it.each([
    ["all", {}],
    ["allExcluding", { ExcludeLifeCycles: ["alumni", "Hired"], ExcludeSources: ["indeed", "peoplesoft_ats"] }],
    ["created", { DateTimeRange: { ...WINDOW, Event: "created" } }],
    ["updated", { DateTimeRange: { ...WINDOW, Event: "updated" } }],
    ["updatedExcluding", { DateTimeRange: { ...WINDOW, Event: "updated" }, ExcludeLifeCycles: ["lead"] }],
    ["deleted", { DateTimeRange: { ...WINDOW, Event: "deleted" } }],
    ["createdMidWindow", { DateTimeRange: { From: "2023-05-01T00:00:00Z", To: "2024-02-29T12:00:00.500Z", Event: "created" } }],
  ] as const)("%s", async (name, body) => {
    expect(await listingDigest(body)).toEqual(golden.listings[name]);
  });
});
