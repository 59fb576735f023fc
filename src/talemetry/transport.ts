/**
 * Real `Request`s to the Talemetry hosts and one bounded attempt each. Host selection follows
 * docs/contracts/talemetry-upstream.md "Hosts and configuration" and docs/architecture.md:
 * a host setting `sandbox` goes through the `TALEMETRY_SANDBOX` service binding, an http(s) URL
 * through global `fetch` — the same requests and responses either way.
 */
/** docs/architecture.md "Deadlines and upstream errors": one 10 s deadline per request, retries included. */
export const DEFAULT_DEADLINE_MS = 10_000;

/** The one time budget of a request, shared by every upstream attempt and backoff made for it. */
export interface Deadline {
  /** Epoch milliseconds at which the budget ends. */
  readonly at: number;
  /** Milliseconds left (0 when spent). */
  remainingMs(): number;
}

/** A deadline `ms` from now (default 10 s). `now` is injectable for tests. */
export function createDeadline(ms: number = DEFAULT_DEADLINE_MS, now: () => number = Date.now): Deadline {
  const at = now() + Math.max(0, ms);
  return { at, remainingMs: () => Math.max(0, at - now()) };
}

/** Anything that answers a `Request`: a service binding, or a test app (`{ fetch: (req) => app.fetch(req) }`). */
export interface FetcherLike {
  fetch(request: Request): Promise<Response>;
}

/** The setting value that selects the built-in simulator. */
export const SANDBOX_SETTING = "sandbox";
/** The origin of requests sent through the service binding (the binding ignores the host). */
export const SANDBOX_ORIGIN = "https://talemetry.sandbox";

/** Where the two Talemetry hosts are and how to reach them (contract "Hosts" and "Configuration"). */
export interface TalemetryHosts {
  /** `sandbox` or an http(s) URL: Match API (§2). */
  matchUrl: string;
  /** `sandbox` or an http(s) URL: authorization, profiles, writes, users (§1, §3–§6). */
  profilesUrl: string;
  /** The simulator's service binding; required when a URL setting is `sandbox`. */
  sandbox?: FetcherLike;
  /** Global `fetch` unless given (tests pass a recorder). */
  fetch?: (request: Request) => Promise<Response>;
}

/** One reachable host: an origin (plus optional path prefix) and the way requests get there. */
export interface Host {
  readonly base: string;
  send(request: Request): Promise<Response>;
}

/** Resolves one host setting; throws on a setting that is neither `sandbox` nor an http(s) URL (a deployment error). */
export function resolveHost(setting: string, hosts: TalemetryHosts): Host {
  const value = setting.trim();
  if (value === SANDBOX_SETTING) {
    const binding = hosts.sandbox;
    if (!binding) throw new Error("Talemetry host is 'sandbox' but the TALEMETRY_SANDBOX binding is missing");
    return { base: SANDBOX_ORIGIN, send: (request) => binding.fetch(request) };
  }
  if (!/^https?:\/\/[^/\s]+/i.test(value)) throw new Error("Talemetry host setting must be 'sandbox' or an http(s) URL");
  const send = hosts.fetch ?? ((request: Request) => fetch(request));
  return { base: value.replace(/\/+$/, ""), send };
}

/** One HTTP call as the client describes it. */
export interface UpstreamRequest {
  method: "GET" | "POST" | "PATCH";
  /** Path below the host, starting with `/`; path parameters already encoded. */
  path: string;
  query?: Record<string, string | number>;
  /** JSON body. */
  body?: unknown;
  /** Sent as `Authorization: OAUTH <token>` (§ "Common rules"). */
  token?: string;
}

/** What one attempt produced: an answer with its whole body, or no answer. */
export type AttemptOutcome =
  | { type: "response"; status: number; headers: Headers; body: string }
  | { type: "timeout"; afterMs: number }
  | { type: "network"; message: string };

/** Builds the real `Request` (§ "Common rules": JSON both ways, `OAUTH` scheme; redirects not followed). */
export function buildRequest(host: Host, req: UpstreamRequest, signal?: AbortSignal): Request {
  const url = new URL(host.base + req.path);
  for (const [key, value] of Object.entries(req.query ?? {})) url.searchParams.set(key, String(value));
  const headers = new Headers({ Accept: "application/json" });
  if (req.token !== undefined) headers.set("Authorization", `OAUTH ${req.token}`);
  let body: string | undefined;
  if (req.body !== undefined) {
    headers.set("Content-Type", "application/json");
    body = JSON.stringify(req.body);
  }
  // Redirects are never followed (issue 11): a 307/308 would re-send the body — on §1 the secret key —
  // to wherever `Location` points. A 3xx comes back as it is and fails the call (call.ts).
  return new Request(url.toString(), { method: req.method, headers, body, signal, redirect: "manual" });
}

/**
 * Makes one attempt, bounded by `timeoutMs` for the answer *and* its body (a stalled body is as bad
 * as no answer). The attempt is raced against a timer as well as aborted, because a fetcher may
 * ignore the signal (a service binding or test app that hangs).
 */
export async function attempt(host: Host, req: UpstreamRequest, timeoutMs: number): Promise<AttemptOutcome> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | null = null;
  const timedOut = new Promise<AttemptOutcome>((resolve) => {
    timer = setTimeout(
      () => {
        controller.abort();
        resolve({ type: "timeout", afterMs: timeoutMs });
      },
      Math.max(0, timeoutMs),
    );
  });
  const answered = (async (): Promise<AttemptOutcome> => {
    const response = await host.send(buildRequest(host, req, controller.signal));
    const body = await response.text();
    return { type: "response", status: response.status, headers: response.headers, body };
  })().catch((error: unknown): AttemptOutcome => {
    if (controller.signal.aborted) return { type: "timeout", afterMs: timeoutMs };
    return { type: "network", message: error instanceof Error ? error.message : String(error) };
  });
  try {
    return await Promise.race([answered, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
