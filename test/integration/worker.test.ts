import { afterEach, describe, expect, it } from "vitest";
import {
  defineTask, enqueueFunction, PayloadValidationError, WorkerPool, type EnqueueFunction, type WorkerEvent, type AppLifecycle, type WorkerPoolBaseOptions,
} from "../../src/index.js";
import { eventually, testDatabase } from "../support/db.js";
import { NO_APP, registered, registryOf, validatorFor } from "../support/tasks.js";

const db = await testDatabase("worker");
const store = db.store();
const pools: WorkerPool[] = [];

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.stop()));
});

/** Pools here give their tasks no app unless a test passes one. */
function startPool(options: Omit<WorkerPoolBaseOptions, "store"> & { app?: AppLifecycle }): { pool: WorkerPool; events: WorkerEvent[] } {
  const events: WorkerEvent[] = [];
  const pool = new WorkerPool({ ...NO_APP, store, leaseMs: 5_000, ...options, onEvent: (e) => events.push(e) });
  pools.push(pool);
  return { pool, events };
}

const greetSchema = {
  type: "object",
  properties: { name: { type: "string", minLength: 1 }, times: { type: "integer", minimum: 1 } },
  required: ["name"],
  additionalProperties: false,
};

async function rowsOf(taskName: string) {
  const { rows } = await db.sql.query("SELECT id, state, attempts, errors FROM backie_tasks WHERE task_name = $1 ORDER BY id", [taskName]);
  return rows as Array<{ id: string; state: string; attempts: number; errors: Array<{ attempt: number; message: string; kind: string }> }>;
}

