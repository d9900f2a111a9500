import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { defineTask, enqueueFunction, WorkerPool, type EnqueueResult } from "../../src/index.js";
import { eventually, testDatabase } from "../support/db.js";
import { NO_APP, registered, registryOf, validatorFor } from "../support/tasks.js";

const db = await testDatabase("enqueue");
const store = db.store();
const pools: WorkerPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.stop()));
});

const anyObject = validatorFor({ type: "object" });

describe("unique tasks", () => {
  it("four processes enqueueing one key 100 times at once produce exactly one task", async () => {
    const script = fileURLToPath(new URL("../support/enqueueProcess.ts", import.meta.url));
    const children = Array.from({ length: 4 }, () => {
      const child = spawn(process.execPath, ["--import", "tsx", script], {
        env: { ...process.env, DATABASE_URL: db.url, BACKIE_TEST_TIMES: "100" },
        stdio: ["pipe", "pipe", "inherit"],
      });
      let out = "";
      child.stdout.setEncoding("utf8").on("data", (c: string) => (out += c));
      const ready = new Promise<void>((resolve) => {
        const check = () => (out.includes("ready\n") ? resolve() : setTimeout(check, 10));
        check();
      });
      const done = new Promise<EnqueueResult[]>((resolve, reject) =>
        child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out.split("\n")[1]!)) : reject(new Error(`exit ${code}`)))),
      );
      return { child, ready, done };
    });
    await Promise.all(children.map((c) => c.ready));
    for (const c of children) c.child.stdin.end("go\n");
    const results = (await Promise.all(children.map((c) => c.done))).flat();
    expect(results).toHaveLength(400);
    const { rows } = await db.sql.query("SELECT id FROM backie_tasks WHERE task_name = 'unique_race'");
    expect(rows).toHaveLength(1);
    expect(new Set(results.map((r) => r.id))).toEqual(new Set([rows[0].id]));
    expect(results.filter((r) => !r.deduplicated)).toHaveLength(1);
  });

  it("dedupes within one batch and frees the key once the task finished", async () => {
    const enqueue = enqueueFunction<{ key: string; n: number }>(() => store, {
      name: "unique_batch", queue: "u_batch", maxRetries: 3, uniqueKey: (p) => p.key, validate: anyObject,
    });
    const results = await enqueue.many([{ key: "a", n: 1 }, { key: "b", n: 2 }, { key: "a", n: 3 }]);
    expect(results.map((r) => r.deduplicated)).toEqual([false, false, true]);
    expect(results[2]!.id).toBe(results[0]!.id);
    const task = defineTask({ name: "unique_batch", queue: "u_batch", async run(_p: object) {} });
    // A poll far away: only the commit's notification can start the task soon.
    const pool = new WorkerPool({ ...NO_APP, store, registry: registryOf(registered(task)), queues: { t_tx: { pullIntervalMs: 30_000 } } });
    pools.push(pool);
    await pool.start();
    await eventually("both to run", async () => (await store.findTasks(results.map((r) => r.id))).length === 0);
    const again = await enqueue({ key: "a", n: 4 });
    expect(again.deduplicated).toBe(false);
    expect(again.id).not.toBe(results[0]!.id);
  });
});

describe("scheduling", () => {
  it("does not start a task before its delayMs or runAt", async () => {
    const startedAt = new Map<string, number>();
    const task = defineTask({
      name: "scheduled", queue: "s_sched",
      async run(p: { label: string }) {
        startedAt.set(p.label, Date.now());
      },
    });
    const enqueue = enqueueFunction<{ label: string }>(() => store, { name: "scheduled", queue: "s_sched", maxRetries: 0, validate: anyObject });
    const pool = new WorkerPool({ ...NO_APP, store, registry: registryOf(registered(task)), queues: { s_sched: { pullIntervalMs: 20 } } });
    pools.push(pool);
    await pool.start();
    const t0 = Date.now();
    await enqueue({ label: "now" });
    await enqueue({ label: "delay" }, { delayMs: 400 });
    await enqueue({ label: "runAt" }, { runAt: new Date(t0 + 600) });
    await eventually("all three to run", async () => startedAt.size === 3);
    // Prompt, with room for a loaded CI machine; the delayed ones below are the real check.
    expect(startedAt.get("now")! - t0).toBeLessThan(1_000);
    expect(startedAt.get("delay")! - t0).toBeGreaterThanOrEqual(400);
    expect(startedAt.get("runAt")! - t0).toBeGreaterThanOrEqual(600);
  });
});

describe("transactional enqueue", () => {
  const enqueue = enqueueFunction<{ n: number }>(() => store, { name: "in_tx", queue: "t_tx", maxRetries: 3, validate: anyObject });
  const count = async () => (await db.sql.query("SELECT count(*)::int AS n FROM backie_tasks WHERE task_name = 'in_tx'")).rows[0].n as number;

  it("leaves no task when the caller's transaction rolls back", async () => {
    const client = await db.sql.connect();
    try {
      await client.query("BEGIN");
      await enqueue({ n: 1 }, { client });
      await enqueue.many([{ n: 2 }, { n: 3 }], { client });
      expect(await count()).toBe(0);
      await client.query("ROLLBACK");
    } finally {
      client.release();
    }
    expect(await count()).toBe(0);
  });

  it("makes the task visible to workers when the transaction commits", async () => {
    let ran = 0;
    const task = defineTask({ name: "in_tx", queue: "t_tx", async run(_p: object) { ran++; } });
    // A poll far away: only the commit's notification can start the task soon.
    const pool = new WorkerPool({ ...NO_APP, store, registry: registryOf(registered(task)), queues: { t_tx: { pullIntervalMs: 30_000 } } });
    pools.push(pool);
    await pool.start();
    const client = await db.sql.connect();
    try {
      await client.query("BEGIN");
      await enqueue({ n: 1 }, { client });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(ran).toBe(0);
      await client.query("COMMIT");
    } finally {
      client.release();
    }
    // Picked up by the commit's notification, long before the 30 s poll (generous for a loaded machine).
    const committedAt = Date.now();
    await eventually("the committed task to run", async () => ran === 1);
    expect(Date.now() - committedAt).toBeLessThan(10_000);
  });
});
