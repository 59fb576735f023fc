// The directory index inside a real tenant Durable Object: upsert/seq semantics, removal, email and
// phone search (levels, ranking, cap, shared numbers), Talkdesk paging by seq, and tenant isolation.
import { describe, expect, it } from "vitest";
import { IndexStore, MAX_SEARCH_LIMIT, MAX_SEARCH_RESULTS } from "../../src/directory/index-store";
import { type PhoneQuery, parsePhoneQuery } from "../../src/phone/match";
import { person, phone, uniqueTenant, withStore } from "./helpers";

const T0 = "2026-11-25T10:00:00Z";
const T1 = "2026-11-25T11:00:00Z";
const T2 = "2026-11-25T12:00:00Z";

function q(text: string, opts: { region?: string; tenantRegion?: string } = {}): PhoneQuery {
  const r = parsePhoneQuery(text, { region: opts.region, tenantRegion: opts.tenantRegion ?? "GB" });
  if (!r.ok) throw new Error(r.error.message);
  return r.query;
}

const ids = (hits: { person: { id: string } }[]) => hits.map((h) => h.person.id);

describe("upsert and seq", () => {
  it("keeps the seq when content is unchanged and bumps it when content changes", async () => {
    await withStore(uniqueTenant("seq"), (store) => {
      const maya = person("c1", { name: "Maya Ortiz", emails: ["maya@example.com"], phones: [phone("+447700900123")] });
      const first = store.upsert(maya, T0);
      expect(first).toMatchObject({ changed: true, searchChanged: true, seq: 1 });
      expect(store.upsert({ ...maya }, T1)).toMatchObject({ changed: false, searchChanged: false, seq: 1 });

      const retitled = store.upsert({ ...maya, title: "Staff Nurse" }, T1);
      expect(retitled).toMatchObject({ changed: true, searchChanged: true, seq: 2 });
      const rephoned = store.upsert({ ...maya, title: "Staff Nurse", phones: [phone("+447700900999")] }, T2);
      expect(rephoned).toMatchObject({ changed: true, searchChanged: true, seq: 3 });
      expect(store.maxSeq()).toBe(3);
      expect(store.getEntry("c1")).toMatchObject({ seq: 3, seenAt: T2, updatedAt: T2 });
    });
  });

  it("ignores key order and updated_at for change detection and keeps the record of the last change", async () => {
    await withStore(uniqueTenant("order"), (store) => {
      const a = person("c1", { emails: ["a@example.com"] });
      store.upsert(a, T0);
      const reordered = Object.fromEntries(Object.entries({ ...a, updated_at: "2026-11-25T09:00:00Z" }).reverse()) as unknown as typeof a;
      // Seen again by an overlapping sync window (or a full re-read, which knows no time): no new change.
      expect(store.upsert(reordered, T1)).toMatchObject({ changed: false, searchChanged: false, seq: 1 });
      expect(store.upsert({ ...a, updated_at: null }, T1)).toMatchObject({ changed: false, searchChanged: false, seq: 1 });
      expect(store.get("c1")).toEqual(a);
      expect(store.getEntry("c1")).toMatchObject({ seenAt: T1, updatedAt: T0 });
    });
  });

  it("returns the record exactly as given, with extras kept apart", async () => {
    await withStore(uniqueTenant("record"), (store) => {
      const p = person("c1", { company: "Example Health", consent: { sms: "yes", email: null }, url: "https://crm.example/people/c1" });
      store.upsert(p, T0, { address: "Leeds, LS1 4AP, GB" });
      expect(store.get("c1")).toEqual(p);
      expect(store.getEntry("c1")?.extras).toEqual({ address: "Leeds, LS1 4AP, GB" });
      // undefined keeps the extras (a write-through knows no address), a change bumps seq, null clears
      expect(store.upsert(p, T1)).toMatchObject({ changed: false, seq: 1 });
      expect(store.upsert(p, T1, { address: "York, GB" })).toMatchObject({ changed: true, searchChanged: false, seq: 2 });
      expect(store.upsert(p, T1, null)).toMatchObject({ changed: true, seq: 3 });
      expect(store.getEntry("c1")?.extras).toBeNull();
      expect(store.get("nope")).toBeNull();
    });
  });

  it("reports every change a search result shows, of a findable candidate only", async () => {
    await withStore(uniqueTenant("searchable"), (store) => {
      const maya = person("c1", { name: "Maya Ortiz", emails: ["maya@example.com"], do_not_contact: false });
      store.upsert(maya, T0);
      // Search shows the whole record: do-not-contact, consent, name and employer alike.
      expect(store.upsert({ ...maya, do_not_contact: true }, T1)).toMatchObject({ changed: true, searchChanged: true });
      expect(store.upsert({ ...maya, do_not_contact: true, consent: { sms: "no", email: null } }, T1)).toMatchObject({
        searchChanged: true,
      });
      // The same record again, also seen later or with other key order, or another address (Talkdesk extras): no search change.
      const same = { ...maya, do_not_contact: true, consent: { sms: "no" as const, email: null } };
      expect(store.upsert({ ...same, updated_at: T1 }, T2)).toMatchObject({ searchChanged: false });
      expect(store.upsert(Object.fromEntries(Object.entries(same).reverse()) as typeof same, T2)).toMatchObject({ searchChanged: false });
      expect(store.upsert(same, T2, { address: "York, GB" })).toMatchObject({ changed: true, searchChanged: false, seq: 4 });
      expect(store.upsert({ ...maya, name: "Maya Ortiz-Reyes" }, T2)).toMatchObject({ changed: true, searchChanged: true, seq: 5 });
      // A candidate no search can find changes no answer.
      store.upsert(person("c2"), T0);
      expect(store.upsert(person("c2", { do_not_contact: true, name: "Renamed" }), T1)).toEqual({
        changed: true,
        searchChanged: false,
        seq: 7,
        logged: "updated",
      });
    });
  });

  it("reports a new candidate without phones or emails as no search change", async () => {
    await withStore(uniqueTenant("nocontact"), (store) => {
      expect(store.upsert(person("c1"), T0)).toMatchObject({ changed: true, searchChanged: false, seq: 1 });
      expect(store.upsert(person("c2", { phones: [{ number: "n/a", type: "home", valid: false, raw: "n/a" }] }), T0)).toMatchObject({
        searchChanged: false,
      });
      expect(store.upsert(person("c3", { emails: ["c3@example.com"] }), T0)).toMatchObject({ searchChanged: true });
    });
  });

  it("upserts many in one transaction and rolls all back on error", async () => {
    await withStore(uniqueTenant("many"), (store) => {
      const batch = [1, 2, 3].map((i) => ({ person: person(`c${i}`, { emails: [`c${i}@example.com`] }) }));
      expect(store.upsertMany(batch, T0)).toEqual({ upserted: 3, changed: 3, searchChanged: true });
      expect(store.upsertMany(batch, T1)).toEqual({ upserted: 3, changed: 0, searchChanged: false });
      expect(() => store.upsertMany([{ person: person("c4") }, { person: person("") }], T1)).toThrow();
      expect(store.get("c4")).toBeNull();
      expect(store.count()).toBe(3);
      expect(store.maxSeq()).toBe(3);
    });
  });

  it("also works when given only ctx.storage.sql", async () => {
    await withStore(uniqueTenant("sqlonly"), (_store, state) => {
      const store = new IndexStore(state.storage.sql, "GB");
      expect(store.upsert(person("c1", { phones: [phone("+447700900123")] }), T0).seq).toBe(1);
      expect(ids(store.searchPhone(q("07700 900123")))).toEqual(["c1"]);
    });
  });
});

