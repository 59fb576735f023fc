// Contact-sync cursors and paging: offset/checkpoint codecs (round-trips, garbage refused), the page
// plan for Talkdesk's four request situations, and a whole run over a changing directory that must
// deliver every row exactly once per change.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  buildContactPage,
  type ContactRow,
  decodeCheckpoint,
  decodeContactOffset,
  encodeCheckpoint,
  encodeContactOffset,
  planContactPage,
} from "../../src/talkdesk/contact-sync";
import { makePerson } from "../helpers/people";

const seqArb = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });

describe("offset codec", () => {
  it("encodes opaquely and round-trips", () => {
    expect(encodeContactOffset({ highWater: 1042, lastSeq: 977 })).toBe("v1.1042.977");
    fc.assert(
      fc.property(seqArb, seqArb, (a, b) => {
        const offset = { highWater: Math.max(a, b), lastSeq: Math.min(a, b) };
        expect(decodeContactOffset(encodeContactOffset(offset))).toEqual(offset);
      }),
    );
  });

  it("refuses to encode impossible offsets", () => {
    expect(() => encodeContactOffset({ highWater: 1, lastSeq: 2 })).toThrow(RangeError);
    expect(() => encodeContactOffset({ highWater: -1, lastSeq: -1 })).toThrow(RangeError);
    expect(() => encodeContactOffset({ highWater: 1.5, lastSeq: 0 })).toThrow(RangeError);
  });

  it("decodes strictly: null for garbage", () => {
    for (const bad of [
      undefined,
      null,
      3,
      "",
      "3",
      "v1",
      "v1.3",
      "v1.3.",
      "v1..3",
      "v2.3.1",
      "v1.3.4",
      "v1.03.1",
      "v1.3.01",
      "v1.-3.1",
      "v1.3.1 ",
      " v1.3.1",
      "v1.3.1.0",
      "V1.3.1",
      "v1.99999999999999999.1",
      "v1.1e3.1",
      "seq:3",
      "2012-11-20 23:01:00 UTC",
    ]) {
      expect(decodeContactOffset(bad), String(bad)).toBeNull();
    }
    fc.assert(
      fc.property(fc.string(), (s) => {
        const decoded = decodeContactOffset(s);
        if (decoded) expect(encodeContactOffset(decoded)).toBe(s);
      }),
    );
  });
});

describe("checkpoint codec", () => {
  it("round-trips and refuses garbage", () => {
    expect(encodeCheckpoint(1042)).toBe("seq:1042");
    fc.assert(
      fc.property(seqArb, (n) => {
        expect(decodeCheckpoint(encodeCheckpoint(n))).toBe(n);
      }),
    );
    for (const bad of [undefined, 5, "", "seq:", "seq:-1", "seq:01", "seq:1.5", "SEQ:1", "seq:1 ", "2012-12-01 11:21:00 UTC", "v1.1.1"]) {
      expect(decodeCheckpoint(bad), String(bad)).toBeNull();
    }
    expect(() => encodeCheckpoint(-1)).toThrow(RangeError);
    expect(() => encodeCheckpoint(Number.MAX_SAFE_INTEGER + 1)).toThrow(RangeError);
  });
});

describe("planContactPage", () => {
  it("covers Talkdesk's four situations", () => {
    expect(planContactPage({})).toEqual({ ok: true, after: -1, highWater: null, fullResync: false });
    expect(planContactPage({ offset: "v1.50.20" })).toEqual({ ok: true, after: 20, highWater: 50, fullResync: false });
    expect(planContactPage({ synchronization_checkpoint: "seq:50" })).toEqual({ ok: true, after: 50, highWater: null, fullResync: false });
    expect(planContactPage({ synchronization_checkpoint: "seq:50", offset: "v1.80.60" })).toEqual({
      ok: true,
      after: 60,
      highWater: 80,
      fullResync: false,
    });
  });

  it("refuses an offset it did not issue, and resyncs on an unreadable checkpoint", () => {
    expect(planContactPage({ offset: "3" })).toEqual({ ok: false, message: "meta.offset is not an offset this bridge issued" });
    expect(planContactPage({ synchronization_checkpoint: "2012-12-01 11:21:00 UTC" })).toEqual({
      ok: true,
      after: -1,
      highWater: null,
      fullResync: true,
    });
  });
});

function row(seq: number, id = `c${seq}`): ContactRow {
  const person = makePerson(id, { name: `Name ${id}` });
  return { seq, person, extras: seq % 2 === 0 ? { address: `${seq} Main St` } : null };
}

