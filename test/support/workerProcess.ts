/**
 * A worker in its own process, for tests with real processes and real kills.
 * Prints `ready` once started and `ran <id> <attempt> <startMs> <endMs>` per finished run.
 * Env: DATABASE_URL, BACKIE_TEST_QUEUE, BACKIE_TEST_WORKERS, BACKIE_TEST_LEASE_MS.
 * Payload `{ sleepMs?, fail?, hang? }`: how long to run, whether to throw, whether to ignore the
 * abort signal past the timeout.
 */
import { defineTask, PgTaskStore, WorkerPool } from "../../src/index.js";
import { registered, registryOf } from "./tasks.js";

interface Work {
  sleepMs?: number;
  fail?: boolean;
  hang?: boolean;
}

const queue = process.env.BACKIE_TEST_QUEUE ?? "default";
const record = defineTask({
  name: "record",
  queue,
  maxRetries: Number(process.env.BACKIE_TEST_MAX_RETRIES ?? 3),
  timeoutMs: Number(process.env.BACKIE_TEST_TIMEOUT_MS ?? 10_000),
  backoff: { kind: "fixed", delayMs: 10 },
  async run(payload: Work, ctx) {
    const start = Date.now();
    if (payload.sleepMs) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, payload.sleepMs);
        if (!payload.hang) ctx.signal.addEventListener("abort", () => (clearTimeout(timer), resolve()));
      });
    }
    if (ctx.signal.aborted) throw new Error("aborted");
    if (payload.fail) throw new Error(`planned failure on attempt ${ctx.task.attempt}`);
    process.stdout.write(`ran ${ctx.task.id} ${ctx.task.attempt} ${start} ${Date.now()}\n`);
  },
});

const store = new PgTaskStore({ connectionString: process.env.DATABASE_URL, maxConnections: 4 });
const pool = new WorkerPool({
  store,
  registry: registryOf(registered(record)),
  queues: { [queue]: { numWorkers: Number(process.env.BACKIE_TEST_WORKERS ?? 10), pullIntervalMs: 100 } },
  leaseMs: Number(process.env.BACKIE_TEST_LEASE_MS ?? 30_000),
  shutdownTimeoutMs: 5_000,
  onEvent: (event) => {
    if (event.type === "task:rescued") process.stdout.write(`rescued ${event.id}\n`);
    if (event.type === "task:retried") process.stdout.write(`retried ${event.task.id}\n`);
    if (event.type === "task:stale") process.stdout.write(`stale ${event.task.id}\n`);
  },
});
process.on("SIGTERM", () => {
  void pool.stop().then(() => store.close()).then(() => process.exit(0));
});
await pool.start();
process.stdout.write("ready\n");
