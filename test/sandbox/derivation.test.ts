// The derivation of seeded candidates (sandbox/seed-plan.ts, sandbox/seed.ts), checked against a brute
// force: every event of every derived candidate, sorted by (time, GUID), is what the slot-by-slot
// enumeration yields for any window and cursor. Plus the inverses the simulator relies on (GUID → index,
// email → index) and the time layout the listing's keyset order depends on.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEMO_CANDIDATES } from "../../sandbox/demo-data";
import { comparePositions, type DerivedEvent, derivedEvents, type ListingKind, type Position } from "../../sandbox/match";
import { emailsOf } from "../../sandbox/records";
import { generateRecord, indexOfEmail } from "../../sandbox/seed";
import { SEED_WINDOW, SeedPlan } from "../../sandbox/seed-plan";

const plan = (count: number, extra: { seed?: string; demo?: boolean } = {}) =>
  new SeedPlan({ clientId: "derivation", count, demoTotal: DEMO_CANDIDATES.length, ...extra });

/** Every derived event of the plan, by brute force over every skeleton, in (time, GUID) order. */
function reference(p: SeedPlan): Record<ListingKind, DerivedEvent[]> {
  const out: Record<ListingKind, DerivedEvent[]> = { all: [], created: [], updated: [], deleted: [] };
  for (let j = 0; j < p.generated; j++) {
    const s = p.skeleton(j);
    const base = { id: s.id, index: j, lifecycle: s.lifecycle, source: s.source };
    out.created.push({ ...base, at: s.createdAt });
    if (s.deletedAt === null) out.all.push({ ...base, at: s.createdAt });
    else out.deleted.push({ ...base, at: s.deletedAt });
    for (const at of s.updates) out.updated.push({ ...base, at });
  }
  for (const list of Object.values(out)) list.sort(comparePositions);
  return out;
}

const list = (p: SeedPlan, kind: ListingKind, from = -Infinity, to = Infinity, after: Position | null = null) => [
  ...derivedEvents(p, { kind, from, to, after }),
];

const KINDS: ListingKind[] = ["all", "created", "updated", "deleted"];

describe("derived events", () => {
  for (const count of [0, 1, 9, 10, 240, 20_000]) {
    it(`enumerates exactly the brute force's events in (time, GUID) order — ${count} candidates`, () => {
      const p = plan(count);
      const expected = reference(p);
      for (const kind of KINDS) expect(list(p, kind), kind).toEqual(expected[kind]);
      if (count >= 240) {
        expect(expected.updated.length).toBeGreaterThan(p.generated / 2);
        expect(expected.deleted.length).toBeGreaterThan(0);
        expect(p.countDeleted()).toBe(expected.deleted.length);
      }
    });
  }

  it("honours any window (both ends inclusive) and any cursor, mid-slot included", () => {
    const p = plan(3_000, { seed: "windows" });
    const expected = reference(p);
    const span = SEED_WINDOW.to - SEED_WINDOW.from;
    const instant = fc.integer({ min: SEED_WINDOW.from - 86_400_000, max: SEED_WINDOW.to + 86_400_000 });
    fc.assert(
      fc.property(
        fc.constantFrom(...KINDS),
        instant,
        fc.integer({ min: 0, max: span / 4 }),
        fc.nat(),
        fc.boolean(),
        (kind, from, width, pick, useCursor) => {
          const to = from + width;
          const inWindow = expected[kind].filter((e) => e.at >= from && e.at <= to);
          // A cursor is the last (time, GUID) of a page: some listed event, or one of its neighbours' times.
          const anchor = inWindow.length ? inWindow[pick % inWindow.length] : null;
          const after = useCursor && anchor ? { at: anchor.at, id: anchor.id } : null;
          const want = after ? inWindow.filter((e) => comparePositions(e, after) > 0) : inWindow;
          expect(list(p, kind, from, to, after)).toEqual(want);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("treats a window bound exactly at an event's millisecond as inside", () => {
    const p = plan(500);
    const [first, second] = reference(p).updated;
    expect(list(p, "updated", first.at, first.at).map((e) => e.id)).toEqual([first.id]);
    expect(list(p, "updated", first.at + 1, second.at).map((e) => e.id)).toEqual([second.id]);
  });

  it("keeps creation times strictly increasing with the index, inside the seed window, whole seconds", () => {
    for (const count of [2, 240, 1_000_000]) {
      const p = plan(count, { demo: false });
      let previous = -Infinity;
      for (const j of new Set([0, 1, Math.floor(p.generated / 2), p.generated - 2, p.generated - 1])) {
        const at = p.skeleton(j).createdAt;
        expect(at).toBeGreaterThan(previous);
        expect(at % 1000).toBe(0);
        expect(at).toBeGreaterThanOrEqual(SEED_WINDOW.from);
        previous = at;
      }
      const last = p.skeleton(p.generated - 1);
      for (const at of [...last.updates, last.deletedAt ?? last.createdAt]) expect(at).toBeLessThanOrEqual(SEED_WINDOW.to);
    }
  });
});

describe("inverses", () => {
  it("finds a derived candidate by its GUID, and nothing for another GUID", () => {
    const p = plan(1_000_000, { seed: "inverse" });
    for (const j of [0, 1, 2, 9_999, 500_000, 999_990]) {
      const s = p.skeleton(j);
      expect(s.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(p.find(s.id)?.index).toBe(j);
      // One hex digit off, anywhere: not a seeded candidate (the whole id is re-derived and compared).
      const altered = s.id.slice(0, 3) + (s.id[3] === "0" ? "1" : "0") + s.id.slice(4);
      expect(p.find(altered)).toBeNull();
    }
    expect(plan(1_000_000, { seed: "other" }).find(p.skeleton(5).id)).toBeNull();
    expect(p.find(DEMO_CANDIDATES[0].record.id)).toBeNull();
    expect(p.find("not-a-guid")).toBeNull();
  });

  it("reads the index back from every generated email, and the record back from its index", () => {
    const p = plan(50_000);
    let emails = 0;
    for (let j = 0; j < p.generated; j += 97) {
      const record = generateRecord(p, p.skeleton(j));
      expect(record).toEqual(generateRecord(p, p.skeleton(j)));
      for (const email of emailsOf(record)) {
        expect(indexOfEmail(email)).toBe(j);
        emails++;
      }
    }
    expect(emails).toBeGreaterThan(400);
    expect(indexOfEmail("maya.ortiz@example.com")).toBeNull();
  });

  it("gives every generated candidate distinct emails (the 409 check can trust the index)", () => {
    const p = plan(20_000);
    const seen = new Set<string>();
    for (let j = 0; j < p.generated; j++) {
      for (const email of emailsOf(generateRecord(p, p.skeleton(j)))) {
        expect(seen.has(email), email).toBe(false);
        seen.add(email);
      }
    }
  });
});
