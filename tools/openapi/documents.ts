/**
 * The OpenAPI documents as the Worker serves them, fetched through the app's own `fetch` (the same
 * routes, middleware and settings parsing as in workerd) with this repository's wrangler.toml vars.
 * Bundled and run in Node by ./run.mjs; nothing here reaches a network.
 */
import { buildApp } from "../../src/app";

// workerd's extension of Web Crypto, which the admin token check uses; Node lacks it. Only our own
// generated token is compared here, so a plain constant-time loop stands in.
const subtle = crypto.subtle as SubtleCrypto & {
  timingSafeEqual?: (a: ArrayBuffer | ArrayBufferView, b: ArrayBuffer | ArrayBufferView) => boolean;
};
subtle.timingSafeEqual ??= (a, b) => {
  const x = bytesOf(a);
  const y = bytesOf(b);
  if (x.length !== y.length) throw new TypeError("timingSafeEqual: lengths differ");
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i] ^ y[i];
  return diff === 0;
};

function bytesOf(data: ArrayBuffer | ArrayBufferView): Uint8Array {
  return data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** The origin the documents are served from: the one the Worker tests call (test/helpers/tenants.ts). */
export const DOCUMENT_ORIGIN = "http://bridge";

/** A stand-in for bindings the documents never use (the settings check only that they exist). */
const UNUSED_BINDING = {
  fetch() {
    throw new Error("building the OpenAPI documents calls no binding");
  },
};

/** The partner document (`/openapi.json`) and the admin document (`/admin/openapi.json`), as served. */
export async function servedDocuments(vars: Record<string, string>): Promise<{ partner: unknown; admin: unknown }> {
  const adminToken = "openapi-documents-".padEnd(48, "x");
  const env = { ...vars, LOG_LEVEL: "error", ADMIN_TOKEN: adminToken, TALEMETRY_SANDBOX: UNUSED_BINDING };
  const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} };
  const app = buildApp();
  const get = async (path: string, headers: Record<string, string> = {}) => {
    const res = await app.fetch(new Request(`${DOCUMENT_ORIGIN}${path}`, { headers }), env, ctx as unknown as ExecutionContext);
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${await res.text()}`);
    return res.json();
  };
  return { partner: await get("/openapi.json"), admin: await get("/admin/openapi.json", { authorization: `Bearer ${adminToken}` }) };
}
