import { DurableObject } from "cloudflare:workers";
import { Hono } from "hono";

export interface SandboxEnv {
  ACCOUNT: DurableObjectNamespace<SimulatorAccount>;
  SEED_CANDIDATES?: string;
  SANDBOX_CONTROL_TOKEN?: string;
}

export class SimulatorAccount extends DurableObject<SandboxEnv> {}

const app = new Hono<{ Bindings: SandboxEnv }>();
app.get("/healthz", (c) => c.json({ status: "ok", service: "talemetry-sandbox" }));

export default app;
