// The Talemetry client over real Request/Response against the fake upstream: every call of the
// contract (§1–§6), headers, envelopes (object vs array), chunking above 50 ids, host selection.
import { describe, expect, it } from "vitest";
import { UpstreamError } from "../../src/platform/errors";
import { authorize, createTalemetryClient } from "../../src/talemetry/client";
import { createDeadline, type TalemetryHosts } from "../../src/talemetry/transport";
import { createFakeTalemetry, fakeCandidate } from "../helpers/fake-talemetry";
import { CREDENTIALS, failure, setup, testTokens } from "./setup";

const ID_A = "0290bb50-7113-11ef-9c70-b6a35a531041";
const ID_B = "902b3f8e-8bd6-11ef-b7ce-b24f8d2e4b83";
const maya = () =>
  fakeCandidate(ID_A, { given: "Maya", family: "Ortiz", emails: ["maya.ortiz@example.com"], mobile: ["1", "415", "5550142"] });
const lee = () => fakeCandidate(ID_B, { given: "Lee", family: "Chan", emails: ["lee@example.com"] });

describe("authorize (§1)", () => {
  it("returns the token and its expiry from expires_in", async () => {
    const fake = createFakeTalemetry();
    const before = Date.now();
    const auth = await authorize({ hosts: { matchUrl: "sandbox", profilesUrl: "sandbox", sandbox: fake.fetcher } }, CREDENTIALS);
    expect(auth.token).toMatch(/^TGC-\d+r[0-9A-F]+$/);
    expect(auth.expiresIn).toBe(7200);
    expect(auth.expiresAt).toBeGreaterThanOrEqual(before + 7_200_000);
    expect(fake.requests[0]).toMatchObject({
      method: "POST",
      authorization: null,
      body: { client_id: "acme", secret_key: "fake-talemetry-secret-acme" },
    });
  });

  it("falls back to the issue time embedded in the token when expires_in is absent", async () => {
    const fake = createFakeTalemetry({ omitExpiresIn: true });
    const auth = await authorize({ hosts: { matchUrl: "sandbox", profilesUrl: "sandbox", sandbox: fake.fetcher } }, CREDENTIALS);
    const issued = Number(/^TGC-(\d+)r/.exec(auth.token)![1]);
    expect(auth).toMatchObject({ expiresIn: null, expiresAt: (issued + 7200) * 1000 });
  });

  it("fails as auth on invalid credentials, without leaking the secret", async () => {
    const fake = createFakeTalemetry();
    const { error } = await failure(() =>
      authorize(
        { hosts: { matchUrl: "sandbox", profilesUrl: "sandbox", sandbox: fake.fetcher } },
        { clientId: "acme", secretKey: "wrong-secret-value" },
      ),
    );
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ kind: "auth", upstreamStatus: 401 });
    expect(error.upstreamDetail).toContain("invalid_credentials");
    expect(JSON.stringify({ m: error.message, d: error.upstreamDetail })).not.toContain("wrong-secret-value");
    expect(fake.count("authorize")).toBe(1);
  });
});

describe("requests", () => {
  it("send OAUTH authorization, JSON content type and accept", async () => {
    const { fake, client, tokens } = setup({ candidates: [maya()] });
    await client.fetchProfiles([ID_A]);
    const request = fake.requests.find((r) => r.route === "profiles")!;
    expect(request.authorization).toBe(`OAUTH ${tokens.current()}`);
    expect(request.contentType).toBe("application/json");
    expect(request.accept).toBe("application/json");
    expect(request.url).toBe("https://talemetry.sandbox/soap/profiles/v1");
  });

  it("go through global fetch (here a recorder) for http(s) host settings, below any path prefix", async () => {
    const fake = createFakeTalemetry({ candidates: [maya()] });
    const seen: string[] = [];
    const hosts: TalemetryHosts = {
      matchUrl: "https://match.example.test/",
      profilesUrl: "https://profiles.example.test",
      fetch: (request) => {
        seen.push(`${request.method} ${request.url}`);
        return fake.fetcher.fetch(request);
      },
    };
    const client = createTalemetryClient({ hosts, tokens: testTokens(hosts).source });
    await client.listIds({ pageSize: 10 });
    await client.listUsers(1, 10);
    expect(seen).toEqual([
      "POST https://profiles.example.test/v1/authorization",
      "POST https://match.example.test/match/v1/people/ids",
      "GET https://profiles.example.test/v1/users?page=1&per_page=10",
    ]);
  });

  it("refuse a host setting that is neither sandbox nor a URL, or sandbox without its binding", async () => {
    const tokens = { get: async () => "t", refresh: async () => "t" };
    await expect(createTalemetryClient({ hosts: { matchUrl: "ftp://x", profilesUrl: "ftp://x" }, tokens }).listUsers(1, 1)).rejects.toThrow(
      /sandbox' or an http/,
    );
    await expect(createTalemetryClient({ hosts: { matchUrl: "sandbox", profilesUrl: "sandbox" }, tokens }).listUsers(1, 1)).rejects.toThrow(
      /binding is missing/,
    );
  });
});

