import type { SimulatorAccount } from "./account";

/** Bindings of the simulator Worker (sandbox/wrangler.toml, and vitest.config.ts for tests). */
export interface SandboxEnv {
  ACCOUNT: DurableObjectNamespace<SimulatorAccount>;
  /** Candidates seeded into an account on its first use (default 240). */
  SEED_CANDIDATES?: string;
  /** Protects /__control/*; when unset or shorter than 32 characters the control routes do not exist (404). */
  SANDBOX_CONTROL_TOKEN?: string;
}

export const DEFAULT_SEED_CANDIDATES = 240;

export function seedCount(env: SandboxEnv): number {
  const n = Number.parseInt(env.SEED_CANDIDATES ?? "", 10);
  return Number.isFinite(n) && n >= 0 ? n : DEFAULT_SEED_CANDIDATES;
}
