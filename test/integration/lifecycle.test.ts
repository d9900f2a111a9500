import { afterEach, describe, expect, it } from "vitest";
import { defineTask, WorkerPool, type AppContext, type TaskContext, type WorkerEvent, type AppLifecycle, type WorkerPoolBaseOptions } from "../../src/index.js";
import { eventually, testDatabase } from "../support/db.js";
import type { TaskStore } from "../../src/store/taskStore.js";
import { NO_APP, newTask, registered, registryOf } from "../support/tasks.js";
import { rescueOnce } from "./storeConformance.js";

const db = await testDatabase("lifecycle");
const store = db.store();
const pools: WorkerPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.stop()));
});

/** Pools here give their tasks no app unless a test passes one. */
function startPool(options: Omit<WorkerPoolBaseOptions, "store"> & { app?: AppLifecycle; store?: TaskStore }) {
  const events: WorkerEvent[] = [];
  const pool = new WorkerPool({ ...NO_APP, store, leaseMs: 5_000, ...options, onEvent: (e) => events.push(e) });
  pools.push(pool);
  return { pool, events, started: pool.start() };
}

/** A worker that claimed a task, started it (its lease keeper confirmed the run) and died: its lease ends in 1 ms. */
async function crashedRun(queueName: string, taskName: string): Promise<void> {
  const claimed = await store.claimTasks({ queueName, taskNames: [taskName], limit: 1, owner: "crashed-worker", leaseMs: 60_000 });
  expect(claimed).toHaveLength(1);
  await store.extendLeases(claimed, 1, { confirm: true });
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => (clearTimeout(timer), resolve()));
  });

describe("leases and fencing", () => {
  it("discards a late result after the lease was taken over, and reports it", async () => {
    const runs: number[] = [];
    const slow = defineTask({
      name: "slow_once", queue: "l_fence",
      async run(_p: object, ctx: TaskContext) {
        runs.push(ctx.task.attempt);
        // The first run outlives its lease; the second is quick.
        if (runs.length === 1) await sleep(800);
      },
    });
    const { id } = (await store.insertTasks([newTask("slow_once", "l_fence")]))[0]!;
    // Its renewals never reach the database (a partition), so the 300 ms lease lapses.
    const partitioned: TaskStore = Object.assign(Object.create(store) as TaskStore, { extendLeases: async () => new Set<string>() });
    const first = startPool({
      store: partitioned, registry: registryOf(registered(slow)), leaseMs: 300, rescueIntervalMs: 60_000,
      queues: { l_fence: { retentionMode: "keepAll" } },
    });
    await first.started;
    await eventually("the first run to start", async () => runs.length === 1);
    await sleep(400);
    expect(await rescueOnce(store)).toMatchObject([{ id, state: "ready" }]);
    const second = startPool({ registry: registryOf(registered(slow)), queues: { l_fence: { retentionMode: "keepAll" } } });
    await second.started;
    await eventually("the second run to finish", async () => (await store.findTasks([id]))[0]?.state === "done");
    await eventually("the first run's result to be discarded", async () => first.events.some((e) => e.type === "task:stale"));
    // The lost lease was never confirmed (no renewal got through): a reservation that lapsed, its attempt given back.
    expect(runs).toEqual([1, 1]);
    const [row] = await store.findTasks([id]);
    expect(row).toMatchObject({ state: "done", attempts: 1, errors: [{ kind: "reservation_expired", attempt: 1 }] });
    expect(first.events.some((e) => e.type === "task:succeeded")).toBe(false);
  });

  it("renews the lease by heartbeat while a long run is alive, so it is not rescued", async () => {
    let runs = 0;
    // The run outlives its lease three times over; only the heartbeat keeps it.
    const long = defineTask({ name: "long_run", queue: "l_heartbeat", async run(_p: object) { runs++; await sleep(2_400); } });
    const { id } = (await store.insertTasks([newTask("long_run", "l_heartbeat")]))[0]!;
    const { events, started } = startPool({
      registry: registryOf(registered(long)), leaseMs: 800, heartbeatIntervalMs: 150, rescueIntervalMs: 50,
    });
    await started;
    await eventually("the run to finish", async () => (await store.findTasks([id])).length === 0);
    expect(runs).toBe(1);
    expect(events.filter((e) => e.type === "task:rescued" || e.type === "task:stale")).toEqual([]);
  });

  it("turns a run's reservation into a full lease once it outlasts it, and says when the event loop stalled past a reservation", async () => {
    let spun = 0;
    // Sleeps past three reservations (kept only by the lease keeper), then blocks the event loop for 700 ms.
    const task = defineTask({
      name: "stalls", queue: "l_stall",
      async run(_p: object) {
        await sleep(1_300);
        const until = Date.now() + 700;
        while (Date.now() < until) spun++;
      },
    });
    const { id } = (await store.insertTasks([newTask("stalls", "l_stall", {}, { maxRetries: 0 })]))[0]!;
    const { events, started } = startPool({ registry: registryOf(registered(task)), leaseMs: 10_000, reservationMs: 400, rescueIntervalMs: 100 });
    await started;
    await eventually("the run to be confirmed as started", async () => {
      const { rows } = await db.sql.query("SELECT lease_confirmed_at IS NOT NULL AS confirmed FROM backie_tasks WHERE id = $1", [id]);
      return rows[0]?.confirmed === true;
    });
    await eventually("the run to finish", async () => (await store.findTasks([id])).length === 0, 10_000);
    expect(spun).toBeGreaterThan(0);
    // Its full lease outlived the stall: nobody took the task over.
    expect(events.filter((e) => e.type === "task:rescued" || e.type === "task:stale" || e.type === "task:lost")).toEqual([]);
    expect(events.find((e) => e.type === "pool:stalled")).toMatchObject({ type: "pool:stalled", reservationMs: 400, delayMs: expect.any(Number) });
  });
});

