import { afterEach, describe, expect, it } from "vitest";
import { defineTask, WorkerPool, type WorkerPoolBaseOptions } from "../../src/index.js";
import type { ClaimRequest, TaskStore } from "../../src/store/taskStore.js";
import { eventually, testDatabase } from "../support/db.js";
import { NO_APP, newTask, registered, registryOf } from "../support/tasks.js";

// How a runner paces its claims and its runs against the event loop (issue 24: a no-op backlog).
const db = await testDatabase("claim_pacing");
const store = db.store();
const pools: WorkerPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.stop()));
});

function startPool(options: Omit<WorkerPoolBaseOptions, "store" | "app"> & { store?: TaskStore }): Promise<void> {
  const pool = new WorkerPool({ ...NO_APP, store, leaseMs: 30_000, ...options });
  pools.push(pool);
  return pool.start();
}

/** The store, recording the limit of every claim it is asked for. */
function recordingClaims(): { store: TaskStore; limits: number[] } {
  const limits: number[] = [];
  const claimTasks = async (request: ClaimRequest) => {
    limits.push(request.limit);
    return store.claimTasks(request);
  };
  return { store: Object.assign(Object.create(store) as TaskStore, { claimTasks }), limits };
}

describe("runs of tasks that finish at once", () => {
  it("let the event loop come round every few hundred starts, so claims and written results are read", async () => {
    const total = 1_000;
    let ran = 0;
    // Runs started before a callback queued at the first run's start got its turn of the loop.
    let ranBeforeLoopTurned: number | undefined;
    const noop = defineTask({
      name: "pace_noop", queue: "pace_yield",
      run() {
        if (ran++ === 0) setImmediate(() => (ranBeforeLoopTurned = ran));
      },
    });
    await store.insertTasks(Array.from({ length: total }, (_, i) => newTask("pace_noop", "pace_yield", { i })));
    // One slot and a buffer of the rest: one claim takes all 1,000, and each run starts the next
    // in a microtask.
    await startPool({ registry: registryOf(registered(noop)), queues: { pace_yield: { numWorkers: 1, prefetch: total - 1 } } });
    await eventually("every run", async () => ran === total);
    expect(ranBeforeLoopTurned).toBeDefined();
    expect(ranBeforeLoopTurned!).toBeLessThanOrEqual(300);
  });
});

describe("claims under a backlog", () => {
  it("claim again once a quarter of the prefetch is free, not only when half the buffer is gone", async () => {
    const sleepy = defineTask({
      name: "pace_sleepy", queue: "pace_claims",
      run: () => new Promise<void>((resolve) => setTimeout(resolve, 5)),
    });
    await store.insertTasks(Array.from({ length: 300 }, (_, i) => newTask("pace_sleepy", "pace_claims", { i })));
    const { store: recording, limits } = recordingClaims();
    // 10 slots and 100 prefetched: the first claim takes 110. A claim when the buffer is half
    // gone would take 60; at a quarter of the prefetch free, 25 (a few more if runs end together).
    await startPool({ store: recording, registry: registryOf(registered(sleepy)), queues: { pace_claims: { numWorkers: 10, prefetch: 100 } } });
    await eventually("a second claim", async () => limits.length >= 2);
    expect(limits[0]).toBe(110);
    expect(limits[1]!).toBeGreaterThanOrEqual(25);
    expect(limits[1]!).toBeLessThan(50);
    await eventually("the backlog to drain", async () => (await db.sql.query("SELECT count(*)::int AS n FROM backie_tasks WHERE queue_name = 'pace_claims'")).rows[0].n === 0);
  });
});
