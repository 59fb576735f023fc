// The per-tenant request budget (docs/contracts/v1-api.md, "Rate limits"), with the real binding of
// wrangler.toml (600 requests / 60 s). We exhaust it on a cheap route rather than configure a lower
// test-only limit: this also proves that the binding and the RATE_LIMIT_* vars the headers and docs
// announce agree. Every answer carries RateLimit-Limit/-Policy; over budget → 429 problem with
// Retry-After; the budget is per tenant.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { TestTenant } from "../helpers/tenants";
import { createTenant } from "../helpers/tenants";
import { expectProblem, v1, v1Fetch } from "./helpers";

const LIMIT = Number(env.RATE_LIMIT_REQUESTS);
const WINDOW = Number(env.RATE_LIMIT_PERIOD_SECONDS);

let busy: TestTenant;
let quiet: TestTenant;
beforeAll(async () => {
  [busy, quiet] = await Promise.all([createTenant(), createTenant()]);
});

describe("rate limiting", () => {
  it("uses the numbers of wrangler.toml", () => {
    expect([LIMIT, WINDOW]).toEqual([600, 60]);
  });

  it("announces the budget on every answer", async () => {
    const res = await v1(quiet.api_key, "/activity-types");
    expect(res.headers.get("ratelimit-limit")).toBe(String(LIMIT));
    expect(res.headers.get("ratelimit-policy")).toBe(`"tenant";q=${LIMIT};w=${WINDOW}`);
    expect(res.headers.get("ratelimit-remaining")).toBeNull();
    // Errors carry it too.
    expect((await v1(quiet.api_key, "/activities/act_000000000000000000000000")).headers.get("ratelimit-limit")).toBe(String(LIMIT));
  });

  it("answers 429 with Retry-After once a tenant's budget is spent, and only for that tenant", async () => {
    let ok = 0;
    let limited: Response | null = null;
    // A window may roll over while we send: allow for one reset before the budget must run out.
    for (let sent = 0; sent < LIMIT * 2 + 100 && !limited; sent += 50) {
      const batch = await Promise.all(Array.from({ length: 50 }, () => v1Fetch(busy.api_key, "/activity-types")));
      for (const res of batch) {
        if (res.status === 200) ok++;
        else if (res.status === 429 && !limited) limited = res;
        else await res.body?.cancel();
      }
    }
    expect(ok).toBeGreaterThanOrEqual(LIMIT);
    expect(limited).not.toBeNull();
    const text = await limited!.text();
    const problem = expectProblem({ status: limited!.status, headers: limited!.headers, body: JSON.parse(text) }, 429, "rate-limited");
    expect(problem.detail).toContain(`${LIMIT} requests per ${WINDOW} s`);
    expect(limited!.headers.get("retry-after")).toBe(String(WINDOW));
    expect(limited!.headers.get("ratelimit-limit")).toBe(String(LIMIT));
    expect(limited!.headers.get("ratelimit-policy")).toBe(`"tenant";q=${LIMIT};w=${WINDOW}`);

    expect((await v1(quiet.api_key, "/activity-types")).status).toBe(200);
    // Search enforces the same budget itself (it overlaps the limiter with its cache lookup).
    const search = await v1Fetch(busy.api_key, "/search?phone=4155550142");
    expect(search.status).toBe(429);
    expect(search.headers.get("retry-after")).toBe(String(WINDOW));
    expect(search.headers.get("ratelimit-limit")).toBe(String(LIMIT));
  });
});