describe("remove and clear", () => {
  it("removes a candidate and its keys; seq never goes back", async () => {
    await withStore(uniqueTenant("remove"), (store) => {
      store.upsert(person("c1", { emails: ["a@example.com"], phones: [phone("+447700900123")] }), T0);
      store.upsert(person("c2"), T0);
      expect(store.remove("c1")).toEqual({ removed: true, searchChanged: true });
      expect(store.remove("c1")).toEqual({ removed: false, searchChanged: false });
      expect(store.remove("c2")).toEqual({ removed: true, searchChanged: false });
      expect(store.searchEmail("a@example.com")).toEqual([]);
      expect(store.searchPhone(q("+447700900123"))).toEqual([]);
      expect(store.count()).toBe(0);
      // Each removal takes a seq too (its `deleted` change-log entry): 2 writes + 2 removals.
      expect(store.maxSeq()).toBe(4);
      expect(store.upsert(person("c3"), T1).seq).toBe(5);
    });
  });

  it("removes what a full pass did not see", async () => {
    await withStore(uniqueTenant("unseen"), (store) => {
      store.upsert(person("old", { emails: ["old@example.com"] }), T0);
      store.upsert(person("kept", { emails: ["kept@example.com"] }), T0);
      store.upsert(person("kept", { emails: ["kept@example.com"] }), T2);
      expect(store.removeSeenBefore(T1)).toEqual({ removed: 1, searchChanged: true });
      expect(store.removeSeenBefore(T1)).toEqual({ removed: 0, searchChanged: false });
      expect(store.searchEmail("old@example.com")).toEqual([]);
      expect(ids(store.searchEmail("kept@example.com"))).toEqual(["kept"]);
    });
  });

  it("clears everything but keeps the sequence counter", async () => {
    await withStore(uniqueTenant("clear"), (store) => {
      store.upsert(person("c1", { emails: ["a@example.com"] }), T0);
      store.upsert(person("c2"), T0);
      expect(store.clear()).toEqual({ removed: 2 });
      expect(store.count()).toBe(0);
      expect(store.searchEmail("a@example.com")).toEqual([]);
      // 2 writes + 2 logged removals: the next row sorts after every checkpoint.
      expect(store.upsert(person("c1"), T1).seq).toBe(5);
    });
  });
});

