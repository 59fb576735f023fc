import { buildApp } from "./app";
import type { Env } from "./env";

export { TenantDirectory } from "./directory/tenant-directory";

const app = buildApp();

export default {
  fetch: app.fetch,
  async scheduled(_controller, _env, _ctx) {},
} satisfies ExportedHandler<Env>;
