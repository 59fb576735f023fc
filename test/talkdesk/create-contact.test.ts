// Talkdesk `create_contact` (contract §5, upstream §7) through the Worker against the simulator: the
// caller becomes a candidate in Talemetry, indexed at once (a /v1 search for the number finds it before any
// sync — the tenant's sync is off here), and Talkdesk gets the contact to pop. A candidate that already has
// the phone or email is answered instead of a duplicate (directory first, Talemetry's 409 as the backstop);
// retries, concurrent duplicates and lost answers create exactly one candidate (counted by the simulator).
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO } from "../../sandbox/demo-data";
import { directoryOf } from "../helpers/directory";
import { clearFaults, createCandidate, getCandidate, getStats, resetStats, setFaults } from "../helpers/sandbox";
import { v1 } from "../v1/helpers";
import { envelope, type SyncedTenant, syncedTenant, talkdesk } from "./helpers";

interface CreateAnswer {
  message: string;
  external_id: string;
  contact_external_id: string;
  contact_external_type: string;
  contact_external_url?: string;
}

const MAYA = DEMO.maya.record.id;
const AMY = { id: "u-123", email: "amy@agency.example" };
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let account: SyncedTenant;
beforeAll(async () => {
  account = await syncedTenant(9, {
    label: "create",
    settings: {
      candidate_url_template: "https://crm.example/people/{id}",
      default_author_email: "ben@agency.example",
      // No scheduled sync during the tests: whatever the index knows, the action itself put there.
      sync_interval_seconds: 86_400,
    },
  });
});

const create = (data: Record<string, unknown>, meta: Record<string, unknown> = { agent_external_id: AMY.id }) =>
  talkdesk<CreateAnswer>("/actions/create_contact", envelope(account.tenant.api_key, { meta, data }));

/** A US number of the 555-01xx fictional range no seeded candidate has (different for every call). */
let next = 10;
function freshPhone(): { e164: string; national: string } {
  const line = String(7000 + next++).padStart(4, "0");
  return { e164: `+1628555${line}`, national: `(628) 555-${line}` };
}
const freshEmail = (label: string) => `${label}.${crypto.randomUUID().slice(0, 8)}@example.net`;

const stats = async () => {
  const s = await getStats(account.clientId);
  return { creates: s.calls.candidate_create, candidates: s.candidates.current };
};

async function searchPhone(phone: string): Promise<string[]> {
  const res = await v1(account.tenant.api_key, `/search?phone=${encodeURIComponent(phone)}`);
  expect(res.status).toBe(200);
  return res.body.data.map((hit: { id: string }) => hit.id);
}

