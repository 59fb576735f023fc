// Faults of Talemetry seen through the bridge's real routes (/v1 and /talkdesk), injected with the
// simulator's fault rules: a token revoked in the middle of 100 concurrent requests (one
// re-authorization), 5xx bursts (reads retried), 429 with Retry-After (never passed through: 503 with
// Retry-After in each caller's format), slow and hung calls (answered within the bridge's own 10 s
// deadline, measured). Every answer is checked for the truth it tells the caller.
import { describe, expect, it } from "vitest";
import { DEMO } from "../../sandbox/demo-data";
import {
  clearFaults,
  createAccount,
  type FaultRule,
  getCandidate,
  getStats,
  resetStats,
  revokeTokens,
  seedAccount,
  setFaults,
} from "../helpers/sandbox";
import { createTenant, type TestTenant } from "../helpers/tenants";
import { drainBackfill, envelope, type TalkdeskAnswer, talkdesk } from "../talkdesk/helpers";
import { type Answer, expectProblem, v1 } from "../v1/helpers";

const maya = DEMO.maya.record.id;
const oliver = DEMO.oliver.record.id;

/** The bridge's own budget per request is 10 s (docs/architecture.md); we allow scheduling slack on top. */
const DEADLINE_BOUND_MS = 12_000;

interface Account {
  clientId: string;
  tenant: TestTenant;
}

/** A tenant on its own seeded simulator account, backfilled, with Amy as default author. */
async function account(label: string): Promise<Account> {
  const { client_id: clientId } = await createAccount(label);
  await seedAccount(clientId, 12);
  const tenant = await createTenant({
    talemetryClientId: clientId,
    region: "US",
    settings: { default_author_email: "amy@agency.example" },
  });
  await drainBackfill(tenant.id);
  return { clientId, tenant };
}

/** Runs `fn` and returns its result with the wall time it took. */
async function timed<T>(fn: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const t0 = Date.now();
  const result = await fn();
  return { result, ms: Date.now() - t0 };
}

const interactions = (apiKey: string, id: string) => talkdesk("/interactions", envelope(apiKey, { data: { contact_external_id: id } }));

/** A 503 problem that says the CRM is unavailable, with a Retry-After, and nothing of Talemetry's own answer. */
function expectUnavailableProblem(res: Answer, retryAfter?: string): void {
  expectProblem(res, 503, "upstream-unavailable");
  expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  if (retryAfter !== undefined) expect(res.headers.get("retry-after")).toBe(retryAfter);
  expect(JSON.stringify(res.body)).not.toMatch(/Injected fault|rate_limited|TGC-/);
}

/** Talkdesk's 503: `{"message"}` only, with a Retry-After. */
function expectUnavailableMessage(res: TalkdeskAnswer, retryAfter?: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(503);
  expect(Object.keys(res.body)).toEqual(["message"]);
  expect(res.body.message).toMatch(/unavailable|retry/i);
  expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  if (retryAfter !== undefined) expect(res.headers.get("retry-after")).toBe(retryAfter);
}

