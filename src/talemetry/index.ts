/**
 * The Talemetry adapter: the only module that knows the upstream (../shared/contracts/talemetry-upstream.md).
 * Everything else imports from here.
 */
export {
  authorize,
  createTalemetryClient,
  MAX_ID_PAGE_SIZE,
  MAX_PROFILE_IDS,
  PERSON_INCLUDE,
  TalemetryClient,
  type Authorization,
  type ContactChange,
  type ContactUse,
  type Credentials,
  type ListIdsParams,
  type MatchEvent,
  type NewNote,
  type ProfileInclude,
  type TalemetryClientOptions,
} from "./client";
export { createStats, type CallOptions, type UpstreamStats } from "./call";
export { normalizeCandidate, normalizeNote, type NormalizeOptions } from "./normalize";
export { parseCandidateBody, parseProfilesBody, type HrxmlCandidate } from "./hrxml";
export { DEFAULT_RETRY_POLICY, parseRetryAfter, type RetryPolicy } from "./retry";
export { DEFAULT_TOKEN_LIFETIME_SECONDS, tokenExpiry, type TokenSource } from "./token";
export {
  createDeadline,
  DEFAULT_DEADLINE_MS,
  hostsFromEnv,
  SANDBOX_ORIGIN,
  type Deadline,
  type FetcherLike,
  type TalemetryHosts,
} from "./transport";
export type { IdsPage, UsersPage } from "./wire";