describe("create_contact", () => {
  it("creates the caller as a candidate, answers the contact to pop, and search finds the number before any sync", async () => {
    const phone = freshPhone();
    const email = freshEmail("jordan.reyes");
    await resetStats(account.clientId);
    const before = await stats();
    expect(await searchPhone(phone.e164)).toEqual([]);

    const res = await create({ name: "Jordan Reyes", phone: phone.national, email, note: "Asked about night-shift openings." });
    expect(res.status).toBe(201);
    const id = res.body.contact_external_id;
    expect(id).toMatch(GUID);
    expect(res.body).toEqual({
      message: "Candidate created in Talemetry. The note was added.",
      external_id: id,
      contact_external_id: id,
      contact_external_type: "candidate",
      contact_external_url: `https://crm.example/people/${id}`,
    });

    // Talemetry has it: the name split, the phone resolved in the tenant's region (US), the source.
    const { record } = await getCandidate(account.clientId, id);
    expect(record).toMatchObject({ name: { given: "Jordan", family: "Reyes" }, source: "talkdesk" });
    expect(record.notes).toHaveLength(1);
    expect(record.notes[0]).toMatchObject({ AuthorEmail: AMY.email });
    expect(record.notes[0].Text).toContain("Asked about night-shift openings.");
    expect(await stats()).toEqual({ creates: 1, candidates: before.candidates + 1 });

    // Indexed at once: /v1 search by number (national and E.164) and email, and Talkdesk's contact lookup.
    expect(await searchPhone(phone.e164)).toEqual([id]);
    expect(await searchPhone(phone.national)).toEqual([id]);
    const byEmail = await v1(account.tenant.api_key, `/search?email=${encodeURIComponent(email.toUpperCase())}`);
    expect(byEmail.body.data.map((hit: { id: string }) => hit.id)).toEqual([id]);
    const activity = await talkdesk<Array<{ id: string; description?: string }>>(
      "/interactions",
      envelope(account.tenant.api_key, { data: { contact_phones: [phone.e164] } }),
    );
    expect(activity.body).toHaveLength(1);
    expect(activity.body[0]!.id).toBe(`note:${record.notes[0].Id}`);
    expect(activity.body[0]!.description).toContain("Asked about night-shift openings.");
    // The sync never ran: the index holds it because the action wrote it through.
    expect((await stats()).creates).toBe(1);
  });

  it("creates one candidate however often Talkdesk retries, also for requests arriving together", async () => {
    const data = { name: "Sam Lee", phone: freshPhone().e164 };
    await resetStats(account.clientId);
    const before = await stats();
    const together = await Promise.all([1, 2, 3].map(() => create(data)));
    expect(together.map((a) => a.status)).toEqual([201, 201, 201]);
    const again = await create(data);
    expect(again.body).toEqual(together[0]!.body);
    for (const answer of together) expect(answer.body).toEqual(together[0]!.body);
    expect(await stats()).toEqual({ creates: 1, candidates: before.candidates + 1 });
  });

  it("answers with the candidate who already has the phone or the email, creating nothing", async () => {
    await resetStats(account.clientId);
    const before = await stats();
    for (const data of [
      { name: "Maya O.", phone: "+1 415 555 0142" },
      { name: "Maya O.", email: " MAYA.ORTIZ@example.com " },
      { name: "Somebody Else", phone: freshPhone().e164, email: "maya.ortiz@example.com" },
    ]) {
      const res = await create(data);
      expect(res.status, JSON.stringify(data)).toBe(201);
      expect(res.body).toEqual({
        message: "A Talemetry candidate already has this phone or email; no new candidate was created.",
        external_id: MAYA,
        contact_external_id: MAYA,
        contact_external_type: "candidate",
        contact_external_url: `https://crm.example/people/${MAYA}`,
      });
    }
    expect(await stats()).toEqual({ creates: 0, candidates: before.candidates });
  });

  it("answers with the holder of the email when only Talemetry knows it (its 409 names the candidate), and indexes it", async () => {
    const email = freshEmail("known.upstream");
    // Created in Talemetry after the backfill, with no sync since: the directory does not know it.
    const existing = await createCandidate(account.clientId, { givenName: "Known", familyName: "Upstream", emails: [email] });
    const phone = freshPhone().e164;
    await resetStats(account.clientId);
    const before = await stats();
    const res = await create({ name: "Known Upstream", phone, email });
    expect(res.status).toBe(201);
    expect(res.body.contact_external_id).toBe(existing);
    expect(res.body.message).toMatch(/already has this phone or email/);
    expect(await stats()).toEqual({ creates: 1, candidates: before.candidates }); // refused with 409
    const byEmail = await v1(account.tenant.api_key, `/search?email=${encodeURIComponent(email)}`);
    expect(byEmail.body.data.map((hit: { id: string }) => hit.id)).toEqual([existing]);
  });
});

