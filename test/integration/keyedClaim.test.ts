import { afterEach, expect, it } from "vitest";
import { defineTask, WorkerPool } from "../../src/index.js";
import { eventually, testDatabase } from "../support/db.js";
import { NO_APP, registered, registryOf } from "../support/tasks.js";

const db = await testDatabase("keyedClaim");
const store = db.store();
const pools: WorkerPool[] = [];

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.stop()));
});

it("runs tasks enqueued before their name had a concurrencyKey (adopted into the key ''), also when they are the only ones", async () => {
  const ran: number[] = [];
  const keyed = defineTask({
    name: "became_keyed", queue: "k_adopt", maxRetries: 0,
    async run(p: { n: number; c: string }) {
      ran.push(p.n);
    },
    concurrencyKey: (p) => p.c,
  });
  // Written as an older client would: no concurrency key.
  await store.insertTasks([0, 1, 2].map((n) => ({
    taskName: "became_keyed", queueName: "k_adopt", payload: { n, c: "x" }, priority: 0, uniqueKey: null, maxRetries: 0, runAt: null, delayMs: null,
  })));
  const pool = new WorkerPool({ ...NO_APP, store, registry: registryOf(registered(keyed)), queues: { k_adopt: { pullIntervalMs: 50 } } });
  pools.push(pool);
  await pool.start();
  await eventually("the three keyless tasks to run", async () => ran.length === 3, 5_000);
  expect(ran.sort()).toEqual([0, 1, 2]);
});
