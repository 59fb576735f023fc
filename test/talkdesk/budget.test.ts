// Talkdesk's own per-tenant budget (issue 11): the real TALKDESK_RATE_LIMIT binding, configured smaller
// for tests (vitest.config.ts: 150 / 60 s, binding and vars alike — which also shows the budget is
// configurable); wrangler.toml's own numbers (1,200 / 60 s, own namespace, vars equal to the binding in
// every environment) are checked from the file by test/config/settings.test.ts. The budget is spent on
// the cheapest authenticated call (an unknown action: envelope, key, budget, then 404). Over budget →
// 429 {"message"} with Retry-After, for that tenant only, without touching the tenant's /v1 budget.
import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { BRIDGE, createTenant, type TestTenant } from "../helpers/tenants";
import { v1 } from "../v1/helpers";
import { envelope, talkdesk, talkdeskFetch } from "./helpers";

const LIMIT = Number(env.TALKDESK_RATE_LIMIT_REQUESTS);
const WINDOW = Number(env.TALKDESK_RATE_LIMIT_PERIOD_SECONDS);

let busy: TestTenant;
let quiet: TestTenant;
beforeAll(async () => {
  [busy, quiet] = await Promise.all([createTenant(), createTenant()]);
});

describe("Talkdesk budget", () => {
  it("is the smaller test budget here", () => {
    expect([LIMIT, WINDOW]).toEqual([150, 60]);
  });

  it("answers 429 {message} with Retry-After once a tenant's Talkdesk budget is spent, for that tenant only, leaving its /v1 budget alone", async () => {
    let passed = 0;
    let limited: Response | null = null;
    const body = envelope(busy.api_key);
    // A window may roll over while we send: allow for one reset before the budget must run out.
    for (let sent = 0; sent < LIMIT * 2 + 100 && !limited; sent += 50) {
      const batch = await Promise.all(Array.from({ length: 50 }, () => talkdeskFetch("/actions/no_such_action", body)));
      for (const res of batch) {
        if (res.status === 404) passed++;
        else if (res.status === 429 && !limited) limited = res;
        else await res.body?.cancel();
      }
    }
    expect(passed).toBeGreaterThanOrEqual(LIMIT);
    expect(limited).not.toBeNull();
    expect(limited!.headers.get("content-type")).toMatch(/^application\/json/);
    expect(limited!.headers.get("retry-after")).toBe(String(WINDOW));
    expect(await limited!.json()).toEqual({
      message: `Over this tenant's Talkdesk budget of ${LIMIT} requests per ${WINDOW} s; retry after the Retry-After delay.`,
    });

    // Every authenticated component shares the budget (auth validation here).
    expect((await talkdesk("/auth", envelope(busy.api_key))).status).toBe(429);
    // Another tenant is unaffected, and so is this tenant's /v1 budget.
    expect((await talkdesk("/auth", envelope(quiet.api_key))).status).toBe(200);
    expect((await v1(busy.api_key, "/activity-types")).status).toBe(200);
    // The public manifest is no tenant's traffic.
    expect((await exports.default.fetch(`${BRIDGE}/talkdesk/manifest`)).status).toBe(200);
  });
});