describe("lost leases", () => {
  it("aborts a running task at the next heartbeat when it is cancelled, frees its slot and writes nothing", async () => {
    const seen: string[] = [];
    const long = defineTask({
      name: "cancel_me", queue: "l_cancel",
      async run(_p: object, ctx: TaskContext) {
        seen.push("started");
        await sleep(30_000, ctx.signal);
        seen.push(`aborted: ${(ctx.signal.reason as Error).message}`);
      },
    });
    const quick = defineTask({ name: "after_cancel", queue: "l_cancel", async run(_p: object) { seen.push("next"); } });
    const [target] = await store.insertTasks([newTask("cancel_me", "l_cancel")]);
    const { events, started } = startPool({
      registry: registryOf(registered(long), registered(quick)), heartbeatIntervalMs: 100,
      queues: { l_cancel: { numWorkers: 1, prefetch: 0, pullIntervalMs: 50 } },
    });
    await started;
    await eventually("the run to start", async () => seen.includes("started"));
    expect(await store.cancelTask(target!.id)).toBe("running");
    await eventually("the run to be aborted", async () => events.some((e) => e.type === "task:lost"));
    // One slot: the next task can only run because the cancelled run let go of it.
    await store.insertTasks([newTask("after_cancel", "l_cancel")]);
    await eventually("the next task to run in the freed slot", async () => seen.includes("next"));
    await eventually("its result to be written", async () => events.some((e) => e.type === "task:succeeded"));
    expect(seen.slice(0, 2)).toEqual(["started", "aborted: lease lost: the task was cancelled, or its lease expired and another worker took it over"]);
    expect((await store.findTasks([target!.id]))[0]).toMatchObject({ state: "cancelled", errors: [] });
    expect(events.filter((e) => e.type === "task:succeeded" || e.type === "task:failed" || e.type === "task:retried").map((e) => e.type)).toEqual(["task:succeeded"]);
  });
});

