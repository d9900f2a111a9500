/**
 * Durable steps, sleeps and signals against a real database, in one worker pool: a step's effect
 * happens once across retries; a sleep parks the task (no slot, no attempt) and the next run goes
 * on after it; a signal sent before or after the wait is taken by it, one per wait; a wait times
 * out; a history that disagrees with the code fails the task as nondeterministic.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createDashboard, defineTask, sendSignal, WorkerPool, type NewTask, type WaitOutcome } from "../../src/index.js";
import { eventually, testDatabase } from "../support/db.js";
import { NO_APP, registered, registryOf, validatorFor } from "../support/tasks.js";

const db = await testDatabase("durable");
const store = db.store();

/** Side effects per task id and step: what "exactly once" is counted in. */
const effects = new Map<string, number>();
const effect = (key: string): void => void effects.set(key, (effects.get(key) ?? 0) + 1);
const seen = new Map<string, unknown>();

interface Approval { by: string }

const flaky = defineTask({
  name: "d_flaky", queue: "durable", maxRetries: 3, backoff: { kind: "fixed", delayMs: 10 },
  async run(_p: { failOnce?: boolean }, ctx) {
    const at = await ctx.step("stamp", () => (effect(`${ctx.task.id}:stamp`), { when: new Date("2026-01-02T03:04:05Z"), n: 1 }));
    await ctx.step("flaky", () => {
      effect(`${ctx.task.id}:flaky`);
      if (ctx.task.attempt === 1) throw new Error("the first try fails");
    });
    const last = await ctx.step("last", () => (effect(`${ctx.task.id}:last`), [new Date("2026-05-06T00:00:00Z")]));
    seen.set(ctx.task.id, { at, last, dateBack: at.when instanceof Date && last[0] instanceof Date });
  },
});

const sleeper = defineTask({
  name: "d_sleeper", queue: "durable",
  async run(p: { ms: number }, ctx) {
    await ctx.step("before", () => effect(`${ctx.task.id}:before`));
    await ctx.sleep("nap", p.ms);
    await ctx.step("after", () => effect(`${ctx.task.id}:after`));
  },
});

const waiter = defineTask({
  name: "d_waiter", queue: "durable", uniqueKey: (p: { order: string; timeoutMs?: number }) => p.order,
  signals: { approved: {} as Approval },
  async run(p: { order: string; timeoutMs?: number }, ctx) {
    await ctx.step("charge", () => effect(`${ctx.task.id}:charge`));
    const first = await ctx.waitFor("approved", p.timeoutMs === undefined ? {} : { timeout: p.timeoutMs });
    const second = p.timeoutMs === undefined ? await ctx.waitFor("approved", { id: "again" }) : null;
    seen.set(ctx.task.id, { first, second });
  },
});

const approvalSchema = { type: "object", properties: { by: { type: "string" } }, required: ["by"], additionalProperties: false };
const signalTarget = { name: "d_waiter", signals: { approved: validatorFor(approvalSchema) } };

let pool: WorkerPool;
beforeAll(async () => {
  pool = new WorkerPool({
    ...NO_APP, store, registry: registryOf(registered(flaky), registered(sleeper), registered(waiter)),
    queues: { durable: { numWorkers: 4, pullIntervalMs: 50 } }, leaseMs: 5_000,
  });
  await pool.start();
});
afterAll(() => pool.stop());

const task = (taskName: string, payload: unknown, extra: Partial<NewTask> = {}): NewTask =>
  ({ taskName, queueName: "durable", payload, priority: 0, uniqueKey: null, maxRetries: 3, runAt: null, delayMs: null, ...extra });
const row = async (id: string) => (await store.findTasks([id]))[0]!;

