/** The Talemetry simulator Worker (sandbox/README.md). */
import { buildApp } from "./app";
import type { SandboxEnv } from "./env";

export { SimulatorAccount } from "./account";
export type { SandboxEnv } from "./env";

const app = buildApp();

export default { fetch: app.fetch } satisfies ExportedHandler<SandboxEnv>;
