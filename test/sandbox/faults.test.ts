// Fault injection and call counters: status rules that answer without performing the operation,
// `afterApply` (the write lands, the answer is lost), Retry-After, raw bodies, latency, hangs, rule
// order and `times`, rule validation, and the per-operation counters tests use to count upstream calls.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DEMO } from "../../sandbox/demo-data";
import {
  accountCredentials,
  clearFaults,
  control,
  createAccount,
  getCandidate,
  getStats,
  resetStats,
  sandboxToken,
  setFaults,
  setLatency,
  uniqueClientId,
  upstream,
  upstreamJson,
} from "../helpers/sandbox";

const MAYA = DEMO.maya.record.id;

async function account(label: string) {
  const { client_id: clientId } = await createAccount(label);
  return { clientId, token: await sandboxToken(clientId) };
}

const ids = (token: string, body: unknown = { PageSize: 1 }) => upstreamJson("/match/v1/people/ids", { token, body });

describe("status rules", () => {
  it("answer the status without performing the write", async () => {
    const { clientId, token } = await account("fault-status");
    await setFaults(clientId, [{ op: "contact", status: 503, times: 1 }]);
    const before = (await getCandidate(clientId, MAYA)).record;
    const res = await upstreamJson(`/v1/people/${MAYA}/contact`, { method: "PATCH", token, body: { emails: ["new@example.com"] } });
    expect(res.status).toBe(503);
    expect(res.json).toEqual({ error: { code: "unavailable", message: "Injected fault (503)" } });
    expect((await getCandidate(clientId, MAYA)).record).toEqual(before);
    // `times: 1` is used up: the retry lands.
    const retry = await upstreamJson(`/v1/people/${MAYA}/contact`, { method: "PATCH", token, body: { emails: ["new@example.com"] } });
    expect(retry.status).toBe(200);
    expect((await getCandidate(clientId, MAYA)).record.contact[0].InternetEmailAddress).toBe("new@example.com");
  });

  it("with afterApply, perform the write and then answer the fault (a lost answer)", async () => {
    const { clientId, token } = await account("fault-after");
    await setFaults(clientId, [{ op: "note_create", status: 502, afterApply: true, times: 1 }]);
    const before = (await getCandidate(clientId, MAYA)).record.notes.length;
    const res = await upstreamJson(`/v1/people/${MAYA}/notes`, { token, body: { Text: "lost answer", AuthorEmail: "amy@agency.example" } });
    expect(res.status).toBe(502);
    const notes = (await getCandidate(clientId, MAYA)).record.notes;
    expect(notes).toHaveLength(before + 1);
    expect(notes.at(-1)!.Text).toBe("lost answer");
  });

  it("apply to creating a candidate (§7) like any write: before it lands, or after with afterApply", async () => {
    const { clientId, token } = await account("fault-create");
    const create = (email: string) => upstreamJson("/v1/people", { token, body: { GivenName: "Fay", emails: [email] } });
    await setFaults(clientId, [
      { op: "candidate_create", status: 503, times: 1 },
      { op: "candidate_create", status: 500, afterApply: true, times: 1 },
    ]);
    const before = (await getStats(clientId)).candidates.current;
    expect((await create("fay@example.com")).status).toBe(503);
    expect((await getStats(clientId)).candidates.current).toBe(before);
    expect((await create("fay@example.com")).status).toBe(500);
    expect((await getStats(clientId)).candidates.current).toBe(before + 1);
    // The lost answer's candidate exists: repeating the create is refused as a conflict naming it.
    const again = await create("fay@example.com");
    expect(again.status).toBe(409);
    expect((await getCandidate(clientId, again.json.error.existing_id)).record.name?.given).toBe("Fay");
    expect((await getStats(clientId)).calls.candidate_create).toBe(3);
  });

  it("carry a Location, e.g. a redirect of the authorization call", async () => {
    const { clientId } = await account("fault-location");
    await setFaults(clientId, [{ op: "authorize", status: 307, location: "https://elsewhere.example/collect", times: 1 }]);
    const res = await env.TALEMETRY_SANDBOX!.fetch("https://sandbox/v1/authorization", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(accountCredentials(clientId)),
      redirect: "manual",
    });
    expect(res.status).toBe(307);
    expect(res.headers.get("location")).toBe("https://elsewhere.example/collect");
  });

  it("carry Retry-After", async () => {
    const { clientId, token } = await account("fault-429");
    await setFaults(clientId, [{ op: "ids", status: 429, retryAfter: "7" }]);
    const res = await ids(token);
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("7");
    expect(res.json.error.code).toBe("rate_limited");
  });

  it("send a raw body with a fitting content type, or none at all", async () => {
    const { clientId, token } = await account("fault-raw");
    const html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    await setFaults(clientId, [
      { op: "profiles", status: 502, body: html, times: 1 },
      { op: "profiles", status: 500, body: '<?xml version="1.0"?><error/>', times: 1 },
      { op: "profiles", status: 503, body: "", times: 1 },
    ]);
    const body = { ids: [MAYA] };
    const first = await upstreamJson("/soap/profiles/v1", { token, body });
    expect([first.status, first.headers.get("content-type"), first.text]).toEqual([502, "text/html; charset=utf-8", html]);
    const second = await upstreamJson("/soap/profiles/v1", { token, body });
    expect([second.status, second.headers.get("content-type")]).toEqual([500, "application/xml; charset=utf-8"]);
    const third = await upstreamJson("/soap/profiles/v1", { token, body });
    expect([third.status, third.headers.get("content-type"), third.text]).toEqual([503, null, ""]);
    expect((await upstreamJson("/soap/profiles/v1", { token, body })).status).toBe(200);
  });

  it("can fail the authorization call, and a 401 can be injected on a valid token", async () => {
    const { client_id: clientId } = await createAccount("fault-auth");
    await setFaults(clientId, [
      { op: "authorize", status: 500, times: 1 },
      { op: "users", status: 401, times: 1 },
    ]);
    const failed = await upstreamJson("/v1/authorization", { body: accountCredentials(clientId) });
    expect(failed.status).toBe(500);
    const token = await sandboxToken(clientId);
    const rejected = await upstreamJson("/v1/users", { token });
    expect(rejected.status).toBe(401);
    expect(rejected.json.error.code).toBe("invalid_token");
    expect((await upstreamJson("/v1/users", { token })).status).toBe(200);
  });

  it("apply to their op only, or to every op with `*`; the first matching rule wins", async () => {
    const { clientId, token } = await account("fault-order");
    await setFaults(clientId, [
      { op: "users", status: 500, times: 2 },
      { op: "*", status: 503 },
    ]);
    expect((await upstreamJson("/v1/users", { token })).status).toBe(500);
    expect((await ids(token)).status).toBe(503);
    expect((await upstreamJson("/v1/users", { token })).status).toBe(500);
    expect((await upstreamJson("/v1/users", { token })).status).toBe(503);
    const listed = await control(`/accounts/${clientId}/faults`);
    expect(((await listed.json()) as any).result.rules).toEqual([{ op: "*", status: 503, remaining: null }]);
    await clearFaults(clientId);
    expect((await ids(token)).status).toBe(200);
  });

  it("come before request validation and token checks, like a gateway's", async () => {
    const { clientId, token } = await account("fault-first");
    await setFaults(clientId, [{ op: "ids", status: 503 }]);
    expect((await ids(token, { PageSize: 9999 })).status).toBe(503);
  });
});

