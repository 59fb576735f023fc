// The adapter's failure handling against the scripted fake upstream: re-auth on 401, read retries
// with backoff inside one deadline, 429 and Retry-After, hangs and stalled bodies, writes that are
// never repeated once they may have landed, error classification and safe error details.
import { describe, expect, it } from "vitest";
import { UpstreamError } from "../../src/platform/errors";
import { fakeCandidate } from "../helpers/fake-talemetry";
import { failure, setup } from "./setup";

const ID = "0290bb50-7113-11ef-9c70-b6a35a531041";
const candidate = () => fakeCandidate(ID, { given: "Maya", family: "Ortiz", emails: ["maya.ortiz@example.com"] });
const NOTE = { text: "Called", dateTime: "2026-11-22T10:03:00Z", authorEmail: "amy@agency.example" };
const UNAUTHORIZED = { status: 401, json: { error: { code: "unauthorized", message: "Token expired" } } };
const SERVER_ERROR = { status: 500, json: { error: { code: "internal", message: "boom" } } };

describe("401: authorize again once, retry once", () => {
  it("succeeds after one re-authorization", async () => {
    const { fake, client, tokens } = setup({ candidates: [candidate()] });
    fake.script("profiles", UNAUTHORIZED);
    const [details] = await client.fetchProfiles([ID]);
    expect(details.id).toBe(ID);
    const [first, second] = fake.requests.filter((r) => r.route === "profiles");
    expect(tokens.calls.refresh).toEqual([first.authorization!.slice("OAUTH ".length)]);
    expect(second.authorization).toBe(`OAUTH ${tokens.current()}`);
    expect(second.authorization).not.toBe(first.authorization);
    expect(client.stats).toMatchObject({ calls: 2, reauths: 1, retries: 0 });
  });

  it("recovers from a token the upstream forgot (server restart)", async () => {
    const { fake, client } = setup();
    await client.listUsers(1, 10);
    fake.revokeTokens();
    await client.listUsers(1, 10);
    expect(fake.count("authorize")).toBe(2);
    expect(client.stats.reauths).toBe(1);
  });

  it("fails as auth after a second 401, having re-authorized only once", async () => {
    const { fake, client, tokens } = setup();
    fake.script("users", UNAUTHORIZED, UNAUTHORIZED, UNAUTHORIZED);
    const { error } = await failure(() => client.listUsers(1, 10));
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ kind: "auth", upstreamStatus: 401 });
    expect(tokens.calls.refresh).toHaveLength(1);
    expect(fake.count("users")).toBe(2);
  });

  it("retries a write after a 401: it proves the write was not processed", async () => {
    const { fake, client } = setup({ candidates: [candidate()] });
    fake.script("createNote", UNAUTHORIZED);
    expect((await client.createNote(ID, NOTE)).id).toBe("note-1");
    expect(fake.count("createNote")).toBe(2);
  });

  it("propagates an auth failure of the re-authorization itself", async () => {
    const { fake, client } = setup();
    await client.listUsers(1, 10);
    fake.script("users", UNAUTHORIZED);
    fake.script("authorize", { status: 401, json: { error: { code: "invalid_credentials", message: "Invalid client id or secret key" } } });
    const { error } = await failure(() => client.listUsers(1, 10));
    expect(error).toMatchObject({ kind: "auth" });
  });
});

