// Admin API refusals: field-level validation (422), malformed JSON (400), wrong media type (415),
// oversized bodies (413) and unknown tenants (404), all as problem+json.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { loadSettings } from "../../src/config/settings";
import { patchTenant } from "../../src/tenants/store";
import { adminFetch, createTenant } from "../helpers/tenants";

type Problem = { type: string; status: number; errors?: Array<{ field: string; message: string }> };

// Refused bodies never reach Talemetry: any credentials do.
const valid = { name: "Valid", region: "GB", talemetry: { client_id: "c", secret_key: "talemetry-secret-c" } };

async function problemOf(res: Response, status: number): Promise<Problem> {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  return (await res.json()) as Problem;
}

const fieldsOf = (p: Problem) => (p.errors ?? []).map((e) => e.field).sort();

describe("validation (422, naming fields)", () => {
  it.each([
    ["missing name", { ...valid, name: undefined }, ["name"]],
    ["blank name", { ...valid, name: "  " }, ["name"]],
    ["lower-case region", { ...valid, region: "gb" }, ["region"]],
    ["unknown region", { ...valid, region: "ZZ" }, ["region"]],
    ["missing Talemetry secret", { ...valid, talemetry: { client_id: "c" } }, ["talemetry.secret_key"]],
    ["unknown top-level field", { ...valid, api_key: "mine" }, ["api_key"]],
    ["unknown settings field", { ...valid, settings: { sync_interval: 60 } }, ["settings.sync_interval"]],
    ["bad author email", { ...valid, settings: { default_author_email: "not-an-email" } }, ["settings.default_author_email"]],
    [
      "URL template without {id}",
      { ...valid, settings: { candidate_url_template: "https://crm.example/people" } },
      ["settings.candidate_url_template"],
    ],
    [
      "URL template not http(s)",
      { ...valid, settings: { candidate_url_template: "javascript:{id}" } },
      ["settings.candidate_url_template"],
    ],
    ["sync interval too short", { ...valid, settings: { sync_interval_seconds: 5 } }, ["settings.sync_interval_seconds"]],
    ["sync interval not an integer", { ...valid, settings: { sync_interval_seconds: 90.5 } }, ["settings.sync_interval_seconds"]],
    ["Talemetry concurrency above 4", { ...valid, settings: { talemetry_concurrency: 5 } }, ["settings.talemetry_concurrency"]],
    ["Talemetry concurrency zero", { ...valid, settings: { talemetry_concurrency: 0 } }, ["settings.talemetry_concurrency"]],
    ["reconcile more than hourly", { ...valid, settings: { reconcile_interval_seconds: 60 } }, ["settings.reconcile_interval_seconds"]],
    ["unknown location hint", { ...valid, settings: { location_hint: "mars" } }, ["settings.location_hint"]],
    [
      "new activity type without a name",
      { ...valid, settings: { activity_types: { interview: { hidden: true } } } },
      ["settings.activity_types.interview.name"],
    ],
    ["bad activity type id", { ...valid, settings: { activity_types: { "Bad Id": { name: "x" } } } }, ["settings.activity_types.Bad Id"]],
    ["unknown default activity type", { ...valid, settings: { default_activity_type: "fax" } }, ["settings.default_activity_type"]],
    [
      "hidden default activity type",
      { ...valid, settings: { default_activity_type: "meeting", activity_types: { meeting: { hidden: true } } } },
      ["settings.default_activity_type"],
    ],
    [
      "hiding the default type (note)",
      { ...valid, settings: { activity_types: { note: { hidden: true } } } },
      ["settings.activity_types.note"],
    ],
  ])("POST refuses %s", async (_name, body, fields) => {
    const p = await problemOf(await adminFetch("/admin/tenants", { method: "POST", body }), 422);
    expect(p.type).toMatch(/\/problems\/invalid$/);
    expect(fieldsOf(p)).toEqual(fields);
  });

  it("PATCH validates the same way and changes nothing when refused", async () => {
    const t = await createTenant({ name: "Unchanged" });
    const p = await problemOf(await adminFetch(`/admin/tenants/${t.id}`, { method: "PATCH", body: { name: "New", region: "gb" } }), 422);
    expect(fieldsOf(p)).toEqual(["region"]);
    expect(await (await adminFetch(`/admin/tenants/${t.id}`)).json()).toMatchObject({ name: "Unchanged", region: "GB" });
  });

  it("POST /sync refuses a non-boolean full", async () => {
    const t = await createTenant();
    const p = await problemOf(await adminFetch(`/admin/tenants/${t.id}/sync`, { method: "POST", body: { full: "yes" } }), 422);
    expect(fieldsOf(p)).toEqual(["full"]);
  });
});

