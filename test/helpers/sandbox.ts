/**
 * Typed helpers for tests that drive the Talemetry simulator (sandbox/README.md) from the bridge's test
 * Worker, through the `TALEMETRY_SANDBOX` service binding. Control helpers throw on any non-2xx answer
 * so a mistyped rule or candidate fails the test where it was arranged.
 *
 * Accounts exist only once created (`createAccount`, which returns the credentials: the simulator shows a
 * secret key once) and keep their state for the whole test file: give each test its own account or
 * reset what it changes. The helpers remember the secret keys of the accounts they created, so
 * `sandboxToken(clientId)` and `accountCredentials(clientId)` work for those.
 */
import { env } from "cloudflare:workers";
import type { CandidateInput, SeedBody, SettingsBody } from "../../sandbox/control-schemas";
import type { FaultRule, Op } from "../../sandbox/faults";
import type { CandidateRecord } from "../../sandbox/records";

export type { CandidateInput, FaultRule, Op };

const BASE = "https://sandbox";

function sandbox(): Fetcher {
  const binding = env.TALEMETRY_SANDBOX;
  if (!binding) throw new Error("env.TALEMETRY_SANDBOX is not bound: the simulator runs only in local/test/sandbox");
  return binding;
}

/** Talemetry credentials of a simulator account. */
export interface SandboxCredentials {
  client_id: string;
  secret_key: string;
}

/** Secret keys of the accounts these helpers created or re-keyed (the simulator keeps only a hash). */
const secretKeys = new Map<string, string>();

/** A client id no other test uses, for an account that is not created (see `createAccount`). */
export function uniqueClientId(label = "test"): string {
  return `${label}-${crypto.randomUUID().slice(0, 8)}`;
}

/**
 * Creates a simulator account seeded with the default data (`POST /__control/accounts`) and returns its
 * credentials. A fixed `clientId` (tests whose assertions depend on the deterministic seed) that exists
 * already — an earlier file of this run created it — is reset to the default data and re-keyed instead.
 */
export async function createAccount(label = "test", clientId = uniqueClientId(label)): Promise<SandboxCredentials> {
  const res = await control("/accounts", { method: "POST", body: JSON.stringify({ client_id: clientId }) });
  let credentials: SandboxCredentials;
  if (res.status === 409) {
    await controlResult(`${account(clientId)}/reset`, "POST");
    credentials = await controlResult(`${account(clientId)}/secret`, "POST");
  } else {
    const text = await res.text();
    if (res.status !== 201) throw new Error(`sandbox account ${clientId} → ${res.status}: ${text}`);
    credentials = (JSON.parse(text) as { result: SandboxCredentials }).result;
  }
  secretKeys.set(credentials.client_id, credentials.secret_key);
  return credentials;
}

/** The credentials of an account created by `createAccount`; throws for any other. */
export function accountCredentials(clientId: string): SandboxCredentials {
  const secret = secretKeys.get(clientId);
  if (secret === undefined) throw new Error(`no sandbox account ${clientId}: create it with createAccount()`);
  return { client_id: clientId, secret_key: secret };
}

