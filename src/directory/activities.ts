/**
 * Activity records and idempotency claims in the tenant's Durable Object SQLite
 * (docs/contracts/v1-api.md, "Activities"; docs/architecture.md: claims need strong consistency, so they
 * live here and never in KV, which has no compare-and-set).
 *
 * Talemetry notes have no type, direction or duration: the activity record carries them and links the
 * activity id to the note id, so a `PATCH` right after a `POST` finds the note. An idempotency claim
 * pre-assigns the activity id; that id is written into the note text, so an attempt whose answer was
 * lost can be recognised in Talemetry before a retry writes the note again.
 *
 * Every method is synchronous: the Durable Object runs one event at a time and only interleaves at
 * awaits, so each call below is atomic against every other request to the tenant.
 */
import { randomHex } from "../platform/crypto";

/** The activity record as `/v1/activities` returns it. */
export interface Activity {
  id: string;
  entity: "candidate";
  entity_id: string;
  type: string;
  body: string;
  /** ISO 8601 UTC. */
  occurred_at: string;
  /** The Talemetry user who authored the note. */
  user_id: string | null;
  direction: ActivityDirection | null;
  duration_seconds: number | null;
  created_at: string;
  updated_at: string;
}

/** Who called or wrote first, as TalentLynk reports it. */
export type ActivityDirection = "inbound" | "outbound";

/** An activity as stored: the record plus the Talemetry note it is written to. */
export interface StoredActivity extends Activity {
  note_id: string;
}

/** What a claim attempt found. */
export type ClaimOutcome =
  /**
   * The caller now holds the claim and must `complete` or `release` it. `recover`: an earlier attempt
   * with this key may have written the note (its answer was lost, or its owner vanished): look for the
   * activity id in Talemetry before writing.
   */
  | { kind: "claimed"; key: string; owner: string; activityId: string; firstAttemptAt: string; recover: boolean }
  /** An earlier request with this key and body finished: its answer, to be returned again. */
  | { kind: "done"; activity: Activity }
  /** The key was used with another body. */
  | { kind: "conflict" }
  /** Another request with this key is in flight; its lease ends at `leaseUntil` (epoch ms). */
  | { kind: "busy"; key: string; leaseUntil: number };

/**
/**
 * How an attempt that failed gives its claim up: `refused` — the bridge refused the request as invalid
 * before writing anything, so the key is forgotten (unless an earlier attempt may have written);
 * `failed` — nothing was written, but the key stays bound to its body (the same body runs again,
 * another is a conflict); `uncertain` — the note may have been written, so the next attempt checks
 * Talemetry first.
 */
export type ClaimRelease = "refused" | "failed" | "uncertain";

/**
 * A claim's outcome for any create made idempotent by a key (the same table and rules as activities):
 * a finished claim carries its first answer as the JSON text the create stored (`completeClaim`).
 */
export type KeyClaimOutcome = Exclude<ClaimOutcome, { kind: "done" }> | { kind: "done"; response: string };

/** The contract keeps a key's first answer for 24 hours. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * How long a claim protects an attempt in flight. An attempt is bounded by the request's 10 s upstream
 * deadline plus a few Durable Object round trips; after the lease a waiter takes over (checking
 * Talemetry for the note first), so a request that died mid-way cannot block its key for 24 hours.
 */
export const CLAIM_LEASE_MS = 20_000;

/** Activity ids: `act_` + 96 random bits, so the id in a note's text never matches another activity's. */
export function newActivityId(): string {
  return `act_${randomHex(12)}`;
}

interface ActivityRow extends Record<string, SqlStorageValue> {
  id: string;
  entity_id: string;
  note_id: string;
  type: string;
  body: string;
  occurred_at: string;
  user_id: string | null;
  direction: string | null;
  duration_seconds: number | null;
  created_at: string;
  updated_at: string;
}

interface ClaimRow extends Record<string, SqlStorageValue> {
  key: string;
  body_hash: string;
  activity_id: string;
  state: string;
  owner: string;
  lease_until: number;
  uncertain: number;
  response: string | null;
  created_at: number;
}

function toStored(row: ActivityRow): StoredActivity {
  return {
    id: row.id,
    entity: "candidate",
    entity_id: row.entity_id,
    type: row.type,
    body: row.body,
    occurred_at: row.occurred_at,
    user_id: row.user_id,
    direction: row.direction === "inbound" || row.direction === "outbound" ? row.direction : null,
    duration_seconds: row.duration_seconds,
    created_at: row.created_at,
    updated_at: row.updated_at,
    note_id: row.note_id,
  };
}

/** The public record: the note id stays inside the bridge. */
export function publicActivity(stored: StoredActivity): Activity {
  const { note_id: _noteId, ...activity } = stored;
  return activity;
}

