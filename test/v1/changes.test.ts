// GET /v1/changes through the Worker against the simulator: a change made in Talemetry reaches the feed
// after the next sync; from=beginning lists every live candidate then continues with the log; cursors are
// opaque and tamper-evident (another tenant's, an edited or a made-up one → 400); past retention → 410.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { directoryOf, drainBackfill, syncUntil } from "../helpers/directory";
import { createAccount, createCandidate, deleteCandidate, seedAccount, updateCandidate } from "../helpers/sandbox";
import { createTenant, type TestTenant } from "../helpers/tenants";
import { expectProblem, v1 } from "./helpers";

interface Change {
  event: string;
  id: string;
  occurred_at: string;
  candidate?: { id: string; phones: { number: string }[]; title: string | null; url: string | null };
}
interface Page {
  data: Change[];
  next_cursor: string;
  has_more: boolean;
}

async function seededTenant(count: number, settings?: Record<string, unknown>): Promise<{ tenant: TestTenant; clientId: string }> {
  const { client_id: clientId } = await createAccount("feed");
  await seedAccount(clientId, count, { demo: false });
  const tenant = await createTenant({ talemetryClientId: clientId, region: "US", settings });
  await drainBackfill(tenant.id);
  return { tenant, clientId };
}

async function page(tenant: TestTenant, query: string): Promise<Page> {
  const answer = await v1<Page>(tenant.api_key, `/changes?${query}`);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body;
}

/** Pages from `query` until has_more is false; returns every change and the last cursor. */
async function drain(tenant: TestTenant, query: string, between: (n: number) => Promise<void> = async () => {}) {
  const out: Change[] = [];
  let body = await page(tenant, query);
  for (let n = 0; ; n++) {
    out.push(...body.data);
    if (!body.has_more) return { changes: out, cursor: body.next_cursor };
    if (n > 50) throw new Error("feed did not end");
    await between(n);
    body = await page(tenant, `cursor=${encodeURIComponent(body.next_cursor)}&limit=5`);
  }
}

