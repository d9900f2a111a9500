import type { JsonSchema } from "./model.js";

/**
 * A TypeScript type for a payload schema as codegen writes them (the JSON form: a `date-time`
 * string stays a string). Used for the types of older payload versions in generated/versions.ts,
 * which upgrades take. `$defs` become their own aliases named `<name>_<def>`.
 */
export function schemaTypes(name: string, schema: JsonSchema): string {
  const defs = (schema.$defs ?? {}) as Record<string, JsonSchema>;
  const defName = (ref: string): string => `${name}_${ref.replace(/^#\/\$defs\//, "").replace(/[^A-Za-z0-9_]/g, "_")}`;
  const lines = [`export type ${name} = ${typeOf(schema, defName, 0)};`];
  for (const [def, body] of Object.entries(defs).sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`export type ${defName(`#/$defs/${def}`)} = ${typeOf(body, defName, 0)};`);
  }
  return lines.join("\n");
}

function typeOf(s: JsonSchema, defName: (ref: string) => string, depth: number): string {
  const pad = "  ".repeat(depth + 1);
  if (typeof s.$ref === "string") return defName(s.$ref);
  if ("const" in s) return JSON.stringify(s.const);
  if (Array.isArray(s.enum)) return (s.enum as unknown[]).map((v) => JSON.stringify(v)).join(" | ");
  if (Array.isArray(s.anyOf)) return (s.anyOf as JsonSchema[]).map((o) => wrap(typeOf(o, defName, depth))).join(" | ");
  if (Array.isArray(s.type)) return (s.type as string[]).map((t) => wrap(typeOf({ ...s, type: t }, defName, depth))).join(" | ");
  switch (s.type) {
    case "string": return "string";
    case "number":
    case "integer": return "number";
    case "boolean": return "boolean";
    case "null": return "null";
    case "array": {
      const prefix = (s.prefixItems ?? []) as JsonSchema[];
      if (prefix.length === 0) return `Array<${s.items === undefined ? "unknown" : typeOf(s.items as JsonSchema, defName, depth)}>`;
      const min = typeof s.minItems === "number" ? s.minItems : prefix.length;
      const parts = prefix.map((p, i) => `${typeOf(p, defName, depth)}${i >= min ? "?" : ""}`);
      if (s.items !== undefined && s.items !== false) parts.push(`...Array<${typeOf(s.items as JsonSchema, defName, depth)}>`);
      return `[${parts.join(", ")}]`;
    }
    case "object": {
      const props = (s.properties ?? {}) as Record<string, JsonSchema>;
      const required = new Set((s.required ?? []) as string[]);
      const fields = Object.entries(props).map(([k, v]) => `${pad}${JSON.stringify(k)}${required.has(k) ? "" : "?"}: ${typeOf(v, defName, depth + 1)};`);
      const extra = s.additionalProperties;
      if (extra !== undefined && extra !== false) {
        fields.push(`${pad}[key: string]: ${extra === true ? "unknown" : typeOf(extra as JsonSchema, defName, depth + 1)};`);
      }
      return fields.length === 0 ? "Record<string, never>" : `{\n${fields.join("\n")}\n${"  ".repeat(depth)}}`;
    }
    default:
      return "unknown";
  }
}

const wrap = (t: string): string => (/^[\w"[<]/.test(t) && !t.includes(" | ") ? t : `(${t})`);
