/**
 * The Talemetry client: one typed function per call of docs/contracts/talemetry-upstream.md.
 * Every upstream detail (paths, envelopes, field names, limits) stays in this module (contract intro:
 * "keep every assumed call inside the Talemetry adapter"). Build one client per request: it holds
 * that request's deadline and counters, and no state outlives it.
 */
import type { CandidateDetails, CandidateNote, TalemetryUser } from "../domain/person";
import { UpstreamError } from "../platform/errors";
import { isoUtc } from "../platform/time";
import { type AttemptGate, type CallContext, type CallOptions, callContext, runCall, type UpstreamStats } from "./call";
import { CandidateExistsError } from "./candidate-exists";
import { parseCandidateBody, parseProfilesBody } from "./hrxml";
import { normalizeCandidate, normalizeNote } from "./normalize";
import { safeMessage } from "./retry";
import { type TokenSource, tokenExpiry } from "./token";
import type { Deadline } from "./transport";
import { type ErrorBody, type IdsPage, parseAuthBody, parseIdsBody, parseNoteBody, parseUsersBody, type UsersPage } from "./wire";

/** §3: at most 50 ids a profiles call (assumed). */
export const MAX_PROFILE_IDS = 50;
/** §2: `PageSize` at most 500 (assumed). */
export const MAX_ID_PAGE_SIZE = 500;
/** Chunks fetched at once: Workers allow 6 simultaneous open connections per request; leave room for others. */
export const PROFILE_CONCURRENCY = 4;
/** §6 users are paged; a bound so that a misreported `TotalPages` cannot loop for ever. */
export const MAX_USER_PAGES = 100;

/** §2 `Event`. */
export type MatchEvent = "created" | "updated" | "deleted";

/** §3 `include` options (contact info is always included). */
export type ProfileInclude =
  | "contact"
  | "education"
  | "experience"
  | "ats_application_histories"
  | "donotcontact_info"
  | "tags"
  | "notes"
  | "custom_data";

/** What a person record (docs/contracts/v1-api.md "Entities") needs: employer/title, do-not-contact, consent. */
export const PERSON_INCLUDE: readonly ProfileInclude[] = ["experience", "donotcontact_info", "custom_data"];

/** §4 `use` of a written phone. */
export type ContactUse = "mobile" | "home" | "work" | "other";

/** The CRM API user's credentials (§1). */
export interface Credentials {
  clientId: string;
  secretKey: string;
}

/** A fresh token and when it stops being usable (epoch ms, see `tokenExpiry`). */
export interface Authorization {
  token: string;
  expiresAt: number;
  /** `expires_in` as Talemetry sent it, null when absent. */
  expiresIn: number | null;
}

/** §2 parameters. `DateTimeRange` is optional, but when present needs all of event, from and to. */
export type ListIdsParams = {
  pageSize: number;
  cursor?: string | null;
  excludeSources?: string[];
  excludeLifeCycles?: string[];
} & ({ event?: undefined; from?: undefined; to?: undefined } | { event: MatchEvent; from: Date | string; to: Date | string });

/** §4 change: each list present replaces that list; an absent key leaves it as it was. */
export interface ContactChange {
  emails?: string[];
  /** Numbers must be E.164 (§4). */
  phones?: Array<{ use: ContactUse; number: string }>;
}

/** §5 new note. `authorEmail` must be a Talemetry user's email, else `invalid`. */
export interface NewNote {
  text: string;
  /** ISO 8601. */
  dateTime: string;
  authorEmail: string;
}

/**
 * §7 new candidate. Talemetry requires a name (given or family) and an email or a phone, else the
 * create is refused as `invalid`; lists and `use` as in §4.
 */
export interface NewCandidate {
  givenName?: string | null;
  familyName?: string | null;
  emails?: string[];
  /** Numbers must be E.164 (§4). */
  phones?: Array<{ use: ContactUse; number: string }>;
  /** §7 `Source`: where the candidate came from (the Match API can exclude sources, §2). */
  source?: string | null;
}

/** §7: a `409` that names the candidate holding the email becomes a `CandidateExistsError`. */
function candidateExists(error: UpstreamError, body: ErrorBody): UpstreamError {
  if (error.kind !== "conflict" || !body.existingId) return error;
  return new CandidateExistsError(body.existingId, error.message, {
    upstreamStatus: error.upstreamStatus,
    upstreamDetail: error.upstreamDetail,
  });
}

/** Options of `createTalemetryClient`. */
export interface TalemetryClientOptions extends CallOptions {
  tokens: TokenSource;
  /** The tenant's default region for phone numbers stored without a country code. */
  defaultRegion?: string | null;
}

/** ISO 8601 UTC in the contract's style (`2011-08-29T17:00:00Z`). */
function isoTime(value: Date | string): string {
  return typeof value === "string" ? value : isoUtc(value.getTime());
}

