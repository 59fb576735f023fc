/**
 * The resilience loop every Talemetry call goes through (docs/contracts/talemetry-upstream.md
 * "Common rules"; docs/architecture.md "Deadlines and upstream errors"):
 * - one `Deadline` covers every attempt and backoff; each attempt gets min(attempt cap, remaining);
 * - reads retry 5xx, network errors and timeouts with full-jitter backoff, never past the deadline;
 * - writes are not repeated after a 5xx, network error or timeout: they may have landed;
 * - `429` proves the request was not processed, so reads and writes wait for `Retry-After` when it fits
 *   the remaining budget, else fail as throttled with `retryAfter`;
 * - `401` → one fresh token from the `TokenSource` and one retry; a second `401` is an auth failure;
 * - a `3xx` is never followed nor repeated (issue 11): it fails the call as `unavailable`.
 * Failures become `UpstreamError`s with a safe message; upstream error text only in `upstreamDetail`,
 * and of an unreadable body only its size and content type.
 */
import { UpstreamError, type UpstreamKind } from "../platform/errors";
import { backoffDelay, DEFAULT_RETRY_POLICY, kindForStatus, MIN_ATTEMPT_MS, parseRetryAfter, type RetryPolicy, safeMessage } from "./retry";
import type { TokenSource } from "./token";
import { attempt, createDeadline, type Deadline, resolveHost, type TalemetryHosts, type UpstreamRequest } from "./transport";
import { type ErrorBody, parseErrorBody, sanitizeDetail } from "./wire";

/** Counters the caller reads for logs and metrics (one object per request; never module-level). */
export interface UpstreamStats {
  /** HTTP attempts sent upstream, retries and re-auth retries included. */
  calls: number;
  /** Attempts repeated after a 5xx, network error, timeout or 429. */
  retries: number;
  /** Fresh tokens requested after a 401. */
  reauths: number;
  /** Profile records dropped for lack of a GUID. */
  rejectedCandidates: number;
  /** `429` answers received (whether or not the call then succeeded): a sync run slows down on each. */
  throttled: number;
  /** Milliseconds the attempts took (answer and body), added up: what the request spent waiting on Talemetry. */
  elapsedMs: number;
  /**
   * The request's one deadline (docs/architecture.md "Deadlines and upstream errors"), when the counters
   * belong to a request: every client built with them stops there, so a request that needs two clients
   * (a read, then a write) still answers within 10 s. Set by `withUpstreamStats`.
   */
  deadline?: Deadline;
}

/** A zeroed counter object. */
export function createStats(): UpstreamStats {
  return { calls: 0, retries: 0, reauths: 0, rejectedCandidates: 0, throttled: 0, elapsedMs: 0 };
}

/** What every Talemetry call needs besides its token. */
export interface CallOptions {
  hosts: TalemetryHosts;
  /** Defaults to a fresh 10 s deadline, taken when the client (or `authorize`) is created. */
  deadline?: Deadline;
  retry?: Partial<RetryPolicy>;
  /** Shared with the caller, who reads it after the request; created when absent. */
  stats?: UpstreamStats;
  /** [0, 1) source for backoff jitter; `Math.random` unless given (tests). */
  random?: () => number;
  /** Epoch-ms clock for `Retry-After` dates and token expiry; `Date.now` unless given. */
  now?: () => number;
  /** Admits each HTTP attempt; none unless given (see `AttemptGate`). */
  gate?: AttemptGate;
}

/**
 * Runs one HTTP attempt, from sending the request to reading its whole body, and nothing else: not the
 * token, a backoff nor the parsing of the answer. A sync run gates its attempts to keep a number of
 * Talemetry calls in flight; the attempt's counters (`calls`, `throttled`) are updated before the gate's
 * task settles, so a gate that reads them after the task already knows of a `429`.
 */
export type AttemptGate = <T>(attempt: () => Promise<T>) => Promise<T>;

const ungated: AttemptGate = (attempt) => attempt();

/** Resolved `CallOptions`. */
export interface CallContext {
  hosts: TalemetryHosts;
  deadline: Deadline;
  policy: RetryPolicy;
  stats: UpstreamStats;
  random: () => number;
  now: () => number;
  gate: AttemptGate;
  tokens?: TokenSource;
}

/** The deadline that ends first (a client never outlives the request it works for). */
function earliest(a: Deadline, b: Deadline | undefined): Deadline {
  return b === undefined || a.at <= b.at ? a : b;
}