async function dashboardPage(path: string): Promise<string> {
  const handler = createDashboard({ store });
  const server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    return await (await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`)).text();
  } finally {
    server.close();
  }
}

describe("ctx.step", () => {
  it("a step's effect happens once across retries; its result comes back the same after the JSON round trip, Dates revived", async () => {
    const [t] = await store.insertTasks([task("d_flaky", {}, { maxRetries: 3 })]);
    await eventually("the task to finish", async () => seen.has(t!.id), 10_000);
    expect(effects.get(`${t!.id}:stamp`)).toBe(1);
    expect(effects.get(`${t!.id}:flaky`)).toBe(2);
    expect(effects.get(`${t!.id}:last`)).toBe(1);
    expect(seen.get(t!.id)).toEqual({ at: { when: new Date("2026-01-02T03:04:05Z"), n: 1 }, last: [new Date("2026-05-06T00:00:00Z")], dateBack: true });
  });

  it("a history that disagrees with the code fails the task as nondeterministic, naming both, never retried", async () => {
    // Not due until its history is in place (no run may start before).
    const [t] = await store.insertTasks([task("d_flaky", {}, { maxRetries: 3, delayMs: 60_000 })]);
    await db.sql.query(`UPDATE backie_tasks SET steps = '[{"id":"other","kind":"step","at":"2026-01-01T00:00:00Z"}]', scheduled_at = now() WHERE id = $1`, [t!.id]);
    await eventually("the task to fail", async () => (await row(t!.id)).state === "failed", 10_000);
    const failed = await row(t!.id);
    expect(failed.attempts).toBe(1);
    expect(failed.errors.at(-1)).toMatchObject({ kind: "nondeterministic" });
    expect(failed.errors.at(-1)!.message).toBe('step "stamp" (position 0) was reached where the task\'s history has step "other": the code changed under a running task, or the steps ran in another order; retry it with --from-start to run it afresh');
    expect(effects.get(`${t!.id}:stamp`)).toBeUndefined();
    // Retried from the start, the history is forgotten and the run completes.
    expect(await store.retryTask(t!.id, { fromStart: true })).toBe(true);
    await eventually("the retried task to finish", async () => seen.has(t!.id), 10_000);
  });
});

describe("ctx.sleep", () => {
  it("parks the task with no attempt spent; the next run goes on after the sleep, replaying the step before", async () => {
    const [t] = await store.insertTasks([task("d_sleeper", { ms: 1_500 })]);
    await eventually("the task to fall asleep", async () => (await row(t!.id)).parked === "sleeping", 10_000);
    const asleep = await row(t!.id);
    expect(asleep).toMatchObject({ state: "ready", attempts: 0, leaseOwner: null });
    expect(asleep.scheduledAt.getTime()).toBeGreaterThan(Date.now() + 500);
    expect(asleep.steps.map((s) => [s.id, s.kind])).toEqual([["before", "step"], ["nap", "sleep"]]);
    const counts = await store.countTasks();
    expect(counts.find((c) => c.taskName === "d_sleeper" && c.state === "ready")).toMatchObject({ sleeping: 1, waiting: 0 });
    // The dashboard's task page: parked, and the step timeline.
    const page = await dashboardPage(`/tasks/${t!.id}`);
    expect(page).toContain('<dd id="parked">sleeping until ');
    expect(page).toMatch(/<table id="steps">.*<td>step<\/td><td>before<\/td><td>\d+ ms, no result<\/td>.*<td>sleep<\/td><td>nap<\/td><td>until 20\d\d-/s);
    await eventually("the task to wake and finish", async () => effects.get(`${t!.id}:after`) === 1, 10_000);
    expect(effects.get(`${t!.id}:before`)).toBe(1);
  });
});

describe("ctx.waitFor and signals", () => {
  it("takes a signal sent after it parked, and one sent before it got there; each wait takes one", async () => {
    const [t] = await store.insertTasks([task("d_waiter", { order: "o-1" }, { uniqueKey: "o-1" })]);
    await eventually("the task to wait", async () => (await row(t!.id)).parked === "waiting", 10_000);
    const waiting = await row(t!.id);
    expect(waiting).toMatchObject({ state: "ready", waitingFor: "approved", attempts: 0 });
    // 'infinity': due only when its signal comes (pg reads it as the latest Date there is).
    expect(waiting.scheduledAt.getTime()).toBe(8_640_000_000_000_000);
    // Two signals: the first wait takes the first, the second wait the second; by id and by key.
    expect(await sendSignal(store, signalTarget, t!.id, "approved", { by: "ana" })).toEqual({ id: t!.id });
    expect(await sendSignal(store, signalTarget, { key: "o-1" }, "approved", { by: "bo" })).toEqual({ id: t!.id });
    await eventually("the task to finish", async () => seen.has(t!.id), 10_000);
    expect(seen.get(t!.id)).toEqual({ first: { received: true, payload: { by: "ana" } }, second: { received: true, payload: { by: "bo" } } });
    expect(effects.get(`${t!.id}:charge`)).toBe(1);

    // Sent before the task ever ran: kept in its inbox, taken at the wait.
    const [early] = await store.insertTasks([task("d_waiter", { order: "o-2" }, { uniqueKey: "o-2", delayMs: 800 })]);
    await sendSignal(store, signalTarget, early!.id, "approved", { by: "cy" });
    await sendSignal(store, signalTarget, early!.id, "approved", { by: "di" });
    await eventually("the early task to finish", async () => seen.has(early!.id), 10_000);
    expect(seen.get(early!.id)).toEqual({ first: { received: true, payload: { by: "cy" } }, second: { received: true, payload: { by: "di" } } });
  });

  it("times out within the poll interval", async () => {
    const [t] = await store.insertTasks([task("d_waiter", { order: "o-3", timeoutMs: 300 }, { uniqueKey: "o-3" })]);
    await eventually("the wait to time out", async () => seen.has(t!.id), 10_000);
    expect(seen.get(t!.id)).toEqual({ first: { received: false, timedOut: true } satisfies WaitOutcome<Approval>, second: null });
  });

  it("refuses a signal with one line: unknown name, bad payload, no such task, a finished task, an unknown key", async () => {
    const [t] = await store.insertTasks([task("d_waiter", { order: "o-4", timeoutMs: 1 }, { uniqueKey: "o-4" })]);
    await eventually("it to finish", async () => seen.has(t!.id), 10_000);
    const refusal = (to: Parameters<typeof sendSignal>[2], name: string, payload: unknown) =>
      sendSignal(store, signalTarget, to, name, payload).then(() => "sent", (e: Error) => e.message);
    expect(await refusal(t!.id, "rejected", {})).toBe('task "d_waiter" has no signal "rejected"; it declares: approved');
    expect(await refusal(t!.id, "approved", { by: 1 })).toBe('invalid payload for task "d_waiter" signal "approved": $.by must be string');
    expect(await refusal("999999999", "approved", { by: "x" })).toBe('signal "approved": no task 999999999');
    expect(await refusal("abc", "approved", { by: "x" })).toBe('signal "approved": task id must be a whole number, got "abc"');
    expect(await refusal({ key: "nope" }, "approved", { by: "x" })).toBe('signal "approved": no ready or running task "d_waiter" has the unique key "nope"');
    const [other] = await store.insertTasks([task("d_sleeper", { ms: 1 })]);
    expect(await refusal(other!.id, "approved", { by: "x" })).toBe(`signal "approved": task ${other!.id} is a "d_sleeper" task, not "d_waiter"`);
    const [cancelled] = await store.insertTasks([task("d_waiter", { order: "o-5" }, { uniqueKey: "o-5", delayMs: 60_000 })]);
    await store.cancelTask(cancelled!.id);
    expect(await refusal(cancelled!.id, "approved", { by: "x" })).toBe(`signal "approved": task ${cancelled!.id} is cancelled; only a ready or running task takes signals`);
  });
});
