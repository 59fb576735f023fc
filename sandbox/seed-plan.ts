/**
 * How an account's seeded candidates exist without being stored. A seeded candidate is a pure function
 * of (seed key, index): nothing is written when an account is seeded with a million of them, and a
 * listing, a profiles call or a write derives what it needs. Only what differs from the derivation is
 * stored (account-store.ts): candidates created, changed or deleted through the API or control routes.
 *
 * The Match API pages by (event time, GUID) over windows of time (docs/contracts/talemetry-upstream.md
 * §2), so events must be enumerable in time order without an index. The seed window is cut into one
 * *slot* per generated candidate, in index order:
 *
 * - candidate j is created at a time inside slot j, so `created` order is index order;
 * - each later event (update, deletion) of candidate j lies inside slot j + λ, where λ is one of a
 *   dozen or so fixed lags (a day, a week, a month, a year…, converted to slots). The events inside
 *   slot s are therefore those of candidates s − λ for each lag λ. Whether candidate j has an event at
 *   lag λ, and its time, are independent hashes of (key, j, λ): checking a slot costs a few hashes.
 *
 * Slots are at least one second wide (the window holds about 109 million seconds), so created times are
 * strictly increasing in j.
 */
import { cyrb128, fmix32, Rng, type SeedKey, unfmix32, uuidV1From } from "./prng";
import { LIFECYCLES, SOURCES } from "./seed-data";

/** Seeded events fall in this window: fixed, so reruns are identical, and in the past, before any write. */
export const SEED_WINDOW = { from: Date.parse("2022-01-01T00:00:00Z"), to: Date.parse("2025-06-30T00:00:00Z") };
/** Candidates are created up to 30 days before the window's end, so each has room for later events. */
const CREATED_END = SEED_WINDOW.to - 30 * 86_400_000;

/** At most this many seeded candidates per account (slots must stay at least a second wide). */
export const MAX_SEED_CANDIDATES = 10_000_000;

/** What a seeding was asked for; stored in the account's meta, everything else follows from it. */
export interface SeedConfig {
  clientId: string;
  /** Candidates in the account, the demo candidates included. */
  count: number;
  /** Mixed into the key: the same client id with another seed gets other data. */
  seed?: string;
  /** Include the demo candidates (default true); they are stored rows, not derived. */
  demo?: boolean;
  /** How many fixed demo candidates exist (demo-data.ts); the first `min(count, demoTotal)` are used. */
  demoTotal: number;
}

/** The later events of a candidate land this many days after its creation (converted to slots). */
const LAG_DAYS = [0, 1, 2, 4, 7, 14, 30, 45, 60, 90, 120, 180, 270, 365, 450, 540, 730, 900, 1095];
/** Updates per candidate on average (spread over its usable lags), and the share deleted. */
const MEAN_UPDATES = 0.95;
const DELETED_SHARE = 0.03;

/** Streams of one candidate's randomness: separate so that one can be drawn without the others. */
export const STREAM = { identity: 0, content: 1, phones: 2 } as const;

/** Tags of the timeline's hashes (each (index, tag) pair is an independent uniform draw). */
const TAG = { created: 1, deleted: 2, deleteLag: 3, deleteTime: 4, update: 100, updateTime: 200 } as const;

const SECOND = 1000;
const FROM_S = SEED_WINDOW.from / SECOND;
const CREATED_SPAN_S = (CREATED_END - SEED_WINDOW.from) / SECOND;
const SPAN_S = (SEED_WINDOW.to - SEED_WINDOW.from) / SECOND;
const TWO_32 = 4294967296;
/** Skeletons a plan keeps (see `SeedPlan.recent`): a few pages of the largest listing (500 ids). */
const RECENT_SKELETONS = 4096;

/** A derived candidate's identity and timeline: all the Match API needs, without the record itself. */
export class Skeleton {
  private guid: string | undefined;
  private updateTimes: readonly number[] | undefined;

  constructor(
    private readonly plan: SeedPlan,
    readonly index: number,
    readonly createdAt: number,
    readonly deletedAt: number | null,
    readonly lifecycle: string | null,
    readonly source: string | null,
    private readonly uuid: { ticks: number; clockSeq: number; node: string },
  ) {}

