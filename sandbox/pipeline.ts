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
 * holds up the account's other requests — except for a read (the profiles call, the Match API
 * listing) that is to be performed: the account waits the latency itself, as a timer that holds
 * nothing (its other requests run meanwhile), and reads right after, in the same call (`readCall`).
 */
import type { Context } from "hono";
import type { z } from "zod";
import type { ReadRequest, SimulatorAccount } from "./account";
import type { SandboxEnv } from "./env";
import { type Decision, HANG_MS, type Op } from "./faults";
import type { ProfileSources } from "./profiles";
import { KEEP_AFTER_EXPIRY_MS, type TokenRoute } from "./registry";
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
  return carryOut(c, account, plan, (await account.begin(plan.clientId, plan.op, plan.token)) as Decision | null);
}

/** Steps 3–6 (see the top of this file), once the account has counted the call and decided. */
async function carryOut<T>(c: SandboxContext, account: AccountStub, plan: CallPlan<T>, decision: Decision | null): Promise<Response> {
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

/**
 * Token → account routes this isolate learned from the registry or issued itself, so that a call need
 * not ask the registry each time. Using one changes no answer: the account counts the call only if it
 * holds the token (one reset or wiped since holds none, and the call then asks the registry as if the
 * route were not known), and a route is used only while the registry must still hold its row (rows
 * outlive their token by a day, registry.ts). Bounded: when full, forgotten at once.
 */
const routes = new Map<string, TokenRoute>();
const MAX_ROUTES = 1000;

/** Remembers where a token leads (after the registry answered, or registered it). */
export function rememberRoute(token: string, route: TokenRoute): void {
  if (routes.size >= MAX_ROUTES) routes.clear();
  routes.set(token, route);
}

/**
 * Runs `begin` on the token's account: the remembered one if any (`onlyIfHeld`: null when that account
 * does not hold the token), else the one the registry names; an unknown token is a 401 counted nowhere.
 */
async function routed(
  c: SandboxContext,
  token: string,
  begin: (clientId: string, onlyIfHeld: boolean) => Promise<Response | null>,
): Promise<Response> {
  const known = routes.get(token);
  if (known && known.expiresAt >= Date.now() - KEEP_AFTER_EXPIRY_MS) {
    const response = await begin(known.clientId, true);
    if (response) return response;
    routes.delete(token);
  }
  const route = await registryStub(c.env).resolveToken(token);
  if (!route) return toResponse(fail(401, "invalid_token", "Unknown token"));
  rememberRoute(token, route);
  return (await begin(route.clientId, false)) ?? toResponse(fail(401, "invalid_token", "Unknown token"));
}

const missingToken = () => toResponse(fail(401, "unauthorized", "Missing Authorization: OAUTH <token>"));

/** An authenticated upstream call: the token names the account through the registry. */
export async function tokenCall<T>(c: SandboxContext, op: Op, input: Checked<T>, perform: CallPlan<T>["perform"]): Promise<Response> {
  const token = oauthToken(c.req.header("authorization"));
  if (!token) return missingToken();
  return routed(c, token, async (clientId, onlyIfHeld) => {
    const account = accountStub(c.env, clientId);
    const decision = await account.begin(clientId, op, token, onlyIfHeld);
    return decision === "unknown" ? null : carryOut(c, account, { op, clientId, token, input, perform }, decision);
  });
}

/** A read: what to ask the account for, and how to answer from what it gives back. */
export interface ReadPlan<T> {
  op: Op;
  input: Checked<T>;
  read: (input: T) => ReadRequest;
  answer: (result: ProfileSources | Reply, input: T) => Reply;
}

/**
 * An authenticated read: like `tokenCall`, but when the account decides to perform it (no fault, a
 * valid token and request), it waits the latency and reads in that same call (`beginRead`, account.ts):
 * one call to the account instead of two. Every other decision is carried out here, as for any call.
 */
export async function readCall<T>(c: SandboxContext, plan: ReadPlan<T>): Promise<Response> {
  const token = oauthToken(c.req.header("authorization"));
  if (!token) return missingToken();
  const { op, input, read, answer } = plan;
  const request = "value" in input ? read(input.value) : null;
  const perform = async (account: AccountStub, clientId: string, value: T) =>
    answer(await account.performRead(clientId, read(value)), value);
  return routed(c, token, async (clientId, onlyIfHeld) => {
    const account = accountStub(c.env, clientId);
    const outcome = await account.beginRead(clientId, op, token, onlyIfHeld, request);
    if ("decision" in outcome) {
      return outcome.decision === "unknown" ? null : carryOut(c, account, { op, clientId, token, input, perform }, outcome.decision);
    }
    // The account performed the read, so the request was valid.
    return toResponse(answer(outcome.result, (input as { value: T }).value));
  });
}
