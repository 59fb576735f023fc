// Upstream redirects are never followed (issue 11). The simulator answers with a 3xx and a `Location`;
// were the adapter to follow it, a 307/308 would re-send the request body — on the authorization call
// the client secret — to wherever `Location` points. Through the service binding any URL lands back on
// the simulator, so a followed redirect would show as a second counted call (and here a success).
// Every 3xx fails the call once as `unavailable`: the callers' "Talemetry unavailable" (503).
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { DEMO } from "../../sandbox/demo-data";
import { talemetryHosts } from "../../src/config/settings";
import { toAppError, UpstreamError } from "../../src/platform/errors";
import { authorize, createTalemetryClient, type TalemetryHosts } from "../../src/talemetry";
import { drainBackfill } from "../helpers/directory";
import { accountCredentials, createAccount, getStats, resetStats, revokeTokens, seedAccount, setFaults } from "../helpers/sandbox";
import { createTenant } from "../helpers/tenants";
import { expectProblem, v1 } from "../v1/helpers";
import { testTokens } from "./setup";

const ELSEWHERE = "https://collector.example/v1/authorization";
const maya = DEMO.maya.record.id;

let clientId: string;
let secretKey: string;

beforeEach(async () => {
  ({ client_id: clientId } = await createAccount("redirect"));
  secretKey = accountCredentials(clientId).secret_key;
  await getStats(clientId); // account seeded
  await resetStats(clientId);
});

/** Global-fetch hosts whose fetch records each request and hands it to the simulator, which honours its redirect mode. */
function recordingHosts(): { hosts: TalemetryHosts; seen: Request[] } {
  const seen: Request[] = [];
  const binding = env.TALEMETRY_SANDBOX!;
  const hosts: TalemetryHosts = {
    matchUrl: "https://match.example.test",
    profilesUrl: "https://profiles.example.test",
    fetch: (request) => {
      seen.push(request.clone());
      return binding.fetch(request);
    },
  };
  return { hosts, seen };
}

function expectRedirectFailure(err: unknown, status: number): void {
  expect(err).toBeInstanceOf(UpstreamError);
  expect(err).toMatchObject({ kind: "unavailable", upstreamStatus: status });
  const { message, upstreamDetail } = err as UpstreamError;
  expect(upstreamDetail).toBe(`HTTP ${status} redirect, not followed`);
  for (const text of [message, upstreamDetail]) {
    expect(text).not.toContain(secretKey);
    expect(text).not.toContain("collector.example");
  }
  expect(toAppError(err).status).toBe(503);
}

describe("redirects on the authorization call", () => {
  it.each([307, 308])("a %i through the service binding is not followed: the secret is sent once", async (status) => {
    await setFaults(clientId, [{ op: "authorize", status, location: ELSEWHERE, times: 1 }]);
    const err = await authorize({ hosts: talemetryHosts(env) }, { clientId, secretKey }).catch((e: unknown) => e);
    expectRedirectFailure(err, status);
    expect((await getStats(clientId)).calls.authorize).toBe(1);
  });

  it("a 307 through global fetch is not followed either: one request, in redirect mode manual", async () => {
    const { hosts, seen } = recordingHosts();
    await setFaults(clientId, [{ op: "authorize", status: 307, location: ELSEWHERE, times: 1 }]);
    const err = await authorize({ hosts }, { clientId, secretKey }).catch((e: unknown) => e);
    expectRedirectFailure(err, 307);
    expect(seen.map((r) => `${r.method} ${r.url} ${r.redirect}`)).toEqual(["POST https://profiles.example.test/v1/authorization manual"]);
    expect((await getStats(clientId)).calls.authorize).toBe(1);
  });
});

describe("redirects on data calls", () => {
  it("fail a read and a write once, without retrying either", async () => {
    const hosts = talemetryHosts(env);
    const talemetry = createTalemetryClient({
      hosts,
      tokens: testTokens(hosts, { clientId, secretKey }).source,
      retry: { baseDelayMs: 20, maxDelayMs: 100 },
    });
    await setFaults(clientId, [
      { op: "profiles", status: 302, location: "/soap/profiles/v1" },
      { op: "note_create", status: 303, location: `/v1/people/${maya}/notes` },
    ]);
    expectRedirectFailure(await talemetry.fetchProfiles([maya]).catch((e: unknown) => e), 302);
    const note = { text: "x", dateTime: "2026-11-25T10:00:00Z", authorEmail: "amy@agency.example" };
    expectRedirectFailure(await talemetry.createNote(maya, note).catch((e: unknown) => e), 303);
    const { calls } = await getStats(clientId);
    expect({ profiles: calls.profiles, note_create: calls.note_create }).toEqual({ profiles: 1, note_create: 1 });
    expect(talemetry.stats.retries).toBe(0);
  });
});

describe("through the bridge", () => {
  it("a 308 on the tenant's re-authorization answers the caller 503 upstream-unavailable, the secret sent once", async () => {
    await seedAccount(clientId, 12);
    const tenant = await createTenant({ talemetryClientId: clientId, region: "US" });
    await drainBackfill(tenant.id); // no sync runs during the request below
    await revokeTokens(clientId);
    await resetStats(clientId);
    // One use: a followed redirect would land on the simulator's authorization again, and succeed.
    await setFaults(clientId, [{ op: "authorize", status: 308, location: ELSEWHERE, times: 1 }]);
    const res = await v1(tenant.api_key, `/candidates/${maya}`);
    expectProblem(res, 503, "upstream-unavailable");
    expect(JSON.stringify(res.body)).not.toContain("collector.example");
    expect((await getStats(clientId)).calls.authorize).toBe(1);
  });
});