/**
 * One id as one path segment. Ids are opaque strings (contract "Common rules"), but an id that is
 * empty, `.` or `..`, or holds `/`, would reach another upstream path: `new URL` resolves dot segments
 * (`/v1/people/../notes` is `/v1/notes`) and a server may decode `%2F`. Such an id names no record, so
 * it is refused as `not_found` (the callers' 404 / Talkdesk 400, never a 5xx) before any request,
 * token included, is made; it is not retried.
 */
function pathId(id: string, operation: string): string {
  if (id === "" || id === "." || id === ".." || id.includes("/")) {
    throw new UpstreamError("not_found", safeMessage("not_found", operation), {
      upstreamDetail: 'refused before any request: an id is empty, "." or "..", or contains "/"',
    });
  }
  return encodeURIComponent(id);
}

/**
 * §1 Authorize: trade the CRM API user's credentials for a token. Standalone so that the token
 * source (the tenant's Durable Object) can call it without a client. Safe to retry like a read: a
 * repeated authorization at worst issues a spare token.
 */
export async function authorize(options: CallOptions, credentials: Credentials): Promise<Authorization> {
  return authorizeWith(callContext(options), credentials);
}

async function authorizeWith(ctx: CallContext, credentials: Credentials): Promise<Authorization> {
  const auth = await runCall(ctx, {
    operation: "authorize",
    host: "profiles",
    request: { method: "POST", path: "/v1/authorization", body: { client_id: credentials.clientId, secret_key: credentials.secretKey } },
    idempotent: true,
    authenticated: false,
    parse: parseAuthBody,
    secrets: [credentials.secretKey],
  });
  return { token: auth.token, expiresIn: auth.expiresIn, expiresAt: tokenExpiry(auth.token, auth.expiresIn, ctx.now()) };
}

