import type { JsonSchema } from "./model.js";

/**
 * Whether every payload valid under an older schema is valid under a newer one, decided on the
 * schemas alone (the shapes codegen writes: type, const, enum, anyOf, items, prefixItems,
 * properties, required, additionalProperties, $ref to $defs, string/number/array bounds,
 * pattern, format). Conservative: "compatible" is only said when it is certain; anything it
 * cannot prove is breaking, with the reason. Properties the newer schema drops are compatible:
 * a worker drops them from older payloads before validating (`drop`).
 */
export interface Compatibility {
  /** One line per breaking change: `$.path: what changed`. */
  breaking: string[];
  /** Paths of properties that older payloads may hold and the newer schema has no more. */
  drop: string[][];
}

export function compareSchemas(older: JsonSchema, newer: JsonSchema): Compatibility {
  const out: Compatibility = { breaking: [], drop: [] };
  const cmp = new Comparer(older, newer, out);
  cmp.sub(strip(older), strip(newer), "$", []);
  return out;
}

const strip = (s: JsonSchema): JsonSchema => {
  const { $schema: _s, $defs: _d, $comment: _c, ...rest } = s;
  return rest;
};

const ANNOTATIONS = new Set(["description", "$comment", "title", "examples", "default"]);

class Comparer {
  private readonly assumed = new Set<string>();
  constructor(private readonly olderRoot: JsonSchema, private readonly newerRoot: JsonSchema, private readonly out: Compatibility) {}

  /** Records why `older` is not within `newer` at `path`; `segments` are the drop path so far (null once unsafe). */
  sub(older: JsonSchema, newer: JsonSchema, path: string, segments: string[] | null): void {
    const problems = this.check(older, newer, path, segments);
    this.out.breaking.push(...problems);
  }

