// POST /oauth/token budgets (issue 11), with the real rate-limiting bindings of wrangler.toml: a client we
// issued gets 60 token requests per 60 s whatever secret it presents, then 429 in RFC 6749 §5.2 JSON
// (`temporarily_unavailable`) with Retry-After and no-store; other clients keep theirs. Requests naming no
// client we issued are counted per client IP (CF-Connecting-IP): 60 per 60 s, then 429 for that address
// only, while a known client calling from it is unaffected.
import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { createTenant, type TestTenant } from "../helpers/tenants";

const CLIENT_LIMIT = Number(env.OAUTH_CLIENT_RATE_LIMIT_REQUESTS);
const CLIENT_WINDOW = Number(env.OAUTH_CLIENT_RATE_LIMIT_PERIOD_SECONDS);
const IP_LIMIT = Number(env.OAUTH_IP_RATE_LIMIT_REQUESTS);
const IP_WINDOW = Number(env.OAUTH_IP_RATE_LIMIT_PERIOD_SECONDS);

let busy: TestTenant;
let quiet: TestTenant;
beforeAll(async () => {
  [busy, quiet] = await Promise.all([createTenant(), createTenant()]);
});

/** A token request with form credentials, from `ip` (CF-Connecting-IP) when given. */
function tokenRequest(clientId: string, clientSecret: string, ip?: string): Promise<Response> {
  return exports.default.fetch("http://bridge/oauth/token", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...(ip ? { "cf-connecting-ip": ip } : {}) },
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret }).toString(),
  });
}

/**
 * Sends batches until one answer is 429; returns how many got `okStatus` before it and the 429 itself.
 * A window may roll over while we send: up to two budgets (and a batch) are allowed before it must come.
 */
async function spend(limit: number, okStatus: number, send: () => Promise<Response>): Promise<{ ok: number; limited: Response | null }> {
  let ok = 0;
  let limited: Response | null = null;
  for (let sent = 0; sent < limit * 2 + 20 && !limited; sent += 10) {
    for (const res of await Promise.all(Array.from({ length: 10 }, send))) {
      if (res.status === okStatus) ok++;
      else if (res.status === 429) limited ??= res;
      else expect.fail(`unexpected ${res.status}: ${await res.text()}`);
      if (res !== limited) await res.body?.cancel();
    }
  }
  return { ok, limited };
}

async function expectThrottled(res: Response | null, window: number, per: RegExp): Promise<void> {
  expect(res).not.toBeNull();
  expect(res!.status).toBe(429);
  expect(res!.headers.get("retry-after")).toBe(String(window));
  expect(res!.headers.get("cache-control")).toBe("no-store");
  const body = (await res!.json()) as { error: string; error_description: string };
  expect(body).toEqual({ error: "temporarily_unavailable", error_description: expect.stringMatching(per) });
}

describe("/oauth/token budgets", () => {
  it("uses the numbers of wrangler.toml", () => {
    expect([CLIENT_LIMIT, CLIENT_WINDOW, IP_LIMIT, IP_WINDOW]).toEqual([60, 60, 60, 60]);
  });

  it("gives each client its own budget, spent by every attempt whatever the secret", async () => {
    const { ok, limited } = await spend(CLIENT_LIMIT, 200, () => tokenRequest(busy.client_id, busy.client_secret));
    expect(ok).toBeGreaterThanOrEqual(CLIENT_LIMIT);
    await expectThrottled(limited, CLIENT_WINDOW, new RegExp(`at most ${CLIENT_LIMIT} per ${CLIENT_WINDOW} s per client`));
    // A wrong secret for the spent client is not even checked: the answer says nothing about it.
    await expectThrottled(await tokenRequest(busy.client_id, "tlk_cs_wrong-secret-0000000000000000000000"), CLIENT_WINDOW, /per client/);
    // Another client is untouched, from the same (absent) address.
    expect((await tokenRequest(quiet.client_id, quiet.client_secret)).status).toBe(200);
  });

  it("counts requests naming no client we issued per IP address, and only for that address", async () => {
    const unknown = () =>
      tokenRequest(`tlk_ci_${crypto.randomUUID().replaceAll("-", "")}`, "tlk_cs_made-up-secret-000000000000000000", "203.0.113.7");
    const { ok, limited } = await spend(IP_LIMIT, 401, unknown);
    expect(ok).toBeGreaterThanOrEqual(IP_LIMIT);
    await expectThrottled(limited, IP_WINDOW, new RegExp(`at most ${IP_LIMIT} per ${IP_WINDOW} s per address`));
    // Malformed client ids count the same (nothing we issued).
    await expectThrottled(await tokenRequest("not-a-client", "x", "203.0.113.7"), IP_WINDOW, /per address/);
    // Another address still gets the usual 401, and a known client from the spent address its token.
    expect((await tokenRequest("tlk_ci_00000000000000000000000000000000", "x", "203.0.113.8")).status).toBe(401);
    expect((await tokenRequest(quiet.client_id, quiet.client_secret, "203.0.113.7")).status).toBe(200);
  });
});