describe("create_contact when Talemetry fails", () => {
  it("answers 503 when the create is refused, and the retry creates the candidate once", async () => {
    const data = { name: "Riley Chen", phone: freshPhone().e164 };
    await resetStats(account.clientId);
    const before = await stats();
    await setFaults(account.clientId, [{ op: "candidate_create", status: 503, retryAfter: "7", times: 1 }]);
    try {
      const failed = await create(data);
      expect(failed.status).toBe(503);
      expect(failed.headers.get("retry-after")).toBe("7");
      expect(failed.body).toEqual({ message: expect.any(String) });
    } finally {
      await clearFaults(account.clientId);
    }
    expect((await stats()).candidates).toBe(before.candidates);
    const retried = await create(data);
    expect(retried.status).toBe(201);
    expect(await stats()).toEqual({ creates: 2, candidates: before.candidates + 1 });
  });

  it.each([
    ["a phone only: found among the candidates Talemetry lists as created since", false],
    ["an email: Talemetry's 409 names it", true],
  ])("creates no second candidate when the create landed but its answer was lost — %s", async (_label, withEmail) => {
    const phone = freshPhone().e164;
    const data = withEmail ? { name: "Alex Kim", phone, email: freshEmail("alex.kim") } : { name: "Alex Kim", phone };
    await resetStats(account.clientId);
    const before = await stats();
    await setFaults(account.clientId, [{ op: "candidate_create", status: 500, afterApply: true, times: 1 }]);
    try {
      const lost = await create(data);
      expect(lost.status).toBe(503);
    } finally {
      await clearFaults(account.clientId);
    }
    expect((await stats()).candidates).toBe(before.candidates + 1); // it landed
    expect(await searchPhone(phone)).toEqual([]); // but the bridge never saw its answer

    const retries = await Promise.all([create(data), create(data)]);
    expect(retries.map((r) => r.status)).toEqual([201, 201]);
    expect(retries[1]!.body).toEqual(retries[0]!.body);
    expect(retries[0]!.body.message).toBe("Candidate created in Talemetry.");
    const id = retries[0]!.body.contact_external_id;
    expect((await stats()).candidates).toBe(before.candidates + 1);
    // Without an email no second create is even attempted; with one, Talemetry refuses it (409).
    expect((await stats()).creates).toBe(withEmail ? 2 : 1);
    expect(await searchPhone(phone)).toEqual([id]);
    expect((await getCandidate(account.clientId, id)).record.name?.given).toBe("Alex");
  });
});

describe("create_contact refusals", () => {
  it("answers 400 with what the agent must fix, creating nothing", async () => {
    await resetStats(account.clientId);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ phone: "+1 628 555 0100" }, "data.name is required"],
      [{ name: "  ", email: "x@example.net" }, "data.name must not be empty"],
      [{ name: "No Way" }, "data must include a phone or an email"],
      [{ name: "No Way", email: "not-an-email" }, "data.email must be an email address"],
      [{ name: "No Way", phone: "12" }, "data.phone"],
      [{ name: "No Way", phone: "+1 415 555 0142 ext. 7" }, "data.phone"],
      [{ name: "x".repeat(201), phone: "+1 628 555 0100" }, "data.name must be at most 200 characters"],
    ];
    for (const [data, reason] of cases) {
      const res = await create(data);
      expect(res.status, JSON.stringify(data)).toBe(400);
      expect(res.body.message, JSON.stringify(data)).toContain(reason);
    }
    expect((await stats()).creates).toBe(0);
  });

  it("leaves contact_external_url out when the tenant has no link template", async () => {
    const bare = await syncedTenant(2, { label: "create-bare" });
    const res = await talkdesk<CreateAnswer>(
      "/actions/create_contact",
      envelope(bare.tenant.api_key, { data: { name: "Casey Brooks", email: freshEmail("casey") } }),
    );
    expect(res.status).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(["contact_external_id", "contact_external_type", "external_id", "message"]);
  });
});