describe("reads: retries on 5xx, network errors and timeouts", () => {
  it("succeeds after 5xx answers", async () => {
    const { fake, client } = setup({ candidates: [candidate()] });
    fake.script("profiles", SERVER_ERROR, { status: 502, text: "Bad Gateway" });
    expect(await client.fetchProfiles([ID])).toHaveLength(1);
    expect(client.stats).toMatchObject({ calls: 3, retries: 2 });
  });

  it("succeeds after a network error", async () => {
    const { fake, client } = setup();
    fake.script("ids", { networkError: true });
    expect(await client.listIds({ pageSize: 10 })).toEqual({ ids: [], cursor: null });
    expect(fake.count("ids")).toBe(2);
  });

  it("fails as unavailable after the bounded attempts when 5xx persists", async () => {
    const { fake, client } = setup();
    const started = Date.now();
    fake.script("users", ...Array.from({ length: 10 }, () => ({ status: 503, text: "" })));
    const { error } = await failure(() => client.listUsers(1, 10));
    expect(error).toMatchObject({ kind: "unavailable", upstreamStatus: 503 });
    expect(error.upstreamDetail).toContain("after 3 attempts");
    expect(fake.count("users")).toBe(3);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("stops retrying at the deadline even with attempts left", async () => {
    const { fake, client } = setup({ deadlineMs: 400, retry: { attempts: 50, baseDelayMs: 100, maxDelayMs: 100 } });
    fake.script("users", ...Array.from({ length: 50 }, () => SERVER_ERROR));
    const { error, ms } = await failure(() => client.listUsers(1, 10));
    expect(error).toMatchObject({ kind: "unavailable" });
    expect(ms).toBeLessThan(600);
    expect(fake.count("users")).toBeLessThan(50);
  });

  it("answers a hang within the deadline, as unavailable", async () => {
    const { fake, client } = setup({ deadlineMs: 300 });
    fake.script("users", { hang: true });
    const { error, ms } = await failure(() => client.listUsers(1, 10));
    expect(error).toMatchObject({ kind: "unavailable" });
    expect(error.upstreamDetail).toMatch(/no answer within \d+ ms/);
    expect(ms).toBeGreaterThanOrEqual(250);
    expect(ms).toBeLessThan(700);
  });

  it("times out a body that never finishes", async () => {
    const { fake, client } = setup({ deadlineMs: 300 });
    fake.script("users", { hangBody: true });
    const { error, ms } = await failure(() => client.listUsers(1, 10));
    expect(error).toMatchObject({ kind: "unavailable" });
    expect(ms).toBeLessThan(700);
  });

  it("retries after an attempt timeout when the deadline leaves room", async () => {
    const { fake, client } = setup({ deadlineMs: 2_000, retry: { attemptTimeoutMs: 150 } });
    fake.script("users", { hang: true });
    expect((await client.listUsers(1, 10)).page).toBe(1);
    expect(client.stats).toMatchObject({ calls: 2, retries: 1 });
  });
});

describe("429 and Retry-After", () => {
  it("waits the Retry-After seconds when they fit the deadline", async () => {
    const { fake, client } = setup();
    fake.script("users", { status: 429, headers: { "Retry-After": "1" } });
    const started = Date.now();
    expect((await client.listUsers(1, 10)).page).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(client.stats.calls).toBe(2);
  });

  it("waits until a Retry-After HTTP date", async () => {
    const { fake, client } = setup();
    const at = new Date(Date.now() + 2_000).toUTCString();
    fake.script("users", { status: 429, headers: { "Retry-After": at } });
    const started = Date.now();
    expect((await client.listUsers(1, 10)).page).toBe(1);
    // HTTP dates have whole seconds: the wait is between 1 and 2 s.
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it("fails at once as throttled, with retryAfter, when the wait does not fit", async () => {
    const { fake, client } = setup();
    fake.script("users", { status: 429, headers: { "Retry-After": "120" }, json: { error: { code: "throttled", message: "Slow down" } } });
    const { error, ms } = await failure(() => client.listUsers(1, 10));
    expect(error).toMatchObject({ kind: "throttled", upstreamStatus: 429, retryAfter: 120 });
    expect(ms).toBeLessThan(500);
    expect(fake.count("users")).toBe(1);
  });

  it("retries a write after a 429: it proves the write was not processed", async () => {
    const { fake, client } = setup({ candidates: [candidate()] });
    fake.script("createNote", { status: 429 });
    await client.createNote(ID, NOTE);
    expect(fake.count("createNote")).toBe(2);
    expect(fake.candidates.get(ID)!.UserArea.Notes.Note).toMatchObject({ Id: "note-1" });
  });
});

describe("writes are never repeated once they may have landed", () => {
  it("does not retry a 500", async () => {
    const { fake, client } = setup({ candidates: [candidate()] });
    fake.script("contact", SERVER_ERROR);
    const { error } = await failure(() => client.updateContact(ID, { emails: ["new@example.com"] }));
    expect(error).toMatchObject({ kind: "unavailable", upstreamStatus: 500 });
    expect(error.upstreamDetail).toContain("write not retried");
    expect(fake.count("contact")).toBe(1);
  });

  it("does not retry a timeout or a network error", async () => {
    const { fake, client } = setup({ candidates: [candidate()], retry: { attemptTimeoutMs: 150 } });
    fake.script("createNote", { hang: true }, { networkError: true });
    await expect(client.createNote(ID, NOTE)).rejects.toMatchObject({ kind: "unavailable" });
    await expect(client.createNote(ID, NOTE)).rejects.toMatchObject({ kind: "unavailable" });
    expect(fake.count("createNote")).toBe(2);
    expect(client.stats.retries).toBe(0);
  });
});

describe("classification and safe details", () => {
  it("maps 404, 409, 422 and 400 from the upstream's real refusals", async () => {
    const other = fakeCandidate("other-id", { emails: ["taken@example.com"] });
    const { fake, client } = setup({ candidates: [candidate(), other] });
    await expect(client.updateContact("missing-id", { emails: [] })).rejects.toMatchObject({ kind: "not_found", upstreamStatus: 404 });
    await expect(client.updateContact(ID, { emails: ["taken@example.com"] })).rejects.toMatchObject({
      kind: "conflict",
      upstreamStatus: 409,
    });
    await expect(client.updateContact(ID, { phones: [{ use: "home", number: "555-0142" }] })).rejects.toMatchObject({
      kind: "invalid",
      upstreamStatus: 422,
    });
    await expect(client.createNote(ID, { ...NOTE, authorEmail: "stranger@example.com" })).rejects.toMatchObject({ kind: "invalid" });
    await expect(client.updateNote(ID, "no-such-note", { text: "x" })).rejects.toMatchObject({ kind: "not_found" });
    fake.script("ids", {
      status: 400,
      text: "<error><code>bad_range</code><message>From after To</message></error>",
      headers: { "Content-Type": "application/xml" },
    });
    const { error } = await failure(() => client.listIds({ pageSize: 1 }));
    expect(error).toMatchObject({ kind: "invalid", upstreamStatus: 400 });
    expect(error.upstreamDetail).toContain("bad_range: From after To");
  });

  it("reads an HTML error page into the detail, never into the message", async () => {
    const { fake, client } = setup({ candidates: [candidate()] });
    fake.script("contact", {
      status: 502,
      text: "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
      headers: { "Content-Type": "text/html" },
    });
    const { error } = await failure(() => client.updateContact(ID, { emails: ["a@example.com"] }));
    expect(error).toMatchObject({ kind: "unavailable", upstreamStatus: 502 });
    expect(error.upstreamDetail).toContain("html body 502 Bad Gateway");
    expect(error.message).not.toMatch(/html|nginx/i);
  });

  it("never keeps the token in error details, even when the upstream echoes it", async () => {
    const { fake, client, tokens } = setup();
    await client.listUsers(1, 1);
    const token = tokens.current()!;
    fake.script("users", { status: 400, json: { error: { code: "bad", message: `bad header OAUTH ${token}` } } });
    const { error } = await failure(() => client.listUsers(1, 1));
    expect(JSON.stringify({ message: error.message, detail: error.upstreamDetail })).not.toContain(token);
    expect(error.upstreamDetail).toContain("[redacted]");
  });

  it("treats an unreadable success body as unavailable", async () => {
    const { fake, client } = setup({ candidates: [candidate()] });
    fake.script("createNote", { status: 201, text: "<html>ok</html>" });
    await expect(client.createNote(ID, NOTE)).rejects.toMatchObject({ kind: "unavailable", upstreamStatus: 201 });
  });

  it("makes no attempt (not even for a token) once the deadline is spent", async () => {
    const { fake, client } = setup({ deadlineMs: 0 });
    await expect(client.listUsers(1, 1)).rejects.toMatchObject({ kind: "unavailable" });
    expect(fake.requests).toEqual([]);
  });
});
