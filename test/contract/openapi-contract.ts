// Checks one observed answer against the served OpenAPI document: the operation must document its
// status, its media type, its body (JSON Schema 2020-12, the OpenAPI 3.1 dialect, with
// @cfworker/json-schema — synchronous and made for Workers) and every header the bridge sent.
import { type OutputUnit, type Schema, Validator } from "@cfworker/json-schema";

/** A minimal view of an OpenAPI 3.1 document. */
export interface OpenApiDoc {
  paths: Record<string, Record<string, OperationObject>>;
  components?: { headers?: Record<string, unknown>; schemas?: Record<string, unknown> };
}
interface OperationObject {
  operationId?: string;
  responses?: Record<string, ResponseObject>;
}
interface ResponseObject {
  headers?: Record<string, unknown>;
  content?: Record<string, { schema?: Schema }>;
}

/** Headers of the transport, not of the API: never documented per answer (OpenAPI ignores Content-Type there). */
const TRANSPORT_HEADERS = new Set(["content-type", "content-length", "date", "transfer-encoding", "connection", "vary"]);

const DOC_ID = "https://contract.test/openapi.json";

/** The checker of one document: `check` returns the violations of one answer (empty when it conforms). */
export class ContractChecker {
  private readonly operations: Array<{ method: string; path: string; pattern: RegExp; op: OperationObject }> = [];
  private readonly validators = new Map<string, Validator>();

  constructor(private readonly doc: OpenApiDoc) {
    for (const [path, item] of Object.entries(doc.paths)) {
      const pattern = new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+")}$`);
      for (const [method, op] of Object.entries(item)) this.operations.push({ method: method.toUpperCase(), path, pattern, op });
    }
  }

  /** The documented operation of a request, or null (an unknown path or method: not the contract's business). */
  operationOf(method: string, pathname: string): { path: string; op: OperationObject } | null {
    const m = method === "HEAD" ? "GET" : method;
    return this.operations.find((o) => o.method === m && o.pattern.test(pathname)) ?? null;
  }

  /** The violations of the contract by this answer (`body`: its text; ignored for HEAD). */
  check(method: string, pathname: string, status: number, headers: Headers, body: string): string[] {
    const found = this.operationOf(method, pathname);
    if (!found) return [];
    const where = `${method} ${found.path} → ${status}`;
    const responses = found.op.responses ?? {};
    const key = String(status) in responses ? String(status) : `${String(status)[0]}XX` in responses ? `${String(status)[0]}XX` : "default";
    const response = responses[key];
    if (!response) return [`${where}: status ${status} is not documented (documented: ${Object.keys(responses).join(", ")})`];
    const violations: string[] = [];
    const documentedHeaders = new Set(Object.keys(response.headers ?? {}).map((h) => h.toLowerCase()));
    headers.forEach((_value, name) => {
      if (!TRANSPORT_HEADERS.has(name) && !documentedHeaders.has(name)) violations.push(`${where}: header ${name} is not documented`);
    });
    if (method === "HEAD" || body === "") return violations;
    const mediaType = (headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
    const media = response.content?.[mediaType];
    if (!media) return [...violations, `${where}: media type ${mediaType || "(none)"} is not documented`];
    if (!mediaType.endsWith("json") || !media.schema) return violations;
    let instance: unknown;
    try {
      instance = JSON.parse(body);
    } catch {
      return [...violations, `${where}: the body is not JSON`];
    }
    const pointer = [
      "paths",
      found.path,
      method === "HEAD" ? "get" : method.toLowerCase(),
      "responses",
      key,
      "content",
      mediaType,
      "schema",
    ]
      .map((part) => part.replace(/~/g, "~0").replace(/\//g, "~1"))
      .join("/");
    const result = this.validator(pointer).validate(instance);
    if (!result.valid) violations.push(`${where}: the body breaks the documented schema: ${describe(result.errors)}`);
    // JSON Schema allows what it does not mention; the contract does not: every field must be documented.
    for (const field of this.undocumentedFields(instance, media.schema, "")) violations.push(`${where}: field ${field} is not documented`);
    return violations;
  }

  /** Paths of object members in `instance` that `schema` (resolved through `$ref`, `allOf`, `anyOf`, `oneOf`) does not declare. */
  private undocumentedFields(instance: unknown, schema: Schema | undefined, at: string, depth = 0): string[] {
    if (!schema || depth > 20 || instance === null || typeof instance !== "object") return [];
    const parts = this.flatten(schema);
    if (Array.isArray(instance)) {
      const items = parts.map((p) => p.items as Schema | undefined).filter((i): i is Schema => i !== undefined);
      return instance.flatMap((item, i) => items.flatMap((s) => this.undocumentedFields(item, s, `${at}[${i}]`, depth + 1)));
    }
    const declared = new Map<string, Schema[]>();
    let open = false;
    for (const part of parts) {
      for (const [name, prop] of Object.entries((part.properties as Record<string, Schema> | undefined) ?? {})) {
        declared.set(name, [...(declared.get(name) ?? []), prop]);
      }
      // A map (`additionalProperties: {…}`, e.g. settings by type id) declares any member.
      if (part.additionalProperties !== undefined && part.additionalProperties !== false) open = true;
    }
    const out: string[] = [];
    for (const [name, value] of Object.entries(instance as Record<string, unknown>)) {
      const path = at ? `${at}.${name}` : name;
      const props = declared.get(name);
      if (!props) {
        if (!open) out.push(path);
        continue;
      }
      out.push(...[...new Set(props.flatMap((p) => this.undocumentedFields(value, p, path, depth + 1)))]);
    }
    return out;
  }

  /** A schema with its `$ref` resolved and its `allOf`/`anyOf`/`oneOf` parts alongside (lenient: every branch). */
  private flatten(schema: Schema, depth = 0): Schema[] {
    if (depth > 20) return [];
    const ref = schema.$ref;
    if (typeof ref === "string" && ref.startsWith("#/")) {
      const target = ref
        .slice(2)
        .split("/")
        .reduce<unknown>(
          (node, key) => (node as Record<string, unknown> | undefined)?.[key.replace(/~1/g, "/").replace(/~0/g, "~")],
          this.doc,
        );
      return target ? this.flatten(target as Schema, depth + 1) : [];
    }
    const nested = (["allOf", "anyOf", "oneOf"] as const).flatMap((k) =>
      ((schema[k] as Schema[] | undefined) ?? []).flatMap((s) => this.flatten(s, depth + 1)),
    );
    return [schema, ...nested];
  }

  /** A validator of the schema at `pointer` in the document, where its `#/components/schemas/…` resolve. */
  private validator(pointer: string): Validator {
    let validator = this.validators.get(pointer);
    if (!validator) {
      validator = new Validator({ $ref: `${DOC_ID}#/${pointer}` }, "2020-12", false);
      validator.addSchema(this.doc as unknown as Schema, DOC_ID);
      this.validators.set(pointer, validator);
    }
    return validator;
  }
}

function describe(errors: OutputUnit[]): string {
  return errors
    .filter((e) => !e.error.startsWith("A subschema had errors") && !e.error.startsWith("Property"))
    .slice(0, 5)
    .map((e) => `${e.instanceLocation} ${e.error}`)
    .join("; ");
}