/** Runs `task` over `items` with at most `limit` in flight, keeping result order. */
async function mapLimited<I, O>(items: I[], limit: number, task: (item: I) => Promise<O>): Promise<O[]> {
  const results: O[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** A per-request Talemetry client. */
export class TalemetryClient {
  /** Upstream attempt counters of this request (`stats.calls` for logs and metrics). */
  readonly stats: UpstreamStats;
  private readonly ctx: CallContext;
  private readonly options: TalemetryClientOptions;

  constructor(options: TalemetryClientOptions) {
    this.options = options;
    this.ctx = callContext(options, options.tokens);
    this.stats = this.ctx.stats;
  }

  /** The same client under another deadline (e.g. each step of a long sync); counters are shared. */
  withDeadline(deadline: Deadline): TalemetryClient {
    return new TalemetryClient({ ...this.options, deadline, stats: this.stats });
  }

  /** The same client with its HTTP attempts admitted by `gate` (a sync run's calls in flight); counters are shared. */
  withGate(gate: AttemptGate): TalemetryClient {
    return new TalemetryClient({ ...this.options, gate, stats: this.stats });
  }

  /** §1, under this client's deadline and counters. */
  authorize(credentials: Credentials): Promise<Authorization> {
    return authorizeWith(this.ctx, credentials);
  }

  /** §2: one keyset page of candidate GUIDs. */
  listIds(params: ListIdsParams): Promise<IdsPage> {
    const body: Record<string, unknown> = {
      PageSize: Math.min(MAX_ID_PAGE_SIZE, Math.max(1, Math.floor(params.pageSize))),
    };
    if (params.event !== undefined) {
      body.DateTimeRange = { From: isoTime(params.from), To: isoTime(params.to), Event: params.event };
    }
    if (params.excludeSources?.length) body.ExcludeSources = params.excludeSources;
    if (params.excludeLifeCycles?.length) body.ExcludeLifeCycles = params.excludeLifeCycles;
    if (params.cursor) body.Cursor = params.cursor;
    return runCall(this.ctx, {
      operation: "list candidate ids",
      host: "match",
      request: { method: "POST", path: "/match/v1/people/ids", body },
      idempotent: true,
      authenticated: true,
      parse: parseIdsBody,
    });
  }

  /**
   * §3: details of the given candidates, normalized, in chunks of 50. Unknown and deleted ids are
   * simply absent from the result (§3); records without a GUID are counted in `stats.rejectedCandidates`.
   */
  async fetchProfiles(ids: readonly string[], include: readonly ProfileInclude[] = []): Promise<CandidateDetails[]> {
    const unique = [...new Set(ids.map((id) => id.trim()).filter((id) => id !== ""))];
    const chunks: string[][] = [];
    for (let i = 0; i < unique.length; i += MAX_PROFILE_IDS) chunks.push(unique.slice(i, i + MAX_PROFILE_IDS));
    const options = { defaultRegion: this.options.defaultRegion ?? null };
    const includeList = [...new Set(include)];
    const pages = await mapLimited(chunks, PROFILE_CONCURRENCY, (chunk) =>
      runCall(this.ctx, {
        operation: "fetch candidate profiles",
        host: "profiles",
        request: {
          method: "POST",
          path: "/soap/profiles/v1",
          body: includeList.length ? { ids: chunk, include: includeList } : { ids: chunk },
        },
        idempotent: true,
        authenticated: true,
        parse: (body) => {
          const parsed = parseProfilesBody(body);
          this.stats.rejectedCandidates += parsed.rejected;
          return parsed.candidates.map((candidate) => normalizeCandidate(candidate, options));
        },
      }),
    );
    // Chunks are disjoint, but the upstream may repeat a candidate within one answer: keep the first.
    const byId = new Map<string, CandidateDetails>();
    for (const details of pages.flat()) if (!byId.has(details.id)) byId.set(details.id, details);
    return [...byId.values()];
  }

  /** §4: replaces the given lists; returns the updated candidate. Never repeated after a 5xx or timeout. */
  async updateContact(id: string, change: ContactChange): Promise<CandidateDetails> {
    const operation = "update candidate contact";
    const path = `/v1/people/${pathId(id, operation)}/contact`;
    const body: Record<string, unknown> = {};
    if (change.emails !== undefined) body.emails = change.emails;
    if (change.phones !== undefined) body.phones = change.phones.map((phone) => ({ use: phone.use, number: phone.number }));
    const options = { defaultRegion: this.options.defaultRegion ?? null };
    return runCall(this.ctx, {
      operation,
      host: "profiles",
      request: { method: "PATCH", path, body },
      idempotent: false,
      authenticated: true,
      parse: (json) => {
        const candidate = parseCandidateBody(json);
        return candidate ? normalizeCandidate(candidate, options) : null;
      },
    });
  }

  /**
   * §7: creates a candidate and returns its normalized details (with its new GUID). Never repeated
   * after a 5xx or timeout: a create whose answer was lost may have landed (§7). When one of the
   * emails already belongs to a candidate, rejects with a `CandidateExistsError` naming it
   * (`existingCandidateId(err)`), so the caller can use that one instead of a duplicate.
   */
  createCandidate(candidate: NewCandidate): Promise<CandidateDetails> {
    const body: Record<string, unknown> = {};
    if (candidate.givenName) body.GivenName = candidate.givenName;
    if (candidate.familyName) body.FamilyName = candidate.familyName;
    if (candidate.emails?.length) body.emails = candidate.emails;
    if (candidate.phones?.length) body.phones = candidate.phones.map((phone) => ({ use: phone.use, number: phone.number }));
    if (candidate.source) body.Source = candidate.source;
    const options = { defaultRegion: this.options.defaultRegion ?? null };
    return runCall(this.ctx, {
      operation: "create candidate",
      host: "profiles",
      request: { method: "POST", path: "/v1/people", body },
      idempotent: false,
      authenticated: true,
      parse: (json) => {
        const created = parseCandidateBody(json);
        return created ? normalizeCandidate(created, options) : null;
      },
      refine: candidateExists,
    });
  }

  /** §5: adds a note to the candidate. Never repeated after a 5xx or timeout (it would duplicate the note). */
  async createNote(id: string, note: NewNote): Promise<CandidateNote> {
    const operation = "create note";
    const path = `/v1/people/${pathId(id, operation)}/notes`;
    return runCall(this.ctx, {
      operation,
      host: "profiles",
      request: {
        method: "POST",
        path,
        body: { Text: note.text, DateTime: note.dateTime, AuthorEmail: note.authorEmail },
      },
      idempotent: false,
      authenticated: true,
      parse: (json) => {
        const raw = parseNoteBody(json);
        return raw ? normalizeNote(raw) : null;
      },
    });
  }

  /** §5: replaces a note's text. */
  async updateNote(id: string, noteId: string, change: { text: string }): Promise<CandidateNote> {
    const operation = "update note";
    const path = `/v1/people/${pathId(id, operation)}/notes/${pathId(noteId, operation)}`;
    return runCall(this.ctx, {
      operation,
      host: "profiles",
      request: { method: "PATCH", path, body: { Text: change.text } },
      idempotent: false,
      authenticated: true,
      parse: (json) => {
        const raw = parseNoteBody(json);
        return raw ? normalizeNote(raw) : null;
      },
    });
  }

  /** §6: one page of users (1-based). */
  listUsers(page: number, perPage: number): Promise<UsersPage> {
    const p = Math.max(1, Math.floor(page));
    return runCall(this.ctx, {
      operation: "list users",
      host: "profiles",
      request: { method: "GET", path: "/v1/users", query: { page: p, per_page: Math.max(1, Math.floor(perPage)) } },
      idempotent: true,
      authenticated: true,
      parse: (json) => parseUsersBody(json, p),
    });
  }

  /** §6: every user, page after page (at most `MAX_USER_PAGES`), de-duplicated by id. */
  async listAllUsers(perPage = 100): Promise<TalemetryUser[]> {
    const users = new Map<string, TalemetryUser>();
    for (let page = 1; page <= MAX_USER_PAGES; page++) {
      const result = await this.listUsers(page, perPage);
      for (const user of result.users) if (!users.has(user.id)) users.set(user.id, user);
      if (result.users.length === 0 || page >= result.totalPages) break;
    }
    return [...users.values()];
  }
}

/** Builds the per-request client. */
export function createTalemetryClient(options: TalemetryClientOptions): TalemetryClient {
  return new TalemetryClient(options);
}
