import { expect, it } from "vitest";
import { defineTask, WorkerPool, type NewTask } from "../../src/index.js";
import { eventually, testDatabase } from "../support/db.js";
import { spawnWorker } from "../support/processes.js";
import { NO_APP, registered, registryOf } from "../support/tasks.js";

const WORKER = new URL("../support/rateWorker.ts", import.meta.url).pathname;
const db = await testDatabase("rateLimit");
const store = db.store();

await db.sql.query(`CREATE TABLE rate_runs (task_id bigint NOT NULL, pid integer NOT NULL, name text, started_at timestamptz NOT NULL)`);

function task(taskName: string, queueName: string): NewTask {
  return { taskName, queueName, payload: {}, priority: 0, uniqueKey: null, maxRetries: 0, runAt: null, delayMs: null };
}

const one = async (text: string, values: unknown[] = []): Promise<number> => Number((await db.sql.query<{ n: string }>(text, values)).rows[0]!.n);

it("50/s across 3 processes holds within 5% over 20 s, after a first burst of at most the bucket", async () => {
  await store.insertTasks(Array.from({ length: 1_500 }, () => task("rated", "rated")));
  const env = { DATABASE_URL: db.url, BACKIE_TEST_WORKERS: "5", BACKIE_TEST_RATE_MAX: "50", BACKIE_TEST_RATE_PER_MS: "1000" };
  const workers = Array.from({ length: 3 }, () => spawnWorker(env, WORKER));
  try {
    await Promise.all(workers.map((w) => w.ready));
    await eventually("the first run", async () => (await one("SELECT count(*) AS n FROM rate_runs")) > 0);
    await eventually("21 s of runs", async () => (await one("SELECT extract(epoch FROM clock_timestamp() - min(started_at)) AS n FROM rate_runs")) > 21.2, 40_000);
  } finally {
    for (const w of workers) w.child.kill("SIGTERM");
    await Promise.all(workers.map((w) => w.exited));
  }
  // Claim times by the database's clock (started_at): what the bucket governs. A run's own
  // start follows its claim by however long the process takes to get to it.
  const claims = "(SELECT started_at FROM backie_tasks WHERE task_name = 'rated' AND started_at IS NOT NULL) c";
  const first = "(SELECT min(started_at) FROM backie_tasks WHERE task_name = 'rated')";
  // The first second spends the full bucket (50) plus that second's refill (50).
  const opening = await one(`SELECT count(*) AS n FROM ${claims} WHERE c.started_at < ${first} + interval '1 second'`);
  const steady = await one(`SELECT count(*) AS n FROM ${claims}
    WHERE c.started_at >= ${first} + interval '1 second' AND c.started_at < ${first} + interval '21 seconds'`);
  // The bucket's bound: no window of one second holds more than burst + max (a stall lets the
  // bucket fill up again, so under load a second may well hold more than 50).
  const busiest = await one(`SELECT max(w) AS n FROM (
    SELECT (SELECT count(*) FROM ${claims.replace(") c", ") b")} WHERE b.started_at >= a.started_at AND b.started_at < a.started_at + interval '1 second') AS w
    FROM ${claims.replace(") c", ") a")} WHERE a.started_at >= ${first} + interval '2 seconds' AND a.started_at < ${first} + interval '20 seconds') x`);
  const pids = await one("SELECT count(DISTINCT pid) AS n FROM rate_runs");
  console.log(`rateLimit: 50/s over 3 processes: ${steady} claims in the 20 s after the first second (${opening} in it), busiest second ${busiest}`);
  expect(pids).toBe(3);
  expect(opening).toBeLessThanOrEqual(101);
  expect(steady).toBeGreaterThanOrEqual(950);
  expect(steady).toBeLessThanOrEqual(1050);
  expect(busiest).toBeLessThanOrEqual(101);
  // Every run started once: nothing lost or doubled by the bucket.
  expect(await one("SELECT count(*) - count(DISTINCT task_id) AS n FROM rate_runs")).toBe(0);
}, 60_000);

