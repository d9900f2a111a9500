import { ts, type Node, type Symbol as MorphSymbol, type Type } from "ts-morph";
import type { JsonSchema } from "./model.js";

/** A payload type that cannot become JSON, with the property path at fault (`$.items[].at`). */
export interface SchemaProblem {
  path: string;
  message: string;
}

export interface PayloadSchemaResult {
  schema: JsonSchema;
  problems: SchemaProblem[];
  /**
   * Where the payload holds a `Date` (property names, `*` for any item or value): revived for
   * `run`. Recursive types cannot be listed path by path: a path may end in `@Name`, meaning "the
   * paths of `$defs` type Name, from here", and those are listed as paths that start with `@Name`.
   */
  dates: string[][];
}

/** Built-in types that JSON cannot carry, with the advice given for each. */
const NOT_JSON: Record<string, string> = {
  Map: "a Map is not JSON: use Record<string, T> or an array of pairs",
  WeakMap: "a WeakMap is not JSON: use Record<string, T>",
  Set: "a Set is not JSON: use an array",
  WeakSet: "a WeakSet is not JSON: use an array",
  Promise: "a Promise is not JSON: await it before enqueueing",
  RegExp: "a RegExp is not JSON: use a string with @pattern",
  Error: "an Error is not JSON: pass its message as a string",
  Buffer: "a Buffer is not JSON: use a base64 string (@format byte)",
  Uint8Array: "a Uint8Array is not JSON: use a base64 string (@format byte)",
  ArrayBuffer: "an ArrayBuffer is not JSON: use a base64 string (@format byte)",
};

const NUMBER_TAGS = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"] as const;
const INTEGER_TAGS = ["minLength", "maxLength", "minItems", "maxItems"] as const;
const STRING_TAGS = ["format", "pattern", "description"] as const;

/**
 * Converts a payload type to JSON Schema (draft 2020-12) with the compiler's own view of the
 * type, so that aliases, generics, mapped types (`Partial`, `Pick`, `Omit`), imported and
 * re-exported types all resolve as TypeScript resolves them. Recursive types go to `$defs`.
 * A `Date` becomes a string with `format: date-time` (its JSON form).
 */