describe("Talemetry token revoked in the middle of traffic", () => {
  it("100 concurrent requests over /v1 and /talkdesk cause exactly one re-authorization, and every answer is right", async () => {
    const { clientId, tenant } = await account("revoke");
    // What the right answers are, read while the token is still good.
    const expectedNotes = (await interactions(tenant.api_key, maya)).body;
    expect(Array.isArray(expectedNotes)).toBe(true);
    await resetStats(clientId);

    const request = (i: number): Promise<{ ok: boolean; what: string }> => {
      const id = i % 3 === 0 ? oliver : maya;
      if (i % 2 === 0) {
        return v1(tenant.api_key, `/candidates/${id}`).then((r) => ({
          ok: r.status === 200 && r.body.id === id && r.body.name === (id === maya ? "Maya Ortiz" : "Oliver Bennett"),
          what: `v1 ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`,
        }));
      }
      return interactions(tenant.api_key, maya).then((r) => ({
        ok: r.status === 200 && JSON.stringify(r.body) === JSON.stringify(expectedNotes),
        what: `talkdesk ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`,
      }));
    };

    // A first wave is on its way with the good token when Talemetry revokes it; the second wave starts after.
    const first = Array.from({ length: 40 }, (_, i) => request(i));
    await revokeTokens(clientId);
    const second = Array.from({ length: 60 }, (_, i) => request(40 + i));
    const answers = await Promise.all([...first, ...second]);

    expect(answers.filter((a) => !a.ok).map((a) => a.what)).toEqual([]);
    const stats = await getStats(clientId);
    expect(stats.calls.authorize).toBe(1);
    // Some requests met the revoked token (and retried once with the new one); none retried twice.
    expect(stats.calls.profiles).toBeGreaterThan(100);
    expect(stats.calls.profiles).toBeLessThanOrEqual(200);
  });
});

describe("5xx bursts", () => {
  it("a burst shorter than the retries is invisible to the caller (/v1 and Talkdesk reads)", async () => {
    const { clientId, tenant } = await account("burst");
    await setFaults(clientId, [{ op: "profiles", status: 502, times: 2 }]);
    await resetStats(clientId);
    const read = await v1(tenant.api_key, `/candidates/${maya}`);
    expect(read.status).toBe(200);
    expect(read.body.name).toBe("Maya Ortiz");
    expect((await getStats(clientId)).calls.profiles).toBe(3);

    await setFaults(clientId, [
      { op: "users", status: 500, times: 1 },
      { op: "profiles", status: 503, times: 2 },
    ]);
    expect((await talkdesk("/agents", envelope(tenant.api_key))).status).toBe(200);
    const notes = await interactions(tenant.api_key, maya);
    expect(notes.status).toBe(200);
    expect(Array.isArray(notes.body)).toBe(true);
  });

  it("a burst longer than the retries is a 503 with Retry-After, and the next request succeeds", async () => {
    const { clientId, tenant } = await account("burst-long");
    await setFaults(clientId, [{ op: "profiles", status: 500, times: 3 }]);
    expectUnavailableProblem(await v1(tenant.api_key, `/candidates/${maya}`));
    expect((await v1(tenant.api_key, `/candidates/${maya}`)).status).toBe(200);

    await setFaults(clientId, [{ op: "profiles", status: 502, times: 3 }]);
    expectUnavailableMessage(await interactions(tenant.api_key, maya));
    expect((await interactions(tenant.api_key, maya)).status).toBe(200);
  });
});

