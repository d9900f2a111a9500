/**
 * What the dashboard's payload search box means. People type three things into it, and each is
 * read as what it looks like, and the page says which reading it used:
 * - a JSON object or array: tasks whose payload contains it (jsonb `@>`);
 * - `key=value` pairs (`accountId=acme`, `customer.id=42 state=open`, or joined by `&`): the same
 *   containment, built from the pairs; a value that reads as a number, boolean or null also
 *   matches its string form, since the box cannot know which the payload holds;
 * - anything else: a case-insensitive search in the payload's JSON text.
 */
import { BackieError } from "../errors.js";
import type { PayloadMatch } from "../store/adminStore.js";

const MAX_PAIRS = 10;
const KEY = /^[A-Za-z_$][\w$-]*(?:\.[A-Za-z_$][\w$-]*)*$/;

export function parsePayloadFilter(input: string): PayloadMatch {
  const text = input.trim();
  if (text === "") throw new BackieError("filter payload is empty");
  if (text.startsWith("{") || text.startsWith("[")) {
    try {
      const value: unknown = JSON.parse(text);
      return { kind: "json", anyOf: [value], description: `contains the JSON ${JSON.stringify(value)}` };
    } catch {
      // Not JSON after all: a text search for what was typed.
    }
  }
  if (/^[A-Za-z_$][\w$.-]*\s*=/.test(text)) return fields(text);
  return { kind: "text", text, description: `text contains ${JSON.stringify(text)}` };
}

function fields(text: string): PayloadMatch {
  // Split before every `key=`, so that a value may hold spaces: `name=Ada Lovelace city=Paris`.
  const parts = text.split(/\s*&\s*|\s+(?=[A-Za-z_$][\w$.-]*\s*=)/).filter((p) => p !== "");
  if (parts.length > MAX_PAIRS) throw new BackieError(`filter payload has ${parts.length} key=value pairs; at most ${MAX_PAIRS}`);
  const pairs = parts.map((part) => {
    const at = part.indexOf("=");
    const key = part.slice(0, at).trim();
    if (at < 0 || !KEY.test(key)) throw new BackieError(`filter payload: "${part.slice(0, 60)}" is not key=value (keys are names, dotted for nested fields: customer.id=42)`);
    return { key, values: alternatives(part.slice(at + 1).trim()) };
  });
  let objects: Record<string, unknown>[] = [{}];
  for (const { key, values } of pairs) {
    objects = objects.flatMap((object) => values.map((value) => place(structuredClone(object), key, value)));
  }
  const description = pairs.map(({ key, values }) => `${key} = ${values.map((v) => JSON.stringify(v)).join(" or ")}`).join(", ");
  return { kind: "fields", anyOf: objects, description: `fields ${description}` };
}

/** A typed value's readings: `42` is 42 or "42"; `"42"` (quoted) is only the string. */
function alternatives(raw: string): unknown[] {
  if (raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"')) {
    try {
      return [JSON.parse(raw) as string];
    } catch {
      return [raw];
    }
  }
  if (raw === "true" || raw === "false" || raw === "null" || /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(raw)) {
    const parsed: unknown = JSON.parse(raw);
    return Number.isFinite(parsed) || typeof parsed !== "number" ? [parsed, raw] : [raw];
  }
  return [raw];
}

function place(object: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const path = key.split(".");
  let at = object;
  for (const [i, name] of path.entries()) {
    const last = i === path.length - 1;
    const existing = Object.hasOwn(at, name) ? at[name] : undefined;
    if (last ? existing !== undefined : existing !== undefined && (existing === null || typeof existing !== "object")) {
      throw new BackieError(`filter payload: ${key} is given twice`);
    }
    // Defined, not assigned: a key such as __proto__ is a field name here, never the prototype.
    if (last) define(at, name, value);
    else at = (existing ?? define(at, name, {})) as Record<string, unknown>;
  }
  return object;
}

function define(object: Record<string, unknown>, name: string, value: unknown): unknown {
  Object.defineProperty(object, name, { value, enumerable: true, writable: true, configurable: true });
  return value;
}
