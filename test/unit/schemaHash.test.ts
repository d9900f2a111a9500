/**
 * The payload schema's hash decides whether a deploy makes a new payload version. It must follow
 * what validates, not the order the compiler happened to list a union's members or a mapped
 * type's keys in (that order moved once when unrelated code was added to the program).
 */
import { describe, expect, it } from "vitest";
import type { TaskModel } from "../../codegen/model.js";
import { schemaHash, versionTasks, type Baseline } from "../../codegen/versions.js";

const schema = {
  type: "object",
  properties: { a: { type: "string" }, b: { anyOf: [{ type: "string" }, { type: "number" }] }, t: { type: "array", prefixItems: [{ type: "number" }, { type: "string" }] } },
  required: ["a", "b"],
  additionalProperties: false,
};

describe("schemaHash", () => {
  it("ignores the order of required, enum, type, anyOf and oneOf, and of keys", () => {
    const reordered = {
      additionalProperties: false,
      required: ["b", "a"],
      properties: { t: schema.properties.t, b: { anyOf: [{ type: "number" }, { type: "string" }] }, a: { type: "string" } },
      type: "object",
    };
    expect(schemaHash(reordered)).toBe(schemaHash(schema));
    expect(schemaHash({ enum: [1, 2, 3] })).toBe(schemaHash({ enum: [3, 1, 2] }));
  });

  it("keeps the order that means something: a tuple's items", () => {
    const swapped = { ...schema, properties: { ...schema.properties, t: { type: "array", prefixItems: [{ type: "string" }, { type: "number" }] } } };
    expect(schemaHash(swapped)).not.toBe(schemaHash(schema));
  });

  it("makes no new version when only the stored hash's form differs (a manifest from an earlier canonical form)", () => {
    const baseline: Baseline = {
      source: "test", generation: 4,
      tasks: new Map([["t", [{ version: 3, hash: "an-older-form", schema }]]]),
      signals: new Map(),
    };
    const task = { name: "t", aliases: [], upgrades: [], file: "tasks/t.ts", line: 1, schema: { ...schema, required: ["b", "a"] } } as unknown as TaskModel;
    const { generation, problems } = versionTasks([task], baseline);
    expect(problems).toEqual([]);
    expect(generation).toBe(4);
    expect(task.versions.map((v) => v.version)).toEqual([3]);
  });
});
