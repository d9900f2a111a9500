import { afterEach, expect, it } from "vitest";
import { defineTask, WorkerPool, type TaskContext, type WorkerEvent } from "../../src/index.js";
import { eventually, testDatabase } from "../support/db.js";
import { NO_APP, newTask, registered, registryOf } from "../support/tasks.js";

// Chains: a claim at limit 1 takes several due tasks of one free key, and the pool runs them one
// after the other (see KeyChains). What must hold: never two runs of a key at once in the pool,
// the waiting ones keep their reservations however long the chain takes, and a stop gives the
// rest back at once, their attempts not counted.
const db = await testDatabase("keyChains");
const store = db.store();
const pools: WorkerPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.stop()));
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Keyed {
  key: string;
  n: number;
}

function chainTask(name: string, queue: string, runMs: number, log: Array<{ key: string; n: number; at: number; end?: number }>) {
  return defineTask({
    name, queue, maxRetries: 0,
    async run(p: Keyed, ctx: TaskContext) {
      const entry = { key: p.key, n: p.n, at: performance.now(), attempt: ctx.task.attempt } as { key: string; n: number; at: number; end?: number };
      log.push(entry);
      await sleep(runMs);
      entry.end = performance.now();
    },
    concurrencyKey: (p) => p.key,
  });
}

it("runs a key's chain one at a time, past several reservations, and every task once", async () => {
  const log: Array<{ key: string; n: number; at: number; end?: number }> = [];
  const task = chainTask("chain_slow", "ch_slow", 150, log);
  // One key: the claims find it alone (keys scarce), so they take it as a chain.
  await store.insertTasks(Array.from({ length: 12 }, (_, n) => newTask("chain_slow", "ch_slow", { key: "only", n }, { concurrencyKey: "only", maxRetries: 0 })));
  const events: WorkerEvent[] = [];
  const pool = new WorkerPool({
    ...NO_APP, store, registry: registryOf(registered(task)), queues: { ch_slow: { numWorkers: 4, pullIntervalMs: 50 } },
    reservationMs: 300, leaseMs: 5_000, rescueIntervalMs: 100, onEvent: (e) => events.push(e),
  });
  pools.push(pool);
  await pool.start();
  // How many of the key's tasks the pool held as running at once (a chain shows as several).
  let mostHeld = 0;
  await eventually("the 12 tasks of the key to run", async () => {
    const { rows } = await db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM backie_tasks WHERE task_name = 'chain_slow' AND state = 'running'");
    mostHeld = Math.max(mostHeld, rows[0]!.n);
    return log.filter((e) => e.end !== undefined).length === 12;
  }, 15_000);
  // One at a time: each run starts after the one before it ended.
  const ordered = [...log].sort((a, b) => a.at - b.at);
  for (let i = 1; i < ordered.length; i++) expect(ordered[i]!.at).toBeGreaterThanOrEqual(ordered[i - 1]!.end!);
  expect(new Set(log.map((e) => e.n)).size).toBe(12);
  // 12 runs of 150 ms span many reservations of 300 ms: the waiting ones were renewed, none lapsed.
  expect(events.filter((e) => e.type === "task:givenBack")).toEqual([]);
  const { rows } = await db.sql.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM backie_tasks WHERE task_name = 'chain_slow' AND errors::text LIKE '%reservation_expired%'");
  expect(rows[0]!.n).toBe(0);
  // And chains did form: a claim took more than one task of the key.
  expect(mostHeld).toBeGreaterThan(1);
}, 30_000);

it("gives the waiting rest of a chain back at once on stop, attempts not counted", async () => {
  const log: Array<{ key: string; n: number; at: number; end?: number }> = [];
  const task = chainTask("chain_stop", "ch_stop", 400, log);
  await store.insertTasks(Array.from({ length: 8 }, (_, n) => newTask("chain_stop", "ch_stop", { key: "one", n }, { concurrencyKey: "one", maxRetries: 0 })));
  const pool = new WorkerPool({ ...NO_APP, store, registry: registryOf(registered(task)), queues: { ch_stop: { numWorkers: 2, pullIntervalMs: 50 } }, reservationMs: 2_000 });
  pools.push(pool);
  await pool.start();
  // The first claim finds the key alone and takes one task; the claim after its run finds the
  // key scarce and takes the rest as a chain, whose first run then starts.
  await eventually("a second run to start", async () => log.length === 2, 5_000);
  await sleep(50);
  const { rows: held } = await db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM backie_tasks WHERE task_name = 'chain_stop' AND state = 'running'");
  expect(held[0]!.n).toBeGreaterThan(1);
  const stopped = performance.now();
  await pool.stop();
  pools.splice(0);
  // The run in progress finished; the chain's rest went back to ready, unstarted and uncounted.
  expect(performance.now() - stopped).toBeLessThan(2_000);
  const { rows } = await db.sql.query<{ state: string; attempts: number; n: number }>(
    "SELECT state::text, attempts, count(*)::int AS n FROM backie_tasks WHERE task_name = 'chain_stop' GROUP BY 1, 2 ORDER BY 1");
  expect(log).toHaveLength(2);
  expect(rows).toEqual([{ state: "ready", attempts: 0, n: 6 }]);
}, 30_000);
