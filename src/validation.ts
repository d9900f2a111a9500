import type { PayloadViolation } from "./errors.js";

/** One ajv error, as ajv (and its standalone output) reports it. */
interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** A precompiled validator: ajv standalone output (compiled with `allErrors: true`). */
export interface CompiledValidator {
  (data: unknown): boolean;
  errors?: AjvError[] | null;
}

/** Runs a validator and lists every violation with its JSON path (`$.items[2].sku`). */
export function payloadViolations(validate: CompiledValidator, payload: unknown): PayloadViolation[] {
  if (validate(payload)) return [];
  return (validate.errors ?? []).map((e) => {
    let path = jsonPath(e.instancePath);
    if (e.keyword === "required" && typeof e.params.missingProperty === "string") {
      path = appendKey(path, e.params.missingProperty);
      return { path, message: "is required" };
    }
    if (e.keyword === "additionalProperties" && typeof e.params.additionalProperty === "string") {
      return { path: appendKey(path, e.params.additionalProperty), message: "is not a known property" };
    }
    return { path, message: e.message ?? `fails ${e.keyword}` };
  });
}

function jsonPath(pointer: string): string {
  let path = "$";
  for (const raw of pointer.split("/").slice(1)) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    path = /^\d+$/.test(key) ? `${path}[${key}]` : appendKey(path, key);
  }
  return path;
}

function appendKey(path: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}
