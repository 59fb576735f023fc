// The candidate service (src/core/candidates.ts), called directly with a request's services object
// against the simulator — once for every caller: a fresh read with the index's updated_at, the phone
// rule checked before anything is written, write-through to the directory, and the repair of an index
// that missed a write.

import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO } from "../../sandbox/demo-data";
import { contactChangeOf, createCandidate, readCandidate, updateCandidateContact } from "../../src/core/candidates";
import { AppError } from "../../src/platform/errors";
import { getTenant } from "../../src/tenants/store";
import type { Tenant } from "../../src/tenants/types";
import { drainBackfill } from "../helpers/directory";
import { getStats, updateCandidate } from "../helpers/sandbox";
import { servicesFor } from "../helpers/services";
import { createTenant, type TestTenant } from "../helpers/tenants";

const MAYA = DEMO.maya.record.id;

let issued: TestTenant;
let tenant: Tenant;
beforeAll(async () => {
  issued = await createTenant({ region: "US", settings: { candidate_url_template: "https://crm.example/people/{id}" } });
  await drainBackfill(issued.id);
  tenant = (await getTenant(env, issued.id))!;
});

async function appError(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe("contactChangeOf", () => {
  it("resolves phones in the entry's region, else the tenant's, and keeps one spelling per email", () => {
    const change = contactChangeOf(
      {
        emails: [" Maya@Example.com", "maya@example.com", "m.ortiz@example.org"],
        phones: [{ number: "(415) 555-0142" }, { number: "07700 900123", region: "gb", type: "mobile" }],
      },
      "US",
    );
    expect(change).toEqual({
      emails: ["Maya@Example.com", "m.ortiz@example.org"],
      phones: [
        { use: "other", number: "+14155550142" },
        { use: "mobile", number: "+447700900123" },
      ],
    });
  });

  it("names every phone it refuses, extensions included", () => {
    let thrown: unknown;
    try {
      contactChangeOf({ phones: [{ number: "12" }, { number: "+1 415 555 0142" }, { number: "+1 415 555 0142 ext. 7" }] }, "US");
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect((thrown as AppError).status).toBe(422);
    expect((thrown as AppError).errors?.map((e) => e.field)).toEqual(["phones[0].number", "phones[2].number"]);
  });
});

describe("readCandidate", () => {
  it("reads Talemetry fresh, with the tenant's link and the index's updated_at", async () => {
    const person = await readCandidate(servicesFor(tenant), MAYA);
    expect(person).toMatchObject({ id: MAYA, name: "Maya Ortiz", url: `https://crm.example/people/${MAYA}` });
    const indexed = await servicesFor(tenant).directory.getIndexed(MAYA);
    expect(person.updated_at).toBe(indexed?.updated_at);
  });

  it("is a 404 for a candidate Talemetry does not have", async () => {
    expect((await appError(readCandidate(servicesFor(tenant), "00000000-0000-1000-8000-000000000000"))).status).toBe(404);
  });

  it("counts its Talemetry calls in the request's stats", async () => {
    const services = servicesFor(tenant);
    await readCandidate(services, MAYA);
    expect(services.stats.calls).toBeGreaterThanOrEqual(1);
  });

  it("with repairIndex, writes through a contact change the index missed", async () => {
    const lena = DEMO.lena.record.id;
    await updateCandidate(issued.talemetry.client_id, lena, { emails: ["lena.repaired@example.com"] });
    const before = await servicesFor(tenant).directory.getIndexed(lena);
    expect(before?.emails).not.toContain("lena.repaired@example.com");
    await readCandidate(servicesFor(tenant), lena, { repairIndex: true });
    expect((await servicesFor(tenant).directory.getIndexed(lena))?.emails).toEqual(["lena.repaired@example.com"]);
  });
});

describe("updateCandidateContact", () => {
  it("writes E.164 to Talemetry and through to the index", async () => {
    const person = await updateCandidateContact(servicesFor(tenant), MAYA, { phones: [{ number: "415 555 0199", type: "work" }] });
    expect(person.phones).toEqual([{ number: "+14155550199", type: "work", valid: true, raw: expect.any(String) }]);
    const hits = await servicesFor(tenant).directory.searchEmail("maya.ortiz@example.com");
    expect(hits.map((h) => h.person.phones.map((p) => p.number))).toEqual([["+14155550199"]]);
  });

  it("writes nothing when a phone is refused", async () => {
    const calls = (await getStats(issued.talemetry.client_id)).calls;
    const err = await appError(updateCandidateContact(servicesFor(tenant), MAYA, { phones: [{ number: "123" }] }));
    expect(err.status).toBe(422);
    expect((await getStats(issued.talemetry.client_id)).calls).toEqual(calls);
  });

  it("is a 404 before any write for an unknown candidate", async () => {
    const err = await appError(
      updateCandidateContact(servicesFor(tenant), "00000000-0000-1000-8000-000000000000", { emails: ["x@example.com"] }),
    );
    expect(err.status).toBe(404);
  });
});

describe("createCandidate", () => {
  const phone = () => `+1628555${String(Math.floor(Math.random() * 10_000)).padStart(4, "0")}`;

  it("creates the candidate in Talemetry and indexes it at once", async () => {
    const number = phone();
    const creates = (await getStats(issued.talemetry.client_id)).calls.candidate_create;
    const { person, created, replayed } = await createCandidate(servicesFor(tenant), {
      name: "Core Created",
      phones: [{ number, type: "mobile" }],
      source: "talkdesk",
    });
    expect([created, replayed]).toEqual([true, false]);
    expect(person).toMatchObject({ first_name: "Core", last_name: "Created", url: `https://crm.example/people/${person.id}` });
    expect((await getStats(issued.talemetry.client_id)).calls.candidate_create).toBe(creates + 1);
    expect((await servicesFor(tenant).directory.getIndexed(person.id))?.phones.map((p) => p.number)).toEqual([number]);
  });

  it("answers with the candidate who already has the email, creating nothing", async () => {
    const creates = (await getStats(issued.talemetry.client_id)).calls.candidate_create;
    const { person, created } = await createCandidate(servicesFor(tenant), { name: "Somebody Else", emails: ["MAYA.ORTIZ@example.com"] });
    expect([person.id, created]).toEqual([MAYA, false]);
    expect((await getStats(issued.talemetry.client_id)).calls.candidate_create).toBe(creates);
  });

  it("creates one candidate for a repeated key, and replays its answer", async () => {
    const key = `core:${crypto.randomUUID()}`;
    const input = { name: "Once Only", phones: [{ number: phone() }] };
    const first = await createCandidate(servicesFor(tenant), input, { idempotencyKey: key });
    const creates = (await getStats(issued.talemetry.client_id)).calls.candidate_create;
    const again = await createCandidate(servicesFor(tenant), input, { idempotencyKey: key });
    expect([again.person.id, again.replayed]).toEqual([first.person.id, true]);
    expect((await getStats(issued.talemetry.client_id)).calls.candidate_create).toBe(creates);
  });

  it("refuses a nameless or unreachable candidate with 422 before any call", async () => {
    const calls = (await getStats(issued.talemetry.client_id)).calls;
    expect((await appError(createCandidate(servicesFor(tenant), { name: "  ", phones: [{ number: phone() }] }))).errors?.[0]?.field).toBe(
      "name",
    );
    expect((await appError(createCandidate(servicesFor(tenant), { name: "No Contact" }))).status).toBe(422);
    expect((await appError(createCandidate(servicesFor(tenant), { name: "Bad Phone", phones: [{ number: "12" }] }))).status).toBe(422);
    expect((await getStats(issued.talemetry.client_id)).calls).toEqual(calls);
  });
});
