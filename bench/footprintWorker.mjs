// A compiled worker as an application runs it: plain JavaScript on the built runtime (dist/), no
// tsx. Prints `started <ms since process start>` at its first task, `idle <rss MB>` after 2 s of
// an empty queue, and on `stop` (stdin) `peak <maxRSS MB>`. Env: DATABASE_URL, CONCURRENCY, MODE.
// MODE=bare: no Backie, a pg pool that listens as a worker does, idle: what node and pg alone
// take on this Node line, against which Backie's own share is budgeted.
import { createInterface } from "node:readline";

if (process.env.MODE === "bare") {
  const { default: pg } = await import("pg");
  const sql = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  await Promise.all([sql.query("LISTEN backie_tasks_ready"), sql.query("SELECT 1")]);
  setTimeout(() => process.stdout.write(`idle ${(process.memoryUsage().rss / 2 ** 20).toFixed(1)}\n`), 2_000);
  createInterface({ input: process.stdin }).on("line", async (line) => {
    if (line !== "stop") return;
    await sql.end();
    process.exit(0);
  });
} else await worker();

async function worker() {
  const { defineTask, PgTaskStore, WorkerPool } = await import("../dist/src/index.js");

  const validate = () => true;
  let first = true;
  const noop = defineTask({ name: "noop", run() {} });
  const store = new PgTaskStore({ connectionString: process.env.DATABASE_URL, maxConnections: 10 });
  const pool = new WorkerPool({
    store,
    registry: { noop: { definition: noop, validate } },
    queues: { default: { numWorkers: Number(process.env.CONCURRENCY ?? 10) } },
    app: { create: () => ({}) },
    onEvent: (event) => {
      if (first && event.type === "task:started") {
        first = false;
        process.stdout.write(`started ${(performance.now()).toFixed(0)}\n`);
      }
    },
  });
  await pool.start();
  if (process.env.MODE === "idle") {
    setTimeout(() => process.stdout.write(`idle ${(process.memoryUsage().rss / 2 ** 20).toFixed(1)}\n`), 2_000);
  }
  createInterface({ input: process.stdin }).on("line", async (line) => {
    if (line !== "stop") return;
    await pool.stop();
    await store.close();
    process.stdout.write(`peak ${(process.resourceUsage().maxRSS / 1024).toFixed(1)}\n`, () => process.exit(0));
  });
}
