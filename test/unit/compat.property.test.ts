/**
 * compareSchemas against reality: random pairs of schemas from the generator's shapes, random
 * payloads valid under the older one. A pair called compatible must accept every such payload
 * (after dropping the properties it names); examples pin the classification of common changes.
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import fc from "fast-check";
import { expect, it } from "vitest";
import { compareSchemas } from "../../codegen/compat.js";
import type { JsonSchema } from "../../codegen/model.js";

const ajv = new Ajv2020({ strict: false });

const leaf: fc.Arbitrary<JsonSchema> = fc.oneof(
  fc.constant({ type: "string" }),
  fc.record({ type: fc.constant("string"), minLength: fc.integer({ min: 0, max: 3 }), maxLength: fc.integer({ min: 3, max: 6 }) }),
  fc.constant({ type: "number" }),
  fc.record({ type: fc.constant("number"), minimum: fc.integer({ min: -5, max: 0 }), maximum: fc.integer({ min: 0, max: 5 }) }),
  fc.constant({ type: "boolean" }),
  fc.constant({ type: ["string", "null"] }),
  fc.uniqueArray(fc.constantFrom("a", "b", "c"), { minLength: 1, maxLength: 3 }).map((values) => (values.length === 1 ? { const: values[0] } : { type: "string", enum: values.sort() })),
);

const schema: fc.Arbitrary<JsonSchema> = fc.letrec<{ node: JsonSchema }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.record({ type: fc.constant("array"), items: tie("node") }),
    fc.dictionary(fc.constantFrom("p", "q", "r", "s"), tie("node"), { maxKeys: 4 }).chain((properties) =>
      fc.subarray(Object.keys(properties)).map((required) => ({ type: "object", properties, required, additionalProperties: false }))),
    fc.record({ type: fc.constant("object"), additionalProperties: tie("node") }),
    fc.tuple(tie("node"), tie("node")).map(([a, b]) => ({ anyOf: [a, b] })),
  ),
})).node;

/** Payloads valid under `s`, made from the schema itself (ajv keeps only the valid ones). */
function valueOf(s: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  if ("const" in s) return fc.constant(s.const);
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
  if (Array.isArray(s.anyOf)) return fc.oneof(...(s.anyOf as JsonSchema[]).map((o) => valueOf(o, depth + 1)));
  const type = Array.isArray(s.type) ? s.type : [s.type];
  const options: Array<fc.Arbitrary<unknown>> = [];
  for (const t of type) {
    if (t === "string") options.push(fc.string({ maxLength: 7 }));
    if (t === "number") options.push(fc.integer({ min: -8, max: 8 }), fc.double({ min: -8, max: 8, noNaN: true }));
    if (t === "boolean") options.push(fc.boolean());
    if (t === "null") options.push(fc.constant(null));
    if (t === "array") options.push(fc.array(valueOf(s.items as JsonSchema, depth + 1), { maxLength: depth > 2 ? 0 : 3 }));
    if (t === "object") {
      const props = (s.properties ?? {}) as Record<string, JsonSchema>;
      const required = (s.required ?? []) as string[];
      const extra = s.additionalProperties;
      const fields = fc.record(Object.fromEntries(Object.entries(props).map(([k, v]) => [k, valueOf(v, depth + 1)])), { requiredKeys: required });
      const more = extra && extra !== false && depth < 3 ? fc.dictionary(fc.constantFrom("p", "x", "y"), valueOf(extra as JsonSchema, depth + 1), { maxKeys: 2 }) : fc.constant({});
      options.push(fc.tuple(fields, more).map(([a, b]) => ({ ...b, ...a })));
    }
  }
  return options.length > 0 ? fc.oneof(...options) : fc.constant(null);
}

function drop(value: unknown, paths: string[][]): unknown {
  const copy = structuredClone(value);
  for (const path of paths) {
    let level: unknown[] = [copy];
    path.forEach((step, at) => {
      const next: unknown[] = [];
      for (const v of level) {
        if (v === null || typeof v !== "object" || Array.isArray(v)) continue;
        const record = v as Record<string, unknown>;
        if (at === path.length - 1) delete record[step];
        else for (const k of step === "*" ? Object.keys(record) : [step]) if (k in record) next.push(record[k]);
      }
      level = next;
    });
  }
  return copy;
}

it("never calls a change compatible that rejects a valid older payload", () => {
  fc.assert(
    fc.property(schema, schema, fc.integer({ min: 0, max: 2 ** 31 - 1 }), (older, newer, seed) => {
      const { breaking, drop: paths } = compareSchemas(older, newer);
      if (breaking.length > 0) return;
      const validOld = ajv.compile(older);
      const validNew = ajv.compile(newer);
      const samples = fc.sample(valueOf(older), { numRuns: 40, seed }).filter((v) => validOld(v));
      for (const sample of samples) {
        expect(validNew(drop(sample, paths)), `${JSON.stringify(older)} -> ${JSON.stringify(newer)}: ${JSON.stringify(sample)}`).toBe(true);
      }
    }),
    { numRuns: 1_500 },
  );
});

it("calls identical schemas compatible, whatever they are", () => {
  fc.assert(fc.property(schema, (s) => { expect(compareSchemas(s, structuredClone(s)).breaking).toEqual([]); }), { numRuns: 500 });
});

const object = (properties: Record<string, JsonSchema>, required: string[]): JsonSchema => ({ type: "object", properties, required, additionalProperties: false });

it.each([
  ["an optional field added", object({ a: { type: "string" } }, ["a"]), object({ a: { type: "string" }, b: { type: "number" } }, ["a"]), []],
  ["a field made optional", object({ a: { type: "string" } }, ["a"]), object({ a: { type: "string" } }, []), []],
  ["a bound relaxed", { type: "string", maxLength: 5 }, { type: "string", maxLength: 9 }, []],
  ["an enum value added", { type: "string", enum: ["a", "b"] }, { type: "string", enum: ["a", "b", "c"] }, []],
  ["a union widened", { type: "string" }, { type: ["string", "null"] }, []],
  ["a required field added", object({ a: { type: "string" } }, ["a"]), object({ a: { type: "string" }, b: { type: "number" } }, ["a", "b"]), ["$.b: required field added"]],
  ["a field made required", object({ a: { type: "string" } }, []), object({ a: { type: "string" } }, ["a"]), ["$.a: made required"]],
  ["a type narrowed", { type: ["string", "null"] }, { type: "string" }, ["$: type changed from null to string"]],
  ["an enum value removed", { type: "string", enum: ["a", "b"] }, { const: "a" }, ['$: "b" no longer allowed']],
  ["a bound tightened", { type: "number", maximum: 10 }, { type: "number", maximum: 5 }, ["$: maximum 10 -> 5"]],
] as Array<[string, JsonSchema, JsonSchema, string[]]>)("%s", (_label, older, newer, breaking) => {
  expect(compareSchemas(older, newer).breaking).toEqual(breaking);
});

it("a removed field is compatible and dropped from older payloads, nested ones by path", () => {
  const older = object({ a: { type: "string" }, inner: object({ gone: { type: "number" }, kept: { type: "string" } }, ["gone"]) }, ["a", "inner"]);
  const newer = object({ a: { type: "string" }, inner: object({ kept: { type: "string" } }, []) }, ["a", "inner"]);
  expect(compareSchemas(older, newer)).toEqual({ breaking: [], drop: [["inner", "gone"]] });
});