describe("429 with Retry-After from Talemetry", () => {
  it("is never passed through: a wait that does not fit the deadline is a 503 with Talemetry's Retry-After, in each caller's format", async () => {
    const { clientId, tenant } = await account("throttle");
    // The user list first (nothing cached yet), then the reads and note writes.
    await setFaults(clientId, [{ op: "users", status: 429, retryAfter: "120" }]);
    expectUnavailableProblem(await v1(tenant.api_key, "/users"), "120");
    expectUnavailableMessage(await talkdesk("/agents", envelope(tenant.api_key)), "120");

    await setFaults(clientId, [
      { op: "profiles", status: 429, retryAfter: "120" },
      { op: "note_create", status: 429, retryAfter: "120" },
    ]);
    await resetStats(clientId);
    expectUnavailableProblem(await v1(tenant.api_key, `/candidates/${maya}`), "120");
    expectUnavailableProblem(
      await v1(tenant.api_key, "/activities", { method: "POST", json: { entity_id: maya, type: "call", body: "throttled" } }),
      "120",
    );
    expectUnavailableMessage(await interactions(tenant.api_key, maya), "120");
    expectUnavailableMessage(
      await talkdesk("/actions/add_note", envelope(tenant.api_key, { meta: { contact_external_id: maya }, data: { text: "throttled" } })),
      "120",
    );
    // Failed fast: one attempt each (a 429 proves nothing was done, and waiting 120 s would not fit).
    const stats = await getStats(clientId);
    expect(stats.calls.note_create).toBe(2);
    expect(stats.calls.profiles).toBe(2);
  });

  it("an HTTP-date Retry-After is read as seconds from now", async () => {
    const { clientId, tenant } = await account("throttle-date");
    const at = new Date(Date.now() + 90_000).toUTCString();
    await setFaults(clientId, [{ op: "profiles", status: 429, retryAfter: at }]);
    const res = await v1(tenant.api_key, `/candidates/${maya}`);
    expectUnavailableProblem(res);
    const seconds = Number(res.headers.get("retry-after"));
    expect(seconds).toBeGreaterThanOrEqual(80);
    expect(seconds).toBeLessThanOrEqual(91);
  });

  it("a short Retry-After that fits the deadline is waited out and the caller gets the answer", async () => {
    const { clientId, tenant } = await account("throttle-short");
    await setFaults(clientId, [{ op: "profiles", status: 429, retryAfter: "1", times: 1 }]);
    const { result, ms } = await timed(() => v1(tenant.api_key, `/candidates/${maya}`));
    expect(result.status).toBe(200);
    expect(ms).toBeGreaterThanOrEqual(900);
  });

  it("a 429 on the re-authorization (inside the tenant's Durable Object) still reaches the caller as a 503 with Retry-After", async () => {
    const { clientId, tenant } = await account("throttle-auth");
    await revokeTokens(clientId);
    await setFaults(clientId, [{ op: "authorize", status: 429, retryAfter: "45" }]);
    expectUnavailableProblem(await v1(tenant.api_key, `/candidates/${maya}`), "45");
    expectUnavailableMessage(await interactions(tenant.api_key, maya), "45");
  });

  it("the Talkdesk authorization validator answers an unreachable Talemetry with 503, not 401", async () => {
    const { client_id: clientId } = await createAccount("throttle-validate");
    await seedAccount(clientId, 5);
    // Talemetry throttles from the start: the tenant never got a token.
    await setFaults(clientId, [{ op: "authorize", status: 429, retryAfter: "30" }]);
    const tenant = await createTenant({ talemetryClientId: clientId, region: "US" });
    expectUnavailableMessage(await talkdesk("/auth", envelope(tenant.api_key)), "30");
    await setFaults(clientId, [{ op: "authorize", status: 503 }]);
    expectUnavailableMessage(await talkdesk("/auth", envelope(tenant.api_key)));
  });
});

