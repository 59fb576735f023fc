// The adapter's resilience against the simulator's fault injection, over the same HTTP path production
// uses: 429 with Retry-After, 5xx bursts, a hung upstream answered within the request deadline, and a
// rejected credential — each counted at the simulator.
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { DEMO } from "../../sandbox/demo-data";
import { talemetryHosts } from "../../src/config/settings";
import { UpstreamError } from "../../src/platform/errors";
import { createDeadline, createTalemetryClient } from "../../src/talemetry";
import { accountCredentials, createAccount, getStats, resetStats, setFaults } from "../helpers/sandbox";
import { testTokens } from "./setup";

let clientId: string;

function client(deadlineMs = 10_000, secretKey = accountCredentials(clientId).secret_key) {
  const hosts = talemetryHosts(env);
  const tokens = testTokens(hosts, { clientId, secretKey });
  return createTalemetryClient({
    hosts,
    tokens: tokens.source,
    defaultRegion: "US",
    deadline: createDeadline(deadlineMs),
    retry: { baseDelayMs: 20, maxDelayMs: 100 },
  });
}

const maya = DEMO.maya.record.id;

beforeEach(async () => {
  ({ client_id: clientId } = await createAccount("faults"));
  await client().fetchProfiles([maya]); // account seeded, token issued
  await resetStats(clientId);
});

describe("adapter under simulator faults", () => {
  it("waits out a 429's Retry-After (seconds) and succeeds", async () => {
    await setFaults(clientId, [{ op: "profiles", status: 429, retryAfter: "1", times: 1 }]);
    const t0 = Date.now();
    const [person] = await client().fetchProfiles([maya]);
    expect(person.name).toBe("Maya Ortiz");
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    expect((await getStats(clientId)).calls.profiles).toBe(2);
  });

  it("fails fast as throttled when Retry-After exceeds the request's budget", async () => {
    await setFaults(clientId, [{ op: "profiles", status: 429, retryAfter: "120" }]);
    const err = await client()
      .fetchProfiles([maya])
      .catch((e) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).toMatchObject({ kind: "throttled", retryAfter: 120 });
    expect((await getStats(clientId)).calls.profiles).toBe(1);
  });

  it("sends each HTTP attempt, and only it, through the client's gate; a 429 is counted before the gate is left", async () => {
    await setFaults(clientId, [{ op: "profiles", status: 429, retryAfter: "0", times: 1 }]);
    const gated = client();
    const seen: Array<{ calls: number; throttled: number }> = [];
    let inside = 0;
    const [person] = await gated
      .withGate(async (attempt) => {
        inside++;
        try {
          return await attempt();
        } finally {
          inside--;
          seen.push({ calls: gated.stats.calls, throttled: gated.stats.throttled });
        }
      })
      .fetchProfiles([maya]);
    expect(person.name).toBe("Maya Ortiz");
    expect(inside).toBe(0);
    // Two attempts through the gate (the 429, then the answer); getting the token is not one of them.
    expect(seen).toEqual([
      { calls: 1, throttled: 1 },
      { calls: 2, throttled: 1 },
    ]);
    expect((await getStats(clientId)).calls.profiles).toBe(2);
  });

  it("reads the deadline again once the gate admits an attempt: none is sent when waiting spent it", async () => {
    const err = await client(600)
      .withGate(async (attempt) => {
        await new Promise((resolve) => setTimeout(resolve, 700));
        return attempt();
      })
      .fetchProfiles([maya])
      .catch((e) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).toMatchObject({ kind: "unavailable" });
    expect((await getStats(clientId)).calls.profiles).toBe(0);
  });

  it("retries a burst of 5xx on reads and succeeds", async () => {
    await setFaults(clientId, [{ op: "profiles", status: 502, times: 2 }]);
    const [person] = await client().fetchProfiles([maya]);
    expect(person.id).toBe(maya);
    expect((await getStats(clientId)).calls.profiles).toBe(3);
  });

  it("answers a hung upstream within its deadline as unavailable", async () => {
    await setFaults(clientId, [{ op: "profiles", hang: true }]);
    const t0 = Date.now();
    const err = await client(1_500)
      .fetchProfiles([maya])
      .catch((e) => e);
    const elapsed = Date.now() - t0;
    expect(err).toMatchObject({ kind: "unavailable" });
    expect(elapsed).toBeLessThan(3_000);
  });

  it("does not repeat a write that hit a 5xx (it may have landed)", async () => {
    await setFaults(clientId, [{ op: "note_create", status: 500, afterApply: true }]);
    const err = await client()
      .createNote(maya, { text: "hello", dateTime: "2026-11-25T10:00:00Z", authorEmail: "amy@agency.example" })
      .catch((e) => e);
    expect(err).toMatchObject({ kind: "unavailable" });
    expect((await getStats(clientId)).calls.note_create).toBe(1);
  });

  it("classifies rejected credentials as auth", async () => {
    const err = await client(10_000, "wrong-secret")
      .fetchProfiles([maya])
      .catch((e) => e);
    expect(err).toMatchObject({ kind: "auth" });
  });
});
