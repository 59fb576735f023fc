import { buildApp } from "./app";
import type { Env } from "./config/env";
import { rearmSyncAlarms } from "./scheduled";

export { TenantDirectory } from "./directory/tenant-directory";

const app = buildApp();

export default {
  fetch: app.fetch,
  async scheduled(_controller, env, ctx) {
    ctx.waitUntil(rearmSyncAlarms(env));
  },
} satisfies ExportedHandler<Env>;