describe("slow and hung Talemetry: the bridge answers within its own deadline", () => {
  // One test, all scenarios at once: each waits ~10 s for the deadline, so running them side by side keeps
  // the file fast. Each scenario has its own simulator account (fault rules are per account).
  it("hung, slow, slow-but-fine, and multi-step requests (a new token, two Talemetry steps), measured", async () => {
    const [hungRead, slowRead, hungWrite, slowOk, tokenHang, twoSteps, update] = await Promise.all(
      ["hang-r", "slow-r", "hang-w", "slow-ok", "hang-auth", "hang-two", "hang-upd"].map((label) => account(label)),
    );
    await revokeTokens(tokenHang.clientId);
    const twoStepRules: FaultRule[] = [
      { op: "users", hang: true, times: 2 },
      { op: "users", latencyMs: 1_000, times: 1 },
      { op: "note_create", hang: true },
    ];
    await Promise.all([
      setFaults(hungRead.clientId, [{ op: "profiles", hang: true }]),
      setFaults(slowRead.clientId, [{ op: "profiles", latencyMs: 15_000 }]),
      setFaults(hungWrite.clientId, [{ op: "note_create", hang: true }]),
      setFaults(slowOk.clientId, [{ op: "profiles", latencyMs: 1_500 }]),
      // A slow read answered 401 (the token was revoked), then the re-authorization hangs.
      setFaults(tokenHang.clientId, [
        { op: "profiles", latencyMs: 5_000, times: 1 },
        { op: "authorize", hang: true },
      ]),
      // A Talkdesk action whose agent lookup gets through hung calls on its third try, then whose note
      // write hangs: both steps share the request's one deadline.
      setFaults(twoSteps.clientId, twoStepRules),
      // The same with update_contact: the candidate read, then the contact write.
      setFaults(update.clientId, [
        { op: "profiles", hang: true, times: 2 },
        { op: "profiles", latencyMs: 1_000, times: 1 },
        { op: "contact", hang: true },
      ]),
    ]);

    const write = (t: Account) =>
      v1(t.tenant.api_key, "/activities", {
        method: "POST",
        headers: { "idempotency-key": "hung-write-1" },
        json: { entity_id: maya, type: "call", body: "while Talemetry hangs" },
      });
    const logCall = (t: Account) =>
      talkdesk(
        "/actions/log_call",
        envelope(t.tenant.api_key, {
          meta: { contact_external_id: maya, agent_external_id: "u-124" },
          data: { direction: "inbound", duration: 61 },
        }),
      );
    const addEmail = (t: Account) =>
      talkdesk(
        "/actions/update_contact",
        envelope(t.tenant.api_key, { meta: { contact_external_id: maya }, data: { emails: "maya.new@example.com" } }),
      );

    const [a, b, c, d, e, f, g] = await Promise.all([
      timed(() => v1(hungRead.tenant.api_key, `/candidates/${maya}`)),
      timed(() => interactions(slowRead.tenant.api_key, maya)),
      timed(() => write(hungWrite)),
      timed(() => v1(slowOk.tenant.api_key, `/candidates/${maya}`)),
      timed(() => v1(tokenHang.tenant.api_key, `/candidates/${maya}`)),
      timed(() => logCall(twoSteps)),
      timed(() => addEmail(update)),
    ]);

    expectUnavailableProblem(a.result);
    expect(a.ms).toBeLessThan(DEADLINE_BOUND_MS);
    expectUnavailableMessage(b.result);
    expect(b.ms).toBeLessThan(DEADLINE_BOUND_MS);
    // A write is not repeated after a timeout (it may have landed): one attempt of at most 4 s.
    expectUnavailableProblem(c.result);
    expect(c.ms).toBeLessThan(6_000);
    expect((await getStats(hungWrite.clientId)).calls.note_create).toBe(1);
    // Slow but within budget: answered, not cut off early.
    expect(d.result.status).toBe(200);
    expect(d.ms).toBeGreaterThanOrEqual(1_400);
    // One deadline per request, however many steps it takes.
    expectUnavailableProblem(e.result);
    expect(e.ms).toBeLessThan(DEADLINE_BOUND_MS);
    expectUnavailableMessage(f.result);
    expect(f.ms).toBeLessThan(DEADLINE_BOUND_MS);
    expectUnavailableMessage(g.result);
    expect(g.ms).toBeLessThan(DEADLINE_BOUND_MS);

    // Talemetry recovers: the callers' retries succeed, and nothing was written twice.
    await Promise.all([hungWrite, tokenHang, twoSteps, update].map((t) => clearFaults(t.clientId)));
    expect((await write(hungWrite)).status).toBe(201);
    expect((await v1(tokenHang.tenant.api_key, `/candidates/${maya}`)).status).toBe(200);
    expect((await logCall(twoSteps)).status).toBe(201);
    expect((await addEmail(update)).status).toBe(201);
    expect((await getStats(hungWrite.clientId)).calls.note_create).toBe(2);
    const notes = (await getCandidate(hungWrite.clientId, maya)).record.notes.filter((n) => n.Text.includes("while Talemetry hangs"));
    expect(notes).toHaveLength(1);
  });
});
