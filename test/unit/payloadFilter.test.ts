/** The dashboard's payload box: JSON, key=value pairs or text, each read as what it looks like. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parsePayloadFilter } from "../../src/dashboard/payloadFilter.js";
import { BackieError } from "../../src/index.js";

describe("parsePayloadFilter", () => {
  it("reads JSON objects and arrays as containment, anything else that is not key=value as text", () => {
    expect(parsePayloadFilter(' {"accountId":"acme"} ')).toEqual({ kind: "json", anyOf: [{ accountId: "acme" }], description: 'contains the JSON {"accountId":"acme"}' });
    expect(parsePayloadFilter("[1,2]")).toMatchObject({ kind: "json", anyOf: [[1, 2]] });
    expect(parsePayloadFilter("Ada Lovelace")).toEqual({ kind: "text", text: "Ada Lovelace", description: 'text contains "Ada Lovelace"' });
    // Braces that are not JSON are text, not an error: people paste fragments.
    expect(parsePayloadFilter('{"accountId": acme')).toMatchObject({ kind: "text", text: '{"accountId": acme' });
    expect(parsePayloadFilter("42")).toMatchObject({ kind: "text", text: "42" });
  });

  it("reads key=value pairs, nested by dots, with a value's typed and string readings", () => {
    expect(parsePayloadFilter("accountId=acme")).toEqual({ kind: "fields", anyOf: [{ accountId: "acme" }], description: 'fields accountId = "acme"' });
    expect(parsePayloadFilter("customer.id=42 name=Ada Lovelace")).toMatchObject({ anyOf: [
      { customer: { id: 42 }, name: "Ada Lovelace" },
      { customer: { id: "42" }, name: "Ada Lovelace" },
    ] });
    expect(parsePayloadFilter('id="42"&ok=true')).toMatchObject({ anyOf: [{ id: "42", ok: true }, { id: "42", ok: "true" }], description: 'fields id = "42", ok = true or "true"' });
    expect(parsePayloadFilter("note=")).toMatchObject({ anyOf: [{ note: "" }] });
    // A field named __proto__ is a field: the filter holds it, and no prototype changes.
    const proto = parsePayloadFilter("__proto__.polluted=yes constructor.prototype.x=1");
    expect(JSON.stringify(proto.kind !== "text" && proto.anyOf[0])).toBe('{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"x":1}}}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ["", "filter payload is empty"],
    ["a=1 a=2", "filter payload: a is given twice"],
    ["a=1 a.b=2", "filter payload: a.b is given twice"],
    ["a.b=1 a=2", "filter payload: a is given twice"],
    [Array.from({ length: 11 }, (_, i) => `k${i}=1`).join(" "), "filter payload has 11 key=value pairs; at most 10"],
  ])("refuses %j with one line", (input, message) => {
    expect(() => parsePayloadFilter(input)).toThrow(new BackieError(message));
  });

  it("answers any input with a reading or a one-line BackieError", () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (input) => {
      try {
        const match = parsePayloadFilter(input);
        expect(match.description).not.toContain("\n");
      } catch (error) {
        expect(error).toBeInstanceOf(BackieError);
        expect((error as Error).message).not.toContain("\n");
      }
    }), { numRuns: 2_000 });
  });

  it("finds a record again from its own key=value rendering", () => {
    const key = fc.stringMatching(/^[a-z][a-zA-Z0-9_]{0,8}$/);
    const word = fc.stringMatching(/^[a-z][a-z]{0,6}( [a-z]{1,6})?$/).filter((w) => !["true", "false", "null"].includes(w));
    fc.assert(fc.property(fc.dictionary(key, fc.oneof(word, fc.integer({ min: -1_000, max: 1_000 })), { minKeys: 1, maxKeys: 6 }), (record) => {
      const input = Object.entries(record).map(([k, v]) => `${k}=${v}`).join(" ");
      const match = parsePayloadFilter(input);
      expect(match.kind).toBe("fields");
      expect(match.kind !== "text" && match.anyOf).toContainEqual(record);
    }), { numRuns: 500 });
  });
});
