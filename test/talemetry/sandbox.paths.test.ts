// Ids never reach other upstream paths (issue 11): an id that is empty, "." or "..", or contains "/",
// is refused by the adapter before any request — no token, no call at the simulator (its counters
// stay at zero) — as `not_found`, which the callers answer with 404 (Talkdesk actions: 400), never a
// 5xx. Unusual ids that are still one path segment are sent, encoded, and the upstream answers them.

import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { DEMO } from "../../sandbox/demo-data";
import { talemetryHosts } from "../../src/config/settings";
import { toAppError, UpstreamError } from "../../src/platform/errors";
import { createTalemetryClient, type TalemetryClient } from "../../src/talemetry";
import { accountCredentials, createAccount, getStats, resetStats } from "../helpers/sandbox";
import { testTokens } from "./setup";

let clientId: string;
let talemetry: TalemetryClient;
let tokens: ReturnType<typeof testTokens>;

const maya = DEMO.maya.record.id;
const note = { text: "x", dateTime: "2026-11-25T10:00:00Z", authorEmail: "amy@agency.example" };

async function totalCalls(): Promise<number> {
  return Object.values((await getStats(clientId)).calls).reduce((a, b) => a + b, 0);
}

beforeEach(async () => {
  ({ client_id: clientId } = await createAccount("paths"));
  const hosts = talemetryHosts(env);
  tokens = testTokens(hosts, { clientId, secretKey: accountCredentials(clientId).secret_key });
  talemetry = createTalemetryClient({ hosts, tokens: tokens.source, retry: { baseDelayMs: 20, maxDelayMs: 100 } });
  await getStats(clientId); // account seeded
  await resetStats(clientId);
});

const BAD_IDS = ["..", ".", "", "../notes", `${maya}/notes`, "x/../../v1/users", "/"];

describe("path segments", () => {
  it.each(BAD_IDS)("refuses the id %j in every call that puts an id in a path, before any request", async (bad) => {
    const attempts: Array<[string, () => Promise<unknown>]> = [
      ["updateContact", () => talemetry.updateContact(bad, { emails: ["x@example.com"] })],
      ["createNote", () => talemetry.createNote(bad, note)],
      ["updateNote (candidate)", () => talemetry.updateNote(bad, "n-1", { text: "y" })],
      ["updateNote (note)", () => talemetry.updateNote(maya, bad, { text: "y" })],
    ];
    for (const [name, call] of attempts) {
      const err = (await call().catch((e: unknown) => e)) as UpstreamError;
      expect(err, name).toBeInstanceOf(UpstreamError);
      expect(err, name).toMatchObject({ kind: "not_found", upstreamStatus: undefined });
      expect(err.upstreamDetail, name).toMatch(/refused before any request/);
      // The callers' table: a 404, never a 5xx.
      expect(toAppError(err).status, name).toBe(404);
    }
    expect(await totalCalls()).toBe(0);
    expect(tokens.calls.get).toBe(0);
    expect(talemetry.stats.calls).toBe(0);
  });

  it("sends ids that are one segment however odd, encoded, and the upstream answers them", async () => {
    for (const odd of ["...", "a..b", ".hidden", "%2e%2e", "a\\b", "?x#y", " .. "]) {
      await expect(talemetry.createNote(odd, note), odd).rejects.toMatchObject({ kind: "not_found", upstreamStatus: 404 });
    }
    expect((await getStats(clientId)).calls.note_create).toBe(7);
    // And a real id still works.
    await expect(talemetry.createNote(maya, note)).resolves.toMatchObject({ text: "x" });
  });
});
