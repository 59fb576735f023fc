/**
 * Fault injection rules (per account). A rule applies to the next requests of one operation (or all):
 * it can add latency, hang, or answer a status with a raw body instead of performing the operation —
 * or, with `afterApply`, after performing it (a write that landed but whose answer was lost).
 * Rules are checked in order; the first one that matches and has uses left applies, alone.
 */
import { z } from "zod";

/** The upstream operations, one per contract call; also the keys of the call counters. */
export const OPS = ["authorize", "ids", "profiles", "contact", "note_create", "note_update", "users", "candidate_create"] as const;
export type Op = (typeof OPS)[number];

/** Longest injected delay: above the bridge's 10 s request deadline, below a test's patience. */
export const MAX_LATENCY_MS = 120_000;
/** How long a hanging request waits before giving up on the client (which should have aborted long before). */
export const HANG_MS = 60_000;

export const faultRuleSchema = z
  .object({
    op: z.enum([...OPS, "*"]).optional(),
    status: z.number().int().min(200).max(599).optional(),
    retryAfter: z.string().min(1).max(64).optional(),
    latencyMs: z.number().int().min(0).max(MAX_LATENCY_MS).optional(),
    times: z.number().int().min(1).optional(),
    hang: z.boolean().optional(),
    body: z.string().max(65_536).optional(),
    contentType: z.string().min(1).max(200).optional(),
    /** `Location` header of the answer (e.g. a 307 pointing elsewhere: a client must not follow it). */
    location: z.string().min(1).max(2000).optional(),
    afterApply: z.boolean().optional(),
  })
  // Strict: a misspelt key ("retry_after") must fail loudly, not silently inject nothing.
  .strict()
  .refine((r) => r.status !== undefined || r.latencyMs !== undefined || r.hang === true, {
    message: "a rule needs status, latencyMs or hang",
  })
  .refine((r) => !r.afterApply || r.status !== undefined, { message: "afterApply needs a status" });

export type FaultRule = z.infer<typeof faultRuleSchema>;

export interface StoredRule {
  rule: FaultRule;
  /** Uses left; null = unlimited. */
  remaining: number | null;
}

export function matches(rule: FaultRule, op: Op): boolean {
  return rule.op === undefined || rule.op === "*" || rule.op === op;
}

/** Index of the rule that applies to `op`, or -1. */
export function pickRule(rules: readonly StoredRule[], op: Op): number {
  return rules.findIndex((r) => matches(r.rule, op) && (r.remaining === null || r.remaining > 0));
}

/** What the Worker must do with one upstream request, decided by the account. */
export interface Decision {
  delayMs: number;
  hang: boolean;
  fault: FaultAnswer | null;
  afterApply: boolean;
  /** Whether the presented token is valid (always true for authorize, which has none). */
  tokenOk: boolean;
}

export interface FaultAnswer {
  status: number;
  body: string;
  headers: Record<string, string>;
}

const FAULT_CODES: Record<number, string> = {
  401: "invalid_token",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  422: "invalid",
  429: "rate_limited",
  500: "server_error",
  502: "bad_gateway",
  503: "unavailable",
  504: "gateway_timeout",
};

/** Guesses a content type for a raw body, so an injected HTML error page looks like one. */
function sniff(body: string): string {
  const head = body.trimStart();
  if (head.startsWith("{") || head.startsWith("[")) return "application/json; charset=utf-8";
  if (head.startsWith("<?xml")) return "application/xml; charset=utf-8";
  if (head.startsWith("<")) return "text/html; charset=utf-8";
  return "text/plain; charset=utf-8";
}

/** The answer a status rule gives: its raw body, or the contract's error shape by default. */
export function faultAnswer(rule: FaultRule & { status: number }): FaultAnswer {
  const headers: Record<string, string> = {};
  let body: string;
  if (rule.body !== undefined) {
    body = rule.body;
    if (body.length > 0 || rule.contentType) headers["content-type"] = rule.contentType ?? sniff(body);
  } else {
    const code = FAULT_CODES[rule.status] ?? "fault";
    body = JSON.stringify({ error: { code, message: `Injected fault (${rule.status})` } });
    headers["content-type"] = "application/json; charset=utf-8";
  }
  if (rule.retryAfter !== undefined) headers["retry-after"] = rule.retryAfter;
  if (rule.location !== undefined) headers.location = rule.location;
  return { status: rule.status, body, headers };
}