  private resolve(schema: JsonSchema, root: JsonSchema): JsonSchema {
    let s = schema;
    for (let i = 0; i < 50 && typeof s.$ref === "string"; i++) {
      const name = (s.$ref).replace(/^#\/\$defs\//, "");
      const defs = (root.$defs ?? {}) as Record<string, JsonSchema>;
      s = defs[name] ?? {};
    }
    return s;
  }

  private check(olderIn: JsonSchema, newerIn: JsonSchema, path: string, segments: string[] | null): string[] {
    const key = typeof olderIn.$ref === "string" || typeof newerIn.$ref === "string" ? `${String(olderIn.$ref)}|${String(newerIn.$ref)}` : undefined;
    if (key !== undefined) {
      // Recursive types: assume the pair holds while checking it (coinduction).
      if (this.assumed.has(key)) return [];
      this.assumed.add(key);
      // Drop paths do not follow references (a recursive type has no finite list of them).
      const found = this.check(this.resolve(olderIn, this.olderRoot), this.resolve(newerIn, this.newerRoot), path, null);
      return found;
    }
    const older = olderIn;
    const newer = newerIn;
    if (Object.keys(newer).every((k) => ANNOTATIONS.has(k))) return [];
    // A finite set of old values: each must be valid under the newer schema.
    const values = finiteValues(older);
    if (values !== undefined && !("anyOf" in newer)) {
      const bad = values.filter((v) => !this.accepts(newer, v));
      return bad.length === 0 ? [] : [`${path}: ${bad.map((v) => JSON.stringify(v)).join(", ")} no longer allowed`];
    }
    if (Array.isArray(older.anyOf)) {
      return (older.anyOf as JsonSchema[]).flatMap((o) => this.check(o, newer, path, segments));
    }
    if (Array.isArray(older.type) && older.type.length > 1) {
      return (older.type as string[]).flatMap((t) => this.check({ ...older, type: t }, newer, path, segments));
    }
    if (Array.isArray(newer.anyOf)) {
      const options = newer.anyOf as JsonSchema[];
      // Some branch takes all of it (drops found under the branch that fits are kept).
      for (const option of options) {
        const trial: Compatibility = { breaking: [], drop: [] };
        const inner = new Comparer(this.olderRoot, this.newerRoot, trial);
        for (const k of this.assumed) inner.assumed.add(k);
        const problems = inner.check(older, option, path, segments);
        if (problems.length === 0) {
          this.out.drop.push(...trial.drop);
          return [];
        }
      }
      return [`${path}: ${describe(older)} is not within any of the new alternatives`];
    }
    if (finiteValues(newer) !== undefined) return [`${path}: narrowed from ${describe(older)} to ${describe(newer)}`];
    const olderType = single(older.type);
    const newerTypes = typesOf(newer.type);
    if (olderType === undefined) return newerTypes === undefined && Object.keys(older).length === 0 ? [] : [`${path}: ${describe(older)} cannot be shown to fit ${describe(newer)}`];
    if (newerTypes !== undefined && !newerTypes.includes(olderType) && !(olderType === "integer" && newerTypes.includes("number"))) {
      return [`${path}: type changed from ${olderType} to ${newerTypes.join(" | ")}`];
    }
    const problems: string[] = [];
    const bound = boundCheck(older, newer, path, problems);
    switch (olderType) {
      case "string":
        bound("minLength", (o, n) => o >= n);
        bound("maxLength", (o, n) => o <= n);
        for (const k of ["pattern", "format"]) {
          if (newer[k] !== undefined && newer[k] !== older[k]) problems.push(`${path}: ${k} ${older[k] === undefined ? "added" : "changed"} (${JSON.stringify(newer[k])})`);
        }
        break;
      case "number":
      case "integer":
        bound("minimum", (o, n) => o >= n);
        bound("maximum", (o, n) => o <= n);
        bound("exclusiveMinimum", (o, n) => o >= n);
        bound("exclusiveMaximum", (o, n) => o <= n);
        bound("multipleOf", (o, n) => Number.isInteger(o / n));
        if (olderType === "number" && newerTypes?.includes("integer") && !newerTypes.includes("number")) problems.push(`${path}: narrowed from number to integer`);
        break;
      case "array":
        problems.push(...this.array(older, newer, path));
        break;
      case "object":
        problems.push(...this.object(older, newer, path, segments));
        break;
      default:
        break;
    }
    return problems;
  }

  private array(older: JsonSchema, newer: JsonSchema, path: string): string[] {
    const problems: string[] = [];
    const bound = boundCheck(older, newer, path, problems);
    bound("minItems", (o, n) => o >= n);
    bound("maxItems", (o, n) => o <= n);
    const oPrefix = (older.prefixItems ?? []) as JsonSchema[];
    const nPrefix = (newer.prefixItems ?? []) as JsonSchema[];
    const itemOf = (s: JsonSchema, prefix: JsonSchema[], i: number): JsonSchema | false =>
      i < prefix.length ? prefix[i]! : s.items === false ? false : ((s.items ?? {}) as JsonSchema);
    const span = Math.max(oPrefix.length, nPrefix.length) + 1;
    for (let i = 0; i < span; i++) {
      const o = itemOf(older, oPrefix, i);
      const n = itemOf(newer, nPrefix, i);
      if (o === false) continue;
      const at = i < span - 1 ? `${path}[${i}]` : `${path}[]`;
      if (n === false) {
        problems.push(`${at}: no longer allowed`);
        continue;
      }
      problems.push(...this.check(o, n, at, null));
    }
    return problems;
  }

  private object(older: JsonSchema, newer: JsonSchema, path: string, segments: string[] | null): string[] {
    const problems: string[] = [];
    const oProps = (older.properties ?? {}) as Record<string, JsonSchema>;
    const nProps = (newer.properties ?? {}) as Record<string, JsonSchema>;
    const oRequired = new Set((older.required ?? []) as string[]);
    const nRequired = new Set((newer.required ?? []) as string[]);
    const oExtra = older.additionalProperties === undefined ? {} : (older.additionalProperties as JsonSchema | boolean);
    const nExtra = newer.additionalProperties === undefined ? {} : (newer.additionalProperties as JsonSchema | boolean);
    for (const name of nRequired) {
      if (!oRequired.has(name)) problems.push(`${path}.${name}: ${name in oProps ? "made required" : "required field added"}`);
    }
    for (const [name, n] of Object.entries(nProps)) {
      const o = oProps[name] ?? (oExtra === false ? undefined : oExtra === true ? {} : oExtra);
      if (o === undefined) continue;
      problems.push(...this.check(o, n, `${path}.${name}`, segments && [...segments, name]));
    }
    for (const [name, o] of Object.entries(oProps)) {
      if (name in nProps) continue;
      if (nExtra === false) {
        if (segments === null) problems.push(`${path}.${name}: removed inside a recursive type or a tuple (older payloads cannot be trimmed there)`);
        else this.out.drop.push([...segments, name]);
      } else if (nExtra !== true) {
        problems.push(...this.check(o, nExtra, `${path}.${name}`, null));
      }
    }
    if (oExtra !== false) {
      if (nExtra === false) problems.push(`${path}: other properties no longer allowed`);
      else if (nExtra !== true) problems.push(...this.check(oExtra === true ? {} : oExtra, nExtra, `${path}.*`, segments && [...segments, "*"]));
    }
    for (const name of ["minProperties", "maxProperties"]) if (newer[name] !== undefined && newer[name] !== older[name]) problems.push(`${path}: ${name} changed`);
    return problems;
  }

  /** Whether one JSON value is valid under a schema (for finite old value sets). */
  private accepts(schema: JsonSchema, value: unknown, depth = 0): boolean {
    if (depth > 50) return false;
    const s = this.resolve(schema, this.newerRoot);
    if (Array.isArray(s.anyOf)) return (s.anyOf as JsonSchema[]).some((o) => this.accepts(o, value, depth + 1));
    const finite = finiteValues(s);
    if (finite !== undefined) return finite.some((v) => JSON.stringify(v) === JSON.stringify(value));
    const types = typesOf(s.type);
    const kind = value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
    if (types !== undefined && !types.includes(kind) && !(kind === "number" && types.includes("integer") && Number.isInteger(value))) return false;
    if (typeof value === "string") {
      if (typeof s.minLength === "number" && [...value].length < s.minLength) return false;
      if (typeof s.maxLength === "number" && [...value].length > s.maxLength) return false;
      if (typeof s.pattern === "string" && !new RegExp(s.pattern, "u").test(value)) return false;
      return s.format === undefined;
    }
    if (typeof value === "number") {
      if (types?.includes("integer") && !types.includes("number") && !Number.isInteger(value)) return false;
      if (typeof s.minimum === "number" && value < s.minimum) return false;
      if (typeof s.maximum === "number" && value > s.maximum) return false;
      if (typeof s.exclusiveMinimum === "number" && value <= s.exclusiveMinimum) return false;
      if (typeof s.exclusiveMaximum === "number" && value >= s.exclusiveMaximum) return false;
      if (typeof s.multipleOf === "number" && !Number.isInteger(value / s.multipleOf)) return false;
      return true;
    }
    return types !== undefined && typeof value !== "object";
  }
}

/** A numeric bound of `newer` must be no tighter than `older`'s (`looser(old, new)`), or it is a problem. */
function boundCheck(older: JsonSchema, newer: JsonSchema, path: string, problems: string[]) {
  return (name: string, looser: (o: number, n: number) => boolean): void => {
    const n = newer[name];
    if (typeof n !== "number") return;
    const o = older[name];
    if (typeof o !== "number" || !looser(o, n)) problems.push(`${path}: ${name} ${typeof o === "number" ? `${o} -> ${n}` : `${n} added`}`);
  };
}

function finiteValues(s: JsonSchema): unknown[] | undefined {
  if ("const" in s) return [s.const];
  if (Array.isArray(s.enum)) return s.enum as unknown[];
  return undefined;
}

function typesOf(type: unknown): string[] | undefined {
  if (typeof type === "string") return [type];
  if (Array.isArray(type)) return type as string[];
  return undefined;
}

function single(type: unknown): string | undefined {
  const t = typesOf(type);
  return t?.length === 1 ? t[0] : undefined;
}

function describe(s: JsonSchema): string {
  const finite = finiteValues(s);
  if (finite !== undefined) return finite.map((v) => JSON.stringify(v)).join(" | ");
  if (Array.isArray(s.anyOf)) return "a union";
  return typesOf(s.type)?.join(" | ") ?? "any value";
}