/**
 * Activity records and idempotency claims of one tenant, in the `act_` tables that the tenant Durable
 * Object's migrations create (./schema.ts).
 */
export class ActivityStore {
  private readonly storage: Pick<DurableObjectStorage, "sql" | "transactionSync">;

  constructor(storage: Pick<DurableObjectStorage, "sql" | "transactionSync">) {
    this.storage = storage;
  }

  private get sql(): SqlStorage {
    return this.storage.sql;
  }

  /** One activity, or null. */
  get(id: string): StoredActivity | null {
    const rows = this.sql.exec<ActivityRow>(`SELECT * FROM act_activities WHERE id = ?`, id).toArray();
    return rows.length > 0 ? toStored(rows[0]) : null;
  }

  /** Changes an activity's body and/or type (after its note was rewritten); null when unknown. */
  update(id: string, change: { body?: string; type?: string }, at: string): StoredActivity | null {
    const current = this.get(id);
    if (!current) return null;
    this.sql.exec(
      `UPDATE act_activities SET body = ?, type = ?, updated_at = ? WHERE id = ?`,
      change.body ?? current.body,
      change.type ?? current.type,
      at,
      id,
    );
    return this.get(id);
  }

  /**
   * Claims `keys[0]` for a request whose body hashes to `bodyHash`. `keys[1..]` are earlier spellings of
   * the same request (Talkdesk's previous time bucket): looked up, never created. The first key with a
   * live claim for the same body decides; a live claim on `keys[0]` for another body is a conflict.
   */
  claim(keys: readonly string[], bodyHash: string, now: number): ClaimOutcome {
    const outcome = this.claimKey(keys, bodyHash, now);
    return outcome.kind === "done" ? { kind: "done", activity: JSON.parse(outcome.response) as Activity } : outcome;
  }

  /**
   * `claim` for any create, not only activities (e.g. a candidate created for a Talkdesk caller): the
   * same keys, leases and recovery, with the finished claim's answer as stored JSON text. The claim's
   * pre-assigned id is an activity id either way; other creates may ignore it.
   */
  claimKey(keys: readonly string[], bodyHash: string, now: number): KeyClaimOutcome {
    return this.storage.transactionSync(() => {
      this.sql.exec(`DELETE FROM act_idempotency WHERE expires_at <= ?`, now);
      const primary = keys[0];
      let row: ClaimRow | null = null;
      for (const key of keys) {
        const found = this.claimRow(key);
        if (!found) continue;
        if (found.body_hash === bodyHash) {
          row = found;
          break;
        }
        if (key === primary) return { kind: "conflict" };
      }
      const owner = randomHex(8);
      if (!row) {
        const activityId = newActivityId();
        this.sql.exec(
          `INSERT INTO act_idempotency (key, body_hash, activity_id, state, owner, lease_until, uncertain, response, created_at, expires_at)
           VALUES (?, ?, ?, 'pending', ?, ?, 0, NULL, ?, ?)`,
          primary,
          bodyHash,
          activityId,
          owner,
          now + CLAIM_LEASE_MS,
          now,
          now + IDEMPOTENCY_TTL_MS,
        );
        return { kind: "claimed", key: primary, owner, activityId, firstAttemptAt: new Date(now).toISOString(), recover: false };
      }
      if (row.state === "done" && row.response !== null) return { kind: "done", response: row.response };
      if (row.lease_until > now) return { kind: "busy", key: row.key, leaseUntil: row.lease_until };
      // A released attempt (lease 0), or one whose owner vanished (its lease ran out): the note may have
      // landed unless a release said it did not. Kept uncertain once so: should this attempt fail or
      // vanish too, the next one still checks.
      const recover = row.uncertain === 1 || row.lease_until !== 0;
      this.sql.exec(
        `UPDATE act_idempotency SET owner = ?, lease_until = ?, uncertain = ? WHERE key = ?`,
        owner,
        now + CLAIM_LEASE_MS,
        recover ? 1 : 0,
        row.key,
      );
      return {
        kind: "claimed",
        key: row.key,
        owner,
        activityId: row.activity_id,
        firstAttemptAt: new Date(row.created_at).toISOString(),
        recover,
      };
    });
  }

