/**
 * A worker process whose only task runs on a schedule, for tests with real processes and real
 * kills. Prints `ready` once started, `firing` just before each fire statement is sent,
 * `fired <taskId> <occurrence ms>` per schedule:fired event and `ran <occurrence ms> <missedCount>`
 * per run. Env: DATABASE_URL, BACKIE_TEST_CRON (default every second), BACKIE_TEST_OVERLAP,
 * BACKIE_TEST_SLEEP_MS (each run's length), BACKIE_TEST_LEASE_MS.
 */
import { defineTask, PgTaskStore, WorkerPool, type OverlapPolicy } from "../../src/index.js";
import { NO_APP, registered, registryOf } from "./tasks.js";

const out = (line: string): boolean => process.stdout.write(`${line}\n`);
const sleepMs = Number(process.env.BACKIE_TEST_SLEEP_MS ?? 0);
const tick = defineTask({
  name: "tick",
  queue: "sched",
  schedules: [{
    id: "every-second",
    cron: process.env.BACKIE_TEST_CRON ?? "* * * * * *",
    overlap: (process.env.BACKIE_TEST_OVERLAP ?? "allow") as OverlapPolicy,
    missed: "all",
  }],
  async run(_payload: { note?: string }, ctx) {
    if (sleepMs > 0) await new Promise((resolve) => setTimeout(resolve, sleepMs));
    out(`ran ${ctx.schedule!.scheduledFor.getTime()} ${ctx.schedule!.missedCount}`);
  },
});

const store = PgTaskStore.fromEnv(process.env, { maxConnections: 4 });
const fire = store.schedules.fireSchedules.bind(store.schedules);
store.schedules.fireSchedules = (decisions) => {
  out("firing");
  return fire(decisions);
};
const pool = new WorkerPool({
  ...NO_APP,
  store,
  registry: registryOf(registered(tick)),
  queues: { sched: { numWorkers: 4, retentionMode: "keepAll" } },
  leaseMs: Number(process.env.BACKIE_TEST_LEASE_MS ?? 2_000),
  shutdownTimeoutMs: 5_000,
  onEvent: (event) => {
    if (event.type === "schedule:fired") out(`fired ${event.taskId} ${event.scheduledFor.getTime()}`);
  },
});
process.on("SIGTERM", () => {
  void pool.stop().then(() => store.close()).then(() => process.exit(0));
});
await pool.start();
out("ready");
