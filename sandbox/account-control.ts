/**
 * The control API's operations on one account (sandbox/README.md, "Control API"). They never count as
 * upstream calls and never hit fault rules: tests use them to arrange and inspect the world.
 */
import type { AccountStore, CandidateRow } from "./account-store";
import { applyInput } from "./control-candidates";
import type { ParsedCandidateInput, SettingsBody } from "./control-schemas";
import type { FaultRule } from "./faults";
import { Rng, uuidV1 } from "./prng";
import { emailsOf, emptyRecord } from "./records";
import { INCLUDE_OPTIONS, renderCandidate } from "./render-hrxml";
import { fail, ok, type Reply } from "./reply";
import { parseInstant } from "./time";

export function setFaults(store: AccountStore, rules: readonly FaultRule[]): Reply {
  store.replaceFaults(rules);
  return ok({ rules: store.faults() });
}

export function getFaults(store: AccountStore): Reply {
  return ok({ rules: store.faults() });
}

export function revokeTokens(store: AccountStore): Reply {
  return ok({ revoked: store.revokeTokens() });
}

export function stats(store: AccountStore, now: number): Reply {
  return ok({
    calls: store.calls(),
    candidates: store.counts(),
    tokens: store.activeTokens(now),
    storageBytes: store.storageBytes(),
  });
}

export function resetStats(store: AccountStore): Reply {
  store.resetCalls();
  return ok({ calls: store.calls() });
}

export function seed(store: AccountStore, options: { count: number; seed?: string | number; demo?: boolean }): Reply {
  const started = Date.now();
  const count = store.reseed({
    clientId: store.clientId(),
    count: options.count,
    seed: options.seed === undefined ? undefined : String(options.seed),
    demo: options.demo,
  });
  // Inside a Durable Object the clock only moves across I/O, so this measures little; tests time the call.
  return ok({ count, ms: Date.now() - started });
}

export function settings(store: AccountStore, change: SettingsBody): Reply {
  return ok(store.updateSettings(change));
}

function view(row: CandidateRow) {
  return {
    id: row.record.id,
    createdAt: new Date(row.createdAt).toISOString(),
    deletedAt: row.deletedAt === null ? null : new Date(row.deletedAt).toISOString(),
    record: row.record,
    // Everything the profiles call can show, so a test can inspect any block.
    Candidate: renderCandidate(row.record, new Set(INCLUDE_OPTIONS)).Candidate,
  };
}

export function getCandidate(store: AccountStore, id: string): Reply {
  const row = store.load(id, true);
  return row ? ok(view(row)) : fail(404, "not_found", `No candidate ${id}`);
}

const eventTime = (input: { at?: string }, now: number) => (input.at ? parseInstant(input.at)! : now);

/** Creates a candidate (a `created` event, like a new applicant); emails must be free (409). */
export function createCandidate(store: AccountStore, input: ParsedCandidateInput, now: number): Reply {
  const at = eventTime(input, now);
  const id = input.id ?? uuidV1(new Rng(crypto.randomUUID()), at);
  if (store.exists(id)) return fail(409, "conflict", `Candidate ${id} already exists`);
  const record = applyInput(emptyRecord(id), input, at, true);
  const taken = store.emailOwner(emailsOf(record), id);
  if (taken) return fail(409, "conflict", `Email ${taken.email} already belongs to another candidate`);
  store.create({ record, createdAt: at, updatedAt: [], deletedAt: null });
  return ok(view(store.load(id)!), 201);
}

/** Changes a current candidate and records an `updated` event. */
export function updateCandidate(store: AccountStore, id: string, input: ParsedCandidateInput, now: number): Reply {
  if (input.id !== undefined && input.id !== id) return fail(422, "invalid", "id cannot be changed");
  const row = store.load(id);
  if (!row) return fail(404, "not_found", `No candidate ${id}`);
  const at = eventTime(input, now);
  const record = applyInput(row.record, input, at, false);
  const taken = store.emailOwner(emailsOf(record), id);
  if (taken) return fail(409, "conflict", `Email ${taken.email} already belongs to another candidate`);
  store.save(row, record, at);
  return ok(view(store.load(id)!));
}

/** Deletes a current candidate and records a `deleted` event; it stays listed under `created`. */
export function deleteCandidate(store: AccountStore, id: string, at: number): Reply {
  const row = store.load(id);
  if (!row) return fail(404, "not_found", `No candidate ${id}`);
  store.remove(row, at);
  return ok(view(store.load(id, true)!));
}