  /**
   * Stores the activity and, with a claim, marks it done with the activity as its answer — in one
   * transaction. If the claim was already completed by another attempt (a takeover raced a slow owner),
   * that first answer wins and is returned; nothing new is stored.
   */
  complete(activity: StoredActivity, claim: { key: string } | null): Activity {
    return this.storage.transactionSync(() => {
      if (claim) {
        const row = this.claimRow(claim.key);
        if (row?.state === "done" && row.response !== null) return JSON.parse(row.response) as Activity;
      }
      const existing = this.get(activity.id);
      if (!existing) {
        this.sql.exec(
          `INSERT INTO act_activities (id, entity_id, note_id, type, body, occurred_at, user_id, direction, duration_seconds, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          activity.id,
          activity.entity_id,
          activity.note_id,
          activity.type,
          activity.body,
          activity.occurred_at,
          activity.user_id,
          activity.direction,
          activity.duration_seconds,
          activity.created_at,
          activity.updated_at,
        );
      }
      const answer = publicActivity(existing ?? activity);
      if (claim) {
        this.sql.exec(
          `UPDATE act_idempotency SET state = 'done', response = ?, lease_until = 0 WHERE key = ?`,
          JSON.stringify(answer),
          claim.key,
        );
      }
      return answer;
    });
  }

  /**
   * Completes a claim of a create other than an activity with its answer (JSON text), unless another
   * attempt completed it first (a takeover raced a slow owner): that first answer wins and is returned.
   */
  completeClaim(key: string, response: string): string {
    return this.storage.transactionSync(() => {
      const row = this.claimRow(key);
      if (row?.state === "done" && row.response !== null) return row.response;
      this.sql.exec(`UPDATE act_idempotency SET state = 'done', response = ?, lease_until = 0 WHERE key = ?`, response, key);
      return response;
    });
  }

  /**
   * Gives a claim up after a failed attempt, if `owner` still holds it (see `ClaimRelease`). Released
   * claims are free to take over at once; a `failed` or `uncertain` one keeps its body hash, so only the
   * same body runs again within the key's 24 hours.
   */
  release(key: string, owner: string, outcome: ClaimRelease): void {
    if (outcome === "refused") {
      this.sql.exec(`DELETE FROM act_idempotency WHERE key = ? AND owner = ? AND state = 'pending' AND uncertain = 0`, key, owner);
    }
    // What remains (a failure, or a refusal after an earlier attempt that may have written) stays bound.
    this.sql.exec(
      `UPDATE act_idempotency SET lease_until = 0, uncertain = MAX(uncertain, ?) WHERE key = ? AND owner = ? AND state = 'pending'`,
      outcome === "uncertain" ? 1 : 0,
      key,
      owner,
    );
  }

  private claimRow(key: string): ClaimRow | null {
    const rows = this.sql.exec<ClaimRow>(`SELECT * FROM act_idempotency WHERE key = ?`, key).toArray();
    return rows.length > 0 ? rows[0] : null;
  }
}

/**
 * Wakes requests waiting on a busy key in this Durable Object instance. Instance state, not module
 * state: it only shortens waits; the claim rows are the truth, and a waiter whose instance restarted
 * still sees the lease end and takes over.
 */
export class ClaimSignals {
  private readonly waiters = new Map<string, Set<() => void>>();

  /** Resolves when `key` is signalled or after `ms`, whichever comes first. */
  wait(key: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const set = this.waiters.get(key) ?? new Set<() => void>();
      this.waiters.set(key, set);
      const done = () => {
        clearTimeout(timer);
        set.delete(done);
        if (set.size === 0 && this.waiters.get(key) === set) this.waiters.delete(key);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      set.add(done);
    });
  }

  /** Wakes every waiter of `key`. */
  signal(key: string): void {
    for (const wake of [...(this.waiters.get(key) ?? [])]) wake();
  }
}

/** The outcome of asking to change an activity: the edit (with the activity as it is now), or busy. */
export type EditGrant = { kind: "granted"; owner: string; activity: StoredActivity } | { kind: "busy" };

/**
 * Hands out the right to change one activity, one holder at a time, in this Durable Object instance:
 * `PATCH /v1/activities/{id}` rewrites a Talemetry note between two calls here, and two changes
 * interleaved there could leave the note with the earlier body while the later answer claims otherwise.
 * A holder that vanishes loses the edit when its lease ends (the request's upstream work is bounded by
 * its 10 s deadline). Instance state: an instance restart ends every request it was serving anyway.
 */
export class ActivityEditLocks {
  private readonly held = new Map<string, { owner: string; until: number }>();
  private readonly signals = new ClaimSignals();

  /** The edit of `id` for a new owner, waiting for the current holder up to one lease; null when still busy. */
  async acquire(id: string): Promise<string | null> {
    const giveUpAt = Date.now() + CLAIM_LEASE_MS + 1_000;
    for (;;) {
      const now = Date.now();
      const holder = this.held.get(id);
      if (!holder || holder.until <= now) {
        const owner = randomHex(8);
        this.held.set(id, { owner, until: now + CLAIM_LEASE_MS });
        return owner;
      }
      if (now >= giveUpAt) return null;
      await this.signals.wait(id, Math.min(holder.until, giveUpAt) - now + 1);
    }
  }

  /** Gives the edit up, if `owner` still holds it, and wakes whoever waits for it. */
  release(id: string, owner: string): void {
    if (this.held.get(id)?.owner !== owner) return;
    this.held.delete(id);
    this.signals.signal(id);
  }
}
