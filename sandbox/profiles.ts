/**
 * The profiles call (contract §3), answered in the stateless Worker. The account's Durable Object
 * hands over only what it stores (`profileSources`, account-upstream.ts): the seed its seeded
 * candidates derive from and the stored rows among the ids. Deriving a seeded candidate (seed.ts) and
 * rendering HR-XML (render-hrxml.ts) are pure functions of those, so they run here, where concurrent
 * calls proceed side by side, instead of one after another on the account object's single thread.
 */
import type { CandidateRecord } from "./records";
import { type IncludeOption, renderCandidate, renderCandidates } from "./render-hrxml";
import { ok, type Reply } from "./reply";
import { generateRecord } from "./seed";
import { planFor, type SeedConfig, type SeedPlan } from "./seed-plan";

/** What the account object answers for one profiles call. */
export interface ProfileSources {
  /** The seed configuration the account's seeded candidates derive from (seed-plan.ts). */
  seed: SeedConfig;
  /** The stored rows among the ids asked: the record's JSON, or null for a deleted candidate. */
  stored: Map<string, string | null>;
  /** The account's `singleCandidateAsObject` setting. */
  singleAsObject: boolean;
}

/** A current candidate's record: its stored row when it has one (it wins over the derivation), else derived. */
function currentRecord(plan: SeedPlan, stored: Map<string, string | null>, id: string): CandidateRecord | null {
  const row = stored.get(id);
  if (row !== undefined) return row === null ? null : (JSON.parse(row) as CandidateRecord);
  const skeleton = plan.find(id);
  return skeleton && skeleton.deletedAt === null ? generateRecord(plan, skeleton) : null;
}

/**
 * §3: the current candidates among `ids` (distinct, in the order asked), unknown and deleted ones
 * absent, with the blocks `include` asks for.
 */
export function profilesReply(sources: ProfileSources, ids: readonly string[], include: readonly IncludeOption[] = []): Reply {
  const plan = planFor(sources.seed);
  const blocks = new Set(include);
  const elements = [];
  for (const id of ids) {
    const record = currentRecord(plan, sources.stored, id);
    if (record) elements.push(renderCandidate(record, blocks));
  }
  return ok({ Candidates: renderCandidates(elements, sources.singleAsObject) });
}
