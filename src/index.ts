import { buildApp } from "./app";
import type { Env } from "./config/env";
import type { WebhookMessage } from "./directory/webhooks";
import { handleWebhookBatch } from "./queue";
import { rearmSyncAlarms } from "./scheduled";

export { TenantDirectory } from "./directory/tenant-directory";

const app = buildApp();

export default {
  fetch: app.fetch,
  async scheduled(_controller, env, ctx) {
    ctx.waitUntil(rearmSyncAlarms(env));
  },
  async queue(batch, env) {
    await handleWebhookBatch(batch as MessageBatch<WebhookMessage>, env);
  },
} satisfies ExportedHandler<Env>;
