/**
 * A task that was due keeps its place when its run is lost to a crash (rescue) or handed back at
 * shutdown: it must not wait behind a backlog enqueued after it. And once stop() is called, no
 * task starts.
 */
import { describe, expect, it } from "vitest";
import { defineTask, WorkerPool } from "../../src/index.js";
import { eventually, testDatabase } from "../support/db.js";
import { NO_APP, newTask, registered, registryOf } from "../support/tasks.js";

const db = await testDatabase("queue_place");
const store = db.store();

describe("queue place", () => {
  it("runs a rescued task within about leaseMs under a backlog of 5,000 due tasks", async () => {
    const queue = "p_rescue";
    const [lost] = await store.insertTasks([newTask("work", queue, { lost: true })]);
    // A worker claims it and dies: nobody renews this 300 ms lease.
    const claimed = await store.claimTasks({ queueName: queue, taskNames: ["work"], limit: 1, owner: "dead-worker", leaseMs: 300 });
    expect(claimed.map((c) => c.id)).toEqual([lost!.id]);
    await store.insertTasks(Array.from({ length: 5_000 }, (_, n) => newTask("work", queue, { n })));
    let ranAt: number | undefined;
    let backlogRun = 0;
    const work = defineTask({
      name: "work", queue,
      async run(p: { lost?: boolean }) {
        if (p.lost) ranAt = Date.now();
        else backlogRun++;
        await new Promise((resolve) => setTimeout(resolve, 5));
      },
    });
    const leaseMs = 1_000;
    const started = Date.now();
    const pool = new WorkerPool({ ...NO_APP,
      store, registry: registryOf(registered(work)), leaseMs,
      queues: { [queue]: { numWorkers: 2, prefetch: 4 } },
    });
    await pool.start();
    try {
      await eventually("the rescued task to run", async () => ranAt !== undefined, 60_000);
      // Expired at ~300 ms, found by the next rescue pass (every leaseMs / 2), then at the head
      // of the queue again. At 2 x 5 ms the backlog alone needs more than 12 s.
      expect(ranAt! - started).toBeLessThan(leaseMs * 4);
      expect(backlogRun).toBeLessThan(2_500);
    } finally {
      await pool.stop();
    }
    const [row] = await store.findTasks([lost!.id]);
    expect(row).toBeUndefined(); // removeDone: it succeeded on its second attempt
  });

  it("gives prefetched tasks back in their old place (scheduled_at unchanged)", async () => {
    const queue = "p_giveback";
    await store.insertTasks(Array.from({ length: 6 }, () => newTask("blocks", queue)));
    const before = await db.sql.query("SELECT id, scheduled_at FROM backie_tasks WHERE queue_name = $1 ORDER BY id", [queue]);
    const blocks = defineTask({ name: "blocks", queue, async run() { await new Promise((r) => setTimeout(r, 300)); } });
    const pool = new WorkerPool({ ...NO_APP, store, registry: registryOf(registered(blocks)), queues: { [queue]: { numWorkers: 1, prefetch: 5 } } });
    await pool.start();
    await eventually("six claimed", async () => (await db.sql.query("SELECT 1 FROM backie_tasks WHERE queue_name = $1 AND state = 'running'", [queue])).rowCount === 6);
    await pool.stop();
    const after = await db.sql.query("SELECT id, scheduled_at FROM backie_tasks WHERE queue_name = $1 ORDER BY id", [queue]);
    expect(after.rows).toHaveLength(5);
    const was = new Map(before.rows.map((r: { id: string; scheduled_at: Date }) => [r.id, r.scheduled_at.getTime()]));
    for (const r of after.rows as Array<{ id: string; scheduled_at: Date }>) expect(r.scheduled_at.getTime()).toBe(was.get(r.id));
  });

  it("starts no task once stop() is called", async () => {
    for (let round = 0; round < 5; round++) {
      const queue = `p_stop_${round}`;
      await store.insertTasks(Array.from({ length: 500 }, () => newTask("instant", queue)));
      let stopCalled = false;
      let startedAfterStop = 0;
      let started = 0;
      const instant = defineTask({
        name: "instant", queue,
        run() {
          started++;
          if (stopCalled) startedAfterStop++;
        },
      });
      // Closing the LISTEN connection takes a while on a real network: 50 ms here, so that a pool
      // that awaited it before it stopped starting tasks would start them in the meantime.
      const slowClose = Object.create(store) as typeof store;
      slowClose.listen = async (onReady, onError) => {
        const subscription = await store.listen(onReady, onError);
        return { close: async () => { await new Promise((r) => setTimeout(r, 50)); await subscription.close(); } };
      };
      const pool = new WorkerPool({ ...NO_APP, store: slowClose, registry: registryOf(registered(instant)), queues: { [queue]: { numWorkers: 2, prefetch: 200 } } });
      await pool.start();
      await eventually("some tasks to run", async () => started >= 20);
      stopCalled = true;
      await pool.stop();
      expect(startedAfterStop).toBe(0);
    }
  });
});
