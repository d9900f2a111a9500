/** What a query runs on: pg's `query(text, values)`, with a row count. */
export interface QueryConnection {
  query(text: string, values: unknown[]): Promise<{ rows: Array<Record<string, unknown>>; rowCount: number }>;
  /** The same with each row as an array in the statement's column order, and the columns' names. */
  queryArrays(text: string, values: unknown[]): Promise<RowArrays>;
}

/** Rows as arrays: no object with a property per column for each row (see runArrays). */
export interface RowArrays {
  fields: string[];
  rows: unknown[][];
}

/** Where each column of `Result` is in a row of `runArrays`. */
export type ColumnIndex<Result> = { readonly [K in keyof Result]-?: number };

/** The query IR pgtyped writes into `src/db/queries/*.queries.ts` (scalar parameters only). */
interface QueryIR {
  usedParamSet: Record<string, boolean>;
  params: Array<{ name: string; transform: { type: string }; locs: Array<{ a: number; b: number }> }>;
  statement: string;
}

/**
 * Runs pgtyped's pre-parsed queries without loading pgtyped's runtime, whose index pulls in its
 * SQL parser (antlr4ts: ~20 MB and most of a second at start) though the queries need none of it.
 * `scripts/sqlGen.ts` points the generated files here; `test/unit/preparedQuery.test.ts` checks
 * that the text and bindings match pgtyped's own `processSQLQueryIR` for every query.
 */
export class PreparedQuery<Params, Result> {
  private readonly text: string;
  private readonly order: string[];

  constructor(readonly ir: QueryIR) {
    const used = ir.params.filter((p) => p.name in ir.usedParamSet);
    const intervals: Array<{ a: number; b: number; sub: string }> = [];
    used.forEach((param, i) => {
      if (param.transform.type !== "scalar") throw new Error(`query parameter :${param.name}: only scalar parameters are supported`);
      for (const loc of param.locs) intervals.push({ a: loc.a, b: loc.b, sub: `$${i + 1}` });
    });
    intervals.sort((x, y) => x.a - y.a);
    let text = "";
    let at = 0;
    for (const { a, b, sub } of intervals) {
      text += ir.statement.slice(at, a) + sub;
      at = b + 1;
    }
    this.text = text + ir.statement.slice(at);
    this.order = used.map((p) => p.name);
  }

  /** The SQL text and bindings sent for `params`: what `run` executes. */
  prepare(params: Params): { text: string; values: unknown[] } {
    const values = this.order.map((name) => (params as Record<string, unknown>)[name]);
    return { text: this.text, values };
  }

  async run(params: Params, connection: QueryConnection): Promise<Result[]> {
    const { text, values } = this.prepare(params);
    const result = await connection.query(text, values);
    // Each generated query declares its own row type, checked by pgtyped against the schema.
    return renameHinted(result.rows) as unknown as Result[];
  }

  /**
   * `run` for the claims, whose rows are a worker's hot path: each row an array, and where each
   * column is. pg builds an object per row with a property per column, which cost a 16-column
   * claim about 0.7 µs a row of the worker's JavaScript (measured alone: commit 819b89f).
   * Throws, naming it, when a column of `Result` is missing (the statement and its type disagree).
   */
  async runArrays(params: Params, connection: QueryConnection, columns: ReadonlyArray<keyof Result & string>): Promise<{ rows: unknown[][]; at: ColumnIndex<Result> }> {
    const { text, values } = this.prepare(params);
    const result = await connection.queryArrays(text, values);
    const at: Record<string, number> = {};
    for (const name of columns) {
      const i = result.fields.indexOf(name);
      if (i < 0 && result.rows.length > 0) throw new Error(`query result has no column "${name}"`);
      at[name] = i;
    }
    return { rows: result.rows, at: at as ColumnIndex<Result> };
  }
}

/** `"count!"` and `"x?"` columns lose their nullability hint, as pgtyped's runtime does. */
function renameHinted(rows: Array<Record<string, unknown>>): Array<Record<string, unknown>> {
  const first = rows[0];
  if (first === undefined) return rows;
  const hinted = Object.keys(first).filter((k) => k.endsWith("!") || k.endsWith("?"));
  if (hinted.length === 0) return rows;
  for (const row of rows) {
    for (const key of hinted) {
      row[key.slice(0, -1)] = row[key];
      delete row[key];
    }
  }
  return rows;
}
