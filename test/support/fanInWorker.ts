/**
 * A worker process for the fan-in tests (test/support/fanInTasks.ts). Env: DATABASE_URL,
 * BACKIE_TEST_WORKERS, BACKIE_TEST_LEASE_MS, BACKIE_TEST_CHILD_QUEUE (a queue of split children it
 * serves besides "fan"). Prints `ready`.
 */
import pg from "pg";
import { PgTaskStore, WorkerPool } from "../../src/index.js";
import { fanInRegistry } from "./fanInTasks.js";
import { NO_APP, registryOf } from "./tasks.js";

const sql = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
const store = PgTaskStore.fromEnv(process.env, { maxConnections: 6 });
const pool = new WorkerPool({ ...NO_APP,
  store,
  registry: registryOf(...fanInRegistry(sql)),
  queues: Object.fromEntries(["fan", ...(process.env.BACKIE_TEST_CHILD_QUEUE ? [process.env.BACKIE_TEST_CHILD_QUEUE] : [])]
    .map((q) => [q, { numWorkers: Number(process.env.BACKIE_TEST_WORKERS ?? 10), pullIntervalMs: 100 }])),
  leaseMs: Number(process.env.BACKIE_TEST_LEASE_MS ?? 30_000),
  shutdownTimeoutMs: 5_000,
});
process.on("SIGTERM", () => {
  void pool.stop().then(() => store.close()).then(() => sql.end()).then(() => process.exit(0));
});
await pool.start();
process.stdout.write("ready\n");
