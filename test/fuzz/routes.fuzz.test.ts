// Bad input on every route (fast-check): arbitrary JSON, wrong types, huge strings and arrays under and
// over MAX_BODY_BYTES, invalid UTF-8, wrong or missing content types, streamed oversized bodies, garbage
// query strings, path parameters and headers. Every answer must be a 4xx (or a documented 2xx, or the
// contract's 501, where the input happens to be valid) in the caller's format — problem+json for /v1 and
// /admin, `{"message"}` for /talkdesk, RFC 6749 JSON for /oauth — never another 5xx, never a hang,
// never a stack trace or a file path. Runs are bounded (numRuns 30–50 per route).
import { env, exports } from "cloudflare:workers";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/app";
import { createAccount, seedAccount } from "../helpers/sandbox";
import { BRIDGE, createTenant, type TestTenant } from "../helpers/tenants";

const MAX_BODY_BYTES = Number(env.MAX_BODY_BYTES);
/** No answer may take longer: the upstream is healthy here, so anything near this is a hang. */
const HANG_MS = 8_000;
const NUM_RUNS = 40;

type Family = "v1" | "admin" | "oauth" | "talkdesk";

interface Probe {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array | ReadableStream<Uint8Array>;
}

interface Outcome {
  status: number;
  headers: Headers;
  text: string;
}

/** Statuses a route documents for valid input, besides every 4xx. */
type Allowed = readonly number[];

function familyOf(url: string): Family {
  const path = new URL(url).pathname;
  if (path.startsWith("/talkdesk")) return "talkdesk";
  if (path.startsWith("/oauth")) return "oauth";
  if (path.startsWith("/admin")) return "admin";
  return "v1";
}

