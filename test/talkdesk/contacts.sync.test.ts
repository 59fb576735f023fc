// Contact sync (contract §2) through the Worker against the simulator: a full initial run over many
// pages without duplicates or gaps, contact fields, incremental runs, candidates changed while a run is
// paging (nothing skipped: in this run or the next incremental one), and the offset/checkpoint rules.
// TALKDESK_PAGE_SIZE is 4 in tests (vitest.config.ts).
import { describe, expect, it } from "vitest";
import { DEMO } from "../../sandbox/demo-data";
import { createCandidate, deleteCandidate, getStats, updateCandidate } from "../helpers/sandbox";
import { type ContactPage, contactSyncRun, directoryOf, envelope, syncedTenant, talkdesk } from "./helpers";

const PAGE_SIZE = 4;
const E164 = /^\+[1-9]\d{1,14}$/;

/** Every candidate id in the directory, ascending by seq. */
async function directoryIds(tenantId: string): Promise<string[]> {
  const { rows } = await directoryOf(tenantId).changes(-1, null, 1000);
  return rows.map((row) => row.person.id);
}

describe("initial sync", () => {
  it("pages through every candidate once, ascending by seq, with the checkpoint on every page", async () => {
    const { tenant, clientId } = await syncedTenant(30, { settings: { candidate_url_template: "https://crm.example/people/{id}" } });
    const run = await contactSyncRun(tenant.api_key);

    // The seed deletes a few percent of its candidates: count what Talemetry has now.
    const current = (await getStats(clientId)).candidates.current;
    const expected = await directoryIds(tenant.id);
    expect(expected).toHaveLength(current);
    expect(run.ids).toEqual(expected); // same set, same (seq) order: no gaps, no duplicates
    expect(run.pages).toHaveLength(Math.ceil(current / PAGE_SIZE));
    for (const [i, page] of run.pages.entries()) {
      expect(page.synchronization_checkpoint).toBe(run.checkpoint);
      const last = i === run.pages.length - 1;
      expect(page.next_offset === undefined).toBe(last);
      expect(page.contacts.length).toBe(last ? current - PAGE_SIZE * (run.pages.length - 1) : PAGE_SIZE);
      for (const contact of page.contacts) {
        expect(contact.id).toEqual(expect.any(String));
        expect(contact.name).toEqual(expect.any(String));
        for (const phone of contact.phones ?? []) expect(phone).toMatch(E164);
        expect(contact.url).toBe(`https://crm.example/people/${encodeURIComponent(contact.id)}`);
      }
    }
  });

  it("maps a candidate to Talkdesk's contact fields", async () => {
    const { tenant } = await syncedTenant(9);
    const run = await contactSyncRun(tenant.api_key);
    const maya = run.pages.flatMap((p) => p.contacts).find((contact) => contact.id === DEMO.maya.record.id);
    expect(maya).toEqual({
      id: DEMO.maya.record.id,
      name: "Maya Ortiz",
      title: "Staff Nurse",
      emails: ["maya.ortiz@example.com"],
      phones: ["+14155550142"],
      company: "Example Health",
      address: expect.stringContaining("San Francisco"),
    });
    // No demo candidate has a web address: no websites key.
    expect(maya).not.toHaveProperty("websites");
    // Robin Doe has only garbage phone text: no phones key rather than non-E.164 values.
    const robin = run.pages.flatMap((p) => p.contacts).find((contact) => contact.id === DEMO.robin.record.id);
    expect(robin).not.toHaveProperty("phones");
  });

  it("answers an empty directory with an empty page and a checkpoint that an incremental run can start from", async () => {
    const { tenant } = await syncedTenant(0);
    const first = await talkdesk<ContactPage>("/contacts", envelope(tenant.api_key));
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ synchronization_checkpoint: expect.any(String), contacts: [] });
  });
});

describe("websites", () => {
  it("are carried when Talemetry holds web addresses (HR-XML InternetWebAddress), in any ContactMethod", async () => {
    const { tenant, clientId } = await syncedTenant(3);
    const initial = await contactSyncRun(tenant.api_key);
    const id = await createCandidate(clientId, {
      givenName: "Wes",
      familyName: "Site",
      contactMethods: [
        { Use: "personal", InternetEmailAddress: "wes.site@example.com" },
        { Use: "business", InternetWebAddress: "https://portfolio.example/wes" },
        { InternetWebAddress: "www.wes-site.example" },
      ],
    });
    await directoryOf(tenant.id).requestSync();
    const next = await contactSyncRun(tenant.api_key, initial.checkpoint);
    expect(next.pages.flatMap((p) => p.contacts)).toEqual([
      {
        id,
        name: "Wes Site",
        emails: ["wes.site@example.com"],
        websites: ["https://portfolio.example/wes", "www.wes-site.example"],
      },
    ]);
  });
});

