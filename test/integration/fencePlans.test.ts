import pg from "pg";
import { afterAll, expect, it } from "vitest";
import { PgTaskStore } from "../../src/index.js";
import { testDatabase } from "../support/db.js";

// The lease-fenced batch statements (results, lease renewals) must find their rows by primary
// key however the table's statistics look. Statistics taken while no task ran say every
// lease_owner is null; a fence written as a test of the table alone then made the planner expect
// one leased row, scan the table for it and loop over the whole batch for each row it found
// (0.1 s for 1,000 results in a 50,000-row table). Every such statement the store sends is
// explained here first (analyzed, rolled back), without prepared statements: unnamed statements
// are planned for their actual values each time, as behind PgBouncer.
const db = await testDatabase("fencePlans");
const pool = new pg.Pool({ connectionString: db.url, max: 3 });
afterAll(async () => {
  await pool.end();
});

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Actual Loops": number;
  "Rows Removed by Join Filter"?: number;
  "Index Cond"?: string;
  Plans?: PlanNode[];
}

function* nodes(node: PlanNode): Generator<PlanNode> {
  yield node;
  for (const child of node.Plans ?? []) yield* nodes(child);
}

interface Explained {
  text: string;
  plan: PlanNode;
}

/** Claims `batch` tasks of `queue`, renews and completes them through the store, and explains each fenced statement it sends. */
async function explainFencedBatches(queue: string, batch: number): Promise<Explained[]> {
  const explained: Explained[] = [];
  const run = pool.query.bind(pool) as (text: string, values?: unknown[]) => Promise<pg.QueryResult>;
  const fenced = (text: string) => /lease_owner IS NOT NULL/.test(text) && /:tokens|unnest|jsonb_to_recordset|->> t\.id/.test(text);
  const explaining = {
    query: async (text: string, values?: unknown[]) => {
      if (typeof text === "string" && fenced(text)) {
        const client = await pool.connect();
        try {
          await client.query("BEGIN");
          const { rows } = await client.query<{ "QUERY PLAN": Array<{ Plan: PlanNode }> }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${text}`, values);
          explained.push({ text, plan: rows[0]!["QUERY PLAN"][0]!.Plan });
        } finally {
          await client.query("ROLLBACK");
          client.release();
        }
      }
      return run(text, values);
    },
  };
  const store = new PgTaskStore({ pool: Object.assign(Object.create(pool) as pg.Pool, explaining), preparedStatements: false });
  const claimed = await store.claimTasks({ queueName: queue, taskNames: ["fence"], limit: batch, owner: "fence-test", leaseMs: 60_000 });
  expect(claimed).toHaveLength(batch);
  expect(await store.extendLeases(claimed, 60_000)).toEqual(new Set());
  const discarded = await store.completeTasks(claimed.map((t, i) => i % 2 === 0
    ? { id: t.id, token: t.token, outcome: "remove" as const }
    : { id: t.id, token: t.token, outcome: "done" as const }));
  expect(discarded).toEqual(new Set());
  // The lease renewal, the delete of removed results and the update of kept ones.
  expect(explained.length).toBeGreaterThanOrEqual(3);
  return explained;
}

function expectLinearPlans(explained: Explained[], batch: number): void {
  for (const { text, plan } of explained) {
    const all = [...nodes(plan)];
    const looped = all.filter((n) => (n["Rows Removed by Join Filter"] ?? 0) >= batch || (n["Node Type"] === "Function Scan" && n["Actual Loops"] > 1));
    expect(looped, `a plan loops over the batch per row:\n${text.slice(0, 200)}`).toEqual([]);
    // A scan by `id = ANY(batch)` repeated per row of a join reads the whole batch per row:
    // seconds for 5,000 results.
    const repeated = all.filter((n) => n["Actual Loops"] > 1 && /ANY/.test(n["Index Cond"] ?? ""));
    expect(repeated, `a plan repeats a scan of the whole batch per row:\n${text.slice(0, 200)}`).toEqual([]);
    // The delete and the renewal read their rows by one scan, not a primary-key probe per id
    // (7.6-8 µs a row of a live run's deletes against 5).
    if (!/jsonb_to_recordset/.test(text)) {
      const probes = all.filter((n) => n["Relation Name"] === "backie_tasks" && /Index/.test(n["Node Type"]) && n["Actual Loops"] > 1);
      expect(probes, `a plan probes the primary key per row:\n${text.slice(0, 200)}`).toEqual([]);
    }
  }
}

it("reads a 4,000-task batch's rows by one scan, in a table never analyzed", async () => {
  await db.sql.query(`INSERT INTO backie_tasks (task_name, queue_name, payload) SELECT 'fence', 'raw', '{}' FROM generate_series(1, 50000)`);
  expectLinearPlans(await explainFencedBatches("raw", 4_000), 4_000);
}, 60_000);

it("finds the rows of a 1,000-task batch by primary key after an ANALYZE taken while nothing ran", async () => {
  await db.sql.query(`INSERT INTO backie_tasks (task_name, queue_name, payload) SELECT 'fence', 'fence', '{}' FROM generate_series(1, 20000)`);
  await db.sql.query("ANALYZE backie_tasks");
  expectLinearPlans(await explainFencedBatches("fence", 1_000), 1_000);
}, 60_000);