describe("searchEmail", () => {
  it("matches the whole address case-insensitively and trimmed", async () => {
    await withStore(uniqueTenant("email"), (store) => {
      store.upsert(person("c1", { name: "Maya", emails: ["Maya.Ortiz@Example.com", "maya@home.example"] }), T0);
      store.upsert(person("c2", { name: "Ann", emails: ["MAYA.ORTIZ@example.COM"] }), T0);
      store.upsert(person("c3", { emails: ["ortiz@example.com"] }), T0);
      expect(ids(store.searchEmail("  maya.ortiz@EXAMPLE.com "))).toEqual(["c2", "c1"]);
      expect(store.searchEmail("maya.ortiz@example.com")[0].match).toBe("exact");
      expect(store.searchEmail("example.com")).toEqual([]);
      expect(store.searchEmail("   ")).toEqual([]);
    });
  });
});

describe("searchPhone", () => {
  it("finds exact, national and partial matches, ranked and each candidate once", async () => {
    await withStore(uniqueTenant("levels"), (store) => {
      store.upsert(person("gb", { name: "Zed", phones: [phone("+447700900123"), phone("+17700900123")] }), T0);
      store.upsert(person("us", { name: "Amy", phones: [phone("+17700900123")] }), T0);
      store.upsert(person("de", { name: "Bob", phones: [phone("+4930700900123")] }), T0); // longer, ends with 700900123
      store.upsert(person("short", { name: "Cat", phones: [phone("+4922900123")] }), T0); // nsn 22900123, not a suffix
      store.upsert(person("local", { name: "Dan", phones: [phone("+49700900123")] }), T0); // nsn 700900123: suffix of the query

      // Query names no country (tenant GB): exact GB, national US, no partials without partial=true.
      const plain = store.searchPhone(q("07700 900123"));
      expect(plain.map((h) => [h.person.id, h.match])).toEqual([
        ["gb", "exact"],
        ["us", "national"],
      ]);
      const partial = store.searchPhone(q("07700 900123"), { partial: true });
      expect(partial.map((h) => [h.person.id, h.match])).toEqual([
        ["gb", "exact"],
        ["us", "national"],
        ["local", "partial"],
      ]);
      // A shorter query finds the longer stored numbers as partial; ranked by name then id.
      const local = store.searchPhone(q("+49 700 900123", { tenantRegion: "US" }), { partial: true });
      expect(local.map((h) => [h.person.id, h.match])).toEqual([
        ["local", "exact"],
        ["us", "partial"],
        ["de", "partial"],
        ["gb", "partial"],
      ]);
    });
  });

  it("returns no national matches when the query named a country", async () => {
    await withStore(uniqueTenant("named"), (store) => {
      store.upsert(person("gb", { phones: [phone("+447700900123")] }), T0);
      store.upsert(person("us", { phones: [phone("+17700900123")] }), T0);
      expect(ids(store.searchPhone(q("+447700900123")))).toEqual(["gb"]);
      expect(ids(store.searchPhone(q("00447700900123")))).toEqual(["gb"]);
      expect(ids(store.searchPhone(q("7700900123", { region: "US" })))).toEqual(["us"]);
      expect(store.searchPhone(q("+447700900999"))).toEqual([]);
    });
  });

  it("returns every candidate sharing a number", async () => {
    await withStore(uniqueTenant("shared"), (store) => {
      store.upsert(person("a", { name: "Alice", phones: [phone("+447700900123", "home")] }), T0);
      store.upsert(person("b", { name: "Bob", phones: [phone("+447700900123", "work")] }), T0);
      const hits = store.searchPhone(q("07700900123"));
      expect(hits.map((h) => [h.person.id, h.match])).toEqual([
        ["a", "exact"],
        ["b", "exact"],
      ]);
    });
  });

  it("finds invalid stored phones resolved with the tenant region", async () => {
    await withStore(uniqueTenant("invalid"), (store) => {
      store.upsert(person("c1", { phones: [{ number: "07700 900123", type: "home", valid: false, raw: "07700 900123" }] }), T0);
      expect(ids(store.searchPhone(q("+447700900123")))).toEqual(["c1"]);
    });
  });

  it(`caps results at ${MAX_SEARCH_RESULTS}`, async () => {
    await withStore(uniqueTenant("cap"), (store) => {
      const entries = Array.from({ length: 60 }, (_, i) => ({
        person: person(`c${String(i).padStart(2, "0")}`, { name: "Same", phones: [phone("+447700900123")] }),
      }));
      store.upsertMany(entries, T0);
      const hits = store.searchPhone(q("07700900123"));
      expect(hits).toHaveLength(MAX_SEARCH_RESULTS);
      expect(ids(hits)).toEqual(entries.slice(0, 50).map((e) => e.person.id));
      // One past the cap on request (so /v1 can say has_more), never more.
      expect(ids(store.searchPhone(q("07700900123"), { limit: MAX_SEARCH_LIMIT }))).toEqual(entries.slice(0, 51).map((e) => e.person.id));
      expect(store.searchPhone(q("07700900123"), { limit: 1000 })).toHaveLength(MAX_SEARCH_LIMIT);
    });
  });
});

