/**
 * `POST /admin/sandbox-accounts` — a Talemetry account on the built-in simulator, for onboarding a
 * tenant of the `sandbox` environment. The simulator is reachable only through the bridge's service
 * binding (it has no public URL: sandbox/wrangler.toml), so its control API is reached from here, behind
 * the admin token. Where no simulator is bound (staging, production) the route answers `404`.
 */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../core/context";
import { jsonBody } from "../platform/body";
import { AppError } from "../platform/errors";
import { PROBLEM_CONTENT_TYPE, ProblemSchema } from "../platform/problem";

/** The simulator's own minimum for its control token (sandbox/control-auth.ts). */
const MIN_CONTROL_TOKEN_LENGTH = 32;

/** The origin of requests sent through the service binding (the binding ignores the host). */
const SANDBOX_CONTROL_ORIGIN = "https://talemetry.sandbox";

const NewSandboxAccountSchema = z
  .object({
    client_id: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$/, "3 to 64 letters, digits, '.', '_' or '-'.")
      .optional()
      .openapi({ description: "Default: a new random id", example: "acme-staffing" }),
  })
  .strict()
  .openapi("NewSandboxAccount");

const SandboxAccountSchema = z
  .object({
    client_id: z.string().openapi({ example: "acme-staffing" }),
    secret_key: z.string().openapi({ description: "Shown once: use it as the tenant's `talemetry.secret_key`" }),
  })
  .openapi("SandboxAccount");

const problem = (description: string) => ({ description, content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } } });

const createSandboxAccountRoute = createRoute({
  method: "post",
  path: "/sandbox-accounts",
  operationId: "createSandboxAccount",
  tags: ["Admin"],
  security: [{ AdminToken: [] }],
  summary: "Create a Talemetry account on the built-in simulator (sandbox environment only)",
  description:
    "Returns the account's credentials (the secret shown once) to use as `talemetry` in `POST /admin/tenants`. The account is seeded with the simulator's demo data. `404` where no simulator is bound.",
  middleware: [jsonBody({ required: false })],
  request: { body: { required: false, content: { "application/json": { schema: NewSandboxAccountSchema } } } },
  responses: {
    201: { description: "Created; the secret key is shown once.", content: { "application/json": { schema: SandboxAccountSchema } } },
    401: problem("Missing or wrong admin token."),
    404: problem("No simulator in this environment."),
    409: problem("An account with this client id exists."),
    422: problem("Invalid client id."),
    500: problem("Internal error; the details are in the bridge's log."),
    503: problem("The simulator did not answer."),
  },
});

/** Registers the route on the admin router (after its authentication middleware). */
export function registerSandboxAccounts(admin: OpenAPIHono<AppEnv>): void {
  admin.openapi(createSandboxAccountRoute, async (c) => {
    const simulator = c.env.TALEMETRY_SANDBOX;
    const token = c.env.SANDBOX_CONTROL_TOKEN ?? "";
    if (!simulator) throw new AppError("not_found", "This environment has no built-in Talemetry simulator.");
    if (token.length < MIN_CONTROL_TOKEN_LENGTH) {
      c.get("logger").error("sandbox accounts disabled: the bridge has no SANDBOX_CONTROL_TOKEN of the simulator", {
        min_length: MIN_CONTROL_TOKEN_LENGTH,
      });
      throw new AppError("not_found", "This environment's simulator is not open to the admin API (SANDBOX_CONTROL_TOKEN is not set).");
    }
    let res: Response;
    try {
      res = await simulator.fetch(`${SANDBOX_CONTROL_ORIGIN}/__control/accounts`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify(c.req.valid("json") ?? {}),
      });
    } catch (err) {
      throw new AppError("upstream_unavailable", "The simulator did not answer; retry shortly.", { cause: err, retryAfter: 1 });
    }
    const answer = (await res.json().catch(() => null)) as {
      result?: { client_id: string; secret_key: string };
      error?: { message?: string };
    } | null;
    if (res.status === 201 && answer?.result) {
      c.get("logger").info("sandbox account created", { talemetry_client_id: answer.result.client_id });
      return c.json({ client_id: answer.result.client_id, secret_key: answer.result.secret_key }, 201, { "Cache-Control": "no-store" });
    }
    if (res.status === 409) throw new AppError("conflict", "A simulator account with this client id exists.");
    if (res.status === 422)
      throw new AppError("invalid", answer?.error?.message ?? "Invalid client id.", {
        errors: [{ field: "client_id", message: answer?.error?.message ?? "Invalid." }],
      });
    throw new AppError("upstream_unavailable", "The simulator refused the request.", { retryAfter: 1 });
  });
}