export function payloadSchema(type: Type, location: Node): PayloadSchemaResult {
  const builder = new SchemaBuilder(location);
  const root = builder.convert(type, "$");
  const schema: JsonSchema = { $schema: "https://json-schema.org/draft/2020-12/schema", ...root };
  if (builder.defs.size > 0) {
    schema.$defs = Object.fromEntries([...builder.defs.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }
  return { schema, problems: builder.problems, dates: builder.datePaths() };
}

const isRef = (segment: string | undefined): boolean => segment !== undefined && segment.startsWith("@");

class SchemaBuilder {
  readonly defs = new Map<string, JsonSchema>();
  readonly problems: SchemaProblem[] = [];
  readonly dates: string[][] = [];
  /** Date paths of each `$defs` type, relative to it. */
  private readonly defDates = new Map<string, string[][]>();
  /** Path of the value being converted, as revival paths spell it. */
  private readonly segments: string[] = [];
  /** Above zero inside a union that mixes Date with other strings: a string there may be either. */
  private ambiguousDates = 0;
  private readonly checker: ts.TypeChecker;
  /** Object types being converted, to spot recursion. */
  private readonly stack: ts.Type[] = [];
  /** Recursive object types and their `$defs` name. */
  private readonly defNames = new Map<ts.Type, string>();

  constructor(private readonly location: Node) {
    this.checker = location.getProject().getTypeChecker().compilerObject;
  }

  convert(type: Type, path: string): JsonSchema {
    if (type.isAny()) return this.problem(path, "`any` has no JSON Schema: give this a JSON type");
    if (type.isUnknown()) return this.problem(path, "`unknown` has no JSON Schema: give this a JSON type");
    if (type.isNever()) return this.problem(path, "`never` cannot be sent");
    if (type.isUndefined() || type.isVoid()) {
      return this.problem(path, "`undefined` is not JSON: make the property optional (`?:`) or use null");
    }
    if (type.isBigInt() || type.isBigIntLiteral()) {
      return this.problem(path, "`bigint` is not JSON: use a number or a decimal string");
    }
    const flags = type.getFlags();
    if (flags & (ts.TypeFlags.ESSymbol | ts.TypeFlags.UniqueESSymbol)) {
      return this.problem(path, "`symbol` is not JSON: use a string");
    }
    if (type.isTypeParameter()) return this.problem(path, "an unresolved type parameter has no JSON Schema");
    if (type.isNull()) return { type: "null" };
    if (type.isBoolean()) return { type: "boolean" };
    if (type.isBooleanLiteral()) return { const: type.getText() === "true" };
    if (type.isStringLiteral() || type.isNumberLiteral()) return { const: type.getLiteralValue() };
    if (type.isString()) return { type: "string" };
    if (type.isNumber()) return { type: "number" };
    if (type.isTemplateLiteral()) return { type: "string" };
    if (type.isUnion()) return this.union(type, path);
    if (type.isArray() || type.isReadonlyArray()) {
      return { type: "array", items: this.within("*", () => this.convert(type.getArrayElementTypeOrThrow(), `${path}[]`)) };
    }
    if (type.isTuple()) return this.tuple(type, path);
    return this.object(type, path);
  }

  private union(type: Type, path: string): JsonSchema {
    const members = type.getUnionTypes().filter((t) => !t.isUndefined());
    const hasTrue = members.some((t) => t.isBooleanLiteral() && t.getText() === "true");
    const hasFalse = members.some((t) => t.isBooleanLiteral() && t.getText() === "false");
    const rest = members.filter((t) => !(hasTrue && hasFalse && t.isBooleanLiteral()));
    const literals = rest.filter((t) => t.isStringLiteral() || t.isNumberLiteral());
    // Object members in the order they are written, not by type id (see declarationOrder).
    const others = byDeclaration(rest.filter((t) => !(t.isStringLiteral() || t.isNumberLiteral())), (t) => (t.getAliasSymbol() ?? t.getSymbol())?.getDeclarations()[0]);
    const options: JsonSchema[] = [];
    if (hasTrue && hasFalse) options.push({ type: "boolean" });
    if (literals.length > 0) {
      // The checker orders union members by type id; sort so the schema reads predictably.
      const values = literals
        .map((t) => t.getLiteralValue() as string | number)
        .sort((a, b) => (typeof a === typeof b ? (a < b ? -1 : a > b ? 1 : 0) : typeof a === "number" ? -1 : 1));
      const kinds = new Set(values.map((v) => typeof v));
      const kind = kinds.size === 1 ? (kinds.has("string") ? "string" : "number") : undefined;
      options.push(values.length === 1 ? { const: values[0] } : { ...(kind ? { type: kind } : {}), enum: values });
    }
    const mixed = others.some((t) => t.getSymbol()?.getName() === "Date") && rest.some((t) => t.isString() || t.isStringLiteral() || t.isTemplateLiteral());
    if (mixed) this.ambiguousDates++;
    for (const member of others) options.push(this.convert(member, path));
    if (mixed) this.ambiguousDates--;
    if (options.length === 1) return options[0]!;
    // `T | null` reads better as a type list than as anyOf.
    const simple = options.every((o) => Object.keys(o).length === 1 && typeof o.type === "string");
    if (simple) return { type: options.map((o) => o.type) };
    return { anyOf: options };
  }

  private tuple(type: Type, path: string): JsonSchema {
    const target = type.getTargetType()?.compilerType as ts.TupleType | undefined;
    const elementFlags = target?.elementFlags ?? [];
    const elements = type.getTupleElements();
    const prefixItems: JsonSchema[] = [];
    let minItems = 0;
    let rest: JsonSchema | undefined;
    elements.forEach((element, i) => {
      const flag = elementFlags[i] ?? ts.ElementFlags.Required;
      if (flag & ts.ElementFlags.Variable) {
        rest = this.within("*", () => this.convert(element, `${path}[${i}]`));
        return;
      }
      const optional = (flag & ts.ElementFlags.Optional) !== 0;
      const elementType = optional ? element.getNonNullableType() : element;
      prefixItems.push(this.within(String(i), () => this.convert(elementType, `${path}[${i}]`)));
      if (!optional) minItems = i + 1;
    });
    return {
      type: "array",
      prefixItems,
      minItems,
      ...(rest ? { items: rest } : { maxItems: prefixItems.length }),
    };
  }

  private object(type: Type, path: string): JsonSchema {
    const symbol = type.getSymbol();
    const name = symbol?.getName();
    if (name !== undefined && isFromLibrary(symbol!)) {
      if (name === "Date") {
        if (this.ambiguousDates === 0) this.dates.push([...this.segments]);
        return { type: "string", format: "date-time" };
      }
      const advice = NOT_JSON[name];
      if (advice) return this.problem(path, advice);
    }
    if (type.getCallSignatures().length > 0 || type.getConstructSignatures().length > 0) {
      return this.problem(path, "a function is not JSON: remove it from the payload");
    }
    if (symbol && symbol.getDeclarations().some((d) => d.getKind() === ts.SyntaxKind.ClassDeclaration)) {
      const hasMethods = type.getProperties().some((p) =>
        p.getDeclarations().some((d) => d.getKind() === ts.SyntaxKind.MethodDeclaration),
      );
      if (hasMethods) {
        return this.problem(path, `an instance of class ${name} has methods and is not JSON: use an interface`);
      }
    }
    const compiler = type.compilerType;
    const known = this.defNames.get(compiler);
    if (known !== undefined) return this.ref(known);
    if (this.stack.includes(compiler)) {
      const defName = this.uniqueDefName(type);
      this.defNames.set(compiler, defName);
      return this.ref(defName);
    }
    this.stack.push(compiler);
    const datesBefore = this.dates.length;
    const depth = this.segments.length;
    const schema = this.objectBody(type, path);
    this.stack.pop();
    const defName = this.defNames.get(compiler);
    if (defName === undefined) return schema;
    this.defs.set(defName, schema);
    // What was found inside this expansion, relative to it, is what every other use of it holds.
    this.defDates.set(defName, this.dates.slice(datesBefore).map((p) => p.slice(depth)));
    return { $ref: `#/$defs/${defName}` };
  }

  /** A use of a `$defs` type: its Dates are revived by reference to its own paths. */
  private ref(defName: string): JsonSchema {
    this.dates.push([...this.segments, `@${defName}`]);
    return { $ref: `#/$defs/${defName}` };
  }

  /** Date paths, with references only to `$defs` types that hold a Date somewhere. */
  datePaths(): string[][] {
    const holds = new Set<string>();
    for (let grew = true; grew; ) {
      grew = false;
      for (const [name, paths] of this.defDates) {
        if (holds.has(name)) continue;
        if (paths.some((p) => !isRef(p.at(-1)) || holds.has(p.at(-1)!.slice(1)))) {
          holds.add(name);
          grew = true;
        }
      }
    }
    const keep = (p: string[]): boolean => !isRef(p.at(-1)) || holds.has(p.at(-1)!.slice(1));
    const defPaths = [...holds].sort().flatMap((name) => this.defDates.get(name)!.filter(keep).map((p) => [`@${name}`, ...p]));
    return [...this.dates.filter(keep), ...defPaths];
  }

  private objectBody(type: Type, path: string): JsonSchema {
    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    for (const property of declarationOrder(type.getProperties())) {
      const key = property.getName();
      const propertyPath = appendPath(path, key);
      const propertyType = property.getTypeAtLocation(this.location);
      // `x?: T` and `x: T | undefined` both may be absent from the JSON; union() drops undefined.
      const optional = property.isOptional() || (propertyType.isUnion() && propertyType.getUnionTypes().some((t) => t.isUndefined()));
      const schema = this.within(key, () => this.convert(propertyType, propertyPath));
      properties[key] = { ...schema, ...this.annotations(property, propertyPath) };
      if (!optional) required.push(key);
    }
    const schema: JsonSchema = { type: "object", properties };
    if (required.length > 0) schema.required = required;
    const index = type.getStringIndexType() ?? type.getNumberIndexType();
    schema.additionalProperties = index ? this.within("*", () => this.convert(index, `${path}[*]`)) : false;
    const description = this.description(type.getAliasSymbol() ?? type.getSymbol());
    return description ? { description, ...schema } : schema;
  }

  /** JSDoc of a property: its comment and the tags that map to JSON Schema keywords. */
  private annotations(property: MorphSymbol, path: string): JsonSchema {
    const out: JsonSchema = {};
    const comment = this.description(property);
    if (comment) out.description = comment;
    for (const tag of property.compilerSymbol.getJsDocTags(this.checker)) {
      const text = ts.displayPartsToString(tag.text).trim();
      if ((STRING_TAGS as readonly string[]).includes(tag.name)) {
        if (text === "") this.problems.push({ path, message: `@${tag.name} needs a value` });
        else out[tag.name] = text;
      } else if ((NUMBER_TAGS as readonly string[]).includes(tag.name)) {
        const value = Number(text);
        if (text === "" || !Number.isFinite(value)) {
          this.problems.push({ path, message: `@${tag.name} needs a number, got "${text}"` });
        } else out[tag.name] = value;
      } else if ((INTEGER_TAGS as readonly string[]).includes(tag.name)) {
        const value = Number(text);
        if (!Number.isInteger(value) || value < 0) {
          this.problems.push({ path, message: `@${tag.name} needs an integer >= 0, got "${text}"` });
        } else out[tag.name] = value;
      }
    }
    return out;
  }

  private description(symbol: MorphSymbol | undefined): string | undefined {
    if (!symbol) return undefined;
    const text = ts.displayPartsToString(symbol.compilerSymbol.getDocumentationComment(this.checker)).trim();
    return text === "" ? undefined : text;
  }

  private uniqueDefName(type: Type): string {
    const symbol = type.getAliasSymbol() ?? type.getSymbol();
    const args = (type.getAliasSymbol() ? type.getAliasTypeArguments() : type.getTypeArguments())
      .map((t) => t.getSymbol()?.getName() ?? t.getText())
      .join("_");
    const base = `${symbol?.getName() ?? "Type"}${args ? `_${args}` : ""}`.replace(/[^A-Za-z0-9_]/g, "_");
    let name = base;
    for (let i = 2; [...this.defNames.values()].includes(name); i++) name = `${base}${i}`;
    return name;
  }

  private within<T>(segment: string, convert: () => T): T {
    this.segments.push(segment);
    try {
      return convert();
    } finally {
      this.segments.pop();
    }
  }

  private problem(path: string, message: string): JsonSchema {
    this.problems.push({ path, message });
    return {};
  }
}

function isFromLibrary(symbol: MorphSymbol): boolean {
  return symbol.getDeclarations().some((d) => {
    const file = d.getSourceFile();
    return file.isInNodeModules() || file.isFromExternalLibrary() || /[\\/]typescript[\\/]lib[\\/]/.test(file.getFilePath());
  });
}

function appendPath(path: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/**
 * Properties in the order they are written. The checker's own order for a mapped type (`Omit`,
 * `Pick`, `Partial` of a union of keys) follows the ids of the key literals, which depend on what
 * else the program holds: an unrelated file could reorder a schema and make generated/ stale.
 */
function declarationOrder(properties: MorphSymbol[]): MorphSymbol[] {
  return byDeclaration(properties, (p) => p.getDeclarations()[0]);
}

/** Stable: what has no declaration (string, number, null) keeps its place before the rest. */
function byDeclaration<T>(items: T[], declarationOf: (item: T) => Node | undefined): T[] {
  const at = (item: T): [string, number] => {
    const declaration = declarationOf(item);
    return declaration ? [declaration.getSourceFile().getFilePath(), declaration.getPos()] : ["", -1];
  };
  return items
    .map((item, index) => ({ item, index, where: at(item) }))
    .sort((a, b) => (a.where[0] < b.where[0] ? -1 : a.where[0] > b.where[0] ? 1 : a.where[1] - b.where[1] || a.index - b.index))
    .map((e) => e.item);
}
