/**
 * A worker process for the per-key concurrency tests. Three keyed tasks (queue "keyed"):
 * `keyed_one` (limit 1), `keyed_fifo` (limit 1, fifo), `keyed_two` (limit 2). Each run records
 * its interval by the database's clock in `keyed_runs`, so that overlaps are checked in SQL.
 * Env: DATABASE_URL, BACKIE_TEST_WORKERS. Prints `ready`.
 */
import pg from "pg";
import { defineTask, PgTaskStore, WorkerPool } from "../../src/index.js";
import { NO_APP, registered, registryOf } from "./tasks.js";

interface Keyed {
  key: string;
  seq: number;
  sleepMs: number;
}

const sql = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 4 });

function keyedTask(name: string, options: { concurrencyLimit?: number; fifo?: boolean }) {
  return defineTask({
    name, queue: "keyed", maxRetries: 0, ...options,
    async run(p: Keyed, ctx) {
      const { rows } = await sql.query<{ run: string }>(
        "INSERT INTO keyed_runs (task_id, task_name, key, seq, pid, started_at) VALUES ($1, $2, $3, $4, $5, clock_timestamp()) RETURNING run",
        [ctx.task.id, name, p.key, p.seq, process.pid],
      );
      await new Promise((resolve) => setTimeout(resolve, p.sleepMs));
      await sql.query("UPDATE keyed_runs SET ended_at = clock_timestamp() WHERE run = $1", [rows[0]!.run]);
    },
    concurrencyKey: (p) => p.key,
  });
}

const store = PgTaskStore.fromEnv(process.env, { maxConnections: 4 });
const pool = new WorkerPool({ ...NO_APP,
  store,
  registry: registryOf(
    registered(keyedTask("keyed_one", {})),
    registered(keyedTask("keyed_fifo", { fifo: true })),
    registered(keyedTask("keyed_two", { concurrencyLimit: 2 })),
  ),
  queues: { keyed: { numWorkers: Number(process.env.BACKIE_TEST_WORKERS ?? 5), pullIntervalMs: 200 } },
  shutdownTimeoutMs: 5_000,
});
process.on("SIGTERM", () => {
  void pool.stop().then(() => store.close()).then(() => sql.end()).then(() => process.exit(0));
});
await pool.start();
process.stdout.write("ready\n");
