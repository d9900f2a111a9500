/**
 * While reading a queue's head is slow (dead index entries an old snapshot keeps there), claims
 * start a second behind a runner's last claim; a task that lands before the start still runs: the
 * runner reads the head once per poll interval and moves its start back.
 */
import { afterAll, expect, it } from "vitest";
import { defineTask, WorkerPool } from "../../src/index.js";
import type { ClaimRequest, TaskStore } from "../../src/store/taskStore.js";
import { eventually, testDatabase } from "../support/db.js";
import { NO_APP, newTask, registered, registryOf } from "../support/tasks.js";

const db = await testDatabase("claim_start");
const store = db.store();
const ran: string[] = [];
const starts: Array<ClaimRequest["start"]> = [];
// Reading the head takes 5 ms in the database, as it does when a held snapshot keeps thousands
// of dead entries.
const slowHead: TaskStore = Object.assign(Object.create(store) as TaskStore, {
  findClaimHead: async (request: Parameters<TaskStore["findClaimHead"]>[0]) => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    return { ...(await store.findClaimHead(request)), readMs: 5 };
  },
  claimTasks: (request: ClaimRequest) => {
    starts.push(request.start);
    return store.claimTasks(request);
  },
});
const task = defineTask({ name: "noted", queue: "cs", run(p: { label: string }) { ran.push(p.label); } });
const pool = new WorkerPool({ ...NO_APP, store: slowHead, registry: registryOf(registered(task)), queues: { cs: { pullIntervalMs: 200 } } });
afterAll(() => pool.stop());

it("runs a task that lands before where claims start (an hour-old due time; a higher priority) within a poll interval or two", async () => {
  await pool.start();
  await store.insertTasks(Array.from({ length: 50 }, (_, i) => newTask("noted", "cs", { label: `now ${i}` })));
  await eventually("the first tasks to run", async () => ran.length === 50);
  await eventually("claims to use a start", async () => {
    await store.insertTasks([newTask("noted", "cs", { label: "probe" })]);
    await new Promise((resolve) => setTimeout(resolve, 250));
    return starts.at(-1) !== undefined;
  }, 5_000);
  // Due an hour ago, same priority: behind the start.
  await store.insertTasks([newTask("noted", "cs", { label: "an hour late" }, { runAt: new Date(Date.now() - 3_600_000) })]);
  await eventually("the late task to run", async () => ran.includes("an hour late"), 5_000);
  // A higher priority is always read, whatever its due time.
  await store.insertTasks([newTask("noted", "cs", { label: "urgent and old" }, { runAt: new Date(Date.now() - 7_200_000), priority: 10 })]);
  await eventually("the urgent task to run", async () => ran.includes("urgent and old"), 5_000);
  expect(ran.filter((l) => !l.startsWith("probe"))).toHaveLength(52);
});