describe("recovery", () => {
  it("rescues, at pool start, a task left running by a worker that crashed", async () => {
    let ran = 0;
    const task = defineTask({ name: "orphaned", queue: "l_orphan", async run(_p: object) { ran++; } });
    const { id } = (await store.insertTasks([newTask("orphaned", "l_orphan")]))[0]!;
    // A worker claims it, starts it (its lease confirmed) and dies: nobody renews the 1 ms lease.
    await crashedRun("l_orphan", "orphaned");
    await sleep(10);
    const { events, started } = startPool({ registry: registryOf(registered(task)), rescueIntervalMs: 60_000 });
    await started;
    await eventually("the orphan to run", async () => ran === 1);
    expect(events.find((e) => e.type === "task:rescued")).toMatchObject({ id, state: "ready", attempts: 1 });
  });

  it("applies removeAll to a crashed task whose retries are spent: deleted, as a worker would have", async () => {
    const task = defineTask({ name: "orphan_spent", queue: "l_orphan_rm", maxRetries: 0, async run(_p: object) {} });
    const [spent] = await store.insertTasks([newTask("orphan_spent", "l_orphan_rm", {}, { maxRetries: 0 })]);
    await crashedRun("l_orphan_rm", "orphan_spent");
    await sleep(10);
    const { events, started } = startPool({
      registry: registryOf(registered(task)), rescueIntervalMs: 60_000, queues: { l_orphan_rm: { retentionMode: "removeAll" } },
    });
    await started;
    await eventually("the rescue", async () => events.some((e) => e.type === "task:rescued"));
    expect(events.find((e) => e.type === "task:rescued")).toMatchObject({ id: spent!.id, state: "failed", removed: true });
    expect(await store.findTasks([spent!.id])).toEqual([]);
  });
});

describe("execution timeout", () => {
  it("fires the signal, fails the attempt as timed out, retries, and frees the slot of a run that ignores it", async () => {
    const order: string[] = [];
    const hangs = defineTask({
      name: "hangs", queue: "l_timeout", timeoutMs: 100, maxRetries: 1, backoff: { kind: "none" },
      async run(_p: object, ctx: TaskContext) {
        order.push(`hang ${ctx.task.attempt}`);
        await sleep(2_000); // ignores ctx.signal
      },
    });
    const quick = defineTask({ name: "quick", queue: "l_timeout", async run(_p: object) { order.push("quick"); } });
    const { id } = (await store.insertTasks([newTask("hangs", "l_timeout", {}, { maxRetries: 1 })]))[0]!;
    const { events, started } = startPool({
      registry: registryOf(registered(hangs), registered(quick)),
      queues: { l_timeout: { numWorkers: 1, prefetch: 0, pullIntervalMs: 20 } },
    });
    await started;
    await eventually("the first timeout", async () => events.some((e) => e.type === "task:retried"));
    await store.insertTasks([newTask("quick", "l_timeout", {}, { priority: 10 })]);
    await eventually("the hanging task to fail for good", async () => (await store.findTasks([id]))[0]?.state === "failed");
    // With one slot, `quick` could only run because the timed-out run let go of it.
    expect(order).toContain("quick");
    const [row] = await store.findTasks([id]);
    expect(row!.errors.map((e) => [e.attempt, e.kind, e.message])).toEqual([
      [1, "timeout", "timed out after 100 ms"],
      [2, "timeout", "timed out after 100 ms"],
    ]);
  });
});

describe("bad stored data and unknown names", () => {
  it("fails a task whose stored payload is invalid, without retries, and goes on", async () => {
    let ran = 0;
    const typed = defineTask({ name: "typed", queue: "l_invalid", async run(_p: { n: number }) { ran++; } });
    const schema = { type: "object", properties: { n: { type: "number" } }, required: ["n"] };
    const [bad, good] = await store.insertTasks([
      newTask("typed", "l_invalid", { n: "not a number" }),
      newTask("typed", "l_invalid", { n: 1 }),
    ]);
    const { started } = startPool({ registry: registryOf(registered(typed, schema)) });
    await started;
    await eventually("both to finish", async () => (await store.findTasks([good!.id])).length === 0 && (await store.findTasks([bad!.id]))[0]?.state === "failed");
    expect(ran).toBe(1);
    const [row] = await store.findTasks([bad!.id]);
    expect(row).toMatchObject({ state: "failed", attempts: 1 });
    expect(row!.errors).toMatchObject([{ kind: "invalid_payload", message: 'stored payload is invalid for task "typed": $.n must be number' }]);
  });

  it("leaves tasks no worker knows ready, and counts them", async () => {
    const known = defineTask({ name: "known", queue: "l_unknown", async run(_p: object) {} });
    const [unknown, mine] = await store.insertTasks([newTask("from_a_newer_deploy", "l_unknown"), newTask("known", "l_unknown")]);
    const { started } = startPool({ registry: registryOf(registered(known)), queues: { l_unknown: { pullIntervalMs: 20 } } });
    await started;
    await eventually("the known task to run", async () => (await store.findTasks([mine!.id])).length === 0);
    await sleep(100);
    expect((await store.findTasks([unknown!.id]))[0]).toMatchObject({ state: "ready", attempts: 0 });
    const counts = await store.countTasks();
    expect(counts.find((c) => c.taskName === "from_a_newer_deploy")).toMatchObject({ queueName: "l_unknown", state: "ready", count: 1 });
  });
});

