/**
 * Queue control against real worker processes: pause stops every worker of every process from
 * claiming (and survives restarts), resume wakes them; pools are visible while they run; bulk
 * actions by filter work in batches and never double-apply under concurrency.
 */
import { describe, expect, it } from "vitest";
import { WORKER_STALE_MS } from "../../src/index.js";
import { eventually, testDatabase } from "../support/db.js";
import { spawnWorker, type WorkerProcess } from "../support/processes.js";
import { newTask } from "../support/tasks.js";

const db = await testDatabase("queueControl");
const store = db.store();

const starts = (w: WorkerProcess): number[] => w.lines.filter((l) => l.startsWith("start ")).map((l) => Number(l.split(" ")[3]));
async function stopAll(workers: WorkerProcess[]): Promise<void> {
  for (const w of workers) w.child.kill("SIGTERM");
  await Promise.all(workers.map((w) => w.exited));
}

describe("pause and resume", () => {
  it("stops every worker of every process from claiming within a poll interval, survives a restart, and resume wakes them", async () => {
    const queue = "ctl";
    const env = { DATABASE_URL: db.url, BACKIE_TEST_QUEUE: queue, BACKIE_TEST_WORKERS: "2" };
    let workers = [spawnWorker(env), spawnWorker(env)];
    try {
      await Promise.all(workers.map((w) => w.ready));
      await store.insertTasks(Array.from({ length: 40 }, () => newTask("record", queue, { sleepMs: 100 })));
      await eventually("some tasks to start", async () => workers.some((w) => starts(w).length > 0));
      await store.admin.setQueuePaused(queue, true);
      const pausedAt = Date.now();
      // Enqueueing into a paused queue still works.
      await store.insertTasks(Array.from({ length: 10 }, () => newTask("record", queue, { sleepMs: 1 })));
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      // Claims in flight when the pause landed, and tasks already prefetched, may still start for a
      // moment (pull interval 100 ms); nothing starts after that.
      const late = workers.flatMap(starts).filter((t) => t > pausedAt + 600);
      expect(late).toEqual([]);
      const { rows } = await db.sql.query("SELECT count(*)::int AS n FROM backie_tasks WHERE queue_name = $1 AND state = 'ready'", [queue]);
      expect(rows[0].n).toBeGreaterThan(10);
      expect((await store.admin.pausedQueues()).map((p) => p.queueName)).toEqual([queue]);

      // Restarted workers stay paused.
      await stopAll(workers);
      workers = [spawnWorker(env), spawnWorker(env)];
      await Promise.all(workers.map((w) => w.ready));
      await new Promise((resolve) => setTimeout(resolve, 700));
      expect(workers.flatMap(starts)).toEqual([]);

      const resumedAt = Date.now();
      await store.admin.setQueuePaused(queue, false);
      await eventually("the queue to drain after resume", async () => {
        const { rows: left } = await db.sql.query("SELECT count(*)::int AS n FROM backie_tasks WHERE queue_name = $1", [queue]);
        return left[0].n === 0;
      }, 30_000);
      // Woken by the resume's notification, not by the next poll of an idle worker (1 s).
      expect(Math.min(...workers.flatMap(starts)) - resumedAt).toBeLessThan(900);
      expect(await store.admin.pausedQueues()).toEqual([]);
    } finally {
      await stopAll(workers);
    }
  }, 90_000);
});

describe("worker registry", () => {
  it("lists running pools with host, pid and queues, drops a cleanly stopped one, ages out a crashed one", async () => {
    const env = { DATABASE_URL: db.url, BACKIE_TEST_QUEUE: "visible", BACKIE_TEST_WORKERS: "3" };
    const [a, b] = [spawnWorker(env), spawnWorker(env)];
    try {
      await Promise.all([a.ready, b.ready]);
      const { workers } = await store.admin.listWorkers(WORKER_STALE_MS);
      const mine = workers.filter((w) => w.pid === a.child.pid || w.pid === b.child.pid);
      expect(mine).toHaveLength(2);
      expect(mine[0]!.queues).toEqual({ visible: 3 });
      // By owner: pids wrap (pid_max is 32,768 here), and a crashed worker of an earlier test may
      // have held the same pid.
      const ownerA = mine.find((w) => w.pid === a.child.pid)!.owner;
      const ownerB = mine.find((w) => w.pid === b.child.pid)!.owner;
      a.child.kill("SIGTERM");
      await a.exited;
      b.child.kill("SIGKILL");
      await b.exited;
      const after = (await store.admin.listWorkers(WORKER_STALE_MS)).workers;
      expect(after.some((w) => w.owner === ownerA)).toBe(false);
      // The crashed one is still listed until it ages out...
      expect(after.some((w) => w.owner === ownerB)).toBe(true);
      await db.sql.query("UPDATE backie_workers SET last_seen_at = now() - interval '2 minutes' WHERE owner = $1", [ownerB]);
      expect((await store.admin.listWorkers(WORKER_STALE_MS)).workers.some((w) => w.owner === ownerB)).toBe(false);
      // ...and the next pool to start deletes its row.
      await store.admin.registerWorker({ owner: "next", host: "h", pid: 1, queues: {} }, WORKER_STALE_MS);
      const { rows } = await db.sql.query("SELECT count(*)::int AS n FROM backie_workers WHERE owner = $1", [ownerB]);
      expect(rows[0].n).toBe(0);
    } finally {
      await stopAll([a, b]);
    }
  }, 60_000);
});

