/**
 * toJsonPayload has a fast path for payloads that already are their own JSON form (no copy) and
 * a walk for the rest. Both must give what JSON.stringify stores, and agree with each other.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { boundedJson, nestingExceeds, toJsonPayload } from "../../src/payload.js";

const anyValue = fc.anything({
  withDate: true, withNullPrototype: true, withObjectString: true, withBoxedValues: true, withSparseArray: true,
  withMap: true, withSet: true, withTypedArray: true, withBigInt: true, maxDepth: 4,
});

describe("toJsonPayload", () => {
  it("stores what JSON.stringify writes, or names a problem; the fast path and the walk agree", () => {
    fc.assert(fc.property(anyValue, (value) => {
      const direct = toJsonPayload(value);
      // A Date beside it sends the same value down the walk (it has a toJSON): same answer. In an
      // array, as at the top, undefined is refused (in an object JSON would drop it).
      const walked = toJsonPayload([new Date(0), value]);
      expect(walked.violations.length > 0).toBe(direct.violations.length > 0);
      if (direct.violations.length > 0) return;
      let expected: string | undefined;
      try {
        expected = JSON.stringify(value);
      } catch {
        return; // a BigInt somewhere: reported as a violation by both, checked above
      }
      expect(JSON.stringify(direct.json)).toBe(expected);
      expect(JSON.stringify((walked.json as unknown[])[1])).toBe(expected);
    }), { numRuns: 2_000 });
  });

  it("takes the walk for what JSON would change, and says where", () => {
    const cases: Array<[unknown, string]> = [
      [{ a: [1, undefined] }, "$.a[1]"], [{ n: Number.NaN }, "$.n"], [{ s: "a\u0000b" }, "$.s"], [{ k: { ["x\uD800"]: 1 } }, "$.k[\"x\\ud800\"]"],
      [[1, 2, { d: new Date(Number.NaN) }], "$[2].d"],
    ];
    for (const [value, path] of cases) expect(toJsonPayload(value).violations[0]?.path, JSON.stringify(path)).toBe(path);
    // Own JSON: the same object back, no copy.
    const plain = { a: [1, "x", null, true, { b: -0 }] };
    expect(toJsonPayload(plain).json).toBe(plain);
    // A Date: converted to its ISO text.
    expect(toJsonPayload({ at: new Date(0) }).json).toEqual({ at: "1970-01-01T00:00:00.000Z" });
    // Nesting past the limit is refused either way.
    let deep: unknown = 1;
    for (let i = 0; i < 1_001; i++) deep = [deep];
    expect(toJsonPayload(deep).violations[0]?.message).toMatch(/nests deeper than 1000/);
  });

  it("boundedJson keeps a snapshot: a run that changes its value afterwards does not change what was checked", () => {
    const value = { parts: [1, 2], done: false };
    const stored = boundedJson(value, 1_000);
    if (!("json" in stored)) throw new Error("expected JSON");
    value.parts.push(3);
    value.done = true;
    expect(stored.json).toEqual({ parts: [1, 2], done: false });
    expect(stored.text).toBe('{"parts":[1,2],"done":false}');
  });
});

/** Levels of objects and arrays in `value`: 0 for a scalar, 1 for {} or [], 2 for [{}]... (own enumerable values, as JSON has). */
function levels(value: unknown): number {
  if (value === null || typeof value !== "object") return 0;
  return 1 + Math.max(0, ...Object.values(value).map(levels));
}

describe("nestingExceeds", () => {
  it("is true exactly when a JSON value has more levels than the limit", () => {
    const json = fc.jsonValue({ maxDepth: 6 }).map((text) => JSON.parse(JSON.stringify(text)) as unknown);
    fc.assert(fc.property(json, fc.integer({ min: 0, max: 8 }), (value, limit) => {
      expect(nestingExceeds(value, limit)).toBe(levels(value) > limit);
    }), { numRuns: 2_000 });
  });

  it("reads a payload deeper than any stack without overflowing, and own keys only (__proto__ included)", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 200_000; i++) deep = i % 2 === 0 ? [deep] : { a: deep };
    expect(nestingExceeds(deep, 64)).toBe(true);
    expect(nestingExceeds(JSON.parse('{"__proto__": {"a": {"b": {}}}}'), 3)).toBe(true);
    expect(nestingExceeds(JSON.parse('{"__proto__": {"a": {"b": {}}}}'), 4)).toBe(false);
  });
});

