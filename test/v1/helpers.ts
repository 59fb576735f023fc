// Shared by the /v1 contract tests: calling /v1 through the Worker's own fetch with a tenant's bearer
// credential, reading answers (JSON or problem+json) whole, and the simulator's demo data.
import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";
import { DEMO, SANDBOX_USERS } from "../../sandbox/demo-data";
import { BRIDGE, type CreateTenantOptions, createTenant, type TestTenant } from "../helpers/tenants";

export { DEMO, SANDBOX_USERS };

/** A parsed answer: status, headers and JSON body (null when not JSON). */
export interface Answer<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** Request options: a plain object `json` is sent as `application/json`. */
export interface V1Init extends Omit<RequestInit, "body"> {
  json?: unknown;
  body?: BodyInit;
}

/** Calls `/v1<path>` with `Authorization: Bearer <credential>` (none when credential is null). */
export function v1Fetch(credential: string | null, path: string, init: V1Init = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (credential !== null) headers.set("authorization", `Bearer ${credential}`);
  let body = init.body;
  if (init.json !== undefined) {
    body = JSON.stringify(init.json);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  return exports.default.fetch(`${BRIDGE}/v1${path}`, { ...init, headers, body } as RequestInit);
}

/** `v1Fetch` and parse the whole answer. */
export async function v1<T = any>(credential: string | null, path: string, init: V1Init = {}): Promise<Answer<T>> {
  const res = await v1Fetch(credential, path, init);
  const text = await res.text();
  let body: T = null as T;
  try {
    body = JSON.parse(text) as T;
  } catch {
    // not JSON: left null
  }
  return { status: res.status, headers: res.headers, body };
}

/** Asserts an RFC 9457 problem answer with this status and slug; returns its body. */
export function expectProblem(answer: Answer, status: number, slug: string): any {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  expect(answer.headers.get("content-type")).toBe("application/problem+json");
  expect(answer.body).toMatchObject({ status, type: expect.stringMatching(new RegExp(`/problems/${slug}$`)) });
  expect(answer.body.request_id).toBe(answer.headers.get("x-request-id"));
  return answer.body;
}

/** A tenant on its own freshly seeded simulator account, with Amy as default author unless told otherwise. */
export function tenantWithDefaults(opts: CreateTenantOptions = {}): Promise<TestTenant> {
  return createTenant({ region: "GB", ...opts, settings: { default_author_email: "amy@agency.example", ...(opts.settings ?? {}) } });
}

/** The tenant's Durable Object. */
export function directoryOf(tenantId: string) {
  return env.TENANT.get(env.TENANT.idFromName(tenantId));
}

/** A minimal valid activity body for `POST /v1/activities`. */
export function activityBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    entity: "candidate",
    entity_id: DEMO.maya.record.id,
    type: "call",
    body: "Discussed the night-shift role.",
    direction: "outbound",
    duration_seconds: 245,
    ...overrides,
  };
}