async function send(probe: Probe): Promise<Outcome> {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${HANG_MS} ms: ${probe.method} ${probe.url.slice(0, 200)}`)), HANG_MS);
  });
  try {
    return await Promise.race([
      (async () => {
        const res = await exports.default.fetch(probe.url, {
          method: probe.method,
          headers: probe.headers,
          body: probe.body,
        } as RequestInit);
        return { status: res.status, headers: res.headers, text: await res.text() };
      })(),
      hang,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** What a stack trace or a source location looks like in a body. */
const STACK_TRACE = [
  /^\s*at .+:\d+:\d+\)?$/m,
  /\bat (async )?\S+ \([^)]*:\d+:\d+\)/,
  /\.(ts|js|mjs):\d+/,
  /\/work\//,
  /node_modules/,
  /file:\/\//,
  /\bsrc\/[\w/-]+\.ts\b/,
];

/** Asserts the answer is in the caller's format and tells no internals. Returns the parsed body. */
function expectWellFormed(probe: Probe, out: Outcome, allowed: Allowed): unknown {
  const where = `${probe.method} ${probe.url.slice(0, 160)} → ${out.status} ${out.text.slice(0, 300)}`;
  const documented = allowed.includes(out.status);
  expect(documented || (out.status >= 400 && out.status < 500), where).toBe(true);
  for (const pattern of STACK_TRACE) expect(out.text, where).not.toMatch(pattern);
  expect(out.headers.get("x-request-id"), where).toBeTruthy();
  if (out.status === 302 || out.status === 204) return null;

  const family = familyOf(probe.url);
  const type = out.headers.get("content-type") ?? "";
  const isError = out.status >= 400;
  let body: unknown;
  if (type.startsWith("text/html") || type.startsWith("image/svg+xml") || type === "image/png") {
    expect(isError, where).toBe(false);
    return out.text;
  }
  try {
    body = JSON.parse(out.text);
  } catch {
    throw new Error(`not JSON: ${where}`);
  }
  if (!isError) {
    expect(type, where).toMatch(/^application\/json/);
    return body;
  }
  const b = body as Record<string, unknown>;
  switch (family) {
    case "v1":
    case "admin":
      expect(type, where).toBe("application/problem+json");
      expect(b.status, where).toBe(out.status);
      expect(b.type, where).toMatch(/\/problems\/[a-z-]+$/);
      expect(typeof b.title, where).toBe("string");
      expect(typeof b.detail, where).toBe("string");
      break;
    case "talkdesk":
      expect(type, where).toMatch(/^application\/json/);
      expect(Object.keys(b), where).toEqual(["message"]);
      expect(typeof b.message, where).toBe("string");
      break;
    case "oauth":
      expect(type, where).toMatch(/^application\/json/);
      expect(["invalid_request", "invalid_client", "unsupported_grant_type", "temporarily_unavailable"], where).toContain(b.error);
      expect(typeof b.error_description, where).toBe("string");
      break;
  }
  return body;
}

async function check(probe: Probe, allowed: Allowed = []): Promise<Outcome> {
  const out = await send(probe);
  expectWellFormed(probe, out, allowed);
  return out;
}

// ---- generators ------------------------------------------------------------------------------------

const encoder = new TextEncoder();

/** Arbitrary JSON documents (any type at the top). */
const anyJson = fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v));

/** An object with some of `keys`, each holding a value of any JSON type. */
const wrongTypes = (keys: readonly string[]) =>
  fc.dictionary(fc.constantFrom(...keys), fc.jsonValue({ maxDepth: 2 }), { maxKeys: keys.length }).map((o) => JSON.stringify(o));

/** A valid body with one key replaced by any JSON value (or removed, or an unknown key added). */
function mutated(valid: Record<string, unknown>) {
  const keys = Object.keys(valid);
  return fc
    .tuple(fc.constantFrom(...keys, "__unknown__"), fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(undefined)))
    .map(([key, value]) => JSON.stringify({ ...valid, [key]: value }));
}

/** A string field of 1,000–100,000 characters: both under and over MAX_BODY_BYTES. */
const hugeString = (keys: readonly string[]) =>
  fc
    .tuple(fc.constantFrom(...keys), fc.integer({ min: 1_000, max: 100_000 }), fc.constantFrom("a", "é", "😀", "\\u0000", " "))
    .map(([key, n, ch]) => `{${JSON.stringify(key)}:"${ch.repeat(Math.ceil(n / ch.length))}"}`);

/** An array field of 100–30,000 items. */
const hugeArray = (keys: readonly string[]) =>
  fc
    .tuple(fc.constantFrom(...keys), fc.integer({ min: 100, max: 30_000 }), fc.constantFrom("1", '"x"', "{}", "null", '"+447700900123"'))
    .map(([key, n, item]) => `{${JSON.stringify(key)}:[${Array(n).fill(item).join(",")}]}`);

/** Bytes that are not UTF-8, alone or inside an otherwise valid JSON string. */
const invalidUtf8 = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 200 }),
  fc
    .tuple(
      fc.constantFrom([0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe2, 0x82], [0x80]),
      fc.constantFrom("body", "text", "name", "auth"),
    )
    .map(([bad, key]) => new Uint8Array([...encoder.encode(`{"${key}":"x`), ...bad, ...encoder.encode(`"}`)])),
);

const garbageText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 300 }),
  fc.constantFrom("", " ", "{", "}", "[", "null", '{"a":', "\u0000", "\ufeff{}", "{}{}", "1e999999"),
);

const JSON_TYPE = "application/json";
const contentType = fc.oneof(
  { weight: 5, arbitrary: fc.constant<string | undefined>(JSON_TYPE) },
  {
    weight: 2,
    arbitrary: fc.constantFrom<string | undefined>(
      undefined,
      "",
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/json; charset=latin1",
      "APPLICATION/JSON",
      "application/jsonx",
      "application/vnd.api+json",
      "application/json, text/plain",
      "*/*",
      "text/html; charset=utf-8",
    ),
  },
);

/** Every kind of bad body, for a route whose body has these `keys` (and this valid example). */
function bodies(keys: readonly string[], valid: Record<string, unknown>) {
  return fc.oneof(
    { weight: 3, arbitrary: anyJson },
    { weight: 3, arbitrary: wrongTypes(keys) },
    { weight: 3, arbitrary: mutated(valid) },
    { weight: 1, arbitrary: hugeString(keys) },
    { weight: 1, arbitrary: hugeArray(keys) },
    { weight: 1, arbitrary: invalidUtf8 },
    { weight: 1, arbitrary: garbageText },
  );
}

/** A path segment: any text, percent-encoded, or raw garbage the URL parser lets through. */
const pathSegment = fc.oneof(
  fc.string({ unit: "binary", maxLength: 80 }).map((s) => encodeURIComponent(s)),
  fc.constantFrom(
    "%",
    "%FF",
    "%00",
    "%E0%A4%A",
    "..",
    "%2e%2e",
    "%2F",
    "a%2Fb",
    "😀",
    "%20",
    "x".repeat(5_000),
    `act_${"0".repeat(24)}`,
    "0290bb50-7113-11ef-9c70-b6a35a531041%00",
  ),
);

/** A query string: any parameters (known names too), repeated ones, raw percent garbage, a huge one. */
function queryString(known: readonly string[]) {
  const name = fc.oneof(fc.constantFrom(...known), fc.string({ unit: "binary", maxLength: 20 }));
  const value = fc.oneof(
    fc.string({ unit: "binary", maxLength: 80 }),
    fc.constantFrom("", "%", "%FF", "+", "true", "1e9", "00", "+447700900123", "a@b.c"),
  );
  return fc.oneof(
    fc
      .array(fc.tuple(name, value), { maxLength: 6 })
      .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&")),
    fc
      .array(fc.tuple(fc.constantFrom(...known), fc.constantFrom("%", "%FF", "%E0%A4%A", "&&", "==", "a=b=c")), { maxLength: 4 })
      .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join("&")),
    fc.constantFrom(`${known[0]}=${"9".repeat(20_000)}`, known.map((k) => `${k}=1&${k}=2`).join("&"), "%%%", "&", "="),
  );
}

/** Printable ASCII (what a Headers object accepts). */
const headerValue = fc.string({ unit: "binary-ascii", maxLength: 200 }).map((s) => s.replace(/[^\x20-\x7e]/g, "").trim());

function withType(type: string | undefined, extra: Record<string, string> = {}): Record<string, string> {
  return type === undefined ? extra : { "content-type": type, ...extra };
}

// ---- tenants -----------------------------------------------------------------------------------------

/** /v1 allows 600 requests a minute per tenant: hand out keys so no tenant nears its budget. */
class KeyPool {
  private keys: Array<{ key: string; used: number }> = [];
  constructor(private readonly clientId: string) {}
  async key(): Promise<string> {
    let current = this.keys.at(-1);
    if (!current || current.used >= 300) {
      const t = await createTenant({
        talemetryClientId: this.clientId,
        region: "GB",
        settings: { default_author_email: "amy@agency.example" },
      });
      current = { key: t.api_key, used: 0 };
      this.keys.push(current);
    }
    current.used += 1;
    return current.key;
  }
}

let pool: KeyPool;
let talkdeskTenant: TestTenant;
let adminTarget: TestTenant;
const ADMIN = { authorization: `Bearer ${env.ADMIN_TOKEN}` };
const UNKNOWN_CANDIDATE = "00000000-0000-4000-8000-000000000000";
const UNKNOWN_ACTIVITY = "act_000000000000000000000000";

beforeAll(async () => {
  const { client_id: clientId } = await createAccount("fuzz");
  await seedAccount(clientId, 20);
  pool = new KeyPool(clientId);
  [talkdeskTenant, adminTarget] = await Promise.all([
    createTenant({ talemetryClientId: clientId, region: "US" }),
    createTenant({ talemetryClientId: clientId, region: "US" }),
  ]);
});

const v1Url = (path: string) => `${BRIDGE}/v1${path}`;

// ---- coverage ------------------------------------------------------------------------------------------

/** Every route of the app, as `METHOD pattern`, that the properties below exercise. */
const FUZZED = new Set([
  "GET /v1/search",
  "GET /v1/candidates/:id",
  "PATCH /v1/candidates/:id",
  "GET /v1/contacts/:id",
  "PATCH /v1/contacts/:id",
  "GET /v1/companies/:id",
  "PATCH /v1/companies/:id",
  "GET /v1/capabilities",
  "POST /v1/activities",
  "GET /v1/activities/:id",
  "PATCH /v1/activities/:id",
  "GET /v1/users",
  "GET /v1/activity-types",
  "GET /v1/changes",
  "POST /v1/webhooks",
  "GET /v1/webhooks",
  "GET /v1/webhooks/:id",
  "DELETE /v1/webhooks/:id",
  "GET /v1/webhooks/:id/deliveries",
  "POST /v1/webhooks/:id/deliveries/:delivery_id/replay",
  "POST /oauth/token",
  "GET /oauth/token",
  "PUT /oauth/token",
  "PATCH /oauth/token",
  "DELETE /oauth/token",
  "POST /admin/tenants",
  "GET /admin/tenants/:id",
  "PATCH /admin/tenants/:id",
  "DELETE /admin/tenants/:id",
  "POST /admin/tenants/:id/keys",
  "GET /admin/tenants/:id/sync",
  "GET /admin/openapi.json",
  "POST /admin/tenants/:id/sync",
  "POST /admin/sandbox-accounts",
  "POST /talkdesk/*",
  "POST /talkdesk/auth",
  "POST /talkdesk/contacts",
  "POST /talkdesk/interactions",
  "POST /talkdesk/agents",
  "POST /talkdesk/actions/:name",
  "GET /talkdesk/manifest",
  "GET /talkdesk/assets/logo.svg",
  "GET /talkdesk/assets/icon.svg",
  "GET /talkdesk/assets/logo.png",
  "GET /talkdesk/assets/icon.png",
  "GET /healthz",
  "GET /openapi.json",
  "GET /docs",
  "GET /docs/talkdesk",
  "GET /problems/:slug",
]);

describe("coverage", () => {
  it("every route the app registers is fuzzed here", () => {
    const registered = new Set(
      buildApp()
        .routes.filter((r) => r.method !== "ALL")
        .map((r) => `${r.method} ${r.path}`),
    );
    expect([...registered].filter((r) => !FUZZED.has(r))).toEqual([]);
  });
});

// ---- /v1 -----------------------------------------------------------------------------------------------

describe("/v1", () => {
  const bearer = async () => ({ authorization: `Bearer ${await pool.key()}` });

  it("GET /v1/search: garbage query strings", async () => {
    await fc.assert(
      fc.asyncProperty(queryString(["phone", "email", "region", "partial", "entity"]), async (q) => {
        await check({ method: "GET", url: v1Url(`/search?${q}`), headers: await bearer() }, [200, 501]);
      }),
      { numRuns: 50 },
    );
  });

  it("GET and PATCH /v1/candidates/{id}: garbage ids", async () => {
    await fc.assert(
      fc.asyncProperty(pathSegment, fc.constantFrom("GET", "PATCH"), async (id, method) => {
        const body = method === "PATCH" ? JSON.stringify({ emails: [] }) : undefined;
        await check({ method, url: v1Url(`/candidates/${id}`), headers: { ...(await bearer()), "content-type": JSON_TYPE }, body });
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("PATCH /v1/candidates/{id}: bad bodies and content types (an unknown candidate, so nothing is written)", async () => {
    await fc.assert(
      fc.asyncProperty(
        bodies(["emails", "phones"], { emails: ["a@example.com"], phones: [{ number: "+447700900123", type: "mobile", region: "GB" }] }),
        contentType,
        async (body, type) => {
          await check({ method: "PATCH", url: v1Url(`/candidates/${UNKNOWN_CANDIDATE}`), headers: withType(type, await bearer()), body });
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it("GET and PATCH /v1/contacts|companies/{id}: anything is the contract's 501", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("contacts", "companies"),
        fc.constantFrom("GET", "PATCH"),
        pathSegment,
        anyJson,
        async (entity, method, id, body) => {
          const out = await check(
            {
              method,
              url: v1Url(`/${entity}/${id}`),
              headers: withType(JSON_TYPE, await bearer()),
              body: method === "PATCH" ? body : undefined,
            },
            [501],
          );
          if (out.status === 501) expect(JSON.parse(out.text).type).toMatch(/entity-not-supported$/);
        },
      ),
      { numRuns: 30 },
    );
  });

  it("POST /v1/activities: bad bodies, content types and Idempotency-Keys (an unknown candidate)", async () => {
    const valid = {
      entity: "candidate",
      entity_id: UNKNOWN_CANDIDATE,
      type: "call",
      body: "x",
      occurred_at: "2026-11-22T10:03:00Z",
      user_email: "amy@agency.example",
      direction: "inbound",
      duration_seconds: 5,
    };
    await fc.assert(
      fc.asyncProperty(
        bodies(Object.keys(valid), valid),
        contentType,
        fc.option(fc.oneof(headerValue, fc.constantFrom("x".repeat(300), "key with spaces", "ok-key")), { nil: undefined }),
        async (body, type, key) => {
          const extra: Record<string, string> = await bearer();
          if (key !== undefined) extra["idempotency-key"] = key;
          await check({ method: "POST", url: v1Url("/activities"), headers: withType(type, extra), body }, [501]);
        },
      ),
      { numRuns: 50 },
    );
  });

  it("GET and PATCH /v1/activities/{id}: garbage ids and bodies", async () => {
    await fc.assert(
      fc.asyncProperty(
        pathSegment,
        fc.constantFrom("GET", "PATCH"),
        bodies(["body", "type"], { body: "x", type: "call" }),
        contentType,
        async (id, method, body, type) => {
          const target = id.startsWith("act_") ? UNKNOWN_ACTIVITY : id;
          await check({
            method,
            url: v1Url(`/activities/${target}`),
            headers: withType(type, await bearer()),
            body: method === "PATCH" ? body : undefined,
          });
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it("POST /v1/webhooks: bad bodies and content types (a subscription only for a valid one)", async () => {
    await fc.assert(
      fc.asyncProperty(
        bodies(["url", "events", "description"], { url: "https://hooks.example.com/x", events: ["candidate.created"], description: "d" }),
        contentType,
        async (body, type) => {
          const out = await check({ method: "POST", url: v1Url("/webhooks"), headers: withType(type, await bearer()), body }, [201]);
          expect(out.status === 201 || out.status === 409 || out.status >= 400).toBe(true);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it("/v1/webhooks/{id}[/deliveries[/{delivery_id}/replay]]: garbage ids are 4xx problems", async () => {
    await fc.assert(
      fc.asyncProperty(pathSegment, pathSegment, fc.constantFrom("GET", "DELETE", "deliveries", "replay"), async (id, deliveryId, kind) => {
        const url =
          kind === "deliveries"
            ? v1Url(`/webhooks/${id}/deliveries`)
            : kind === "replay"
              ? v1Url(`/webhooks/${id}/deliveries/${deliveryId}/replay`)
              : v1Url(`/webhooks/${id}`);
        await check({ method: kind === "replay" ? "POST" : kind === "deliveries" ? "GET" : kind, url, headers: await bearer() });
      }),
      { numRuns: NUM_RUNS },
    );
    await check({ method: "GET", url: v1Url("/webhooks"), headers: await bearer() }, [200]);
  });

  it("GET /v1/changes: garbage cursors, limits and from values are 400 problems, never a 500", async () => {
    await fc.assert(
      fc.asyncProperty(queryString(["cursor", "from", "limit"]), async (q) => {
        await check({ method: "GET", url: v1Url(`/changes?${q}`), headers: await bearer() }, [200]);
      }),
      { numRuns: 50 },
    );
  });

  it("GET /v1/users, /v1/activity-types, /v1/capabilities: garbage queries are ignored", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("/users", "/activity-types", "/capabilities"),
        queryString(["page", "per_page", "entity"]),
        async (path, q) => {
          await check({ method: "GET", url: v1Url(`${path}?${q}`), headers: await bearer() }, [200]);
        },
      ),
      { numRuns: 30 },
    );
  });

  it("any /v1 route: garbage Authorization headers are 401 with WWW-Authenticate", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          "GET /search?phone=1",
          "GET /candidates/x",
          "PATCH /candidates/x",
          "POST /activities",
          "GET /users",
          "GET /contacts/x",
        ),
        fc.oneof(
          headerValue,
          headerValue.map((v) => `Bearer ${v}`),
          fc.constantFrom(
            "Bearer",
            "Bearer  ",
            "Basic Zm9vOmJhcg==",
            `Bearer tlk_test_${"A".repeat(43)}`,
            `Bearer tlk_at_${"A".repeat(43)}`,
          ),
        ),
        async (route, authorization) => {
          const [method, path] = route.split(" ") as [string, string];
          const out = await check({
            method,
            url: v1Url(path),
            headers: { authorization, "content-type": JSON_TYPE },
            body: method === "GET" ? undefined : "{}",
          });
          expect(out.status).toBe(401);
          expect(out.headers.get("www-authenticate")).toBe("Bearer");
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });
});

// ---- /oauth -----------------------------------------------------------------------------------------

describe("/oauth/token", () => {
  const url = `${BRIDGE}/oauth/token`;
  const formOrJson = fc.oneof(
    bodies(["grant_type", "client_id", "client_secret", "scope"], {
      grant_type: "client_credentials",
      client_id: `tlk_ci_${"0".repeat(32)}`,
      client_secret: "tlk_cs_x",
    }),
    fc
      .dictionary(fc.constantFrom("grant_type", "client_id", "client_secret", "scope", "x"), fc.string({ unit: "binary", maxLength: 100 }))
      .map((o) => new URLSearchParams(o).toString()),
    fc.constantFrom(
      "grant_type=client_credentials&grant_type=client_credentials",
      "grant_type=password&username=a&password=b",
      "%",
      "a=%FF",
      "=&=&",
    ),
  );

  it("bad bodies, content types and Basic credentials", async () => {
    await fc.assert(
      fc.asyncProperty(
        formOrJson,
        fc.oneof(contentType, fc.constant<string | undefined>("application/x-www-form-urlencoded")),
        fc.option(
          fc.oneof(
            headerValue.map((v) => `Basic ${v}`),
            headerValue.map((v) => `Basic ${btoa(v)}`),
            fc.constantFrom("Basic", "Basic %%%", `Basic ${btoa("\u00ff:\u00fe")}`, `Basic ${btoa("a%ZZ:b")}`),
          ),
          { nil: undefined },
        ),
        async (body, type, basic) => {
          const out = await check({ method: "POST", url, headers: withType(type, basic ? { authorization: basic } : {}), body }, [200]);
          expect(out.headers.get("cache-control")).toBe("no-store");
        },
      ),
      { numRuns: 50 },
    );
  });

  it("other methods and garbage queries", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("GET", "PUT", "PATCH", "DELETE"), queryString(["grant_type", "client_id"]), async (method, q) => {
        const out = await check({
          method,
          url: `${url}?${q}`,
          headers: { "content-type": JSON_TYPE },
          body: method === "GET" ? undefined : "{}",
        });
        expect(out.status).toBe(405);
      }),
      { numRuns: 20 },
    );
  });
});

// ---- /admin ---------------------------------------------------------------------------------------------

describe("/admin", () => {
  const url = (path: string) => `${BRIDGE}/admin${path}`;
  const validTenant = {
    name: "Fuzz",
    region: "GB",
    talemetry: { client_id: "fuzz-admin", secret_key: "talemetry-secret-fuzz-admin" },
    settings: { sync_interval_seconds: 3600 },
  };
  const settingsKeys = ["default_author_email", "activity_types", "candidate_url_template", "sync_interval_seconds", "x"];

  it("POST /admin/tenants: bad bodies and content types", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          bodies(Object.keys(validTenant), validTenant),
          wrongTypes(settingsKeys).map((s) => JSON.stringify({ ...validTenant, settings: JSON.parse(s) })),
          fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify({ ...validTenant, talemetry: v })),
          fc.string({ unit: "binary", maxLength: 8 }).map((region) => JSON.stringify({ ...validTenant, region })),
        ),
        contentType,
        async (body, type) => {
          await check({ method: "POST", url: url("/tenants"), headers: withType(type, ADMIN), body }, [201]);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("GET /admin/openapi.json: any query and credential is the document (admin token) or a 401", async () => {
    await fc.assert(
      fc.asyncProperty(queryString(["x", "format"]), fc.option(fc.stringMatching(/^[A-Za-z0-9._~-]{0,60}$/)), async (q, token) => {
        const headers = token === null ? ADMIN : { authorization: `Bearer ${token}` };
        await check({ method: "GET", url: `${url("/openapi.json")}?${q}`, headers }, [200]);
      }),
      { numRuns: 20 },
    );
  });

  it("PATCH /admin/tenants/{id}: bad bodies and content types", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          bodies(["name", "region", "talemetry", "settings"], { name: "Renamed" }),
          wrongTypes(settingsKeys).map((s) => JSON.stringify({ settings: JSON.parse(s) })),
          fc
            .dictionary(fc.string({ maxLength: 40 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 })
            .map((types) => JSON.stringify({ settings: { activity_types: types } })),
        ),
        contentType,
        async (body, type) => {
          await check({ method: "PATCH", url: url(`/tenants/${adminTarget.id}`), headers: withType(type, ADMIN), body }, [200]);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("every /admin/tenants/{id} route: garbage ids", async () => {
    await fc.assert(
      fc.asyncProperty(
        pathSegment,
        fc.constantFrom("GET ", "PATCH ", "DELETE ", "POST /keys", "GET /sync", "POST /sync"),
        async (id, route) => {
          const [method, suffix] = route.split(" ") as [string, string];
          const body = method === "GET" || method === "DELETE" ? undefined : "{}";
          await check({ method, url: url(`/tenants/${id}${suffix}`), headers: withType(JSON_TYPE, ADMIN), body });
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it("POST /admin/tenants/{id}/sync: bad bodies (optional body)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(bodies(["full"], { full: false }), fc.constant("")), contentType, async (body, type) => {
        await check({ method: "POST", url: url(`/tenants/${adminTarget.id}/sync`), headers: withType(type, ADMIN), body }, [202]);
      }),
      { numRuns: 30 },
    );
  });

  it("POST /admin/sandbox-accounts: bad bodies (optional body)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(bodies(["client_id"], { client_id: "fuzz-account" }), fc.constant("")), contentType, async (body, type) => {
        // 201 for a valid new id, 409 when the valid id was taken by an earlier run.
        await check({ method: "POST", url: url("/sandbox-accounts"), headers: withType(type, ADMIN), body }, [201, 409]);
      }),
      { numRuns: 30 },
    );
  });

  it("garbage Authorization headers and paths are 401 before anything else", async () => {
    await fc.assert(
      fc.asyncProperty(
        headerValue,
        pathSegment,
        fc.constantFrom("GET", "POST", "PATCH", "DELETE", "PUT"),
        async (authorization, segment, method) => {
          const target = url(`/${segment}`);
          const out = await check({
            method,
            url: target,
            headers: { authorization, "content-type": JSON_TYPE },
            body: method === "GET" ? undefined : "{}",
          });
          // ("/admin/.." is normalized out of /admin by the URL parser.)
          if (new URL(target).pathname.startsWith("/admin")) expect(out.status).toBe(401);
        },
      ),
      { numRuns: 30 },
    );
  });
});

// ---- /talkdesk ------------------------------------------------------------------------------------------

describe("/talkdesk", () => {
  const url = (path: string) => `${BRIDGE}/talkdesk${path}`;
  const COMPONENTS = [
    "/auth",
    "/contacts",
    "/interactions",
    "/agents",
    "/actions/log_call",
    "/actions/add_note",
    "/actions/update_contact",
    "/actions/create_contact",
    "/actions/nope",
    "/nowhere",
  ];
  const META_KEYS = ["synchronization_checkpoint", "offset", "context", "interaction_types", "contact_external_id", "agent_external_id"];
  const DATA_KEYS = [
    "contact_external_id",
    "contact_name",
    "contact_emails",
    "contact_phones",
    "direction",
    "duration",
    "summary",
    "call_id",
    "phone",
    "text",
    "phones",
    "emails",
    "name",
    "email",
    "note",
    "subject",
    "description",
  ];
  const section = (keys: readonly string[]) =>
    fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.dictionary(fc.constantFrom(...keys), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 }),
      fc.dictionary(
        fc.constantFrom(...keys),
        fc.oneof(
          fc.string({ unit: "binary", maxLength: 100 }),
          fc.integer(),
          fc.constantFrom("v1.5.3", "seq:1", "seq:-1", "v1.99999999999999999.1", "Inbound", "95", "1,2,3", "a@b.co, x"),
        ),
        { maxKeys: 5 },
      ),
    );

  it("any body to any component, without a valid key: 400 or 401 {message}", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...COMPONENTS),
        fc.oneof(
          bodies(["auth", "meta", "data"], { auth: { api_key: "tlk_test_x" } }),
          section(META_KEYS).map((m) => JSON.stringify({ auth: m })),
        ),
        contentType,
        async (path, body, type) => {
          await check({ method: "POST", url: url(path), headers: withType(type), body });
        },
      ),
      { numRuns: 50 },
    );
  });

  it("a valid key with fuzzed meta and data: the documented 200/201 or 400/404 {message}", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...COMPONENTS),
        section(META_KEYS),
        section(DATA_KEYS),
        contentType,
        async (path, meta, data, type) => {
          const body = JSON.stringify({ auth: { api_key: talkdeskTenant.api_key }, meta, data });
          const out = await check({ method: "POST", url: url(path), headers: withType(type), body }, [200, 201]);
          expect(out.text).not.toContain(talkdeskTenant.api_key);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("a valid key with huge fields and invalid UTF-8", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...COMPONENTS),
        fc.oneof(
          hugeString(DATA_KEYS).map((d) => `{"auth":{"api_key":${JSON.stringify(talkdeskTenant.api_key)}},"data":${d}}`),
          hugeArray(DATA_KEYS).map((d) => `{"auth":{"api_key":${JSON.stringify(talkdeskTenant.api_key)}},"data":${d}}`),
          hugeString(META_KEYS).map((m) => `{"auth":{"api_key":${JSON.stringify(talkdeskTenant.api_key)}},"meta":${m}}`),
          invalidUtf8.map(
            (bytes) =>
              new Uint8Array([...encoder.encode(`{"auth":{"api_key":${JSON.stringify(talkdeskTenant.api_key)}},"data":`), ...bytes, 0x7d]),
          ),
        ),
        async (path, body) => {
          await check({ method: "POST", url: url(path), headers: withType(JSON_TYPE), body }, [200, 201]);
        },
      ),
      { numRuns: 30 },
    );
  });

  it("GET routes (manifest, assets, unknown) with garbage queries and paths", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          "/manifest",
          "/assets/logo.svg",
          "/assets/icon.svg",
          "/assets/logo.png",
          "/assets/icon.png",
          "/auth",
          "/assets/x.svg",
        ),
        queryString(["base", "x"]),
        pathSegment,
        async (path, q, seg) => {
          await check({ method: "GET", url: url(`${path}?${q}`) }, [200]);
          await check({ method: "GET", url: url(`/${seg}`) }, [200]);
        },
      ),
      { numRuns: 30 },
    );
  });
});

// ---- public routes ----------------------------------------------------------------------------------------

describe("public routes", () => {
  it("/healthz, /openapi.json, /docs and /problems/{slug} with garbage queries and slugs", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("/healthz", "/openapi.json", "/docs"),
        queryString(["x", "format"]),
        pathSegment,
        async (path, q, slug) => {
          await check({ method: "GET", url: `${BRIDGE}${path}?${q}` }, [200]);
          const out = await check({ method: "GET", url: `${BRIDGE}/problems/${slug}` }, [302]);
          expect([302, 404]).toContain(out.status);
        },
      ),
      { numRuns: 20 },
    );
  });
});

// ---- body size limits and stream edge cases, on every route with a body --------------------------------------

describe("MAX_BODY_BYTES on every route with a body", () => {
  /** [method, url, headers] of each route that reads a body, with credentials that pass authentication. */
  async function bodyRoutes(): Promise<Array<[string, string, Record<string, string>]>> {
    const key = await pool.key();
    const v1 = { authorization: `Bearer ${key}` };
    return [
      ["PATCH", v1Url(`/candidates/${UNKNOWN_CANDIDATE}`), v1],
      ["POST", v1Url("/activities"), v1],
      ["PATCH", v1Url(`/activities/${UNKNOWN_ACTIVITY}`), v1],
      ["POST", `${BRIDGE}/oauth/token`, {}],
      ["POST", `${BRIDGE}/admin/tenants`, ADMIN],
      ["PATCH", `${BRIDGE}/admin/tenants/${adminTarget.id}`, ADMIN],
      ["POST", `${BRIDGE}/admin/tenants/${adminTarget.id}/sync`, ADMIN],
      ...[
        "/auth",
        "/contacts",
        "/interactions",
        "/agents",
        "/actions/log_call",
        "/actions/add_note",
        "/actions/update_contact",
        "/actions/create_contact",
      ].map((p) => ["POST", `${BRIDGE}/talkdesk${p}`, {}] as [string, string, Record<string, string>]),
    ];
  }

  /** A JSON object of exactly `size` bytes: `{"<key>":"aaa…"}`, with the Talkdesk key when `auth` is set. */
  function jsonOfSize(size: number, key: string, auth?: string): string {
    const head = auth ? `{"auth":{"api_key":${JSON.stringify(auth)}},"${key}":"` : `{"${key}":"`;
    return `${head + "a".repeat(size - head.length - 2)}"}`;
  }

  function streamOf(bytes: number, chunk = 8_192): ReadableStream<Uint8Array> {
    let sent = 0;
    return new ReadableStream({
      pull(controller) {
        if (sent >= bytes) return controller.close();
        const n = Math.min(chunk, bytes - sent);
        sent += n;
        controller.enqueue(new Uint8Array(n).fill(0x61));
      },
    });
  }

  it("at the limit: read and validated (4xx for the content, not 413); one byte over: 413 in the caller's format", async () => {
    for (const [method, url, headers] of await bodyRoutes()) {
      const auth = url.includes("/talkdesk/") ? talkdeskTenant.api_key : undefined;
      const key = url.includes("/talkdesk/") ? "data" : url.includes("/oauth/") ? "scope" : "body";
      const atLimit = jsonOfSize(MAX_BODY_BYTES, key, auth);
      expect(encoder.encode(atLimit).byteLength).toBe(MAX_BODY_BYTES);
      const under = await check({ method, url, headers: { ...headers, "content-type": JSON_TYPE }, body: atLimit }, [200, 201, 202]);
      expect(under.status, `${method} ${url}`).not.toBe(413);
      const over = await check({
        method,
        url,
        headers: { ...headers, "content-type": JSON_TYPE },
        body: jsonOfSize(MAX_BODY_BYTES + 1, key, auth),
      });
      expect(over.status, `${method} ${url}`).toBe(413);
    }
  });

  it("a streamed body without Content-Length is cut off at the limit (413), also far beyond it", async () => {
    for (const [method, url, headers] of await bodyRoutes()) {
      for (const size of [MAX_BODY_BYTES + 1, 5 * 1024 * 1024]) {
        const out = await check({ method, url, headers: { ...headers, "content-type": JSON_TYPE }, body: streamOf(size) });
        expect(out.status, `${method} ${url} ${size}`).toBe(413);
      }
    }
  });

  it("deeply nested JSON, an empty body and a body of only whitespace are refused, not crashed on", async () => {
    const deep = "[".repeat(100_000).slice(0, MAX_BODY_BYTES - 10);
    const deepObject = `${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}`;
    for (const [method, url, headers] of await bodyRoutes()) {
      for (const body of [deep, deepObject, "", "   \n\t ", "\ufeff"]) {
        await check({ method, url, headers: { ...headers, "content-type": JSON_TYPE }, body }, url.endsWith("/sync") ? [202] : []);
      }
    }
  });
});
