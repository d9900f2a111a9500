import { createHash } from "node:crypto";
import pg from "pg";
import type { Queryable } from "../store/taskStore.js";
import { asBackieError } from "./connection.js";
import type { QueryConnection, RowArrays } from "./preparedQuery.js";

/** What pgtyped's generated queries run on. */
export type Connection = QueryConnection;

/** Wraps a pool so that every pgtyped query runs as a named prepared statement. */
export function preparing(pool: pg.Pool): Connection {
  const names = new Map<string, string>();
  return {
    query(text, values) {
      return pool.query({ name: nameOf(text), text, values }).then(withRowCount, schemaError);
    },
    queryArrays(text, values) {
      return pool.query({ name: nameOf(text), text, values, rowMode: "array" }).then(arraysOf, schemaError);
    },
  };
  function nameOf(text: string): string {
    let name = names.get(text);
    if (name === undefined) {
      name = `backie_${createHash("sha1").update(text).digest("hex").slice(0, 16)}`;
      names.set(text, name);
    }
    return name;
  }
}

/** A pool without prepared statements (behind PgBouncer in transaction mode). */
export function unprepared(pool: pg.Pool): Connection {
  return {
    query: (text, values) => pool.query(text, values).then(withRowCount, schemaError),
    queryArrays: (text, values) => pool.query({ text, values, rowMode: "array" }).then(arraysOf, schemaError),
  };
}

/** pg reports `rowCount: null` for some statements; pgtyped's runtime expects a number. */
export function adapt(db: Queryable): Connection {
  const query = (text: string, values: unknown[]): Promise<{ rows: Array<Record<string, unknown>>; rowCount: number }> =>
    db.query(text, values).then(withRowCount, schemaError);
  // Any client that takes (text, values): rows come as objects and are turned into arrays here.
  return {
    query,
    queryArrays: (text, values) => query(text, values).then(({ rows }) => {
      const fields = rows[0] === undefined ? [] : Object.keys(rows[0]);
      return { fields, rows: rows.map((row) => fields.map((f) => row[f])) };
    }),
  };
}

function arraysOf(result: pg.QueryResult<unknown[]>): RowArrays {
  return { fields: result.fields.map((f) => f.name), rows: result.rows };
}

/** A missing table or function means an unmigrated database: say what to do, not "relation does not exist". */
function schemaError(error: unknown): never {
  const code = (error as { code?: string } | null)?.code;
  throw code === "42P01" || code === "42883" || code === "42501" ? asBackieError(error) : error;
}

/**
 * PostgreSQL's `infinity` timestamps as the farthest Dates JavaScript has (pg would hand over the
 * number Infinity, which is no Date), so that a row written by hand cannot break a listing.
 */
const FAR_FUTURE = 8.64e15;
export function clampMs(ms: number | null): number {
  return ms === null || Number.isNaN(ms) ? 0 : Math.max(-FAR_FUTURE, Math.min(FAR_FUTURE, ms));
}
function parseTimestamp(parse: (value: string) => unknown) {
  return (value: string): unknown => {
    if (value === "infinity") return new Date(FAR_FUTURE);
    if (value === "-infinity") return new Date(-FAR_FUTURE);
    const parsed = parse(value);
    return parsed instanceof Date && Number.isNaN(parsed.getTime()) ? new Date(value.startsWith("-") || / BC$/.test(value) ? -FAR_FUTURE : FAR_FUTURE) : parsed;
  };
}
/** bigint as its text, which pg's own parser also returns, after a regular-expression test per value. */
const asText = (value: string): string => value;
export const TYPES = {
  getTypeParser(oid: number, format?: string): (value: string) => unknown {
    if (oid === 20 && format !== "binary") return asText;
    const parse = (pg.types.getTypeParser as (oid: number, format?: string) => (value: string) => unknown)(oid, format);
    return oid === 1184 || oid === 1114 ? parseTimestamp(parse) : parse;
  },
};

function withRowCount(result: { rows: unknown[]; rowCount: number | null }): { rows: Array<Record<string, unknown>>; rowCount: number } {
  return { rows: result.rows as Array<Record<string, unknown>>, rowCount: result.rowCount ?? 0 };
}
