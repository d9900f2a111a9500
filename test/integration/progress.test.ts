import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, expect, it } from "vitest";
import { createDashboard, defineTask, enqueueFunction, WorkerPool, type TaskContext, type TaskStore } from "../../src/index.js";
import { eventually, testDatabase } from "../support/db.js";
import { NO_APP, registered, registryOf, validatorFor } from "../support/tasks.js";

const db = await testDatabase("progress");
const store = db.store();
const pools: WorkerPool[] = [];

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.stop()));
});

/** The store, counting the progress writes that reach it. */
function counting(): { store: TaskStore; writes: () => number } {
  let writes = 0;
  const wrapped = new Proxy(store, {
    get(target, key, receiver) {
      if (key === "setProgress") {
        return (...args: Parameters<TaskStore["setProgress"]>) => {
          writes++;
          return target.setProgress(...args);
        };
      }
      const value = Reflect.get(target, key, receiver) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { store: wrapped, writes: () => writes };
}

it("stores the latest progress in batched writes, readable while running and after, the last value included", async () => {
  const reported: number[] = [];
  const importer = defineTask({
    name: "importer", queue: "p_import", maxRetries: 0,
    async run(p: { rows: number }, ctx: TaskContext<{ done: number; of: number }>) {
      for (let done = 1; done <= p.rows; done++) {
        ctx.progress({ done, of: p.rows });
        reported.push(done);
        if (done % 100 === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
  });
  const counted = counting();
  const pool = new WorkerPool({
    ...NO_APP, store: counted.store, registry: registryOf(registered(importer)), progressIntervalMs: 100,
    queues: { p_import: { retentionMode: "keepAll", pullIntervalMs: 20 } },
  });
  pools.push(pool);
  await pool.start();
  const enqueue = enqueueFunction<{ rows: number }>(() => store, { name: "importer", queue: "p_import", maxRetries: 0, validate: validatorFor({ type: "object" }) });
  const started = Date.now();
  const { id } = await enqueue({ rows: 10_000 });
  let seenWhileRunning: unknown;
  await eventually("a progress value while the task runs", async () => {
    const [t] = await store.findTasks([id]);
    if (t?.state === "running" && t.progress !== null) seenWhileRunning = t.progress;
    return seenWhileRunning !== undefined;
  }, 10_000);
  expect(seenWhileRunning).toMatchObject({ of: 10_000 });
  await eventually("the task to finish with its last progress", async () => {
    const [t] = await store.findTasks([id]);
    return t?.state === "done" && (t.progress as { done: number } | null)?.done === 10_000;
  }, 10_000);
  const seconds = (Date.now() - started) / 1000;
  const [t] = await store.findTasks([id]);
  expect(t!.progress).toEqual({ done: 10_000, of: 10_000 });
  expect(t!.progressAt).toBeInstanceOf(Date);
  expect(reported).toHaveLength(10_000);
  // 10,000 reports, a write per 100 ms at most (plus the last one).
  expect(counted.writes()).toBeLessThanOrEqual(Math.ceil(seconds * 10) + 2);
  // The dashboard's task page shows it, escaped like everything stored.
  const handler = createDashboard({ store });
  const server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const page = await (await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/tasks/${id}`)).text();
    // jsonb keeps keys shorter first.
    expect(page).toContain("<code>{&quot;of&quot;:10000,&quot;done&quot;:10000}</code>");
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
  console.log(`progress: 10,000 reports in ${seconds.toFixed(1)} s stored by ${counted.writes()} writes`);
});

it("fails the attempt with a one-line error for a value that is not JSON or too large, and the worker goes on", async () => {
  const bad = defineTask({
    name: "bad_progress", queue: "p_bad", maxRetries: 0,
    run(p: { kind: string }, ctx) {
      ctx.progress(p.kind === "big" ? "x".repeat(70_000) : { n: 1n });
    },
  });
  const pool = new WorkerPool({ ...NO_APP, store, registry: registryOf(registered(bad)), queues: { p_bad: { retentionMode: "keepAll", pullIntervalMs: 20 } } });
  pools.push(pool);
  await pool.start();
  const enqueue = enqueueFunction<{ kind: string }>(() => store, { name: "bad_progress", queue: "p_bad", maxRetries: 0, validate: validatorFor({ type: "object" }) });
  const ids = [(await enqueue({ kind: "bigint" })).id, (await enqueue({ kind: "big" })).id];
  await eventually("both to fail", async () => (await store.findTasks(ids)).every((t) => t.state === "failed"));
  const [first, second] = await store.findTasks(ids);
  expect(first!.errors[0]!.message).toMatch(/^ctx\.progress: \S+ .+$/);
  expect(second!.errors[0]!.message).toBe("ctx.progress: the value is 70002 bytes as JSON; the limit is 65536");
  expect(first!.errors[0]!.message.split("\n")).toHaveLength(1);
});
