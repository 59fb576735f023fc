// `createCandidate` (contract §7) against the real simulator: the new candidate's normalized details,
// found by the profiles call and listed under `created`; a 409 naming the existing candidate as a
// typed, caller-neutral error; and the write policy — repeated only after answers that prove it did not
// land (401, 429), never after a 5xx or a timeout. Every attempt is counted by the simulator.

import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { DEMO } from "../../sandbox/demo-data";
import { talemetryHosts } from "../../src/config/settings";
import { asUpstreamError, toAppError, UpstreamError } from "../../src/platform/errors";
import { CandidateExistsError, createDeadline, createTalemetryClient, existingCandidateId, type NewCandidate } from "../../src/talemetry";
import { accountCredentials, createAccount, getStats, resetStats, revokeTokens, setFaults } from "../helpers/sandbox";
import { testTokens } from "./setup";

let clientId: string;

function client(deadlineMs = 10_000) {
  const hosts = talemetryHosts(env);
  const tokens = testTokens(hosts, { clientId, secretKey: accountCredentials(clientId).secret_key });
  return createTalemetryClient({
    hosts,
    tokens: tokens.source,
    defaultRegion: "US",
    deadline: createDeadline(deadlineMs),
    retry: { baseDelayMs: 20, maxDelayMs: 100 },
  });
}

const jane = (email = `jane-${crypto.randomUUID().slice(0, 8)}@example.com`): NewCandidate => ({
  givenName: "Jane",
  familyName: "Doe",
  emails: [email],
  phones: [{ use: "mobile", number: "+14155550100" }],
  source: "talkdesk",
});

const current = async () => (await getStats(clientId)).candidates.current;
const creates = async () => (await getStats(clientId)).calls.candidate_create;

beforeEach(async () => {
  ({ client_id: clientId } = await createAccount("create"));
  await client().listUsers(1, 1); // account seeded, token issued
  await resetStats(clientId);
});

describe("createCandidate (§7)", () => {
  it("returns the new candidate's normalized details; profiles and the Match API then know it", async () => {
    const talemetry = client();
    const since = new Date(Date.now() - 1);
    const created = await talemetry.createCandidate({
      ...jane("jane.doe@example.com"),
      phones: [
        { use: "mobile", number: "+14155550100" },
        { use: "work", number: "+442071838750" },
      ],
    });
    expect(created).toMatchObject({
      name: "Jane Doe",
      first_name: "Jane",
      last_name: "Doe",
      emails: ["jane.doe@example.com"],
      phones: [
        { number: "+14155550100", type: "mobile", valid: true },
        { number: "+442071838750", type: "work", valid: true },
      ],
    });
    expect(created.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(await talemetry.fetchProfiles([created.id])).toEqual([created]);
    const listed = await talemetry.listIds({ pageSize: 10, event: "created", from: since, to: new Date() });
    expect(listed.ids).toEqual([created.id]);
    // `source` is sent as §7 `Source`: the Match API can leave the bridge's own creations out.
    const others = await talemetry.listIds({ pageSize: 500, excludeSources: ["talkdesk"] });
    expect(others.ids).not.toContain(created.id);
    expect(await creates()).toBe(1);
  });

  it("rejects an email that belongs to a candidate with CandidateExistsError naming it, creating nothing", async () => {
    const before = await current();
    const err = await client()
      .createCandidate(jane("MAYA.ORTIZ@example.com"))
      .catch((e) => e);
    expect(err).toBeInstanceOf(CandidateExistsError);
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).toMatchObject({ kind: "conflict", upstreamStatus: 409, existingId: DEMO.maya.record.id });
    expect(existingCandidateId(err)).toBe(DEMO.maya.record.id);
    // A caller that does not look closer answers a conflict, as for any other.
    expect(toAppError(err).status).toBe(409);
    expect(await current()).toBe(before);
    expect(await creates()).toBe(1);
  });

  it("existingCandidateId reads the id after a Durable Object RPC boundary, and only on that refusal", () => {
    // workerd rethrows a remote error as a plain Error keeping its name and own properties.
    const remote = Object.assign(new Error("Talemetry refused"), { name: "UpstreamError", kind: "conflict", existingId: "abc-1" });
    expect(existingCandidateId(remote)).toBe("abc-1");
    expect(asUpstreamError(remote)?.kind).toBe("conflict");
    expect(existingCandidateId(new UpstreamError("conflict", "x"))).toBeNull();
    expect(existingCandidateId(Object.assign(new Error("x"), { name: "UpstreamError", kind: "invalid", existingId: "abc-1" }))).toBeNull();
    expect(existingCandidateId(new Error("x"))).toBeNull();
    expect(existingCandidateId("abc-1")).toBeNull();
  });

  it("a 409 without existing_id stays a plain conflict", async () => {
    await setFaults(clientId, [{ op: "candidate_create", status: 409, times: 1 }]);
    const err = await client()
      .createCandidate(jane())
      .catch((e) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).not.toBeInstanceOf(CandidateExistsError);
    expect(err.kind).toBe("conflict");
    expect(existingCandidateId(err)).toBeNull();
  });

  it.each([
    ["no name", { emails: ["x@example.com"] }],
    ["no email nor phone", { givenName: "Jane" }],
    ["a number that is not E.164", { givenName: "Jane", phones: [{ use: "mobile" as const, number: "4155550100" }] }],
  ])("rejects %s as invalid, once", async (_label, input) => {
    const err = await client()
      .createCandidate(input)
      .catch((e) => e);
    expect(err).toMatchObject({ kind: "invalid", upstreamStatus: 422 });
    expect(toAppError(err).status).toBe(422);
    expect(await creates()).toBe(1);
  });
});

