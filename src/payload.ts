import type { PayloadViolation } from "./errors.js";

/**
 * Limits on what a payload may be, checked at enqueue so that a task that cannot be run is never
 * stored. Deeper payloads cannot be validated or revived without risking the worker's stack (the
 * validators recurse), and PostgreSQL's own JSON parser refuses a few thousand levels anyway.
 */
export const MAX_PAYLOAD_DEPTH = 1_000;
/** Default largest payload, as JSON (UTF-8 bytes). Per store: `PgTaskStoreOptions.maxPayloadBytes`. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 1_048_576;

const MAX_VIOLATIONS = 20;

/**
 * The JSON form of a payload (what will be stored and what the run will receive), built without
 * recursion, and every reason it cannot be stored: a value JSON would silently change (NaN, an
 * invalid Date, undefined in an array, a function) or drop, a BigInt, a cycle, text PostgreSQL
 * cannot hold (U+0000, a lone surrogate), or nesting deeper than `MAX_PAYLOAD_DEPTH`.
 */
export function toJsonPayload(payload: unknown): { json: unknown; violations: PayloadViolation[] } {
  if (isOwnJson(payload)) return { json: payload, violations: [] };
  const violations: PayloadViolation[] = [];
  const report = (item: Item, message: string): void => {
    if (violations.length < MAX_VIOLATIONS) violations.push({ path: pathOf(item), message });
  };
  const root: Record<string, unknown> = {};
  // Work items: put the JSON form of `value` at holder[key]. Paths are built only for a report
  // (from the parent chain): this runs on every enqueue. Objects on the current path are tracked
  // to find cycles (a shared, non-cyclic reference is fine, as in JSON.stringify).
  const stack: Item[] = [{ value: payload, holder: root, key: "value", depth: 0, parent: undefined, exit: undefined }];
  const onPath = new Set<object>();
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (item.exit !== undefined) {
      onPath.delete(item.exit);
      continue;
    }
    try {
      visit(item);
    } catch (error) {
      // A getter, a Proxy trap or a toJSON that throws: the payload cannot be read, so say where.
      report(item, `cannot be read: ${describe(error)}`);
    }
  }
  return { json: root.value, violations };

  function visit(item: Item): void {
    const { holder, key, depth } = item;
    let value = item.value;
    if (value !== null && typeof value === "object" && typeof (value as { toJSON?: unknown }).toJSON === "function") {
      if (value instanceof Date && Number.isNaN(value.getTime())) return report(item, "is an invalid Date");
      try {
        value = (value as { toJSON(key: string): unknown }).toJSON(String(key));
      } catch (error) {
        return report(item, `toJSON() threw: ${describe(error)}`);
      }
    }
    // Boxed primitives are written as the primitive (JSON.stringify unwraps them), not as {}.
    if (value instanceof Number || value instanceof String || value instanceof Boolean) value = value.valueOf();
    else if (value instanceof BigInt) value = value.valueOf();
    switch (typeof value) {
      case "string": {
        const problem = textProblem(value);
        if (problem) report(item, problem);
        return set(holder, key, value);
      }
      case "number":
        if (!Number.isFinite(value)) return report(item, `is ${value}, which JSON cannot hold (it would become null)`);
        return set(holder, key, value);
      case "boolean":
        return set(holder, key, value);
      case "bigint":
        return report(item, "is a BigInt, which JSON cannot hold: pass a string or a number");
      case "undefined":
      case "function":
      case "symbol":
        // JSON leaves these out of objects; in an array, or as the payload itself, they would
        // turn into null behind the caller's back.
        if (Array.isArray(holder) || holder === root) report(item, `is ${typeof value}, which JSON cannot hold`);
        return;
    }
    if (value === null) return set(holder, key, null);
    if (depth >= MAX_PAYLOAD_DEPTH) return report(item, `nests deeper than ${MAX_PAYLOAD_DEPTH} levels`);
    const object = value as object;
    if (onPath.has(object)) return report(item, "is a circular reference");
    onPath.add(object);
    stack.push({ value: undefined, holder, key, depth, parent: undefined, exit: object });
    if (Array.isArray(object)) {
      const copy: unknown[] = new Array(object.length).fill(null);
      set(holder, key, copy);
      for (let i = object.length - 1; i >= 0; i--) {
        stack.push({ value: object[i], holder: copy, key: i, depth: depth + 1, parent: item, exit: undefined });
      }
    } else {
      const copy: Record<string, unknown> = {};
      set(holder, key, copy);
      const keys = Object.keys(object);
      for (let i = keys.length - 1; i >= 0; i--) {
        const k = keys[i]!;
        const child: Item = { value: (object as Record<string, unknown>)[k], holder: copy, key: k, depth: depth + 1, parent: item, exit: undefined };
        const problem = textProblem(k);
        if (problem) report(child, `${problem} (in the key)`);
        stack.push(child);
      }
    }
  }
}

/**
 * True when a payload already is its own JSON form and storable: plain objects and arrays of
 * finite numbers, booleans, null and storable strings, no toJSON, within the depth limit. That is
 * most payloads, and checking it needs no copy (the walk above builds one, and costs about as much
 * as the rest of a batch enqueue's per-row work). Anything else takes the walk, which says what is
 * wrong. A getter is read here and again when serialised; the run validates the stored payload.
 */
function isOwnJson(payload: unknown): boolean {
  try {
    return ownJson(payload, 0);
  } catch {
    return false;
  }
}