  /** The GUID (a UUID v1 of the creation time), computed on first read. */
  get id(): string {
    this.guid ??= uuidV1From(this.createdAt, this.uuid.ticks, this.uuid.clockSeq, this.uuid.node);
    return this.guid;
  }

  /**
   * Update times (ms), ascending, each in its own slot; none at or after the deletion. Computed on first
   * read: a listing of current or created candidates never needs them, and they are most of a
   * skeleton's hashes (one per lag).
   */
  get updates(): readonly number[] {
    this.updateTimes ??= this.plan.updatesOf(this.index, this.deletedAt);
    return this.updateTimes;
  }
}

export class SeedPlan {
  readonly key: SeedKey;
  /** Demo candidates (stored rows) in this account. */
  readonly demoCount: number;
  /** Derived candidates: indexes 0 … generated − 1. */
  readonly generated: number;
  /** Slots 0 … eventSlots − 1 end inside the seed window; later events must land in one of them. */
  readonly eventSlots: number;
  /** Distinct lags in slots, ascending. */
  readonly lags: readonly number[];
  /** Chance of an update at each usable lag. */
  private readonly updateChance: number;
  private readonly nodeMask: number;
  /**
   * Skeletons derived lately, by index: a listing derives a page's skeletons, and the profiles calls
   * that follow ask for the same candidates by id (insertion order is age: the oldest go first).
   */
  private readonly recent = new Map<number, Skeleton>();

  constructor(readonly config: SeedConfig) {
    this.demoCount = config.demo === false ? 0 : Math.min(config.count, config.demoTotal);
    this.generated = config.count - this.demoCount;
    this.key = cyrb128(`talemetry-sandbox:${config.clientId}:${config.seed ?? ""}`);
    this.nodeMask = fmix32(this.key[0] ^ this.key[3]);
    const m = Math.max(1, this.generated);
    this.eventSlots = Math.floor((SPAN_S * m) / CREATED_SPAN_S);
    const lags = LAG_DAYS.map((days) => Math.max(1, Math.round((days * 86_400 * m) / CREATED_SPAN_S)));
    this.lags = [...new Set(lags)].sort((a, b) => a - b);
    this.updateChance = MEAN_UPDATES / this.lags.length;
  }

  /** Start of slot `s`, in Unix seconds. */
  slotStart(s: number): number {
    return FROM_S + Math.floor((s * CREATED_SPAN_S) / Math.max(1, this.generated));
  }

  /** The slot holding second `sec` (0 for any time before the window). */
  slotOf(sec: number): number {
    if (sec <= FROM_S) return 0;
    let s = Math.floor(((sec - FROM_S) * Math.max(1, this.generated)) / CREATED_SPAN_S);
    while (s > 0 && this.slotStart(s) > sec) s--;
    while (this.slotStart(s + 1) <= sec) s++;
    return s;
  }

  /** A uniform draw in [0, 1) for (index, tag): random access, no stream to replay. */
  private draw(j: number, tag: number): number {
    return fmix32(fmix32(this.key[1] ^ j) ^ Math.imul(tag, 0x9e3779b1) ^ this.key[2]) / TWO_32;
  }

  /** A time (ms) inside slot `s`, whole seconds like the rest of the seed. */
  private timeIn(s: number, u: number): number {
    const start = this.slotStart(s);
    return (start + Math.floor(u * (this.slotStart(s + 1) - start))) * SECOND;
  }

  /** How many lags of candidate j still land inside the window (a prefix: lags are ascending). */
  private usableLags(j: number): number {
    let n = this.lags.length;
    while (n > 0 && j + this.lags[n - 1] >= this.eventSlots) n--;
    return n;
  }

  createdAt(j: number): number {
    return this.timeIn(j, this.draw(j, TAG.created));
  }