describe("create_contact recovery on a busy account", () => {
  /**
   * `n` candidates whose creation Talemetry dates just before `at`: listed oldest first, they come ahead
   * of a create that landed at `at` (an import running while the agent retries).
   */
  async function createdJustBefore(clientId: string, at: number, n: number): Promise<void> {
    for (let i = 0; i < n; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, n - i) }, (_, k) =>
          createCandidate(clientId, { givenName: "Busy", familyName: `Import${i + k}`, at: new Date(at - 20_000 + i + k).toISOString() }),
        ),
      );
    }
  }

  /** A phone-only create whose answer is lost (it landed); the tenant's index never saw it. */
  async function lostCreate(busy: SyncedTenant, data: Record<string, unknown>): Promise<number> {
    await setFaults(busy.clientId, [{ op: "candidate_create", status: 500, afterApply: true, times: 1 }]);
    const at = Date.now();
    try {
      const lost = await talkdesk<CreateAnswer>("/actions/create_contact", envelope(busy.tenant.api_key, { meta: {}, data }));
      expect(lost.status).toBe(503);
    } finally {
      await clearFaults(busy.clientId);
    }
    return at;
  }

  /**
   * A tenant whose phone-only create of `name` lost its answer, `before` candidates created just ahead of
   * it, and the create retried: the retry's answer.
   */
  async function retryOnBusyAccount(label: string, name: string, phone: string, before: number) {
    const busy = await syncedTenant(2, { label, settings: { sync_interval_seconds: 86_400 } });
    const data = { name, phone };
    const at = await lostCreate(busy, data);
    await createdJustBefore(busy.clientId, at, before);
    await resetStats(busy.clientId);
    const retry = () => talkdesk<CreateAnswer>("/actions/create_contact", envelope(busy.tenant.api_key, { meta: {}, data }));
    return { busy, data, retry, answer: await retry() };
  }

  it("finds the lost create beyond the first page of candidates created since", { timeout: 60_000 }, async () => {
    const { busy, answer: retried } = await retryOnBusyAccount("create-busy", "Jordan Page", "+16285559001", 600);
    expect(retried.status).toBe(201);
    const s = await getStats(busy.clientId);
    expect(s.calls.candidate_create).toBe(0); // found, not created again
    expect(s.calls.ids).toBe(2); // the second page of 500 holds it
    const found = await getCandidate(busy.clientId, retried.body.contact_external_id);
    expect(found.record.name?.family).toBe("Page");
  });

  it("a recovery that cannot list schedules a sync too, and the retry after it answers the lost create", { timeout: 60_000 }, async () => {
    const busy = await syncedTenant(2, { label: "create-nolist", settings: { sync_interval_seconds: 86_400 } });
    const data = { name: "Riley Nolist", phone: "+16285559003" };
    await lostCreate(busy, data);
    const retry = () => talkdesk<CreateAnswer>("/actions/create_contact", envelope(busy.tenant.api_key, { meta: {}, data }));
    await setFaults(busy.clientId, [{ op: "ids", status: 500 }]);
    try {
      const failed = await retry();
      expect(failed.status).toBe(503);
    } finally {
      await clearFaults(busy.clientId);
    }
    const stub = directoryOf(busy.tenant.id);
    expect(await runInDurableObject(stub, (_i, state) => state.storage.kv.get("sync_request"))).toBeDefined();
    await runDurableObjectAlarm(stub);
    const retried = await retry();
    expect(retried.status).toBe(201);
    expect((await getCandidate(busy.clientId, retried.body.contact_external_id)).record.name?.family).toBe("Nolist");
    expect((await getStats(busy.clientId)).calls.candidate_create).toBe(1); // the lost one only
  });

  it("refuses (503) rather than risk a second candidate when more were created since than it looks through", {
    timeout: 90_000,
  }, async () => {
    const { busy, data, retry, answer: refused } = await retryOnBusyAccount("create-flood", "Morgan Flood", "+16285559002", 2_001);
    expect(refused.status).toBe(503);
    expect(refused.body).toEqual({ message: expect.stringMatching(/could not confirm/i) });
    expect(refused.headers.get("retry-after")).toBe("30");
    expect((await getStats(busy.clientId)).calls.candidate_create).toBe(0);
    // The refusal scheduled a sync without waiting for it: the directory does not hold the lost create
    // yet, and the run the alarm starts brings it (the request is stored for it).
    const stub = directoryOf(busy.tenant.id);
    const found = async () => (await v1(busy.tenant.api_key, `/search?phone=${encodeURIComponent(data.phone)}`)).body.data.length > 0;
    expect(await found()).toBe(false);
    expect(await runInDurableObject(stub, (_i, state) => state.storage.getAlarm())).not.toBeNull();
    await runDurableObjectAlarm(stub);
    expect(await found()).toBe(true);
    // The retry answers it, still without a second create.
    const retried = await retry();
    expect(retried.status).toBe(201);
    expect((await getCandidate(busy.clientId, retried.body.contact_external_id)).record.name?.family).toBe("Flood");
    expect((await getStats(busy.clientId)).calls.candidate_create).toBe(0);
  });
});