/** Fills the defaults of `CallOptions`. */
export function callContext(options: CallOptions, tokens?: TokenSource): CallContext {
  return {
    hosts: options.hosts,
    deadline: earliest(options.deadline ?? createDeadline(), options.stats?.deadline),
    policy: { ...DEFAULT_RETRY_POLICY, ...options.retry },
    stats: options.stats ?? createStats(),
    random: options.random ?? Math.random,
    now: options.now ?? Date.now,
    gate: options.gate ?? ungated,
    tokens,
  };
}

/** One call, as an operation of the client describes it. */
export interface CallSpec<T> {
  /** Short name for messages ("fetch candidate profiles"). */
  operation: string;
  host: "match" | "profiles";
  request: Omit<UpstreamRequest, "token">;
  /** True for reads (and authorization): safe to repeat after a 5xx, network error or timeout. */
  idempotent: boolean;
  /** Sends `Authorization: OAUTH <token>` and handles `401` by re-authorizing once. */
  authenticated: boolean;
  /** Reads the parsed success body; null when it is not what the contract promises. */
  parse(body: unknown): T | null;
  /** Strings to redact from any upstream text kept for logs (e.g. the secret key). */
  secrets?: string[];
  /** Makes a refusal more specific from what its error body says (§7's `existing_id`); default: as is. */
  refine?(error: UpstreamError, body: ErrorBody): UpstreamError;
}

interface Failure {
  kind: UpstreamKind;
  status?: number;
  detail: string;
  retryAfterMs: number | null;
}

