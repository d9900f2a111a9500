/**
 * Metrics with the real OpenTelemetry SDK (in-memory exporter): counters add up to the tasks two
 * pools processed, outcomes are labelled, and the depth and lag gauges match SQL counts.
 */
import { metrics } from "@opentelemetry/api";
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader, type DataPoint } from "@opentelemetry/sdk-metrics";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineTask, enqueueFunction, WorkerPool } from "../../src/index.js";
import { eventually, testDatabase } from "../support/db.js";
import { NO_APP, newTask, registered, registryOf, validatorFor } from "../support/tasks.js";

const db = await testDatabase("metrics");
const store = db.store();
const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
const provider = new MeterProvider({ readers: [reader] });
beforeAll(() => void metrics.setGlobalMeterProvider(provider));
afterAll(async () => {
  await provider.shutdown();
  metrics.disable();
});

/** Collects now and returns the data points of `name`. */
async function points(name: string): Promise<Array<DataPoint<unknown>>> {
  exporter.reset();
  await reader.forceFlush();
  const found = exporter.getMetrics().flatMap((r) => r.scopeMetrics).flatMap((s) => s.metrics).filter((m) => m.descriptor.name === name);
  return found.flatMap((m) => m.dataPoints as Array<DataPoint<unknown>>);
}
const sum = (list: Array<DataPoint<unknown>>, match: Record<string, string>) =>
  list.filter((p) => Object.entries(match).every(([k, v]) => p.attributes[k] === v)).reduce((n, p) => n + (p.value as number), 0);