describe("GET /v1/changes", () => {
  it("shows a change made in Talemetry after the next sync: created, updated, deleted (no candidate key)", async () => {
    const { tenant, clientId } = await seededTenant(12, { candidate_url_template: "https://crm.example/people/{id}" });
    const now = await page(tenant, "");
    expect(now.data).toEqual([]);
    expect(now.has_more).toBe(false);
    const listed = await drain(tenant, "from=beginning&limit=5");
    const [changed, victim] = listed.changes.map((c) => c.id);

    const created = await createCandidate(clientId, { givenName: "Nora", familyName: "Quinn", emails: ["nora.quinn@example.com"] });
    await updateCandidate(clientId, changed!, {
      phones: [{ kind: "Mobile", InternationalCountryCode: "44", AreaCityCode: "7700", SubscriberNumber: "900456" }],
    });
    await deleteCandidate(clientId, victim!);
    expect((await page(tenant, `cursor=${encodeURIComponent(now.next_cursor)}`)).data).toEqual([]); // not synced yet
    const stub = directoryOf(tenant.id);
    await syncUntil(
      tenant.id,
      async () =>
        (await stub.getIndexed(created)) !== null &&
        (await stub.getIndexed(victim!)) === null &&
        (await stub.getIndexed(changed!))?.phones[0]?.number === "+447700900456",
    );

    const after = await page(tenant, `cursor=${encodeURIComponent(now.next_cursor)}`);
    expect(after.has_more).toBe(false);
    const byId = new Map(after.data.map((c) => [c.id, c]));
    expect(byId.get(created)).toMatchObject({
      event: "candidate.created",
      candidate: { id: created, url: `https://crm.example/people/${created}` },
    });
    expect(byId.get(changed!)).toMatchObject({ event: "candidate.updated", candidate: { phones: [{ number: "+447700900456" }] } });
    expect(byId.get(victim!)).toEqual({ event: "candidate.deleted", id: victim, occurred_at: expect.any(String) });
    expect("candidate" in byId.get(victim!)!).toBe(false);
    expect(after.data).toHaveLength(3);
    for (const c of after.data) expect(Number.isNaN(Date.parse(c.occurred_at))).toBe(false);
    // Polling on from the last cursor: nothing new, the same position.
    const again = await page(tenant, `cursor=${encodeURIComponent(after.next_cursor)}`);
    expect(again).toMatchObject({ data: [], has_more: false });
  });

  it("from=beginning: every live candidate once, then what changed meanwhile; nothing skipped or repeated", async () => {
    const { tenant, clientId } = await seededTenant(23);
    const live = new Map<string, string | null>();
    const first = await page(tenant, "from=beginning&limit=5");
    expect(first.has_more).toBe(true);
    const seen: Change[] = [...first.data];
    const rest = await drain(tenant, `cursor=${encodeURIComponent(first.next_cursor)}&limit=5`, async (n) => {
      if (n !== 0) return;
      // Mid-listing: one already listed changes, one not yet listed changes, one goes, one is new.
      const listedId = first.data[0]!.id;
      const all = (await directoryOf(tenant.id).changes(0, null, 1000)).rows.map((r) => r.person.id);
      const pending = all.filter((id) => !seen.some((c) => c.id === id) && !first.data.some((c) => c.id === id));
      await updateCandidate(clientId, listedId, { title: "Night Nurse" });
      await updateCandidate(clientId, pending.at(-1)!, { title: "Ward Manager" });
      await deleteCandidate(clientId, pending.at(-2)!);
      const late = await createCandidate(clientId, { givenName: "Late", familyName: "Comer", emails: ["late.comer@example.com"] });
      const stub = directoryOf(tenant.id);
      await syncUntil(
        tenant.id,
        async () =>
          (await stub.getIndexed(late)) !== null &&
          (await stub.getIndexed(pending.at(-2)!)) === null &&
          (await stub.getIndexed(listedId))?.title === "Night Nurse" &&
          (await stub.getIndexed(pending.at(-1)!))?.title === "Ward Manager",
      );
    });
    seen.push(...rest.changes);
    for (const c of seen) {
      if (c.event === "candidate.deleted") live.delete(c.id);
      else live.set(c.id, c.candidate?.title ?? null);
    }
    // Replaying the feed gives the directory as it is now.
    const now = (await directoryOf(tenant.id).changes(0, null, 1000)).rows;
    expect(Object.fromEntries(live)).toEqual(Object.fromEntries(now.map((r) => [r.person.id, r.person.title])));
    const keys = seen.map((c) => `${c.event}:${c.id}`);
    expect(new Set(keys.filter((k) => k.startsWith("candidate.created"))).size).toBe(
      keys.filter((k) => k.startsWith("candidate.created")).length,
    );
    expect(keys.filter((k) => k.startsWith("candidate.updated"))).toHaveLength(2);
    expect(keys.filter((k) => k.startsWith("candidate.deleted"))).toHaveLength(1);
  });

  it("answers 400 for a cursor it did not issue: another tenant's, edited, made up", async () => {
    const a = await createTenant({ region: "US" });
    const b = await createTenant({ region: "US" });
    const cursorA = (await page(a, "")).next_cursor;
    const foreign = expectProblem(await v1(b.api_key, `/changes?cursor=${encodeURIComponent(cursorA)}`), 400, "bad-request");
    expect(foreign.errors).toEqual([{ field: "cursor", message: expect.any(String) }]);
    const [payload, mac] = cursorA.split(".");
    const edited = `${Buffer.from(JSON.stringify([1, "l", 99])).toString("base64url")}.${mac}`;
    expect(edited).not.toBe(cursorA);
    expectProblem(await v1(a.api_key, `/changes?cursor=${encodeURIComponent(edited)}`), 400, "bad-request");
    expectProblem(await v1(a.api_key, `/changes?cursor=${payload}`), 400, "bad-request");
    expectProblem(await v1(a.api_key, "/changes?cursor=not-a-cursor"), 400, "bad-request");
    expect((await page(a, `cursor=${encodeURIComponent(cursorA)}`)).data).toEqual([]);
    // Query rules: limit 1…500, from only "beginning", not with a cursor.
    for (const q of ["limit=0", "limit=501", "limit=x", "from=yesterday", `from=beginning&cursor=${encodeURIComponent(cursorA)}`]) {
      expectProblem(await v1(a.api_key, `/changes?${q}`), 400, "bad-request");
    }
  });

  it("answers 410 for a cursor older than the retention, and from=beginning still works", async () => {
    const { tenant, clientId } = await seededTenant(3);
    const old = (await page(tenant, "")).next_cursor;
    const ana = await createCandidate(clientId, { givenName: "Ana", familyName: "Old", emails: ["ana.old@example.com"] });
    await syncUntil(tenant.id, async () => (await directoryOf(tenant.id).getIndexed(ana)) !== null);
    // Age the log past the retention; the next alarm prunes it.
    const stub = directoryOf(tenant.id);
    await runInDurableObject(stub, async (_instance, state) => {
      state.storage.sql.exec(`UPDATE dir_changes SET occurred_at = 0`);
      await state.storage.setAlarm(Date.now());
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const gone = expectProblem(await v1(tenant.api_key, `/changes?cursor=${encodeURIComponent(old)}`), 410, "gone");
    expect(gone.detail).toMatch(/from=beginning/);
    const full = await drain(tenant, "from=beginning");
    // Every indexed candidate (the seed's count less the candidates it deleted, plus Ana), each once, as created.
    const indexed = (await stub.changes(0, null, 1000)).rows.map((r) => r.person.id);
    expect(indexed).toContain(ana);
    expect(full.changes.map((c) => c.event)).toEqual(indexed.map(() => "candidate.created"));
    expect(full.changes.map((c) => c.id).sort()).toEqual([...indexed].sort());
  });
});
