/**
 * A worker process for the rate-limit tests: task `rated` (queue "rated") limited to
 * BACKIE_TEST_RATE_MAX per BACKIE_TEST_RATE_PER_MS across processes, rows kept (keepAll). Each run
 * records its process in `rate_runs`. Env: DATABASE_URL, BACKIE_TEST_WORKERS. Prints `ready`.
 */
import pg from "pg";
import { defineTask, PgTaskStore, WorkerPool } from "../../src/index.js";
import { NO_APP, registered, registryOf } from "./tasks.js";

const sql = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 4 });

const rated = defineTask({
  name: "rated", queue: "rated", maxRetries: 0,
  rateLimit: { max: Number(process.env.BACKIE_TEST_RATE_MAX), perMs: Number(process.env.BACKIE_TEST_RATE_PER_MS) },
  async run(_p: Record<string, never>, ctx) {
    await sql.query("INSERT INTO rate_runs (task_id, pid, started_at) VALUES ($1, $2, clock_timestamp())", [ctx.task.id, process.pid]);
  },
});

const store = PgTaskStore.fromEnv(process.env, { maxConnections: 4 });
const pool = new WorkerPool({ ...NO_APP,
  store,
  registry: registryOf(registered(rated)),
  // Kept rows: the test reads each claim's time (started_at), which is what the bucket governs.
  queues: { rated: { numWorkers: Number(process.env.BACKIE_TEST_WORKERS ?? 5), retentionMode: "keepAll" } },
  shutdownTimeoutMs: 5_000,
});
process.on("SIGTERM", () => {
  void pool.stop().then(() => store.close()).then(() => sql.end()).then(() => process.exit(0));
});
await pool.start();
process.stdout.write("ready\n");
