import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

/** Test-only secrets: fixed so that redaction tests can grep logs for them. */
export const TEST_SECRETS = {
  ADMIN_TOKEN: "test-admin-token-0123456789abcdef0123456789",
  CREDENTIALS_KEY: "q0xA8y9Zb1uJm0y7q5m4sR3jWlJ8o2p4Lk6cV0nT1Xw=",
  // At least 32 characters: a shorter one disables the simulator's control routes (sandbox/control-auth.ts).
  SANDBOX_CONTROL_TOKEN: "test-sandbox-control-token-0123456789abcdef",
};

export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          ADMIN_TOKEN: TEST_SECRETS.ADMIN_TOKEN,
          CREDENTIALS_KEY: TEST_SECRETS.CREDENTIALS_KEY,
          SANDBOX_CONTROL_TOKEN: TEST_SECRETS.SANDBOX_CONTROL_TOKEN,
          LOG_LEVEL: "warn",
          // Small Talkdesk pages (contacts and agents), so paging is exercised on small seeded accounts.
          TALKDESK_PAGE_SIZE: "4",
          // A small Talkdesk budget (wrangler.toml: 1,200 / 60 s), so spending it takes a second, not twenty;
          // the binding below says the same. test/talkdesk/budget.test.ts checks wrangler.toml's own numbers.
          TALKDESK_RATE_LIMIT_REQUESTS: "150",
          // Webhook retries after 1 s, 2 s, 4 s … (wrangler.toml: 10 s), so a failing receiver's retries
          // run through the real queue in seconds. The schedule itself is unit-tested with the default.
          WEBHOOK_RETRY_BASE_SECONDS: "1",
        },
        // The bridge's outbound fetch (webhook deliveries: its only global fetch; Talemetry is reached through
        // the TALEMETRY_SANDBOX binding) goes to the receiver Worker below, as a network would route it.
        outboundService: "webhook-receiver",
        ratelimits: { TALKDESK_RATE_LIMIT: { namespace_id: "1002", simple: { limit: 150, period: 60 } } },
        workers: [
          {
            name: "talemetry-sandbox",
            modules: true,
            scriptPath: "./.build/sandbox/index.js",
            compatibilityDate: "2026-11-01",
            durableObjects: { ACCOUNT: { className: "SimulatorAccount", useSQLite: true } },
            bindings: { SEED_CANDIDATES: "240", SANDBOX_CONTROL_TOKEN: TEST_SECRETS.SANDBOX_CONTROL_TOKEN },
          },
          { name: "webhook-receiver", modules: true, scriptPath: "./test/helpers/webhook-receiver.js", compatibilityDate: "2026-11-01" },
        ],
      },
    }),
  ],
  test: {
    globalSetup: ["./test/global-setup.ts"],
    // Every /v1 and /oauth answer any test observes is checked against /openapi.json.
    setupFiles: ["./test/contract/setup.ts"],
    include: ["test/**/*.test.ts"],
    // One Workers runtime per pool worker, reused across files: ~4 s of startup per file otherwise
    // (524 s → 135 s for the suite here). Tests never rely on empty storage: each uses its own tenants and
    // simulator accounts (uniqueClientId), and files that need a clean slate call reset() themselves.
    isolate: false,
    // workers-sdk#14736: under this pool every rejecting Durable Object RPC also reports one unhandled
    // rejection, even when the test awaits and checks it. Ignored only for a deleted tenant's refusal —
    // the one AppError of code `unauthorized` a Durable Object throws (TENANT_DELETED_DETAIL in
    // src/directory/api.ts), seen here after crossing RPC; every other unhandled error still fails the run.
    onUnhandledError(error) {
      const thrown = error as { name?: unknown; remote?: unknown; code?: unknown };
      if (thrown.name === "AppError" && thrown.remote === true && thrown.code === "unauthorized") return false;
    },
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