function ownJson(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case "string":
      return textProblem(value) === undefined;
    case "number":
      return Number.isFinite(value);
    case "boolean":
      return true;
    case "object":
      break;
    default:
      return false;
  }
  if (value === null) return true;
  if (depth >= MAX_PAYLOAD_DEPTH) return false;
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype || Object.hasOwn(value, "toJSON")) return false;
    for (let i = 0; i < value.length; i++) if (!ownJson(value[i], depth + 1)) return false;
    return true;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if ((proto !== Object.prototype && proto !== null) || Object.hasOwn(value, "toJSON")) return false;
  for (const key of Object.keys(value)) {
    if (key === "__proto__" || textProblem(key) !== undefined) return false;
    if (!ownJson((value as Record<string, unknown>)[key], depth + 1)) return false;
  }
  return true;
}

interface Item {
  value: unknown;
  holder: Record<string, unknown> | unknown[];
  key: string | number;
  depth: number;
  parent: Item | undefined;
  /** Set on the marker that takes an object off the current path once its children are done. */
  exit: object | undefined;
}

/** `$.items[2].sku`, from the parent chain. */
function pathOf(item: Item): string {
  const keys: Array<string | number> = [];
  for (let at: Item | undefined = item; at?.parent !== undefined; at = at.parent) keys.push(at.key);
  let path = "$";
  for (let i = keys.length - 1; i >= 0; i--) {
    const k = keys[i]!;
    path = typeof k === "number" ? `${path}[${k}]` : appendKey(path, k);
  }
  return path;
}

function describe(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return "an error that cannot be described";
  }
}

/** How deeply a parsed JSON value nests, counted without recursion; stops early past `limit`. */
/**
 * A value a run hands over to be stored (progress, a fan-in result) as JSON of at most
 * `maxBytes` (UTF-8); otherwise what is not JSON (one line), or its size.
 */
export function boundedJson(value: unknown, maxBytes: number): { json: unknown; text: string } | { notJson: string } | { bytes: number } {
  const { json, violations } = toJsonPayload(value);
  if (violations.length > 0) return { notJson: violations.map((v) => `${v.path} ${v.message}`).join("; ") };
  const text = JSON.stringify(json);
  // Three bytes per UTF-16 unit at most: only a long text needs counting.
  if (text.length > maxBytes / 3 && Buffer.byteLength(text) > maxBytes) return { bytes: Buffer.byteLength(text) };
  // Already its own JSON, the value came back uncopied, and the run still holds it: keep a
  // snapshot of what was checked, which a later change by the run cannot reach.
  return { json: json === value && json !== null && typeof json === "object" ? JSON.parse(text) as unknown : json, text };
}

export function nestingExceeds(value: unknown, limit: number): boolean {
  if (value === null || typeof value !== "object") return false;
  if (limit <= 0) return true;
  // Every run checks its payload: nothing is allocated until an object holds another (most hold
  // none), where a stack of [value, depth] pairs and Object.values cost 120 bytes a run.
  const stack: unknown[] = [];
  const depths: number[] = [];
  let v = value as Record<string, unknown> | unknown[];
  let depth = 0;
  for (;;) {
    if (Array.isArray(v)) {
      for (const child of v) {
        if (child !== null && typeof child === "object") {
          stack.push(child);
          depths.push(depth + 1);
        }
      }
    } else {
      for (const key in v) {
        if (!Object.hasOwn(v, key)) continue;
        const child = v[key];
        if (child !== null && typeof child === "object") {
          stack.push(child);
          depths.push(depth + 1);
        }
      }
    }
    if (stack.length === 0) return false;
    v = stack.pop() as Record<string, unknown> | unknown[];
    depth = depths.pop()!;
    if (depth >= limit) return true;
  }
}

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, "g");
// eslint-disable-next-line no-control-regex -- NUL is one of the characters this looks for
const SUSPECT = /[\u0000\uD800-\uDFFF]/;

/** Text PostgreSQL can store (jsonb and text refuse U+0000; UTF-8 has no lone surrogates). */
export function textProblem(text: string): string | undefined {
  // One quick scan for the rare characters; most text has none.
  if (!SUSPECT.test(text)) return undefined;
  if (text.includes("\u0000")) return "contains U+0000 (NUL), which PostgreSQL cannot store";
  if (LONE_SURROGATE.test(text)) return "contains a lone UTF-16 surrogate (not valid Unicode)";
  return undefined;
}

/** Makes text storable, for text we must keep whatever it holds (error messages, stacks). */
export function storableText(text: string, maxLength: number): string {
  let out = text.length > maxLength ? `${text.slice(0, maxLength)}… (${text.length - maxLength} more characters)` : text;
  if (out.includes("\u0000")) out = out.replaceAll("\u0000", "\uFFFD");
  return LONE_SURROGATE.test(out) ? out.replace(LONE_SURROGATES, "\uFFFD") : out;
}

/** holder[key] = value, as data even for a "__proto__" key. */
export function set(holder: Record<string, unknown> | unknown[], key: string | number, value: unknown): void {
  // defineProperty for "__proto__" only: there it is data, not the prototype (and it is slow).
  if (key === "__proto__") Object.defineProperty(holder, key, { value, writable: true, enumerable: true, configurable: true });
  else (holder as Record<string | number, unknown>)[key] = value;
}

function appendKey(path: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}
