import { beforeAll, expect, it } from "vitest";
import type { NewTask } from "../../src/index.js";
import { eventually, testDatabase } from "../support/db.js";
import { spawnWorker, type WorkerProcess } from "../support/processes.js";

const WORKER = new URL("../support/keyedWorker.ts", import.meta.url).pathname;
const db = await testDatabase("keyedProcesses");
const store = db.store();

beforeAll(async () => {
  await db.sql.query(`CREATE TABLE keyed_runs (
    run bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, task_id bigint NOT NULL, task_name text NOT NULL,
    key text NOT NULL, seq integer NOT NULL, pid integer NOT NULL, started_at timestamptz NOT NULL, ended_at timestamptz)`);
});

function task(taskName: string, key: string, seq: number, sleepMs: number, priority = 0): NewTask {
  return { taskName, queueName: "keyed", payload: { key, seq, sleepMs }, priority, uniqueKey: null, maxRetries: 0, runAt: null, delayMs: null, concurrencyKey: key };
}

async function withWorkers<T>(count: number, body: (workers: WorkerProcess[]) => Promise<T>): Promise<T> {
  const workers = Array.from({ length: count }, () => spawnWorker({ DATABASE_URL: db.url, BACKIE_TEST_WORKERS: "5" }, WORKER));
  try {
    await Promise.all(workers.map((w) => w.ready));
    return await body(workers);
  } finally {
    for (const w of workers) w.child.kill("SIGTERM");
    await Promise.all(workers.map((w) => w.exited));
  }
}

it("4 processes, 50 keys: no two runs of a key overlap (limit 1), at most two (limit 2), fifo keeps enqueue order", async () => {
  const keys = Array.from({ length: 50 }, (_, i) => `customer-${i}`);
  const tasks: NewTask[] = [];
  for (let seq = 0; seq < 6; seq++) {
    for (const key of keys) {
      tasks.push(task("keyed_one", key, seq, 15));
      // Later tasks get a higher priority: without fifo they would start first.
      tasks.push(task("keyed_fifo", key, seq, 15, seq));
      tasks.push(task("keyed_two", key, seq, 15));
    }
  }
  await withWorkers(4, async () => {
    await store.insertTasks(tasks);
    await eventually("all 900 keyed tasks to finish", async () => {
      const { rows } = await db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM backie_tasks");
      return rows[0]!.n === 0;
    }, 90_000);
  });
  const one = async (text: string): Promise<number> => (await db.sql.query<{ n: number }>(text)).rows[0]!.n;
  expect(await one("SELECT count(DISTINCT task_id)::int AS n FROM keyed_runs WHERE ended_at IS NOT NULL")).toBe(900);
  expect(await one("SELECT count(*)::int AS n FROM keyed_runs")).toBe(900);
  expect(await one("SELECT count(DISTINCT pid)::int AS n FROM keyed_runs")).toBe(4);
  const overlapping = await one(`SELECT count(*)::int AS n FROM keyed_runs a JOIN keyed_runs b
    ON a.task_name = b.task_name AND a.key = b.key AND a.run < b.run AND a.started_at < b.ended_at AND b.started_at < a.ended_at
    WHERE a.task_name IN ('keyed_one', 'keyed_fifo')`);
  expect(overlapping).toBe(0);
  // For limit 2: at no run's start were two others of its key still running.
  const most = await one(`SELECT coalesce(max(c), 0)::int AS n FROM (
    SELECT a.run, count(b.run) AS c FROM keyed_runs a JOIN keyed_runs b
      ON b.task_name = a.task_name AND b.key = a.key AND b.run <> a.run AND b.started_at <= a.started_at AND b.ended_at > a.started_at
    WHERE a.task_name = 'keyed_two' GROUP BY a.run) x`);
  expect(most).toBeLessThanOrEqual(1);
  const outOfOrder = await one(`SELECT count(*)::int AS n FROM keyed_runs a JOIN keyed_runs b
    ON a.task_name = 'keyed_fifo' AND b.task_name = 'keyed_fifo' AND a.key = b.key AND a.seq < b.seq AND a.started_at > b.started_at`);
  expect(outOfOrder).toBe(0);
  const byPid = (await db.sql.query<{ pid: number; n: number }>("SELECT pid, count(*)::int AS n FROM keyed_runs GROUP BY pid ORDER BY pid")).rows;
  console.log(`keyed: 900 runs over 50 keys in 4 processes (${byPid.map((r) => r.n).join("/")}), 0 overlaps at limit 1, at most ${most + 1} at once at limit 2, fifo in order`);
}, 120_000);

it("a key with 1,000 ready tasks does not starve 30 keys with one each", async () => {
  await db.sql.query("TRUNCATE keyed_runs");
  await withWorkers(2, async () => {
    await store.insertTasks(Array.from({ length: 1_000 }, (_, i) => task("keyed_one", "hot", i, 10)));
    await store.insertTasks(Array.from({ length: 30 }, (_, i) => task("keyed_one", `cold-${i}`, 0, 10)));
    await eventually("every cold key's task to run", async () => {
      const { rows } = await db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM keyed_runs WHERE key LIKE 'cold-%' AND ended_at IS NOT NULL");
      return rows[0]!.n === 30;
    }, 30_000);
    const { rows } = await db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM keyed_runs WHERE key = 'hot'");
    // One at a time at >= 10 ms each: the hot key ran only a few while the 30 others all ran.
    expect(rows[0]!.n).toBeLessThan(150);
    console.log(`keyed: 30 cold keys ran while the hot key ran ${rows[0]!.n} of its 1,000`);
  });
  const overlapping = (await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM keyed_runs a JOIN keyed_runs b
    ON a.key = b.key AND a.run < b.run AND a.started_at < coalesce(b.ended_at, 'infinity') AND b.started_at < coalesce(a.ended_at, 'infinity')`)).rows[0]!.n;
  expect(overlapping).toBe(0);
}, 60_000);
