/**
 * The Talemetry adapter: the only module that knows the upstream (docs/contracts/talemetry-upstream.md).
 * Everything else imports from here.
 */

export { type AttemptGate, type CallOptions, createStats, type UpstreamStats } from "./call";
export { CandidateExistsError, existingCandidateId } from "./candidate-exists";
export {
  type Authorization,
  authorize,
  type ContactChange,
  type ContactUse,
  type Credentials,
  createTalemetryClient,
  type ListIdsParams,
  MAX_ID_PAGE_SIZE,
  MAX_PROFILE_IDS,
  type MatchEvent,
  type NewCandidate,
  type NewNote,
  PERSON_INCLUDE,
  type ProfileInclude,
  TalemetryClient,
  type TalemetryClientOptions,
} from "./client";
export { type HrxmlCandidate, parseCandidateBody, parseProfilesBody } from "./hrxml";
export { type NormalizeOptions, normalizeCandidate, normalizeNote } from "./normalize";
export { DEFAULT_RETRY_POLICY, parseRetryAfter, type RetryPolicy } from "./retry";
export { DEFAULT_TOKEN_LIFETIME_SECONDS, type TokenSource, tokenExpiry } from "./token";
export {
  createDeadline,
  DEFAULT_DEADLINE_MS,
  type Deadline,
  type FetcherLike,
  SANDBOX_ORIGIN,
  SANDBOX_SETTING,
  type TalemetryHosts,
} from "./transport";
export type { IdsPage, UsersPage } from "./wire";