describe("buildContactPage", () => {
  it("sends at most a page, with next_offset only when a further row was read", () => {
    const plan = planContactPage({});
    if (!plan.ok) throw new Error("plan");
    const out = buildContactPage(plan, { highWater: 10, rows: [row(3), row(5), row(7)] }, 2);
    expect(out).toEqual({
      restart: false,
      body: {
        next_offset: "v1.10.5",
        synchronization_checkpoint: "seq:10",
        contacts: [
          { id: "c3", name: "Name c3" },
          { id: "c5", name: "Name c5" },
        ],
      },
    });
    expect(Object.keys((out as { body: object }).body)).toEqual(["next_offset", "synchronization_checkpoint", "contacts"]);
    const last = buildContactPage(plan, { highWater: 10, rows: [row(3), row(4)] }, 2);
    expect(last).toEqual({
      restart: false,
      body: {
        synchronization_checkpoint: "seq:10",
        contacts: [
          { id: "c3", name: "Name c3" },
          { id: "c4", name: "Name c4", address: "4 Main St" },
        ],
      },
    });
  });

  it("keeps the run's high-water mark from the offset and the checkpoint on an empty page", () => {
    const plan = planContactPage({ offset: "v1.10.5" });
    if (!plan.ok) throw new Error("plan");
    // The directory has moved on to 99, and returned a row outside the window: neither leaks out.
    const out = buildContactPage(plan, { highWater: 99, rows: [row(11), row(6)] }, 5);
    expect(out).toEqual({
      restart: false,
      body: { synchronization_checkpoint: "seq:10", contacts: [{ id: "c6", name: "Name c6", address: "6 Main St" }] },
    });
    const empty = buildContactPage({ ok: true, after: 7, highWater: null, fullResync: false }, { highWater: 7, rows: [] }, 5);
    expect(empty).toEqual({ restart: false, body: { synchronization_checkpoint: "seq:7", contacts: [] } });
  });

  it("restarts as a full sync when the checkpoint is above the directory's high-water mark", () => {
    const plan = planContactPage({ synchronization_checkpoint: "seq:500" });
    if (!plan.ok) throw new Error("plan");
    expect(buildContactPage(plan, { highWater: 40, rows: [] }, 5)).toEqual({
      restart: true,
      plan: { ok: true, after: -1, highWater: 40, fullResync: true },
    });
  });

  it("runs over a directory changing between pages: each row once per run, every change delivered", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 25 }),
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.nat(40), { maxLength: 30 }),
        (initialCount, pageSize, touches) => {
          // A miniature directory: id → seq, with a monotonic counter like the real one. Touches hit
          // existing rows and new ones alike.
          let counter = 0;
          const seqOf = new Map<string, number>();
          const touch = (id: string) => seqOf.set(id, ++counter);
          for (let i = 0; i < initialCount; i++) touch(`c${i}`);
          const read = (after: number, highWater: number | null) => {
            const h = highWater ?? counter;
            const rows = [...seqOf.entries()]
              .filter(([, seq]) => seq > after && seq <= h)
              .sort((a, b) => a[1] - b[1])
              .slice(0, pageSize + 1)
              .map(([id, seq]) => row(seq, id));
            return { highWater: h, rows };
          };
          // Talkdesk's side: what it holds (id → seq of the version it got) and its checkpoint.
          const held = new Map<string, number>();
          const deliveries = new Map<string, number>();
          let checkpoint: string | undefined;
          const runSync = (changesDuringRun: number[]) => {
            const inThisRun = new Set<string>();
            let offset: string | undefined;
            let pages = 0;
            do {
              const plan = planContactPage({ synchronization_checkpoint: checkpoint, offset });
              if (!plan.ok) throw new Error(plan.message);
              const out = buildContactPage(plan, read(plan.after, plan.highWater), pageSize);
              if (out.restart) throw new Error("unexpected restart");
              for (const c of out.body.contacts) {
                expect(inThisRun.has(c.id), `${c.id} twice in one run`).toBe(false);
                inThisRun.add(c.id);
                held.set(c.id, seqOf.get(c.id)!);
                deliveries.set(c.id, (deliveries.get(c.id) ?? 0) + 1);
              }
              checkpoint = out.body.synchronization_checkpoint;
              offset = out.body.next_offset;
              const t = changesDuringRun.shift();
              if (t !== undefined) touch(`c${t % (initialCount + 5)}`);
              expect(++pages).toBeLessThan(500);
            } while (offset !== undefined);
          };
          runSync([...touches]);
          runSync([]);
          // After a quiet incremental run Talkdesk holds every row at its latest version...
          expect(new Map([...held].sort())).toEqual(new Map([...seqOf].sort()));
          // ...and rows that never changed were sent exactly once.
          for (const [id, seq] of seqOf) if (seq <= initialCount) expect(deliveries.get(id), id).toBe(1);
        },
      ),
    );
  });
});
