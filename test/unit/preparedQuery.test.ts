/**
 * The thin executor sends exactly what pgtyped's own runtime would, for every query in sql/:
 * the same text and the same bindings in the same order.
 */
import { processSQLQueryIR } from "@pgtyped/runtime";
import { describe, expect, it } from "vitest";
import { PreparedQuery } from "../../src/db/preparedQuery.js";
import * as migrations from "../../src/db/queries/migrations.queries.js";
import * as tasks from "../../src/db/queries/tasks.queries.js";

const queries = (Object.entries({ ...migrations, ...tasks }) as Array<[string, unknown]>).filter(
  (entry): entry is [string, PreparedQuery<Record<string, unknown>, unknown>] => entry[1] instanceof PreparedQuery,
);

describe("PreparedQuery matches pgtyped's processSQLQueryIR", () => {
  it("covers every generated query", () => {
    expect(queries.length).toBeGreaterThanOrEqual(20);
  });
  for (const [name, query] of queries) {
    it(name, () => {
      const ir = query.ir;
      // A distinct value per parameter, so that order and repetition are both checked.
      const params = Object.fromEntries(ir.params.map((p, i) => [p.name, `value-${i}-${p.name}`]));
      const ours = query.prepare(params);
      const theirs = processSQLQueryIR(ir as never, params);
      expect(ours.text).toBe(theirs.query);
      expect(ours.values).toEqual(theirs.bindings);
    });
  }
});

