/**
 * Claims start a second behind a runner's last claim (past the dead index entries an old snapshot
 * keeps at the queue's head); a task that lands before the start still runs: the runner reads the
 * queue's head once per poll interval and moves its start back.
 */
import { afterAll, expect, it } from "vitest";
import { defineTask, WorkerPool } from "../../src/index.js";
import { eventually, testDatabase } from "../support/db.js";
import { NO_APP, newTask, registered, registryOf } from "../support/tasks.js";

const db = await testDatabase("claim_start");
const store = db.store();
const ran: string[] = [];
const task = defineTask({ name: "noted", queue: "cs", run(p: { label: string }) { ran.push(p.label); } });
const pool = new WorkerPool({ ...NO_APP, store, registry: registryOf(registered(task)), queues: { cs: { pullIntervalMs: 200 } } });
afterAll(() => pool.stop());

it("runs a task that lands before where claims start (an hour-old due time; a higher priority) within a poll interval or two", async () => {
  await pool.start();
  await store.insertTasks(Array.from({ length: 50 }, (_, i) => newTask("noted", "cs", { label: `now ${i}` })));
  await eventually("the first tasks to run", async () => ran.length === 50);
  // Due an hour ago, same priority: behind the start the runner keeps after those 50.
  await store.insertTasks([newTask("noted", "cs", { label: "an hour late" }, { runAt: new Date(Date.now() - 3_600_000) })]);
  await eventually("the late task to run", async () => ran.includes("an hour late"), 5_000);
  // A higher priority is always read, whatever its due time.
  await store.insertTasks([newTask("noted", "cs", { label: "urgent and old" }, { runAt: new Date(Date.now() - 7_200_000), priority: 10 })]);
  await eventually("the urgent task to run", async () => ran.includes("urgent and old"), 5_000);
  expect(ran).toHaveLength(52);
});
