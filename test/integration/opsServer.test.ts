/**
 * The worker entrypoint's operations port, in a real process: /metrics scraped over HTTP and
 * parsed by a Prometheus text parser and checked against SQL; /readyz unready while the database
 * is unreachable (a TCP proxy cut) and during shutdown; /healthz alive.
 */
import { statusOf } from "../support/rawRequest.js";
import parsePrometheus from "parse-prometheus-text-format";
import { expect, it } from "vitest";
import { eventually, testDatabase } from "../support/db.js";
import { spawnWorker } from "../support/processes.js";
import { newTask } from "../support/tasks.js";
import { startProxy } from "../support/tcpProxy.js";

const SCRIPT = new URL("../support/opsWorker.ts", import.meta.url).pathname;
const db = await testDatabase("opsServer");
const store = db.store();

type Family = { name: string; metrics: Array<{ value?: string; labels?: Record<string, string>; count?: string; buckets?: Record<string, string> }> };
async function scrape(base: string): Promise<Family[]> {
  const response = await fetch(`${base}/metrics`);
  expect(response.status).toBe(200);
  return parsePrometheus(await response.text()) as Family[];
}
const value = (families: Family[], name: string, labels: Record<string, string>): number | undefined => {
  const family = families.find((f) => f.name === name);
  const metric = family?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  return metric?.value === undefined ? undefined : Number(metric.value);
};

it("serves /healthz, /readyz and Prometheus /metrics matching SQL, and turns unready without the database and at shutdown", async () => {
  const target = new URL(db.url);
  const proxy = await startProxy(target.hostname, Number(target.port || 5432));
  const viaProxy = new URL(db.url);
  viaProxy.port = String(proxy.port);
  const worker = spawnWorker({ DATABASE_URL: viaProxy.toString(), BACKIE_METRICS_PORT: "0", BACKIE_LOG_FORMAT: "json" }, SCRIPT);
  try {
    let base = "";
    await eventually("the ops port", async () => {
      const line = worker.lines.find((l) => l.includes("serving /healthz, /readyz, /metrics on port"));
      const port = line && /on port (\d+)/.exec(line)?.[1];
      if (port) base = `http://127.0.0.1:${port}`;
      return base !== "";
    });
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    await eventually("ready", async () => (await fetch(`${base}/readyz`)).status === 200);

    await store.insertTasks(Array.from({ length: 20 }, () => newTask("record", "ops")));
    await eventually("20 runs", async () => value(await scrape(base), "backie_tasks_completed_total", { task: "record", outcome: "success" }) === 20);
    const families = await scrape(base);
    expect(families.map((f) => f.name)).toEqual(expect.arrayContaining([
      "backie_tasks_completed_total", "backie_task_duration", "backie_task_wait", "backie_claim_duration", "backie_claim_batch_size",
      "backie_worker_busy_slots", "backie_worker_slots",
    ]));
    expect(value(families, "backie_tasks_completed_total", { task: "record", queue: "ops", outcome: "success" })).toBe(20);
    // (This parser keeps a histogram's buckets, not its labels.)
    const durations = families.find((f) => f.name === "backie_task_duration")?.metrics ?? [];
    expect(durations.reduce((n, m) => n + Number(m.count ?? m.buckets?.["+Inf"] ?? 0), 0)).toBe(20);

    // Depth from the cluster snapshot equals SQL.
    await store.admin.setQueuePaused("ops", true);
    await store.insertTasks(Array.from({ length: 5 }, () => newTask("record", "ops")));
    await db.sql.query("UPDATE backie_metrics_snapshot SET computed_at = '-infinity'");
    const { rows } = await db.sql.query("SELECT count(*)::int AS n FROM backie_tasks WHERE queue_name = 'ops' AND state = 'ready' AND scheduled_at <= now()");
    const depth = await scrape(base);
    expect(value(depth, "backie_queue_depth", { queue: "ops", state: "ready" })).toBe(rows[0].n);
    expect(value(depth, "backie_queue_lag", { queue: "ops" })).toBeGreaterThanOrEqual(0);
    expect(value(await scrape(base), "backie_worker_slots", { queue: "ops" })).toBe(10);
    await store.admin.setQueuePaused("ops", false);

    // Database unreachable: unready (within the probe's timeout), ready again once it is back.
    proxy.cut(3_000);
    const unready = await fetch(`${base}/readyz`);
    expect(unready.status).toBe(503);
    expect(((await unready.json()) as { reason: string }).reason).toMatch(/database|took over/i);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    await eventually("ready again", async () => (await fetch(`${base}/readyz`)).status === 200, 20_000);

    // Shutting down (a run still going): unready until the process is gone.
    await store.insertTasks([newTask("record", "ops", { sleepMs: 2_000 })]);
    await eventually("the slow run to start", async () => {
      const { rows: running } = await db.sql.query("SELECT count(*)::int AS n FROM backie_tasks WHERE state = 'running'");
      return running[0].n === 1;
      // After the cut the worker may still be backing off its claims: up to the longest backoff.
    }, 20_000);
    worker.child.kill("SIGTERM");
    await eventually("unready while stopping", async () => (await fetch(`${base}/readyz`)).status === 503, 5_000);
    expect(await worker.exited).toBe(0);
  } finally {
    worker.child.kill("SIGKILL");
    await proxy.close();
  }
}, 90_000);