describe("bulk actions by filter", () => {
  async function failed(task: string, queue: string, n: number, uniqueKey?: (i: number) => string): Promise<string[]> {
    const inserted = await store.insertTasks(Array.from({ length: n }, (_, i) => newTask(task, queue, { i }, { maxRetries: 0, uniqueKey: uniqueKey?.(i) ?? null })));
    const claimed = await store.claimTasks({ queueName: queue, taskNames: [task], limit: n, owner: "t", leaseMs: 60_000 });
    await store.completeTasks(claimed.map((c) => ({ id: c.id, token: c.token, outcome: "failed" as const, remove: false, error: { attempt: 1, kind: "error" as const, message: "x", at: new Date().toISOString() } })));
    return inserted.map((r) => r.id);
  }
  const states = async (ids: string[]) => (await store.findTasks(ids)).map((t) => t.state);

  it("retries the failed tasks of one task name only, in batches, exactly once under two concurrent callers", async () => {
    const mine = await failed("bulk_a", "bulk", 2_500);
    const other = await failed("bulk_b", "bulk", 5);
    const run = async (): Promise<number> => {
      let n = 0;
      for (;;) {
        const ids = await store.admin.retryFailedTasks({ taskName: "bulk_a" }, 1_000);
        n += ids.length;
        if (ids.length < 1_000) return n;
      }
    };
    const [x, y] = await Promise.all([run(), run()]);
    expect(x + y).toBe(2_500);
    expect(new Set(await states(mine))).toEqual(new Set(["ready"]));
    expect(new Set(await states(other))).toEqual(new Set(["failed"]));
  });

  it("retries one of failed tasks sharing a unique key, and none while the key is held", async () => {
    const twins = await failed("bulk_key", "bulk_k", 1, () => "same");
    const again = await failed("bulk_key", "bulk_k", 1, () => "same");
    expect(await store.admin.retryFailedTasks({ queueName: "bulk_k" }, 100)).toHaveLength(1);
    // The retried one holds the key now: the other stays failed instead of breaking the batch.
    expect(await store.admin.retryFailedTasks({ queueName: "bulk_k" }, 100)).toEqual([]);
    expect((await states([...twins, ...again])).sort()).toEqual(["failed", "ready"]);
  });

  it("cancels the ready tasks of a queue, and deletes finished rows older than a bound", async () => {
    const ready = await store.insertTasks(Array.from({ length: 30 }, () => newTask("bulk_c", "bulk_cancel")));
    const elsewhere = await store.insertTasks([newTask("bulk_c", "bulk_keep")]);
    expect(await store.admin.cancelReadyTasks({ queueName: "bulk_cancel" }, 1_000)).toHaveLength(30);
    expect(new Set(await states(ready.map((r) => r.id)))).toEqual(new Set(["cancelled"]));
    expect(await states(elsewhere.map((r) => r.id))).toEqual(["ready"]);
    expect(await store.admin.deleteFinishedTasks({ queueName: "bulk_cancel" }, 3_600_000, 1_000)).toEqual([]);
    await db.sql.query("UPDATE backie_tasks SET finished_at = now() - interval '2 hours' WHERE queue_name = 'bulk_cancel'");
    expect(await store.admin.deleteFinishedTasks({ queueName: "bulk_cancel", state: "cancelled" }, 3_600_000, 1_000)).toHaveLength(30);
    expect(await store.findTasks(ready.map((r) => r.id))).toEqual([]);
  });
});