describe("listIds (§2)", () => {
  it("sends the DateTimeRange and pages with the cursor", async () => {
    const ids = Array.from({ length: 5 }, (_, i) => `00000000-0000-11ef-0000-00000000000${i}`);
    const { fake, client } = setup({ candidates: ids.map((id) => fakeCandidate(id)) });
    const first = await client.listIds({
      event: "updated",
      from: new Date("2025-01-01T00:00:00Z"),
      to: "2025-05-05T16:25:19Z",
      pageSize: 3,
    });
    expect(first).toEqual({ ids: ids.slice(0, 3), cursor: ids[2] });
    const second = await client.listIds({
      event: "updated",
      from: new Date("2025-01-01T00:00:00Z"),
      to: "2025-05-05T16:25:19Z",
      pageSize: 3,
      cursor: first.cursor,
    });
    expect(second).toEqual({ ids: ids.slice(3), cursor: null });
    expect(fake.requests.filter((r) => r.route === "ids").map((r) => r.body)).toEqual([
      { PageSize: 3, DateTimeRange: { From: "2025-01-01T00:00:00Z", To: "2025-05-05T16:25:19Z", Event: "updated" } },
      { PageSize: 3, DateTimeRange: { From: "2025-01-01T00:00:00Z", To: "2025-05-05T16:25:19Z", Event: "updated" }, Cursor: ids[2] },
    ]);
  });

  it("caps PageSize at the contract's 500 and leaves out an absent range", async () => {
    const { fake, client } = setup();
    await client.listIds({ pageSize: 10_000, excludeSources: ["peoplesoft_ats"] });
    expect(fake.requests.find((r) => r.route === "ids")!.body).toEqual({ PageSize: 500, ExcludeSources: ["peoplesoft_ats"] });
  });
});

describe("fetchProfiles (§3)", () => {
  it("normalizes a single candidate sent as an object envelope", async () => {
    const { fake, client } = setup({ candidates: [maya()] });
    const [details] = await client.fetchProfiles([ID_A], ["notes", "tags"]);
    expect(details).toMatchObject({
      id: ID_A,
      name: "Maya Ortiz",
      emails: ["maya.ortiz@example.com"],
      phones: [{ number: "+14155550142", type: "mobile", valid: true, raw: "1 415 5550142" }],
    });
    expect(fake.requests.find((r) => r.route === "profiles")!.body).toEqual({ ids: [ID_A], include: ["notes", "tags"] });
  });

  it("reads an array envelope and leaves unknown ids out", async () => {
    const { client } = setup({ candidates: [maya(), lee()] });
    const result = await client.fetchProfiles([ID_A, "unknown-id", ID_B]);
    expect(result.map((d) => d.name)).toEqual(["Maya Ortiz", "Lee Chan"]);
    expect(await client.fetchProfiles(["unknown-id"])).toEqual([]);
  });

  it("fetches more than 50 ids in chunks of at most 50, de-duplicating the input", async () => {
    const ids = Array.from({ length: 120 }, (_, i) => `cand-${String(i).padStart(3, "0")}`);
    const { fake, client } = setup({ candidates: ids.map((id) => fakeCandidate(id, { given: id })) });
    const result = await client.fetchProfiles([...ids, ids[0], "  "]);
    expect(result.map((d) => d.id)).toEqual(ids);
    const sizes = fake.requests.filter((r) => r.route === "profiles").map((r) => (r.body as { ids: string[] }).ids.length);
    expect(sizes).toEqual([50, 50, 20]);
    expect(client.stats.calls).toBe(3);
  });

  it("makes no call for no ids", async () => {
    const { fake, client } = setup();
    expect(await client.fetchProfiles([])).toEqual([]);
    expect(fake.requests).toEqual([]);
  });

  it("counts records without a GUID instead of failing the batch", async () => {
    const { fake, client } = setup();
    fake.script("profiles", {
      status: 200,
      json: { result: { Candidates: [{ Candidate: maya() }, { Candidate: { CandidateRecordInfo: {} } }] } },
    });
    expect((await client.fetchProfiles([ID_A])).map((d) => d.id)).toEqual([ID_A]);
    expect(client.stats.rejectedCandidates).toBe(1);
  });
});