it("counts, summed over the /metrics of two worker processes, exactly the tasks they ran", async () => {
  await db.sql.query("DELETE FROM backie_tasks");
  const workers = [0, 1].map(() => spawnWorker({ DATABASE_URL: db.url, BACKIE_METRICS_PORT: "0", BACKIE_LOG_FORMAT: "json" }, SCRIPT));
  try {
    const bases: string[] = [];
    await eventually("both ops ports", async () => {
      bases.length = 0;
      for (const w of workers) {
        const port = /on port (\d+)/.exec(w.lines.find((l) => l.includes("serving /healthz, /readyz, /metrics on port")) ?? "")?.[1];
        if (port) bases.push(`http://127.0.0.1:${port}`);
      }
      return bases.length === 2;
    });
    // The port opens before the pool starts: wait until both pools take work.
    await eventually("both pools ready", async () => (await Promise.all(bases.map((b) => fetch(`${b}/readyz`)))).every((r) => r.status === 200));
    // Runs of 20 ms: one process alone would need 600 ms, so both take part.
    await store.insertTasks(Array.from({ length: 300 }, () => newTask("record", "ops", { sleepMs: 20 })));
    await eventually("300 runs", async () => {
      const { rows } = await db.sql.query("SELECT count(*)::int AS n FROM backie_tasks");
      return rows[0].n === 0;
    });
    const perProcess = await Promise.all(bases.map(async (b) => value(await scrape(b), "backie_tasks_completed_total", { task: "record", outcome: "success" }) ?? 0));
    expect(perProcess.reduce((a, b) => a + b, 0)).toBe(300);
    expect(perProcess.every((n) => n > 0)).toBe(true);
  } finally {
    for (const w of workers) w.child.kill("SIGTERM");
    await Promise.all(workers.map((w) => w.exited));
  }
}, 60_000);

it("says it serves no /metrics when the app registered its own meter provider, and answers 404 there with what it serves", async () => {
  const worker = spawnWorker({ DATABASE_URL: db.url, BACKIE_METRICS_PORT: "0", BACKIE_LOG_FORMAT: "json", OWN_METER: "1" }, SCRIPT);
  try {
    let base = "";
    await eventually("the ops port", async () => {
      const port = /serving \/healthz, \/readyz on port (\d+)/.exec(worker.lines.find((l) => l.includes("serving /healthz")) ?? "")?.[1];
      if (port) base = `http://127.0.0.1:${port}`;
      return base !== "";
    });
    // The next log line: it may come in a later chunk of the worker's output than the port's.
    await eventually("the line saying why there is no /metrics", async () =>
      worker.lines.some((l) => l.includes("no /metrics: the app registered its own OpenTelemetry meter provider, which receives Backie's metrics")));
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ status: "not found", paths: ["/healthz", "/readyz"] });
    // Request targets a client can write but fetch would normalise away: answered, and the worker lives on.
    const status = (target: string) => statusOf(new URL(base).port, target);
    expect(await status("//%2F")).toBe(404);
    expect(await status("//healthz")).toBe(404);
    expect(await status("*")).toBe(400);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(worker.child.exitCode).toBeNull();
  } finally {
    worker.child.kill("SIGTERM");
    await worker.exited;
  }
});
