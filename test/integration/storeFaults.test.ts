import { describe, expect, it } from "vitest";
import { defineTask, WorkerPool, type WorkerEvent } from "../../src/index.js";
import { PgTaskStore } from "../../src/db/pgTaskStore.js";
import { eventually, testDatabase } from "../support/db.js";
import { NO_APP, newTask, registered, registryOf } from "../support/tasks.js";
import { startProxy } from "../support/tcpProxy.js";

const db = await testDatabase("storeFaults");

describe("store faults", () => {
  it("backs off and resumes when connections are cut mid-run; no task is lost", async () => {
    const target = new URL(db.url);
    const proxy = await startProxy(target.hostname, Number(target.port || 5432));
    const viaProxy = new URL(db.url);
    viaProxy.hostname = "127.0.0.1";
    viaProxy.port = String(proxy.port);
    const store = new PgTaskStore({ connectionString: viaProxy.toString(), maxConnections: 4 });
    const runs = new Map<number, number>();
    const task = defineTask({
      name: "survives", queue: "f_cut", backoff: { kind: "none" }, maxRetries: 10,
      async run(p: { n: number }) {
        await new Promise((resolve) => setTimeout(resolve, 2));
        runs.set(p.n, (runs.get(p.n) ?? 0) + 1);
      },
    });
    const direct = db.store();
    await direct.insertTasks(Array.from({ length: 600 }, (_, n) => newTask("survives", "f_cut", { n }, { maxRetries: 10 })));
    const events: WorkerEvent[] = [];
    const pool = new WorkerPool({ ...NO_APP,
      store, registry: registryOf(registered(task)), leaseMs: 1_000, rescueIntervalMs: 200,
      queues: { f_cut: { numWorkers: 5, pullIntervalMs: 50 } }, onEvent: (e) => events.push(e),
    });
    await pool.start();
    try {
      for (let i = 0; i < 5; i++) {
        await new Promise((resolve) => setTimeout(resolve, 150));
        proxy.cut(i === 2 ? 700 : 50);
      }
      await eventually("all 600 tasks to finish", async () =>
        (await db.sql.query("SELECT count(*)::int AS n FROM backie_tasks WHERE queue_name = 'f_cut'")).rows[0].n === 0, 30_000);
      // The pool is still alive: a task added after the faults runs too.
      await direct.insertTasks([newTask("survives", "f_cut", { n: 1_000 })]);
      await eventually("a task added after the faults to run", async () => runs.has(1_000));
    } finally {
      await pool.stop();
      await store.close();
      await proxy.close();
    }
    expect([...Array(600).keys()].filter((n) => !runs.has(n))).toEqual([]);
    const storeErrors = events.filter((e) => e.type === "store:error");
    expect(storeErrors.length).toBeGreaterThan(0);
    // At least once: a run whose result was lost with its connection may repeat (after its
    // lease expired), but only rarely.
    const repeats = [...runs.values()].filter((c) => c > 1).length;
    console.log(`storeFaults: ${proxy.cuts} cuts, ${storeErrors.length} store errors, ${repeats} repeated runs, ${events.filter((e) => e.type === "task:rescued").length} rescues`);
    expect(repeats).toBeLessThan(60);
  });

  it("survives the server ending every session (as in a restart)", async () => {
    const store = db.store({ maxConnections: 4 });
    let ran = 0;
    const task = defineTask({ name: "after_restart", queue: "f_restart", async run(_p: object) { ran++; } });
    const events: WorkerEvent[] = [];
    const pool = new WorkerPool({ ...NO_APP, store, registry: registryOf(registered(task)), queues: { f_restart: { pullIntervalMs: 50 } }, onEvent: (e) => events.push(e) });
    await pool.start();
    try {
      await store.insertTasks([newTask("after_restart", "f_restart")]);
      await eventually("the first task", async () => ran === 1);
      await db.sql.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
      await new Promise((resolve) => setTimeout(resolve, 300));
      await db.sql.query("INSERT INTO backie_tasks (task_name, queue_name, payload) VALUES ('after_restart', 'f_restart', '{}')");
      await eventually("a task enqueued after the sessions ended", async () => ran === 2, 10_000);
    } finally {
      await pool.stop();
    }
    expect(events.some((e) => e.type === "store:error" && e.operation === "listen for new tasks")).toBe(true);
  });
});

describe("a result the database refuses", () => {
  it("does not hold back the results written with it: it is found, and its task fails as internal", async () => {
    const q = "f_refused";
    let poisoned = "";
    // A store that refuses one task's retry with a real data error from PostgreSQL, as a value it
    // cannot hold would be refused.
    class Refusing extends PgTaskStore {
      override async completeTasks(results: Parameters<PgTaskStore["completeTasks"]>[0], options?: { ifLeaseExpired?: boolean }) {
        if (results.some((r) => r.id === poisoned && r.outcome === "retry")) await this.pool.query("SELECT 'not a number'::int");
        return super.completeTasks(results, options);
      }
    }
    const store = new Refusing({ connectionString: db.url });
    const direct = db.store();
    const rows = await direct.insertTasks(Array.from({ length: 50 }, (_, n) => newTask("mixed", q, { n }, { maxRetries: 3 })));
    poisoned = rows[7]!.id;
    const ran = new Set<number>();
    const task = defineTask({
      name: "mixed", queue: q,
      async run(p: { n: number }) {
        if (p.n === 7) throw new Error("fails, and its retry cannot be stored");
        ran.add(p.n);
      },
    });
    const events: WorkerEvent[] = [];
    const pool = new WorkerPool({ ...NO_APP, store, registry: registryOf(registered(task)), completionDelayMs: 50, onEvent: (e) => events.push(e) });
    await pool.start();
    try {
      await eventually("the other 49 to finish and the refused one to fail", async () => {
        const { rows: left } = await db.sql.query("SELECT id, state, errors FROM backie_tasks WHERE queue_name = $1", [q]);
        return ran.size === 49 && left.length === 1 && left[0].state === "failed";
      }, 30_000);
    } finally {
      await pool.stop();
      await store.close();
    }
    const [row] = await direct.findTasks([poisoned]);
    expect(row).toMatchObject({ state: "failed", attempts: 1, errors: [{ kind: "internal" }] });
    expect(row!.errors[0]!.message).toMatch(/could not be stored \(SQLSTATE 22P02\): failed instead/);
  });
});
