/**
 * `insert_costs`: what each part of backie_tasks costs an insert, in one run. The same raw INSERT
 * (no client, no validation: bench/floor.ts's statements) is timed 1 at a time, 16 in flight and
 * in batches of 1,000, into backie_tasks as migrated and into variants of it, each in a fresh
 * database: without the statement's NOTIFY, without the partial indexes a plain insert never
 * enters, without the claim index, without the check constraints, and a minimal queue table
 * (six columns, its primary key and one claim index); and Backie's own enqueue (validation, the
 * client, wake-ups sent after the commit and coalesced: src/db/wakeups.ts). The ratio is against
 * the raw INSERT into backie_tasks as migrated without NOTIFY; the note gives µs per insert (wall
 * time over the inserts: with 16 in flight, amortized).
 */
import pg from "pg";
import { bounded, record, withDatabase } from "./harness.js";
import { backie, POOL_SIZE, TASK } from "./systems.js";

interface Shape {
  variant: string;
  /** DDL applied after Backie's migrations. */
  ddl: string[];
  table: string;
  notify: boolean;
  /** Through Backie's enqueue function instead of a raw statement. */
  client?: boolean;
}

// The indexes a plain insert (ready, unparked, no key, no unique key) does not enter: it still
// evaluates their predicates.
const UNENTERED = ["failed", "finished", "keyed_fifo", "keyed", "keyed_running", "parked", "running", "unique_key"].map((i) => `DROP INDEX backie_tasks_${i}_idx`);
const MINIMAL = [
  `CREATE TABLE q (id bigserial PRIMARY KEY, queue_name text NOT NULL, task_name text NOT NULL, payload jsonb NOT NULL,
     priority integer NOT NULL DEFAULT 0, run_at timestamptz NOT NULL DEFAULT now())`,
  "CREATE INDEX q_claim_idx ON q (queue_name, task_name, priority DESC, run_at, id)",
];

const SHAPES: Shape[] = [
  { variant: "backie_tasks as migrated, no NOTIFY", ddl: [], table: "backie_tasks", notify: false },
  { variant: "backie_tasks, NOTIFY in the inserting statement", ddl: [], table: "backie_tasks", notify: true },
  { variant: "Backie's enqueue (validation, client, wake-ups after the commit, coalesced)", ddl: [], table: "backie_tasks", notify: true, client: true },
  { variant: "backie_tasks without the 8 partial indexes a plain insert never enters, no NOTIFY", ddl: UNENTERED, table: "backie_tasks", notify: false },
  { variant: "backie_tasks without its claim index, no NOTIFY", ddl: ["DROP INDEX backie_tasks_claim_idx"], table: "backie_tasks", notify: false },
  {
    variant: "backie_tasks without its check constraints, no NOTIFY",
    ddl: ["ALTER TABLE backie_tasks DROP CONSTRAINT backie_tasks_max_retries_check", "ALTER TABLE backie_tasks DROP CONSTRAINT backie_tasks_running_has_lease"],
    table: "backie_tasks", notify: false,
  },
  { variant: "minimal queue table (6 columns, primary key + claim index), no NOTIFY", ddl: MINIMAL, table: "q", notify: false },
  // The baseline again: how far the machine drifted over the run.
  { variant: "backie_tasks as migrated, no NOTIFY (again, last)", ddl: [], table: "backie_tasks", notify: false },
];

function statements(shape: Shape): { one: string; many: string } {
  const columns = shape.table === "q" ? "(task_name, queue_name, payload)" : "(task_name, queue_name, payload, max_retries)";
  const extra = shape.table === "q" ? "" : ", 3";
  const one = `INSERT INTO ${shape.table} ${columns} VALUES ($1, 'default', $2::jsonb${extra})`;
  const many = `INSERT INTO ${shape.table} ${columns} SELECT $1, 'default', p${extra} FROM unnest($2::jsonb[]) AS p`;
  if (!shape.notify) return { one, many };
  return {
    one: `WITH i AS (${one} RETURNING queue_name) SELECT pg_notify('backie_tasks_ready', queue_name) FROM i`,
    many: `WITH i AS (${many} RETURNING queue_name) SELECT pg_notify('backie_tasks_ready', string_agg(DISTINCT queue_name, ',')) FROM i`,
  };
}

const MODES = [
  { mode: "1 at a time", n: 3_000, inFlight: 1, batch: 1 },
  { mode: "16 in flight", n: 10_000, inFlight: 16, batch: 1 },
  { mode: "batches of 1,000", n: 100_000, inFlight: 1, batch: 1_000 },
] as const;

export async function insertCostsScenario(quick: boolean): Promise<void> {
  const shipped = new Map<string, number>();
  for (const shape of SHAPES) {
    await withDatabase(backie, async (url, sql) => {
      for (const statement of shape.ddl) await sql.query(statement);
      const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE });
      pool.on("error", () => {}); // see withDatabase
      const client = shape.client ? await backie.client(url) : undefined;
      const { one, many } = statements(shape);
      const insertOne = (i: number) => (client ? client.enqueueOne({ i }) : pool.query(one, [TASK, JSON.stringify({ i })]));
      const insertMany = (from: number, count: number) => client
        ? client.enqueueMany(Array.from({ length: count }, (_, k) => ({ i: from + k })))
        : pool.query(many, [TASK, Array.from({ length: count }, (_, k) => JSON.stringify({ i: from + k }))]);
      try {
        for (const m of MODES) {
          const n = quick ? m.n / 10 : m.n;
          const run = async (count: number): Promise<number> => {
            let next = 0;
            const started = performance.now();
            await bounded("insert_costs", 120_000, () => Promise.all(Array.from({ length: m.inFlight }, async () => {
              while (next < count) {
                const from = next;
                next += m.batch;
                if (m.batch === 1) await insertOne(from);
                else await insertMany(from, Math.min(m.batch, count - from));
              }
            })));
            return count / ((performance.now() - started) / 1000);
          };
          // A fifth as many first, thrown away: connections, plans and caches warm in every shape alike.
          await run(Math.max(m.batch * m.inFlight, n / 5));
          await sql.query(`TRUNCATE ${shape.table}`);
          const rate = await run(n);
          const stored = Number((await sql.query(`SELECT count(*) AS n FROM ${shape.table}`)).rows[0].n);
          if (shape === SHAPES[0]) shipped.set(m.mode, rate);
          await sql.query(`TRUNCATE ${shape.table}`);
          record({
            scenario: "insert_costs", system: "raw pg", variant: `${shape.variant}, ${m.mode}`, tasksPerSecond: rate,
            ratio: rate / shipped.get(m.mode)!, note: `${(1e6 / rate).toFixed(0)} µs/insert`, verified: stored === n ? "ok" : `stored ${stored} of ${n}`,
          });
        }
      } finally {
        await client?.close();
        await pool.end();
      }
    });
  }
}