describe("createCandidate is a write: never blindly repeated", () => {
  it("does not repeat a create whose answer was lost (5xx after it landed): one candidate, one attempt", async () => {
    await setFaults(clientId, [{ op: "candidate_create", status: 500, afterApply: true, times: 1 }]);
    const before = await current();
    const input = jane();
    const err = await client()
      .createCandidate(input)
      .catch((e) => e);
    expect(err).toMatchObject({ kind: "unavailable", upstreamStatus: 500 });
    expect(err.upstreamDetail).toContain("write not retried");
    expect(await creates()).toBe(1);
    expect(await current()).toBe(before + 1);
    // The caller's own retry learns which candidate landed instead of making a second one.
    const again = await client()
      .createCandidate(input)
      .catch((e) => e);
    expect(existingCandidateId(again)).toMatch(/^[0-9a-f-]{36}$/);
    expect(await current()).toBe(before + 1);
  });

  it("does not repeat a create refused with a 503, nor one that timed out", async () => {
    await setFaults(clientId, [{ op: "candidate_create", status: 503, times: 1 }]);
    await expect(client().createCandidate(jane())).rejects.toMatchObject({ kind: "unavailable", upstreamStatus: 503 });
    expect(await creates()).toBe(1);

    await resetStats(clientId);
    await setFaults(clientId, [{ op: "candidate_create", hang: true, times: 1 }]);
    const talemetry = createTalemetryClient({
      hosts: talemetryHosts(env),
      tokens: testTokens(talemetryHosts(env), { clientId, secretKey: accountCredentials(clientId).secret_key }).source,
      retry: { attemptTimeoutMs: 300, baseDelayMs: 20, maxDelayMs: 100 },
    });
    await expect(talemetry.createCandidate(jane())).rejects.toMatchObject({ kind: "unavailable" });
    expect(await creates()).toBe(1);
  });

  it("repeats it after answers that prove it did not land: a 429 within the budget, a 401 (one re-authorization)", async () => {
    const before = await current();
    await setFaults(clientId, [{ op: "candidate_create", status: 429, retryAfter: "1", times: 1 }]);
    const talemetry = client();
    await talemetry.createCandidate(jane());
    expect(talemetry.stats.retries).toBe(1);

    await revokeTokens(clientId);
    await talemetry.createCandidate(jane());
    expect(talemetry.stats.reauths).toBe(1);
    expect(await creates()).toBe(4);
    expect(await current()).toBe(before + 2);
  });
});
