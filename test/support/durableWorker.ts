/**
 * A worker in its own process running durable tasks, for crash tests with real kills. Prints
 * `ready` once started. Task `durable_chain` has 5 steps; each records its side effect in the
 * test's table `durable_effects` (task id, step) and then takes 40-100 ms, so that a kill lands
 * before, inside and after steps. A payload's `holdMs` makes step s2 take that long (a run to
 * freeze with SIGSTOP while its lease expires). Env: DATABASE_URL, BACKIE_TEST_LEASE_MS.
 */
import pg from "pg";
import { defineTask, PgTaskStore, WorkerPool } from "../../src/index.js";
import { NO_APP, registered, registryOf } from "./tasks.js";

const out = (line: string): boolean => process.stdout.write(`${line}\n`);
const effects = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
effects.on("error", () => {});

const chain = defineTask({
  name: "durable_chain", queue: "durable_chain", maxRetries: 50, backoff: { kind: "fixed", delayMs: 20 },
  async run(payload: { holdMs?: number }, ctx) {
    for (let i = 0; i < 5; i++) {
      const value = await ctx.step(`s${i}`, async () => {
        await effects.query("INSERT INTO durable_effects (task_id, step, pid) VALUES ($1, $2, $3)", [ctx.task.id, `s${i}`, process.pid]);
        await new Promise((resolve) => setTimeout(resolve, i === 2 && payload.holdMs ? payload.holdMs : 40 + Math.random() * 60));
        return { i, pid: process.pid };
      });
      if (value.i !== i) throw new Error(`step s${i} came back as ${JSON.stringify(value)}`);
    }
    out(`done ${ctx.task.id}`);
  },
});

const store = PgTaskStore.fromEnv(process.env, { maxConnections: 6 });
const pool = new WorkerPool({
  ...NO_APP, store, registry: registryOf(registered(chain)),
  queues: { durable_chain: { numWorkers: 5, pullIntervalMs: 100, retentionMode: "keepAll" } },
  leaseMs: Number(process.env.BACKIE_TEST_LEASE_MS ?? 2_000),
  rescueIntervalMs: 250,
  shutdownTimeoutMs: 5_000,
  onEvent: (event) => {
    if (event.type === "task:stale") out(`stale ${event.task.id}`);
    if (event.type === "task:lost") out(`lost ${event.task.id}`);
  },
});
process.on("SIGTERM", () => {
  void pool.stop().then(() => Promise.all([store.close(), effects.end()])).then(() => process.exit(0));
});
await pool.start();
out("ready");
