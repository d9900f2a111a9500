/**
 * A worker in its own process, for tests with real processes and real kills. Prints `ready` once
 * started, then per run `start <id> <attempt> <ms>` and `end <id> <attempt> <ms> <ok|error>`,
 * plus `ran <id>` per success and `retried|rescued|stale <id>` per event.
 * Env: DATABASE_URL, BACKIE_TEST_QUEUE, BACKIE_TEST_WORKERS, BACKIE_TEST_LEASE_MS,
 * BACKIE_TEST_TIMEOUT_MS, BACKIE_TEST_MAX_RETRIES, BACKIE_TEST_RETENTION, BACKIE_TEST_PREFETCH (a
 * number; default auto), BACKIE_TEST_RESERVATION_MS.
 * Payload: `sleepMs` (honours the abort signal), `fail` (always throw), `failUntil` (throw on
 * attempts below it).
 */
import { existsSync } from "node:fs";
import { defineTask, PgTaskStore, WorkerPool, type RetentionMode } from "../../src/index.js";
import { NO_APP, registered, registryOf } from "./tasks.js";

interface Work {
  sleepMs?: number;
  fail?: boolean;
  failUntil?: number;
  /** Fails while this file does not exist (a fix deployed between a failure and its retry). */
  failUnlessFile?: string;
  /** Text for the error, e.g. markup that must stay inert in the dashboard. */
  message?: string;
}

const out = (line: string): boolean => process.stdout.write(`${line}\n`);
const queue = process.env.BACKIE_TEST_QUEUE ?? "default";
const record = defineTask({
  name: "record",
  queue,
  maxRetries: Number(process.env.BACKIE_TEST_MAX_RETRIES ?? 3),
  timeoutMs: Number(process.env.BACKIE_TEST_TIMEOUT_MS ?? 10_000),
  backoff: { kind: "fixed", delayMs: 10 },
  async run(payload: Work, ctx) {
    const { id, attempt } = ctx.task;
    out(`start ${id} ${attempt} ${Date.now()}`);
    let result = "error";
    try {
      if (payload.sleepMs) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, payload.sleepMs);
          ctx.signal.addEventListener("abort", () => (clearTimeout(timer), resolve()));
        });
      }
      if (ctx.signal.aborted) throw new Error("aborted");
      if (payload.fail) throw new Error(payload.message ?? `planned failure on attempt ${attempt}`);
      if (payload.failUnlessFile !== undefined && !existsSync(payload.failUnlessFile)) throw new Error(`${payload.failUnlessFile} is missing`);
      if (payload.failUntil !== undefined && attempt < payload.failUntil) throw new Error(`flaky on attempt ${attempt}`);
      result = "ok";
    } finally {
      out(`end ${id} ${attempt} ${Date.now()} ${result}`);
    }
    out(`ran ${id} ${attempt}`);
  },
});

// The BACKIE_* connection switches, as every entry point honours them (PgBouncer tests set them).
const store = PgTaskStore.fromEnv(process.env, { maxConnections: 4 });
const pool = new WorkerPool({ ...NO_APP,
  store,
  registry: registryOf(registered(record)),
  queues: {
    [queue]: {
      numWorkers: Number(process.env.BACKIE_TEST_WORKERS ?? 10),
      pullIntervalMs: 100,
      ...(process.env.BACKIE_TEST_PREFETCH ? { prefetch: Number(process.env.BACKIE_TEST_PREFETCH) } : {}),
      retentionMode: (process.env.BACKIE_TEST_RETENTION ?? "removeDone") as RetentionMode,
    },
  },
  leaseMs: Number(process.env.BACKIE_TEST_LEASE_MS ?? 30_000),
  ...(process.env.BACKIE_TEST_RESERVATION_MS ? { reservationMs: Number(process.env.BACKIE_TEST_RESERVATION_MS) } : {}),
  listen: process.env.BACKIE_LISTEN !== "false",
  shutdownTimeoutMs: 5_000,
  onEvent: (event) => {
    if (event.type === "task:rescued") out(`rescued ${event.id}`);
    if (event.type === "task:retried") out(`retried ${event.task.id}`);
    if (event.type === "task:stale") out(`stale ${event.task.id}`);
  },
});
process.on("SIGTERM", () => {
  void pool.stop().then(() => store.close()).then(() => process.exit(0));
});
await pool.start();
out("ready");