describe("incremental sync", () => {
  it("returns only what changed after the checkpoint", async () => {
    const { tenant, clientId } = await syncedTenant(12);
    const initial = await contactSyncRun(tenant.api_key);

    const idle = await contactSyncRun(tenant.api_key, initial.checkpoint);
    expect(idle.ids).toEqual([]);
    expect(idle.pages).toHaveLength(1);
    expect(idle.checkpoint).toBe(initial.checkpoint);

    await updateCandidate(clientId, DEMO.oliver.record.id, { title: "Charge Nurse" });
    const created = await createCandidate(clientId, { givenName: "Nora", familyName: "Quinn", emails: ["nora.quinn@example.com"] });
    await directoryOf(tenant.id).requestSync();

    const next = await contactSyncRun(tenant.api_key, initial.checkpoint);
    expect(new Set(next.ids)).toEqual(new Set([DEMO.oliver.record.id, created]));
    expect(next.checkpoint).not.toBe(initial.checkpoint);
    const oliver = next.pages[0]!.contacts.find((contact) => contact.id === DEMO.oliver.record.id);
    expect(oliver?.title).toBe("Charge Nurse");

    expect((await contactSyncRun(tenant.api_key, next.checkpoint)).ids).toEqual([]);
  });

  it("never skips a candidate that changes while a run is paging: it arrives in this run or the next", async () => {
    const { tenant, clientId } = await syncedTenant(24);
    const order = await directoryIds(tenant.id);
    const alreadySent = order[1]!; // on the first page
    const notYetSent = order[20]!; // on a later page
    const deleted = order[15]!;
    let created = "";

    const run = await contactSyncRun(tenant.api_key, undefined, async (page) => {
      if (page !== 0) return;
      await updateCandidate(clientId, alreadySent, { title: "Changed after it was sent" });
      await updateCandidate(clientId, notYetSent, { title: "Changed before it was sent" });
      await deleteCandidate(clientId, deleted);
      created = await createCandidate(clientId, { givenName: "Mid", familyName: "Run", emails: ["mid.run@example.com"] });
      await directoryOf(tenant.id).requestSync();
    });
    expect(new Set(run.ids).size).toBe(run.ids.length); // no duplicates within the run
    expect(run.ids).toContain(alreadySent);
    // Rows that moved above the run's high-water mark belong to the next run, not to this one.
    expect(run.ids).not.toContain(created);
    expect(run.ids).not.toContain(notYetSent);

    const next = await contactSyncRun(tenant.api_key, run.checkpoint);
    expect(next.ids).toEqual(expect.arrayContaining([alreadySent, notYetSent, created]));
    expect(next.pages.flatMap((p) => p.contacts).find((contact) => contact.id === notYetSent)?.title).toBe("Changed before it was sent");

    // No gaps: everything the directory holds now reached Talkdesk in one of the two runs.
    const seen = new Set([...run.ids, ...next.ids]);
    for (const id of await directoryIds(tenant.id)) expect(seen).toContain(id);
    expect(await directoryIds(tenant.id)).not.toContain(deleted);
  });
});

describe("offsets and checkpoints", () => {
  it("refuses an offset it did not issue, naming meta.offset", async () => {
    const { tenant } = await syncedTenant(5);
    for (const offset of ["3", "v1.10.20", "v2.5.1"]) {
      const res = await talkdesk("/contacts", envelope(tenant.api_key, { meta: { offset } }));
      expect(res.status).toBe(400);
      expect(res.body.message).toContain("meta.offset");
    }
    const numeric = await talkdesk("/contacts", envelope(tenant.api_key, { meta: { offset: 3 } }));
    expect(numeric.status).toBe(400);
    expect(numeric.body.message).toContain("meta.offset");
  });

  it("answers a checkpoint it cannot read, or one beyond the directory (rebuilt), with a full sync", async () => {
    const { tenant } = await syncedTenant(6);
    const all = await directoryIds(tenant.id);
    for (const checkpoint of ["2012-12-01 11:21:00 UTC", "seq:999999"]) {
      const run = await contactSyncRun(tenant.api_key, checkpoint);
      expect(run.ids).toEqual(all);
      expect(run.checkpoint).toMatch(/^seq:\d+$/);
    }
  });

  it("treats an empty checkpoint and offset as absent", async () => {
    const { tenant } = await syncedTenant(3);
    const res = await talkdesk<ContactPage>(
      "/contacts",
      envelope(tenant.api_key, { meta: { synchronization_checkpoint: "", offset: "" } }),
    );
    expect(res.status).toBe(200);
    expect(res.body.contacts).toHaveLength(3);
  });
});
