/**
 * How every upstream call is served, in the order a real API behind a gateway would:
 *   1. find the account (from the body's client_id, or the token through the registry); one that was
 *      never created (POST /__control/accounts) answers 401 and counts nothing;
 *   2. the account counts the call, hands out the fault rule that applies and checks the token;
 *   3. wait the account's base latency plus the rule's (or hang until the client gives up);
 *   4. a status rule answers now, without performing the operation — unless `afterApply`;
 *   5. a bad token → 401, a malformed request → 400/422 (still counted, still subject to faults);
 *   6. perform; with `afterApply`, throw the result away and answer the fault (a lost answer).
 * Waiting happens here in the Worker, not in the Durable Object, so a slow or hanging call never
 * holds up the account's other requests.
 */
import type { Context } from "hono";
import type { z } from "zod";
import type { SimulatorAccount } from "./account";
import type { SandboxEnv } from "./env";
import { HANG_MS, type Op } from "./faults";
import { fail, type Reply, toResponse } from "./reply";
import { REGISTRY_NAME } from "./schema";
import { oauthToken } from "./tokens";
import { describeIssues } from "./upstream-schemas";

export type AccountStub = DurableObjectStub<SimulatorAccount>;
export type SandboxContext = Context<{ Bindings: SandboxEnv }>;

export function accountStub(env: SandboxEnv, clientId: string): AccountStub {
  return env.ACCOUNT.get(env.ACCOUNT.idFromName(clientId));
}

export function registryStub(env: SandboxEnv): AccountStub {
  return env.ACCOUNT.get(env.ACCOUNT.idFromName(REGISTRY_NAME));
}

/** The request body as JSON, or a 400 when it is not JSON at all. */
export async function readJson(request: Request): Promise<Checked<unknown>> {
  const text = await request.text();
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return { reply: fail(400, "bad_request", "The body must be JSON") };
  }
}

/** Validates with zod; a failure is a 422 `invalid` naming the fields. */
export function validate<S extends z.ZodType>(schema: S, input: unknown): Checked<z.infer<S>> {
  const parsed = schema.safeParse(input);
  return parsed.success ? { value: parsed.data } : { reply: fail(422, "invalid", describeIssues(parsed.error)) };
}

/** Reads and validates a JSON body in one step. */
export async function jsonBody<S extends z.ZodType>(request: Request, schema: S): Promise<Checked<z.infer<S>>> {
  const body = await readJson(request);
  return "reply" in body ? body : validate(schema, body.value);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done);
  });
}

/** A validated request, or the 400/422 it earned. */
export type Checked<T> = { value: T } | { reply: Reply };

export interface CallPlan<T> {
  op: Op;
  clientId: string;
  /** The presented token; null for the authorization call. */
  token: string | null;
  /** The validated input; a problem is answered only after counting, faults and the token check. */
  input: Checked<T>;
  perform: (account: AccountStub, clientId: string, input: T) => Promise<Reply>;
}

export async function execute<T>(c: SandboxContext, plan: CallPlan<T>): Promise<Response> {
  const account = accountStub(c.env, plan.clientId);
  const decision = await account.begin(plan.clientId, plan.op, plan.token);
  // An account that was never created counts nothing and knows no credentials or tokens.
  if (decision === null) {
    return toResponse(
      plan.token === null
        ? fail(401, "invalid_credentials", "Invalid client id or secret key")
        : fail(401, "invalid_token", "The token has expired or was revoked"),
    );
  }
  const signal = c.req.raw.signal;
  if (decision.hang) {
    await sleep(HANG_MS, signal);
    return toResponse(fail(504, "gateway_timeout", "The simulated upstream never answered"));
  }
  await sleep(decision.delayMs, signal);
  if (decision.fault && !decision.afterApply) return toResponse(decision.fault);
  if (!decision.tokenOk) return toResponse(fail(401, "invalid_token", "The token has expired or was revoked"));
  if ("reply" in plan.input) return toResponse(plan.input.reply);
  const reply = await plan.perform(account, plan.clientId, plan.input.value);
  return toResponse(decision.fault && decision.afterApply ? decision.fault : reply);
}

/** An authenticated upstream call: the token names the account through the registry. */
export async function tokenCall<T>(c: SandboxContext, op: Op, input: Checked<T>, perform: CallPlan<T>["perform"]): Promise<Response> {
  const token = oauthToken(c.req.header("authorization"));
  if (!token) return toResponse(fail(401, "unauthorized", "Missing Authorization: OAUTH <token>"));
  const clientId = await registryStub(c.env).resolveToken(token);
  if (!clientId) return toResponse(fail(401, "invalid_token", "Unknown token"));
  return execute(c, { op, clientId, token, input, perform });
}