describe("writes (§4, §5)", () => {
  it("updates emails and phones and returns the normalized candidate", async () => {
    const { fake, client } = setup({ candidates: [maya()] });
    const updated = await client.updateContact(ID_A, {
      phones: [
        { use: "work", number: "+442079460958" },
        { use: "mobile", number: "+14155550199" },
      ],
    });
    expect(fake.requests.find((r) => r.route === "contact")).toMatchObject({
      method: "PATCH",
      url: `https://talemetry.sandbox/v1/people/${ID_A}/contact`,
      body: {
        phones: [
          { use: "work", number: "+442079460958" },
          { use: "mobile", number: "+14155550199" },
        ],
      },
    });
    expect(updated.emails).toEqual(["maya.ortiz@example.com"]);
    expect(updated.phones.map((p) => [p.type, p.number, p.valid])).toEqual([
      ["work", "+442079460958", true],
      ["mobile", "+14155550199", true],
    ]);
  });

  it("creates and updates a note", async () => {
    const { fake, client } = setup({ candidates: [maya()] });
    const created = await client.createNote(ID_A, {
      text: "Called, left voicemail",
      dateTime: "2026-11-22T10:03:00Z",
      authorEmail: "amy@agency.example",
    });
    expect(created).toEqual({
      id: "note-1",
      text: "Called, left voicemail",
      date_time: "2026-11-22T10:03:00Z",
      author_email: "amy@agency.example",
    });
    expect(fake.requests.at(-1)!.body).toEqual({
      Text: "Called, left voicemail",
      DateTime: "2026-11-22T10:03:00Z",
      AuthorEmail: "amy@agency.example",
    });
    const updated = await client.updateNote(ID_A, created.id, { text: "Called back" });
    expect(updated).toMatchObject({ id: "note-1", text: "Called back" });
    expect((await client.fetchProfiles([ID_A], ["notes"]))[0].notes).toEqual([{ ...created, text: "Called back" }]);
  });
});

describe("users (§6)", () => {
  const users = Array.from({ length: 5 }, (_, i) => ({
    Id: `u-${i}`,
    Name: `User ${i}`,
    Email: `user${i}@agency.example`,
    Active: i !== 3,
  }));

  it("lists one page", async () => {
    const { client } = setup({ users });
    expect(await client.listUsers(2, 2)).toEqual({
      users: [
        { id: "u-2", name: "User 2", email: "user2@agency.example", active: true },
        { id: "u-3", name: "User 3", email: "user3@agency.example", active: false },
      ],
      page: 2,
      totalPages: 3,
    });
  });

  it("lists every page", async () => {
    const { fake, client } = setup({ users });
    expect((await client.listAllUsers(2)).map((u) => u.id)).toEqual(["u-0", "u-1", "u-2", "u-3", "u-4"]);
    expect(fake.count("users")).toBe(3);
  });
});

describe("withDeadline", () => {
  it("shares the counters with the original client", async () => {
    const { client } = setup();
    await client.withDeadline(createDeadline(5_000)).listUsers(1, 10);
    expect(client.stats.calls).toBe(1);
  });
});
