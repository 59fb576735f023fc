import { decryptSecret, encryptSecret } from "../platform/crypto";
import { UpstreamError, type UpstreamKind } from "../platform/errors";
import { KV_MIN_EXPIRATION_TTL_SECONDS, talemetryTokenKey } from "../tenants/keys";

/**
 * Talemetry access tokens, shared by every isolate of a tenant.
 *
 * - The Durable Object is the single writer: `TokenFlight` (inside the tenant's DO) authorizes at most
 *   once at a time, so 100 concurrent requests that find no valid token cause ONE authorization call.
 *   Its in-flight promise lives in the DO instance — the one place where in-memory coordination is
 *   correct, because there is exactly one instance per tenant.
 * - KV holds an encrypted read copy so a request normally needs no DO round trip. KV has no
 *   compare-and-set and propagates within 60 s, so it is only ever a cache: a stale copy costs one 401,
 *   after which the request asks the DO with the rejected token (`refresh`) and gets the current one.
 */

export interface TokenRecord {
  token: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/**
 * What the Durable Object answers over RPC. A failure travels as data, not as a thrown error: an error
 * thrown across RPC loses its class (and workerd reports it as an uncaught rejection in the object),
 * while the caller needs the upstream kind to answer its own caller truthfully.
 */
export type TokenOutcome = ({ ok: true } & TokenRecord) | { ok: false; kind: UpstreamKind; message: string; retryAfter?: number };

/** The token of an outcome, or the UpstreamError it stands for. */
export function unwrapToken(outcome: TokenOutcome): TokenRecord {
  if (outcome.ok) return { token: outcome.token, expiresAt: outcome.expiresAt };
  throw new UpstreamError(outcome.kind, outcome.message, { retryAfter: outcome.retryAfter });
}

/** Captures a token attempt as a `TokenOutcome`; anything that is not an UpstreamError is a bug and rethrown. */
export async function tokenOutcome(attempt: Promise<TokenRecord>): Promise<TokenOutcome> {
  try {
    return { ok: true, ...(await attempt) };
  } catch (err) {
    if (!(err instanceof UpstreamError)) throw err;
    return { ok: false, kind: err.kind, message: err.message, ...(err.retryAfter !== undefined ? { retryAfter: err.retryAfter } : {}) };
  }
}

/** Refresh this long before expiry, so a token never expires mid-request. */
export const TOKEN_REFRESH_MARGIN_MS = 120_000;

/** Keyed by the credentials version, so a token of replaced Talemetry credentials is never used again. */
const cryptoContext = (tenantId: string, version: number) => `talemetry-token:${tenantId}:v${version}`;

export function isUsable(record: TokenRecord | null | undefined, now = Date.now()): record is TokenRecord {
  return !!record && record.expiresAt - TOKEN_REFRESH_MARGIN_MS > now;
}

export async function readCachedToken(kv: KVNamespace, key: string, tenantId: string, version: number): Promise<TokenRecord | null> {
  const sealed = await kv.get(talemetryTokenKey(tenantId, version));
  if (!sealed) return null;
  try {
    return JSON.parse(await decryptSecret(sealed, key, cryptoContext(tenantId, version))) as TokenRecord;
  } catch {
    return null; // rotated CREDENTIALS_KEY or a corrupt copy: treat as absent, the DO re-issues it
  }
}

export async function writeCachedToken(
  kv: KVNamespace,
  key: string,
  tenantId: string,
  version: number,
  record: TokenRecord,
): Promise<void> {
  const ttl = Math.floor((record.expiresAt - Date.now()) / 1000);
  // KV refuses a shorter expiration; the copy never outlives the token itself.
  if (ttl < KV_MIN_EXPIRATION_TTL_SECONDS) return;
  const sealed = await encryptSecret(JSON.stringify(record), key, cryptoContext(tenantId, version));
  await kv.put(talemetryTokenKey(tenantId, version), sealed, { expirationTtl: ttl });
}

/** Lives inside the tenant's Durable Object. */
export class TokenFlight {
  private current: TokenRecord | null = null;
  private inflight: Promise<TokenRecord> | null = null;

  constructor(
    private readonly authorize: () => Promise<TokenRecord>,
    private readonly publish: (r: TokenRecord) => Promise<void>,
  ) {}

  /**
   * A usable token. `rejected`: a token the caller just saw refused with 401 — never hand it out
   * again; if it is still the current one, authorize anew (once, whoever asks).
   */
  async get(rejected?: string): Promise<TokenRecord> {
    const cur = this.current;
    if (isUsable(cur) && cur.token !== rejected) return cur;
    if (!this.inflight) {
      this.inflight = (async () => {
        try {
          const fresh = await this.authorize();
          this.current = fresh;
          await this.publish(fresh);
          return fresh;
        } finally {
          this.inflight = null;
        }
      })();
    }
    return this.inflight;
  }

  /** Seeds the in-memory copy after a cold start (from KV), unless it is the rejected one. */
  adopt(record: TokenRecord | null): void {
    if (isUsable(record) && !isUsable(this.current)) this.current = record;
  }

  forget(): void {
    this.current = null;
  }
}
