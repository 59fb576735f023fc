/**
 * Answers in the contract's wire format: `{"result": …}` on success, `{"error": {"code", "message"}}`
 * otherwise. A `Reply` is plain data so a Durable Object can build it and the Worker can send it.
 */

export interface Reply {
  status: number;
  body: string;
  headers: Record<string, string>;
}

const JSON_TYPE = { "content-type": "application/json; charset=utf-8" };

export function ok(result: unknown, status = 200): Reply {
  return { status, body: JSON.stringify({ result }), headers: { ...JSON_TYPE } };
}

/** The machine codes this simulator answers with (the contract names the first four). */
export type ErrorCode =
  | "invalid_credentials"
  | "not_found"
  | "invalid"
  | "conflict"
  | "invalid_token"
  | "unauthorized"
  | "bad_request"
  | "gateway_timeout"
  | "server_error"
  | "feature_disabled";

/** An error answer; `extra` adds fields beside code and message (§7's `existing_id`). */
export function fail(status: number, code: ErrorCode, message: string, extra: Record<string, string> = {}): Reply {
  return { status, body: JSON.stringify({ error: { code, message, ...extra } }), headers: { ...JSON_TYPE } };
}

export function toResponse(reply: Reply): Response {
  // 204/304 must not carry a body; an empty one is sent as no body at all (a string body, even "",
  // would get a text/plain content type); everything else goes as built (JSON, HTML, XML…).
  const body = reply.status === 204 || reply.status === 304 || reply.body === "" ? null : reply.body;
  return new Response(body, { status: reply.status, headers: reply.headers });
}