/** A raw control call (`path` under /__control, e.g. "/accounts/acme/stats"), with the control token. */
export function control(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${env.SANDBOX_CONTROL_TOKEN}`);
  if (init.body !== undefined && !headers.has("content-type")) headers.set("content-type", "application/json");
  return sandbox().fetch(`${BASE}/__control${path}`, { ...init, headers });
}

async function controlResult<T>(path: string, method: string, body?: unknown): Promise<T> {
  const res = await control(path, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`sandbox control ${method} ${path} → ${res.status}: ${text}`);
  return (JSON.parse(text) as { result: T }).result;
}

const account = (clientId: string) => `/accounts/${encodeURIComponent(clientId)}`;

export interface SandboxStats {
  calls: Record<Op, number>;
  candidates: { current: number; deleted: number };
  /** Tokens issued and neither expired nor revoked. */
  tokens: number;
  /** Bytes of the account's SQLite storage (seeded candidates are derived, not stored). */
  storageBytes: number;
}

export interface SandboxSettings {
  latencyMs: number;
  tokenTtlSeconds: number;
  singleCandidateAsObject: boolean;
  trackCandidateLastChanges: boolean;
}

/** A candidate as the control API shows it: stored record plus every HR-XML block rendered. */
export interface SandboxCandidate {
  id: string;
  createdAt: string;
  deletedAt: string | null;
  record: CandidateRecord;
  Candidate: Record<string, unknown>;
}

/** Replaces the account's fault rules (checked in order; the first matching rule with uses left applies). */
export async function setFaults(clientId: string, rules: FaultRule[]): Promise<void> {
  await controlResult(`${account(clientId)}/faults`, "POST", { rules });
}

export async function clearFaults(clientId: string): Promise<void> {
  await controlResult(`${account(clientId)}/faults`, "DELETE");
}

/** Revokes every token of the account; returns how many there were. */
export async function revokeTokens(clientId: string): Promise<number> {
  return (await controlResult<{ revoked: number }>(`${account(clientId)}/revoke-tokens`, "POST")).revoked;
}

export function getStats(clientId: string): Promise<SandboxStats> {
  return controlResult<SandboxStats>(`${account(clientId)}/stats`, "GET");
}

export async function resetStats(clientId: string): Promise<void> {
  await controlResult(`${account(clientId)}/stats/reset`, "POST");
}

/** Wipes the account's candidates and seeds `count` (demo candidates first unless `demo: false`). */
export async function seedAccount(clientId: string, count: number, options: Omit<SeedBody, "count"> = {}): Promise<{ count: number }> {
  return controlResult(`${account(clientId)}/seed`, "POST", { count, ...options });
}

/** Creates a candidate (records a `created` event); returns its id. */
export async function createCandidate(clientId: string, input: CandidateInput): Promise<string> {
  return (await controlResult<SandboxCandidate>(`${account(clientId)}/candidates`, "POST", input)).id;
}

/** Changes a candidate (records an `updated` event). */
export function updateCandidate(clientId: string, id: string, input: CandidateInput): Promise<SandboxCandidate> {
  return controlResult(`${account(clientId)}/candidates/${encodeURIComponent(id)}`, "PATCH", input);
}

/** Deletes a candidate (records a `deleted` event; it stays listed under `created`). */
export function deleteCandidate(clientId: string, id: string): Promise<SandboxCandidate> {
  return controlResult(`${account(clientId)}/candidates/${encodeURIComponent(id)}`, "DELETE");
}

/** The candidate as stored, deleted ones included; throws on 404. */
export function getCandidate(clientId: string, id: string): Promise<SandboxCandidate> {
  return controlResult(`${account(clientId)}/candidates/${encodeURIComponent(id)}`, "GET");
}

export function setSettings(clientId: string, settings: SettingsBody): Promise<SandboxSettings> {
  return controlResult(`${account(clientId)}/settings`, "POST", settings);
}

/** Adds `ms` to every upstream call of the account (benchmarks). */
export async function setLatency(clientId: string, ms: number): Promise<void> {
  await setSettings(clientId, { latencyMs: ms });
}

/** Wipes the account's data, tokens, faults, settings and counters and reseeds it (its secret key stays). */
export async function resetAccount(clientId: string): Promise<void> {
  await controlResult(`${account(clientId)}/reset`, "POST");
}

// --- calling the simulated upstream directly (what the bridge's adapter does) -------------------------

export interface UpstreamInit {
  method?: string;
  token?: string;
  body?: unknown;
  signal?: AbortSignal;
}

/** One call of the simulated Talemetry API, e.g. `upstream("/soap/profiles/v1", {token, body})`. */
export function upstream(path: string, init: UpstreamInit = {}): Promise<Response> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (init.token) headers.authorization = `OAUTH ${init.token}`;
  if (init.body !== undefined) headers["content-type"] = "application/json";
  return sandbox().fetch(`${BASE}${path}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: init.signal,
  });
}

/** Authorizes with the account's credentials (created by `createAccount`) and returns the token (throws unless 200). */
export async function sandboxToken(clientId: string): Promise<string> {
  const res = await upstream("/v1/authorization", { body: accountCredentials(clientId) });
  if (res.status !== 200) throw new Error(`sandbox authorization for ${clientId} → ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { result: { token: string } }).result.token;
}

export interface UpstreamResult<T = any> {
  status: number;
  headers: Headers;
  /** The parsed JSON body, or null when the body was empty or not JSON. */
  json: T;
  text: string;
}

/** `upstream()` and read the whole answer; for assertions on status, headers and body together. */
export async function upstreamJson<T = any>(path: string, init: UpstreamInit = {}): Promise<UpstreamResult<T>> {
  const res = await upstream(path, init);
  const text = await res.text();
  let json: T = null as T;
  try {
    json = JSON.parse(text) as T;
  } catch {
    // not JSON: left null, the raw text is there
  }
  return { status: res.status, headers: res.headers, json, text };
}