describe("retention", () => {
  async function runWith(queue: string, retentionMode: "removeDone" | "keepAll" | "removeAll") {
    const ok = defineTask({ name: `ok_${queue}`, queue, async run(_p: object) {} });
    const bad = defineTask({ name: `bad_${queue}`, queue, maxRetries: 0, async run(_p: object) { throw new Error("nope"); } });
    const [a, b] = await store.insertTasks([newTask(`ok_${queue}`, queue), newTask(`bad_${queue}`, queue, {}, { maxRetries: 0 })]);
    const { events, started } = startPool({ registry: registryOf(registered(ok), registered(bad)), queues: { [queue]: { retentionMode } } });
    await started;
    await eventually("both to finish", async () => events.filter((e) => e.type === "task:succeeded" || e.type === "task:failed").length === 2);
    return (await store.findTasks([a!.id, b!.id])).map((t) => t.state);
  }
  it("removeDone deletes successes and keeps failures", async () => {
    expect(await runWith("l_ret_rd", "removeDone")).toEqual(["failed"]);
  });
  it("keepAll keeps both", async () => {
    expect(await runWith("l_ret_ka", "keepAll")).toEqual(["done", "failed"]);
  });
  it("removeAll deletes both", async () => {
    expect(await runWith("l_ret_ra", "removeAll")).toEqual([]);
  });
  it("prunes kept rows older than pruneFinishedAfterMs", async () => {
    const ok = defineTask({ name: "pruned", queue: "l_prune", async run(_p: object) {} });
    const [a] = await store.insertTasks([newTask("pruned", "l_prune")]);
    const { started } = startPool({
      registry: registryOf(registered(ok)), pruneIntervalMs: 50,
      queues: { l_prune: { retentionMode: "keepAll", pruneFinishedAfterMs: 300 } },
    });
    await started;
    await eventually("the task to be done", async () => (await store.findTasks([a!.id]))[0]?.state === "done");
    const doneAt = Date.now();
    await eventually("the done row to be pruned", async () => (await store.findTasks([a!.id])).length === 0);
    expect(Date.now() - doneAt).toBeGreaterThanOrEqual(200);
  });
});

describe("application context", () => {
  it("is created once per pool, given to every run, and closed on stop", async () => {
    const seen = new Set<unknown>();
    let created = 0;
    let closed = 0;
    const uses = defineTask({ name: "uses_app", queue: "l_app", async run(_p: object, ctx: TaskContext) { seen.add(ctx.app); } });
    await store.insertTasks(Array.from({ length: 20 }, () => newTask("uses_app", "l_app")));
    const { pool, started } = startPool({
      registry: registryOf(registered(uses)),
      // A test app, not the one backie.worker.ts declares for this repo's example tasks.
      app: { create: async () => ({ connection: ++created }) as unknown as AppContext, close: async () => void closed++ },
    });
    await started;
    await eventually("all 20 to run", async () => (await db.sql.query("SELECT 1 FROM backie_tasks WHERE queue_name = 'l_app'")).rowCount === 0);
    await pool.stop();
    expect(created).toBe(1);
    expect([...seen]).toEqual([{ connection: 1 }]);
    expect(closed).toBe(1);
  });
});
