import { OpenAPIHono, type z } from "@hono/zod-openapi";
import type { Env as HonoEnv } from "hono";
import { AppError, type FieldError } from "./errors";

/** Formats an issue path the way the contract names fields: `phones[0].number`. */
export function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

/** One `{field, message}` per zod issue; unknown keys are named one by one. */
export function zodFieldErrors(error: z.ZodError): FieldError[] {
  const out: FieldError[] = [];
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) out.push({ field: fieldPath([...issue.path, key]), message: "Unknown field." });
    } else {
      out.push({ field: fieldPath(issue.path) || "(body)", message: issue.message });
    }
  }
  return out;
}

/**
 * The error for a failed validation: a body that parsed but breaks the schema is `422`; bad query,
 * path or header values are `400` (the request itself is malformed). Both name every bad field.
 */
export function validationError(error: z.ZodError, target: string): AppError {
  const errors = zodFieldErrors(error);
  if (target === "json" || target === "form") {
    return new AppError("invalid", "The request body is invalid.", { errors });
  }
  return new AppError("bad_request", `The request ${target === "param" ? "path" : target} is invalid.`, { errors });
}

/**
 * `defaultHook` for every OpenAPIHono: throws validation failures so that the app's error handler renders
 * them in the caller's format (problem+json, Talkdesk `{"message"}` or RFC 6749).
 */
export function validationHook(result: { success: boolean; error?: unknown; target: string }): void {
  if (!result.success) throw validationError(result.error as z.ZodError, result.target);
}

/** An OpenAPIHono router whose validation failures go through `validationHook`. */
export function createRouter<E extends HonoEnv>(): OpenAPIHono<E> {
  return new OpenAPIHono<E>({ defaultHook: validationHook });
}