  /** Candidate j's deletion (slot and time), or null. */
  deletion(j: number): { slot: number; at: number } | null {
    if (this.draw(j, TAG.deleted) >= DELETED_SHARE) return null;
    const usable = this.usableLags(j);
    if (usable === 0) return null;
    const slot = j + this.lags[Math.floor(this.draw(j, TAG.deleteLag) * usable)];
    return { slot, at: this.timeIn(slot, this.draw(j, TAG.deleteTime)) };
  }

  /** The time of candidate j's update at lag number q (in slot j + lags[q]), or null when it has none (as in `skeleton`). */
  updateAt(j: number, q: number): number | null {
    const slot = j + this.lags[q];
    if (slot >= this.eventSlots || this.draw(j, TAG.update + q) >= this.updateChance) return null;
    const at = this.timeIn(slot, this.draw(j, TAG.updateTime + q));
    const deleted = this.deletion(j);
    return deleted === null || at < deleted.at ? at : null;
  }

  /** Candidate j's update times (see `Skeleton.updates`); `deletedAt` is its deletion time, or null. */
  updatesOf(j: number, deletedAt: number | null): number[] {
    const updates: number[] = [];
    for (let q = 0; q < this.lags.length; q++) {
      const slot = j + this.lags[q];
      if (slot >= this.eventSlots) break;
      if (this.draw(j, TAG.update + q) >= this.updateChance) continue;
      const at = this.timeIn(slot, this.draw(j, TAG.updateTime + q));
      if (deletedAt === null || at < deletedAt) updates.push(at);
    }
    return updates;
  }

  /** Candidate j's identity and timeline. */
  skeleton(j: number): Skeleton {
    let skeleton = this.recent.get(j);
    if (skeleton === undefined) {
      skeleton = this.deriveSkeleton(j);
      if (this.recent.size >= RECENT_SKELETONS) this.recent.delete(this.recent.keys().next().value as number);
      this.recent.set(j, skeleton);
    }
    return skeleton;
  }

  private deriveSkeleton(j: number): Skeleton {
    const deleted = this.deletion(j);
    const rng = Rng.at(this.key, j, STREAM.identity);
    const ticks = rng.int(0, 9999);
    const clockSeq = rng.int(0, 0x3fff);
    const node = `${rng.hex(4)}${fmix32(j ^ this.nodeMask)
      .toString(16)
      .padStart(8, "0")}`;
    const lifecycle = rng.chance(0.92) ? rng.pick(LIFECYCLES) : null;
    const source = rng.chance(0.95) ? rng.pick(SOURCES) : null;
    return new Skeleton(this, j, this.createdAt(j), deleted?.at ?? null, lifecycle, source, { ticks, clockSeq, node });
  }

  /**
   * The derived candidate with this GUID, or null. The node's low 32 bits carry the index (scrambled
   * per account); re-deriving and comparing the whole id rules out any other GUID.
   */
  find(id: string): Skeleton | null {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id)) return null;
    const j = (unfmix32(Number.parseInt(id.slice(-8), 16)) ^ this.nodeMask) >>> 0;
    if (j >= this.generated) return null;
    const skeleton = this.skeleton(j);
    return skeleton.id === id ? skeleton : null;
  }

  /** How many derived candidates are deleted (one draw each; cache the answer). */
  countDeleted(): number {
    let n = 0;
    for (let j = 0; j < this.generated; j++) if (this.deletion(j) !== null) n++;
    return n;
  }
}

/** Plans built lately in this isolate, by configuration (insertion order is age). */
const plans = new Map<string, SeedPlan>();
const MAX_PLANS = 32;

/**
 * The plan of a seed configuration, shared by everything in the isolate that derives from it: a plan
 * is immutable, so the account object's listings and the Worker's profiles calls can share one, and
 * the skeletons it keeps.
 */
export function planFor(config: SeedConfig): SeedPlan {
  const key = JSON.stringify([config.clientId, config.count, config.seed ?? null, config.demo ?? null, config.demoTotal]);
  let plan = plans.get(key);
  if (plan === undefined) {
    if (plans.size >= MAX_PLANS) plans.delete(plans.keys().next().value as string);
    plan = new SeedPlan(config);
    plans.set(key, plan);
  }
  return plan;
}
