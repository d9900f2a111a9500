import { afterEach, describe, expect, it } from "vitest";
import { defineTask, enqueueFunction, Snooze, WorkerPool, type RegisteredTask, type WorkerEvent } from "../../src/index.js";
import { eventually, testDatabase } from "../support/db.js";
import { NO_APP, registered, registryOf, validatorFor } from "../support/tasks.js";

const db = await testDatabase("snooze");
const store = db.store();
const pools: WorkerPool[] = [];

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.stop()));
});

function startPool(task: RegisteredTask, queue: string, events: WorkerEvent[] = []): WorkerPool {
  const pool = new WorkerPool({
    ...NO_APP, store, leaseMs: 5_000, registry: registryOf(task),
    queues: { [queue]: { retentionMode: "keepAll", pullIntervalMs: 20 } }, onEvent: (e) => events.push(e),
  });
  pools.push(pool);
  return pool;
}

describe("snooze", () => {
  it("runs again after the delay without spending an attempt or recording an error, returned or thrown", async () => {
    const starts: Array<{ attempt: number; at: number }> = [];
    // maxRetries 0: a single counted failure would fail it for good; snoozes must not count.
    const polite = defineTask({
      name: "polite", queue: "s_polite", maxRetries: 0,
      async run(_p: object, ctx) {
        starts.push({ attempt: ctx.task.attempt, at: Date.now() });
        if (starts.length === 1) return ctx.snooze(200);
        if (starts.length === 2) throw Snooze.retryAfter("0");
        if (starts.length === 3) return ctx.snooze(new Date(Date.now() + 150));
      },
    });
    const events: WorkerEvent[] = [];
    const enqueue = enqueueFunction(() => store, { name: "polite", queue: "s_polite", maxRetries: 0, validate: validatorFor({ type: "object" }) });
    await startPool(registered(polite), "s_polite", events).start();
    const { id } = await enqueue({});
    await eventually("the task to finish", async () => (await store.findTasks([id]))[0]?.state === "done");
    const [stored] = await store.findTasks([id]);
    expect(starts).toHaveLength(4);
    expect(starts.map((s) => s.attempt)).toEqual([1, 1, 1, 1]);
    expect(stored!.attempts).toBe(1);
    expect(stored!.errors).toEqual([]);
    expect(starts[1]!.at - starts[0]!.at).toBeGreaterThanOrEqual(190);
    expect(starts[3]!.at - starts[2]!.at).toBeGreaterThanOrEqual(140);
    expect(events.filter((e) => e.type === "task:snoozed").map((e) => (e as { delayMs: number }).delayMs)).toEqual([200, 0, expect.any(Number)]);
    expect(events.filter((e) => e.type === "task:retried" || e.type === "task:failed")).toEqual([]);
  });

  it("fails the attempt with a one-line error when the snooze delay is invalid, and the worker goes on", async () => {
    const bad = defineTask({
      name: "bad_snooze", queue: "s_bad", maxRetries: 0,
      async run(p: { delay: number }, ctx) {
        return ctx.snooze(p.delay);
      },
    });
    const enqueue = enqueueFunction<{ delay: number }>(() => store, { name: "bad_snooze", queue: "s_bad", maxRetries: 0, validate: validatorFor({ type: "object" }) });
    await startPool(registered(bad), "s_bad").start();
    const { id } = await enqueue({ delay: -5 });
    await eventually("the task to fail", async () => (await store.findTasks([id]))[0]?.state === "failed");
    const [stored] = await store.findTasks([id]);
    expect(stored!.errors[0]!.message).toMatch(/^snooze: the delay must be a number of milliseconds from 0 to \d+, got -5$/);
  });
});