describe("metrics", () => {
  it("counts enqueued and completed tasks by outcome across two pools, with durations and waits", async () => {
    const work = defineTask({
      name: "metered", queue: "m", maxRetries: 1, backoff: { kind: "fixed", delayMs: 10 },
      run(p: { fail?: "always" | "once" }, ctx) {
        if (p.fail === "always" || (p.fail === "once" && ctx.task.attempt === 1)) throw new Error("no");
      },
    });
    const enqueue = enqueueFunction<{ fail?: "always" | "once" }>(() => store, { name: "metered", queue: "m", maxRetries: 1, validate: validatorFor({}) });
    await enqueue.many([...Array.from({ length: 40 }, () => ({})), { fail: "always" }, { fail: "once" }]);
    const pools = [0, 1].map(() => new WorkerPool({ ...NO_APP, store, registry: registryOf(registered(work)), queues: { m: { numWorkers: 4 } } }));
    await Promise.all(pools.map((p) => p.start()));
    try {
      await eventually("every task to finish", async () => {
        const { rows } = await db.sql.query("SELECT count(*)::int AS n FROM backie_tasks WHERE queue_name = 'm' AND state IN ('ready', 'running')");
        return rows[0].n === 0;
      });
    } finally {
      await Promise.all(pools.map((p) => p.stop()));
    }
    const enqueued = await points("backie.tasks.enqueued");
    expect(sum(enqueued, { task: "metered", queue: "m" })).toBe(42);
    const completed = await points("backie.tasks.completed");
    expect(sum(completed, { task: "metered", outcome: "success" })).toBe(41);
    expect(sum(completed, { task: "metered", outcome: "retry" })).toBe(2);
    expect(sum(completed, { task: "metered", outcome: "failed" })).toBe(1);
    const durations = (await points("backie.task.duration")).filter((p) => p.attributes.task === "metered");
    expect(durations.reduce((n, p) => n + (p.value as { count: number }).count, 0)).toBe(44);
    const waits = (await points("backie.task.wait")).filter((p) => p.attributes.task === "metered");
    expect(waits.reduce((n, p) => n + (p.value as { count: number }).count, 0)).toBe(44);
    const batches = (await points("backie.claim.batch_size")).filter((p) => p.attributes.queue === "m");
    expect(batches.reduce((n, p) => n + (p.value as { sum: number }).sum, 0)).toBe(44);
    // Labels stay bounded: no ids, no payloads.
    for (const p of [...enqueued, ...completed]) expect(Object.keys(p.attributes).sort()).toEqual(expect.arrayContaining(["queue", "task"]));
    for (const p of completed) expect(Object.keys(p.attributes).sort()).toEqual(["outcome", "queue", "task"]);
  });

  it("reports queue depth and lag from one snapshot per interval for the cluster, matching SQL", async () => {
    const idle = defineTask({ name: "idle", queue: "depth_other", run() {} });
    await store.insertTasks([
      ...Array.from({ length: 7 }, () => newTask("waiting", "depth_q")),
      ...Array.from({ length: 3 }, () => newTask("waiting", "depth_q", {}, { delayMs: 3_600_000 })),
    ]);
    await db.sql.query("UPDATE backie_tasks SET scheduled_at = now() - interval '90 seconds' WHERE queue_name = 'depth_q' AND scheduled_at <= now()");
    // Parked durable tasks: 2 asleep for a day, 1 waiting for a signal without a time-out.
    await db.sql.query(`INSERT INTO backie_tasks (task_name, queue_name, payload, parked, waiting_for, scheduled_at)
      VALUES ('waiting', 'depth_q', '{}', 'sleeping', NULL, now() + interval '1 day'), ('waiting', 'depth_q', '{}', 'sleeping', NULL, now() + interval '1 day'),
             ('waiting', 'depth_q', '{}', 'waiting', 'approved', 'infinity')`);
    // Held by another worker: 2 runs it confirmed, 3 only claimed (its prefetch).
    await db.sql.query(`INSERT INTO backie_tasks (task_name, queue_name, payload, state, lease_owner, lease_expires_at, started_at, lease_confirmed_at)
      SELECT 'waiting', 'depth_q', '{}', 'running', 'elsewhere', now() + interval '1 hour', now(), CASE WHEN i <= 2 THEN now() END FROM generate_series(1, 5) AS i`);
    await db.sql.query("UPDATE backie_metrics_snapshot SET computed_at = '-infinity'");
    const pools = [0, 1].map(() => new WorkerPool({ ...NO_APP, store, registry: registryOf(registered(idle)) }));
    await Promise.all(pools.map((p) => p.start()));
    try {
      const depth = await points("backie.queue.depth");
      const { rows } = await db.sql.query("SELECT count(*)::int AS n FROM backie_tasks WHERE queue_name = 'depth_q' AND state = 'ready' AND scheduled_at <= now()");
      // Both pools observe the gauge; they report the same snapshot.
      const ready = depth.filter((p) => p.attributes.queue === "depth_q" && p.attributes.state === "ready");
      expect(ready.length).toBeGreaterThanOrEqual(1);
      expect(new Set(ready.map((p) => p.value))).toEqual(new Set([rows[0].n]));
      const parked = (state: string) => new Set(depth.filter((p) => p.attributes.queue === "depth_q" && p.attributes.state === state).map((p) => p.value));
      expect(parked("sleeping")).toEqual(new Set([2]));
      expect(parked("waiting")).toEqual(new Set([1]));
      // Each task in one state: a prefetched task is not counted as a run.
      expect(parked("running")).toEqual(new Set([2]));
      expect(parked("claimed")).toEqual(new Set([3]));
      const lag = (await points("backie.queue.lag")).filter((p) => p.attributes.queue === "depth_q");
      expect(lag[0]!.value as number).toBeGreaterThanOrEqual(89);
      const busy = (await points("backie.worker.slots")).filter((p) => p.attributes.queue === "depth_other");
      expect(busy.map((p) => p.value)).toEqual([10]);
      // One computation for the cluster: one owner wrote the snapshot.
      const { rows: snap } = await db.sql.query("SELECT owner FROM backie_metrics_snapshot");
      expect(pools.map((p) => p.owner)).toContain(snap[0].owner);
    } finally {
      await Promise.all(pools.map((p) => p.stop()));
    }
  });

  it("measures a task's wait by the database's clock, however far off the worker's clock is", async () => {
    const clocked = defineTask({ name: "clocked", queue: "clock_q", async run() {} });
    await store.insertTasks(Array.from({ length: 5 }, () => newTask("clocked", "clock_q")));
    // Waited 30 s by the database's clock; this worker's clock runs an hour fast.
    await db.sql.query("UPDATE backie_tasks SET scheduled_at = now() - interval '30 seconds' WHERE queue_name = 'clock_q'");
    const realNow = Date.now;
    Date.now = () => realNow() + 3_600_000;
    const pool = new WorkerPool({ ...NO_APP, store, registry: registryOf(registered(clocked)), queues: { clock_q: { numWorkers: 5 } } });
    try {
      await pool.start();
      await eventually("the five runs", async () => (await db.sql.query("SELECT 1 FROM backie_tasks WHERE queue_name = 'clock_q' AND state IN ('ready', 'running')")).rowCount === 0);
    } finally {
      await pool.stop();
      Date.now = realNow;
    }
    const [wait] = (await points("backie.task.wait")).filter((p) => p.attributes.task === "clocked");
    const histogram = wait!.value as { count: number; sum: number; min?: number; max?: number };
    expect(histogram.count).toBe(5);
    // By the worker's clock each would have waited 3,630 s.
    expect(histogram.min).toBeGreaterThanOrEqual(29);
    expect(histogram.max).toBeLessThan(60);
  });
});