function toError(spec: CallSpec<unknown>, failure: Failure, secrets: string[], note?: string): UpstreamError {
  const detail = note ? `${failure.detail} (${note})` : failure.detail;
  return new UpstreamError(failure.kind, safeMessage(failure.kind, spec.operation), {
    upstreamStatus: failure.status,
    retryAfter: failure.retryAfterMs === null ? undefined : Math.ceil(failure.retryAfterMs / 1000),
    upstreamDetail: sanitizeDetail(detail, secrets),
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * How long to wait before the next attempt, or null when it would not fit the deadline. An upstream
 * `Retry-After` is honoured exactly or not at all; our own backoff is shortened to fit.
 */
function waitBeforeRetry(ctx: CallContext, retry: number, retryAfterMs: number | null): number | null {
  const budget = ctx.deadline.remainingMs() - MIN_ATTEMPT_MS;
  if (budget < 0) return null;
  if (retryAfterMs !== null) return retryAfterMs <= budget ? retryAfterMs : null;
  return Math.min(backoffDelay(retry, ctx.policy, ctx.random), budget);
}

/**
 * A body the adapter could not read, as logs see it: size and media type, never its text. Profiles
 * answers hold names, emails and phones (§3), and an unreadable body may be any of them cut short
 * (issue 11: no personal data in error logs).
 */
export function bodyShape(body: string, contentType: string | null): string {
  const bytes = new TextEncoder().encode(body).byteLength;
  const type = (contentType ?? "").split(";")[0].trim().slice(0, 100);
  return `${bytes} bytes, ${type ? `content type ${type}` : "no content type"}`;
}

function parseSuccess<T>(spec: CallSpec<T>, status: number, body: string, headers: Headers, secrets: string[]): T {
  let json: unknown = null;
  let parsed: T | null = null;
  try {
    json = body.trim() === "" ? null : JSON.parse(body);
    parsed = spec.parse(json);
  } catch {
    parsed = null;
  }
  if (parsed !== null) return parsed;
  const failure: Failure = {
    kind: "unavailable",
    status,
    detail: `HTTP ${status} with an unreadable body (${bodyShape(body, headers.get("content-type"))})`,
    retryAfterMs: null,
  };
  throw toError(spec, failure, secrets);
}

/**
 * `work()` (getting a token: a Durable Object round trip that may authorize with Talemetry under its own
 * deadline), abandoned with `timedOut()` when the request's deadline ends first. The authorization
 * itself goes on in the Durable Object and serves the next request.
 */
async function withinDeadline<T>(ctx: CallContext, work: () => Promise<T>, timedOut: () => Error): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timedOut()), ctx.deadline.remainingMs());
  });
  try {
    return await Promise.race([work(), expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs one call under the rules above. */
export async function runCall<T>(ctx: CallContext, spec: CallSpec<T>): Promise<T> {
  const host = resolveHost(spec.host === "match" ? ctx.hosts.matchUrl : ctx.hosts.profilesUrl, ctx.hosts);
  const secrets = [...(spec.secrets ?? [])];
  if (spec.authenticated && !ctx.tokens) throw new Error(`Talemetry ${spec.operation} needs a TokenSource`);
  let reauthorized = false;
  let attempts = 0;
  const spent = (): UpstreamError =>
    toError(spec, { kind: "unavailable", detail: `request deadline spent before attempt ${attempts + 1}`, retryAfterMs: null }, secrets);
  const noToken = (what: string): UpstreamError =>
    toError(
      spec,
      { kind: "unavailable", detail: `no ${what} within the request deadline (authorization still running)`, retryAfterMs: null },
      secrets,
    );
  // Checked before asking for a token too: getting one may itself cost a round trip.
  if (ctx.deadline.remainingMs() < MIN_ATTEMPT_MS) throw spent();
  const tokens = ctx.tokens;
  let token =
    spec.authenticated && tokens
      ? await withinDeadline(
          ctx,
          () => tokens.get(),
          () => noToken("a token"),
        )
      : undefined;
  if (token !== undefined) secrets.push(token);

  for (;;) {
    if (ctx.deadline.remainingMs() < MIN_ATTEMPT_MS) throw spent();
    const outcome = await ctx.gate(async () => {
      // Read again once admitted: waiting for the gate may have spent some of the deadline.
      const remaining = ctx.deadline.remainingMs();
      if (remaining < MIN_ATTEMPT_MS) return null;
      attempts += 1;
      const sent = performance.now();
      const answer = await attempt(host, { ...spec.request, token }, Math.min(ctx.policy.attemptTimeoutMs, remaining));
      ctx.stats.elapsedMs += performance.now() - sent;
      ctx.stats.calls += 1;
      if (answer.type === "response" && answer.status === 429) ctx.stats.throttled += 1;
      return answer;
    });
    if (outcome === null) throw spent();

    let failure: Failure;
    if (outcome.type === "response") {
      const { status } = outcome;
      if (status >= 200 && status < 300) return parseSuccess(spec, status, outcome.body, outcome.headers, secrets);
      if (status === 401 && spec.authenticated && tokens && token !== undefined && !reauthorized) {
        // A 401 proves the call was not processed: a fresh token and one more try (contract §1).
        reauthorized = true;
        ctx.stats.reauths += 1;
        const rejected = token;
        token = await withinDeadline(
          ctx,
          () => tokens.refresh(rejected),
          () => noToken("a fresh token after a 401"),
        );
        secrets.push(token);
        // The re-auth retry is extra: it does not use up the retry budget.
        attempts -= 1;
        continue;
      }
      if (status >= 300 && status < 400) {
        // Never followed (transport.ts) and never repeated: a redirect is no answer of the contract, and
        // repeating it would only send the request (on §1, the secret key) again. `Location` is not kept.
        throw toError(spec, { kind: "unavailable", status, detail: `HTTP ${status} redirect, not followed`, retryAfterMs: null }, secrets);
      }
      const contentType = outcome.headers.get("content-type");
      const error = parseErrorBody(outcome.body, contentType);
      const label = [error.code && `code=${error.code}`, error.message].filter(Boolean).join(": ");
      failure = {
        kind: kindForStatus(status, error.code),
        status,
        // Codes and messages of a JSON, XML or HTML error are error text; plain text is just a body that
        // was read as nothing else, and may hold anything (issue 11): only its size and type are kept.
        detail:
          error.format === "text"
            ? `HTTP ${status} text body (${bodyShape(outcome.body, contentType)})`
            : `HTTP ${status} ${error.format} body${label ? ` ${label}` : ""}`,
        retryAfterMs: parseRetryAfter(outcome.headers.get("retry-after"), ctx.now()),
      };
      const retryable = failure.kind === "throttled" || (status >= 500 && spec.idempotent);
      if (!retryable) {
        const refused = toError(spec, failure, secrets, status >= 500 ? "write not retried: it may have landed" : undefined);
        throw spec.refine ? spec.refine(refused, error) : refused;
      }
    } else {
      const detail = outcome.type === "timeout" ? `no answer within ${outcome.afterMs} ms` : `network error: ${outcome.message}`;
      failure = { kind: "unavailable", detail, retryAfterMs: null };
      if (!spec.idempotent) throw toError(spec, failure, secrets, "write not retried: it may have landed");
    }

    if (attempts >= ctx.policy.attempts) throw toError(spec, failure, secrets, `after ${attempts} attempts`);
    const wait = waitBeforeRetry(ctx, attempts, failure.retryAfterMs);
    if (wait === null) throw toError(spec, failure, secrets, `no time left in the request deadline after ${attempts} attempts`);
    await sleep(wait);
    ctx.stats.retries += 1;
  }
}