describe("changesSince (Talkdesk paging)", () => {
  it("pages rows with checkpoint < seq ≤ high water in ascending seq, nothing skipped or repeated", async () => {
    await withStore(uniqueTenant("paging"), (store) => {
      for (let i = 1; i <= 5; i++) store.upsert(person(`c${i}`), T0, { address: `street ${i}` });
      const high = store.maxSeq();
      const page1 = store.changesSince(0, high, 2);
      expect(page1.map((r) => [r.person.id, r.seq])).toEqual([
        ["c1", 1],
        ["c2", 2],
      ]);
      expect(page1[0].extras).toEqual({ address: "street 1" });
      // c1 changes during the run: it moves above the high-water mark and is left for the next run
      store.upsert(person("c1", { title: "New" }), T1);
      const page2 = store.changesSince(2, high, 2);
      const page3 = store.changesSince(4, high, 2);
      expect([...page2, ...page3].map((r) => r.person.id)).toEqual(["c3", "c4", "c5"]);
      expect(store.changesSince(5, high, 2)).toEqual([]);
      const next = store.changesSince(high, store.maxSeq(), 100);
      expect(next.map((r) => [r.person.id, r.seq, r.person.title])).toEqual([["c1", 6, "New"]]);
    });
  });

  it("clamps the page size", async () => {
    await withStore(uniqueTenant("clamp"), (store) => {
      store.upsert(person("c1"), T0);
      store.upsert(person("c2"), T0);
      expect(store.changesSince(0, 2, 0)).toHaveLength(1);
      expect(store.changesSince(0, 2, Number.NaN)).toHaveLength(1);
    });
  });
});

describe("tenant isolation", () => {
  it("two tenants' Durable Objects never see each other's rows", async () => {
    const a = uniqueTenant("iso-a");
    const b = uniqueTenant("iso-b");
    await withStore(a, (store) => {
      store.upsert(person("c1", { emails: ["shared@example.com"], phones: [phone("+447700900123")] }), T0);
    });
    await withStore(b, (store) => {
      expect(store.count()).toBe(0);
      expect(store.maxSeq()).toBe(0);
      expect(store.searchEmail("shared@example.com")).toEqual([]);
      expect(store.searchPhone(q("07700900123"))).toEqual([]);
      store.upsert(person("c2", { emails: ["shared@example.com"] }), T0);
    });
    await withStore(a, (store) => {
      expect(ids(store.searchEmail("shared@example.com"))).toEqual(["c1"]);
      expect(store.count()).toBe(1);
    });
  });
});