describe("latency and hangs", () => {
  it("delays one op by the rule's latency", async () => {
    const { clientId, token } = await account("fault-latency");
    await setFaults(clientId, [{ op: "users", latencyMs: 300, times: 1 }]);
    let started = Date.now();
    expect((await upstreamJson("/v1/users", { token })).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    started = Date.now();
    await upstreamJson("/v1/users", { token });
    expect(Date.now() - started).toBeLessThan(250);
  });

  it("adds the account's base latency to every upstream call, but not to control calls", async () => {
    const { clientId, token } = await account("fault-base");
    await setLatency(clientId, 200);
    let started = Date.now();
    await ids(token);
    await upstreamJson("/v1/users", { token });
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    started = Date.now();
    await getStats(clientId);
    expect(Date.now() - started).toBeLessThan(150);
    await setLatency(clientId, 0);
  });

  it("a read waits its latency without holding up the account, and reads what is there once the wait is over", async () => {
    const { clientId, token } = await account("fault-wait");
    await setFaults(clientId, [{ op: "profiles", latencyMs: 1000, times: 1 }]);
    const started = Date.now();
    let answered = false;
    const slow = upstreamJson("/soap/profiles/v1", { token, body: { ids: [MAYA] } }).finally(() => {
      answered = true;
    });
    // Meanwhile the account answers other calls, a write included, while the read still waits.
    expect((await ids(token)).status).toBe(200);
    const patch = await upstreamJson(`/v1/people/${MAYA}/contact`, {
      method: "PATCH",
      token,
      body: { emails: ["maya.waited@example.com"] },
    });
    expect(patch.status).toBe(200);
    expect(answered).toBe(false);
    const res = await slow;
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
    expect(res.status).toBe(200);
    // Performed after the wait: the write made during it shows.
    const contact = res.json.result.Candidates[0].Candidate.Resume.StructuredXMLResume.ContactInfo.ContactMethod;
    expect(contact.InternetEmailAddress).toBe("maya.waited@example.com");
    expect((await getStats(clientId)).calls).toMatchObject({ profiles: 1, ids: 1, contact: 1 });
  });

  it("hangs until the client gives up; the call is still counted", async () => {
    const { clientId, token } = await account("fault-hang");
    await setFaults(clientId, [{ op: "profiles", hang: true, times: 1 }]);
    const started = Date.now();
    const call = upstream("/soap/profiles/v1", { token, body: { ids: [MAYA] }, signal: AbortSignal.timeout(300) });
    await expect(call).rejects.toThrow();
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(290);
    expect(waited).toBeLessThan(5000);
    expect((await getStats(clientId)).calls.profiles).toBe(1);
    expect((await upstreamJson("/soap/profiles/v1", { token, body: { ids: [MAYA] } })).status).toBe(200);
  });
});

describe("rule validation", () => {
  it.each([
    ["a misspelt key", { op: "ids", statuz: 500 }],
    ["no effect", { op: "ids", times: 2 }],
    ["an unknown op", { op: "search", status: 500 }],
    ["afterApply without status", { op: "contact", afterApply: true, latencyMs: 10 }],
    ["a status out of range", { status: 99 }],
    ["times 0", { status: 500, times: 0 }],
  ])("refuses %s with 422", async (_label, rule) => {
    const res = await control(`/accounts/${uniqueClientId("rules")}/faults`, { method: "POST", body: JSON.stringify({ rules: [rule] }) });
    expect(res.status).toBe(422);
  });
});

describe("call counters", () => {
  it("count each upstream op, faulted and invalid calls included; control calls are not counted", async () => {
    const { clientId, token } = await account("counters");
    await ids(token);
    await upstreamJson("/soap/profiles/v1", { token, body: { ids: [MAYA] } });
    await upstreamJson(`/v1/people/${MAYA}/contact`, { method: "PATCH", token, body: {} });
    const note = await upstreamJson(`/v1/people/${MAYA}/notes`, { token, body: { Text: "x", AuthorEmail: "amy@agency.example" } });
    await upstreamJson(`/v1/people/${MAYA}/notes/${note.json.result.Note.Id}`, { method: "PATCH", token, body: { Text: "y" } });
    await upstreamJson("/v1/users", { token });
    await upstreamJson("/v1/people", { token, body: { GivenName: "Cal" } }); // 422 (no email nor phone), counted
    await ids(token, { PageSize: 0 }); // 422, counted
    await setFaults(clientId, [{ op: "users", status: 500, times: 1 }]);
    await upstreamJson("/v1/users", { token }); // faulted, counted
    await getCandidate(clientId, MAYA);
    await upstreamJson("/v1/users", { token: "TGC-1r0" }); // unknown token: no account to count it on
    const stats = await getStats(clientId);
    expect(stats.calls).toEqual({
      authorize: 1,
      ids: 2,
      profiles: 1,
      contact: 1,
      note_create: 1,
      note_update: 1,
      users: 2,
      candidate_create: 1,
    });
    expect(stats.tokens).toBe(1);
    await resetStats(clientId);
    expect((await getStats(clientId)).calls).toEqual({
      authorize: 0,
      ids: 0,
      profiles: 0,
      contact: 0,
      note_create: 0,
      note_update: 0,
      users: 0,
      candidate_create: 0,
    });
  });

  it("count exactly the authorizations made, concurrent ones included", async () => {
    const { client_id: clientId } = await createAccount("counters-auth");
    await Promise.all(Array.from({ length: 5 }, () => sandboxToken(clientId)));
    const stats = await getStats(clientId);
    expect(stats.calls.authorize).toBe(5);
    expect(stats.tokens).toBe(5);
  });
});