describe("bodies", () => {
  it("400 for malformed JSON", async () => {
    const res = await adminFetch("/admin/tenants", { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" });
    expect((await problemOf(res, 400)).type).toMatch(/\/problems\/bad-request$/);
  });

  it("415 unless the body is application/json", async () => {
    for (const headers of [{ "content-type": "text/plain" }, { "content-type": "application/x-www-form-urlencoded" }, {}] as Record<
      string,
      string
    >[]) {
      const res = await adminFetch("/admin/tenants", { method: "POST", headers, body: JSON.stringify(valid) });
      expect((await problemOf(res, 415)).type).toMatch(/\/problems\/unsupported-media-type$/);
    }
    const t = await createTenant();
    const patch = await adminFetch(`/admin/tenants/${t.id}`, { method: "PATCH", headers: { "content-type": "text/plain" }, body: "{}" });
    await problemOf(patch, 415);
    const sync = await adminFetch(`/admin/tenants/${t.id}/sync`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "full",
    });
    await problemOf(sync, 415);
  });

  it("accepts a JSON media type with parameters", async () => {
    const res = await adminFetch("/admin/tenants", {
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8" },
      body: JSON.stringify(valid),
    });
    expect(res.status).toBe(201);
  });

  it("413 beyond MAX_BODY_BYTES, declared or streamed", async () => {
    const max = loadSettings(env).maxBodyBytes;
    const big = JSON.stringify({ ...valid, name: "x".repeat(max) });
    expect(
      (
        await problemOf(
          await adminFetch("/admin/tenants", { method: "POST", body: big, headers: { "content-type": "application/json" } }),
          413,
        )
      ).type,
    ).toMatch(/\/problems\/payload-too-large$/);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big));
        controller.close();
      },
    });
    await problemOf(
      await adminFetch("/admin/tenants", { method: "POST", body: stream, headers: { "content-type": "application/json" } }),
      413,
    );
  });
});

describe("unknown tenants (404)", () => {
  const unknown = "ten_000000000000000000000000";
  it.each([
    ["GET", `/admin/tenants/${unknown}`, undefined],
    ["PATCH", `/admin/tenants/${unknown}`, { name: "x" }],
    ["DELETE", `/admin/tenants/${unknown}`, undefined],
    ["POST", `/admin/tenants/${unknown}/keys`, undefined],
    ["GET", `/admin/tenants/${unknown}/sync`, undefined],
    ["POST", `/admin/tenants/${unknown}/sync`, { full: true }],
    ["GET", "/admin/tenants/not-even-an-id", undefined],
  ])("%s %s", async (method, path, body) => {
    const p = await problemOf(await adminFetch(path, { method, body }), 404);
    expect(p.type).toMatch(/\/problems\/not-found$/);
  });

  it("404 for unknown admin routes once authenticated", async () => {
    await problemOf(await adminFetch("/admin/nothing-here"), 404);
  });
});

describe("KV write throttling", () => {
  it("becomes a retryable 429 rather than a 500", async () => {
    const t = await createTenant();
    const throttled = {
      ...env,
      KV: new Proxy(env.KV, {
        get(target, prop) {
          if (prop === "put") return async () => Promise.reject(new Error("KV PUT failed: 429 Too Many Requests"));
          const value = Reflect.get(target, prop);
          return typeof value === "function" ? value.bind(target) : value;
        },
      }),
    };
    await expect(patchTenant(throttled, t.id, { name: "Too fast" })).rejects.toMatchObject({
      code: "rate_limited",
      status: 429,
      retryAfter: 1,
    });
  });
});
