// Shared wiring for the client tests: a fake upstream, a TokenSource that authorizes through the real
// `authorize` call against it, and a client with fast backoff (the real policy's shape, smaller numbers).
import { authorize, type Credentials, createTalemetryClient } from "../../src/talemetry/client";
import type { RetryPolicy } from "../../src/talemetry/retry";
import type { TokenSource } from "../../src/talemetry/token";
import { createDeadline, type TalemetryHosts } from "../../src/talemetry/transport";
import { createFakeTalemetry, FAKE_CREDENTIALS, type FakeTalemetryOptions } from "../helpers/fake-talemetry";

export const CREDENTIALS: Credentials = { clientId: FAKE_CREDENTIALS.client_id, secretKey: FAKE_CREDENTIALS.secret_key };

/** A TokenSource like the Durable Object's, minus single-flight: holds one token, replaces it on refresh. */
export function testTokens(hosts: TalemetryHosts, credentials: Credentials = CREDENTIALS) {
  let current: string | null = null;
  const calls = { get: 0, refresh: [] as string[] };
  const source: TokenSource = {
    async get() {
      calls.get += 1;
      current ??= (await authorize({ hosts }, credentials)).token;
      return current;
    },
    async refresh(rejected) {
      calls.refresh.push(rejected);
      if (current === rejected || current === null) current = (await authorize({ hosts }, credentials)).token;
      return current;
    },
  };
  return { source, calls, current: () => current };
}

export interface SetupOptions extends FakeTalemetryOptions {
  deadlineMs?: number;
  retry?: Partial<RetryPolicy>;
}

/** A fake upstream reached through the `sandbox` setting, and a client for it. */
export function setup(options: SetupOptions = {}) {
  const fake = createFakeTalemetry(options);
  const hosts: TalemetryHosts = { matchUrl: "sandbox", profilesUrl: "sandbox", sandbox: fake.fetcher };
  const tokens = testTokens(hosts);
  const client = createTalemetryClient({
    hosts,
    tokens: tokens.source,
    defaultRegion: "US",
    deadline: createDeadline(options.deadlineMs ?? 10_000),
    retry: { baseDelayMs: 20, maxDelayMs: 100, ...options.retry },
  });
  return { fake, hosts, tokens, client };
}

/** Runs `fn`, returning its rejection (fails the test if it resolves) and how long it took. */
export async function failure(fn: () => Promise<unknown>): Promise<{ error: any; ms: number }> {
  const started = Date.now();
  try {
    await fn();
  } catch (error) {
    return { error, ms: Date.now() - started };
  }
  throw new Error("expected a rejection");
}
