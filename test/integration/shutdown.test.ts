import { describe, expect, it } from "vitest";
import { defineTask, WorkerPool, type TaskContext, type WorkerEvent } from "../../src/index.js";
import { eventually, testDatabase } from "../support/db.js";
import { NO_APP, newTask, registered, registryOf } from "../support/tasks.js";

const db = await testDatabase("shutdown");
const store = db.store();

const rowsOf = async (queue: string) =>
  (await db.sql.query("SELECT id, state, attempts, errors FROM backie_tasks WHERE queue_name = $1 ORDER BY id", [queue])).rows as Array<{ id: string; state: string; attempts: number; errors: unknown[] }>;

describe("graceful shutdown", () => {
  it("lets running tasks finish within the deadline", async () => {
    const finished: number[] = [];
    const task = defineTask({
      name: "finishes", queue: "g_finish",
      async run(p: { n: number }) {
        await new Promise((resolve) => setTimeout(resolve, 300));
        finished.push(p.n);
      },
    });
    await store.insertTasks([newTask("finishes", "g_finish", { n: 1 }), newTask("finishes", "g_finish", { n: 2 })]);
    const pool = new WorkerPool({ ...NO_APP, store, registry: registryOf(registered(task)), shutdownTimeoutMs: 5_000 });
    await pool.start();
    await eventually("both to start", async () => (await rowsOf("g_finish")).every((r) => r.state === "running"));
    await pool.stop();
    expect(finished.sort()).toEqual([1, 2]);
    expect(await rowsOf("g_finish")).toEqual([]);
  });

  it("aborts tasks still running at the deadline and gives them back without counting the attempt", async () => {
    let aborted = 0;
    const task = defineTask({
      name: "outlives", queue: "g_abort",
      async run(_p: object, ctx: TaskContext) {
        await new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve()));
        aborted++;
        throw new Error("aborted by shutdown");
      },
    });
    await store.insertTasks([newTask("outlives", "g_abort")]);
    const events: WorkerEvent[] = [];
    const pool = new WorkerPool({ ...NO_APP, store, registry: registryOf(registered(task)), shutdownTimeoutMs: 200, onEvent: (e) => events.push(e) });
    await pool.start();
    await eventually("the task to start", async () => (await rowsOf("g_abort"))[0]?.state === "running");
    const stopping = Date.now();
    await pool.stop();
    expect(Date.now() - stopping).toBeGreaterThanOrEqual(190);
    expect(aborted).toBe(1);
    expect(await rowsOf("g_abort")).toMatchObject([{ state: "ready", attempts: 0, errors: [] }]);
    expect(events.filter((e) => e.type === "task:givenBack")).toHaveLength(1);
  });

  it("gives prefetched tasks back at once", async () => {
    const task = defineTask({
      name: "blocks", queue: "g_prefetch",
      async run(_p: object) {
        await new Promise((resolve) => setTimeout(resolve, 1_500));
      },
    });
    await store.insertTasks(Array.from({ length: 6 }, () => newTask("blocks", "g_prefetch")));
    const pool = new WorkerPool({ ...NO_APP,
      store, registry: registryOf(registered(task)), shutdownTimeoutMs: 5_000,
      queues: { g_prefetch: { numWorkers: 1, prefetch: 5 } },
    });
    await pool.start();
    await eventually("one running and five prefetched", async () => (await rowsOf("g_prefetch")).filter((r) => r.state === "running").length === 6);
    const stopped = pool.stop();
    // While the one running task finishes, the five waiting ones are already back.
    await eventually("prefetched tasks back to ready", async () => (await rowsOf("g_prefetch")).filter((r) => r.state === "ready").length === 5, 1_000);
    await stopped;
    const rows = await rowsOf("g_prefetch");
    expect(rows).toHaveLength(5);
    expect(rows.every((r) => r.state === "ready" && r.attempts === 0)).toBe(true);
  });
});