describe("worker pool", () => {
  it("runs an enqueued task and removes it when done (removeDone)", async () => {
    const seen: string[] = [];
    const greet = defineTask({
      name: "greet", queue: "w_greet",
      async run(payload: { name: string }) {
        seen.push(payload.name);
      },
    });
    const enqueue = enqueueFunction<{ name: string }>(() => store, { name: "greet", queue: "w_greet", maxRetries: 3, validate: validatorFor(greetSchema) });
    const { pool } = startPool({ registry: registryOf(registered(greet, greetSchema)) });
    await pool.start();
    const { id } = await enqueue({ name: "Ada" });
    await eventually("the task to run and its row to go", async () => seen.length === 1 && (await store.findTasks([id])).length === 0);
    expect(seen).toEqual(["Ada"]);
  });

  it("retries a failing task with exponential backoff, then fails it with every attempt's error", async () => {
    const startedAt: number[] = [];
    const flaky = defineTask({
      name: "always_fails", queue: "w_fail", maxRetries: 2,
      backoff: { kind: "exponential", baseMs: 150, maxMs: 10_000 },
      async run(_payload: Record<string, never>, ctx) {
        startedAt.push(Date.now());
        throw new Error(`no luck on attempt ${ctx.task.attempt}`);
      },
    });
    const enqueue = enqueueFunction(() => store, { name: "always_fails", queue: "w_fail", maxRetries: 2, validate: validatorFor({ type: "object" }) });
    const { pool, events } = startPool({ registry: registryOf(registered(flaky)), queues: { w_fail: { pullIntervalMs: 20 } } });
    await pool.start();
    const { id } = await enqueue({});
    await eventually("the task to fail for good", async () => (await store.findTasks([id]))[0]?.state === "failed");
    expect(startedAt).toHaveLength(3);
    // Delays: 150 ms after the first failure, 300 ms after the second.
    expect(startedAt[1]! - startedAt[0]!).toBeGreaterThanOrEqual(140);
    expect(startedAt[2]! - startedAt[1]!).toBeGreaterThanOrEqual(290);
    const [stored] = await store.findTasks([id]);
    expect(stored!.attempts).toBe(3);
    expect(stored!.errors.map((e) => [e.attempt, e.kind, e.message])).toEqual([
      [1, "error", "no luck on attempt 1"],
      [2, "error", "no luck on attempt 2"],
      [3, "error", "no luck on attempt 3"],
    ]);
    expect(stored!.errors[0]!.stack).toContain("no luck on attempt 1");
    expect(events.filter((e) => e.type === "task:retried").map((e) => (e as { delayMs: number }).delayMs)).toEqual([150, 300]);
    expect(events.filter((e) => e.type === "task:failed")).toHaveLength(1);
  });

  it("marks a task that succeeds after failures as done and keeps its earlier errors (keepAll)", async () => {
    const recovers = defineTask({
      name: "recovers", queue: "w_recover", backoff: { kind: "none" },
      async run(_payload: object, ctx) {
        if (ctx.task.attempt < 3) throw `string thrown on attempt ${ctx.task.attempt}`;
      },
    });
    const enqueue = enqueueFunction(() => store, { name: "recovers", queue: "w_recover", maxRetries: 3, validate: validatorFor({}) });
    const { pool } = startPool({ registry: registryOf(registered(recovers)), queues: { w_recover: { retentionMode: "keepAll", pullIntervalMs: 20 } } });
    await pool.start();
    const { id } = await enqueue({});
    await eventually("the task to be done", async () => (await store.findTasks([id]))[0]?.state === "done");
    const [stored] = await store.findTasks([id]);
    expect(stored!.errors.map((e) => e.message)).toEqual(["string thrown on attempt 1", "string thrown on attempt 2"]);
    expect(stored!.finishedAt).not.toBeNull();
  });

  it("rejects an invalid payload with every violation's path and stores nothing", async () => {
    const enqueue = enqueueFunction<{ name: string; times?: number }>(() => store, { name: "greet_strict", queue: "w_invalid", maxRetries: 3, validate: validatorFor(greetSchema) });
    const attempt = enqueue({ name: "", times: 0, extra: true } as never);
    await expect(attempt).rejects.toBeInstanceOf(PayloadValidationError);
    const error = (await attempt.catch((e: unknown) => e)) as PayloadValidationError;
    expect(error.violations).toEqual([
      { path: "$.extra", message: "is not a known property" },
      { path: "$.name", message: "must NOT have fewer than 1 characters" },
      { path: "$.times", message: "must be >= 1" },
    ]);
    expect(error.message).toContain('task "greet_strict"');
    await expect(enqueue.many([{ name: "ok" }, { name: 5 as unknown as string }])).rejects.toThrow(/\$\.name must be string/);
    expect(await rowsOf("greet_strict")).toEqual([]);
  });

  it("lets a task enqueue others through ctx.enqueue: validated, deduplicated, and a clear error for unknown names", async () => {
    type Child = { name: string; times?: number };
    const ran: string[] = [];
    const child = defineTask({
      name: "w_child", queue: "w_ctx",
      async run(payload: Child) {
        ran.push(payload.name);
      },
      uniqueKey: (p) => p.name,
    });
    const outcomes: unknown[] = [];
    const parent = defineTask({
      name: "w_parent", queue: "w_ctx", maxRetries: 0,
      async run(payload: { names: string[]; bad?: boolean; unknown?: boolean }, ctx) {
        // Test tasks are not in generated/, so ctx.enqueue is not typed with them here.
        const enqueue = ctx.enqueue as unknown as Record<string, EnqueueFunction<Child>>;
        if (payload.unknown) return void enqueue.noSuchTask!({ name: "x" });
        if (payload.bad) return void (await enqueue.child!({ name: "" }));
        outcomes.push(...(await enqueue.child!.many(payload.names.map((name) => ({ name })))));
      },
    });
    const { pool, events } = startPool({
      registry: registryOf(registered(child, greetSchema, "child"), registered(parent, { type: "object" }, "parent")),
      queues: { w_ctx: { retentionMode: "keepAll" } },
    });
    await pool.start();
    const enqueueParent = enqueueFunction<object>(() => store, { name: "w_parent", queue: "w_ctx", maxRetries: 0, validate: validatorFor({ type: "object" }) });
    await enqueueParent({ names: ["Ada", "Grace", "Ada"] });
    await eventually("both children to run", async () => ran.length === 2);
    expect(ran.sort()).toEqual(["Ada", "Grace"]);
    expect(outcomes).toMatchObject([{ deduplicated: false }, { deduplicated: false }, { deduplicated: true }]);

    const bad = await enqueueParent({ names: [], bad: true });
    const unknown = await enqueueParent({ names: [], unknown: true });
    await eventually("both parents to fail", async () => events.filter((e) => e.type === "task:failed").length === 2);
    const [badRow] = await store.findTasks([bad.id]);
    const [unknownRow] = await store.findTasks([unknown.id]);
    expect(badRow!.errors[0]!.message).toMatch(/w_child.*\$\.name.*fewer than 1 characters/s);
    expect(unknownRow!.errors[0]!.message).toBe(
      "ctx.enqueue.noSuchTask: no such task in this worker's registry (it has: child, parent); run `npm run gen` and restart the worker",
    );
    expect(await rowsOf("w_child")).toHaveLength(2);
  });
});