it("a queue's limit is one bucket for all its tasks; burst 1 spaces the runs", async () => {
  const record = (name: string) => defineTask({
    name, queue: "rated_queue", maxRetries: 0,
    async run(_p: Record<string, never>, ctx) {
      await db.sql.query("INSERT INTO rate_runs (task_id, pid, name, started_at) VALUES ($1, 0, $2, clock_timestamp())", [ctx.task.id, name]);
    },
  });
  await store.insertTasks(Array.from({ length: 120 }, (_, i) => task(i % 2 === 0 ? "q_one" : "q_two", "rated_queue")));
  const pool = new WorkerPool({ ...NO_APP, store, registry: registryOf(registered(record("q_one")), registered(record("q_two"))),
    queues: { rated_queue: { numWorkers: 4, retentionMode: "keepAll", rateLimit: { max: 10, perMs: 500, burst: 1 } } } });
  await pool.start();
  await eventually("40 runs", async () => (await one("SELECT count(*) AS n FROM rate_runs WHERE name IS NOT NULL")) >= 40);
  await pool.stop();
  const names = await one("SELECT count(DISTINCT name) AS n FROM rate_runs WHERE name IS NOT NULL");
  expect(names).toBe(2);
  // Claim times (started_at, kept: keepAll): at most 20/s between the first and the last (fewer
  // only when this machine is too busy to claim in time).
  const kept = "(SELECT started_at FROM backie_tasks WHERE queue_name = 'rated_queue' AND started_at IS NOT NULL)";
  const rate = await one(`SELECT (count(*) - 1) / extract(epoch FROM max(started_at) - min(started_at)) AS n FROM ${kept} c`);
  expect(rate).toBeGreaterThan(12);
  expect(rate).toBeLessThan(21);
  // Burst 1: no half second (the period) holds more than max + 1 claims.
  const busiest = await one(`SELECT max(w) AS n FROM (
    SELECT (SELECT count(*) FROM ${kept} b WHERE b.started_at >= a.started_at AND b.started_at < a.started_at + interval '500 milliseconds') AS w
    FROM ${kept} a) x`);
  expect(busiest).toBeLessThanOrEqual(11);
});

it("concurrent claimers of one bucket together take exactly what it holds", async () => {
  await store.insertTasks(Array.from({ length: 200 }, () => task("exact", "exact")));
  // A bucket of 30 that refills one token a day: only the first 30 claims can be granted.
  const rate = { max: 1, perMs: 86_400_000, burst: 30 };
  const claims = await Promise.all(Array.from({ length: 20 }, (_, i) => store.claimLimitedTasks({
    queueName: "exact", taskNames: ["exact"], bucket: "task:exact", rate, limit: 10, owner: `c${i}`, leaseMs: 60_000,
  })));
  const ids = claims.flatMap((c) => c.tasks.map((t) => t.id));
  expect(ids.length).toBe(30);
  expect(new Set(ids).size).toBe(30);
  // Those that came back short learn how long until the next token (about a day).
  const waits = claims.filter((c) => c.tasks.length < 10).map((c) => c.waitMs);
  expect(waits.length).toBeGreaterThan(0);
  for (const wait of waits) expect(wait).toBeGreaterThan(86_000_000);
});

it("a bucket row edited by hand (NaN, infinite or future values) never stops the limit or lifts it", async () => {
  await store.insertTasks(Array.from({ length: 100 }, () => task("edited", "edited")));
  const rate = { max: 1_000, perMs: 1_000, burst: 5 };
  const claim = () => store.claimLimitedTasks({ queueName: "edited", taskNames: ["edited"], bucket: "task:edited", rate, limit: 50, owner: "t", leaseMs: 60_000 });
  await claim();
  const edits = [
    "tokens = 'NaN'", "tokens = 'Infinity'", "tokens = '-Infinity'", "tokens = -1e300",
    "refilled_at = 'infinity'", "refilled_at = '-infinity'", "refilled_at = now() + interval '1 year'",
  ];
  for (const edit of edits) {
    await db.sql.query(`UPDATE backie_rate_limits SET ${edit} WHERE bucket = 'task:edited'`);
    let got = 0;
    await eventually(`a claim after ${edit}`, async () => {
      const { tasks } = await claim();
      expect(tasks.length, edit).toBeLessThanOrEqual(5);
      got += tasks.length;
      return got > 0;
    }, 2_000);
  }
});

it("refuses a queue limit over a limited task or a keyed one, naming both", () => {
  const run = () => {};
  const limitedTask = defineTask({ name: "own_limit", queue: "both", run, rateLimit: { max: 1, perMs: 1000 } });
  const keyedTask = defineTask({ name: "keyed_here", queue: "both", run: (_p: { k: string }) => {}, concurrencyKey: (p) => p.k });
  const pool = (entry: ReturnType<typeof registered>) => new WorkerPool({ ...NO_APP, store, registry: registryOf(entry),
    queues: { both: { rateLimit: { max: 5, perMs: 1000 } } } });
  expect(() => pool(registered(limitedTask))).toThrow('queue "both": has a rateLimit, and so has its task "own_limit"');
  expect(() => pool(registered(keyedTask))).toThrow('queue "both": a rateLimit cannot be combined with a concurrencyKey (task "keyed_here")');
});
