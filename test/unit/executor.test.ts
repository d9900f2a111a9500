import { describe, expect, it } from "vitest";
import { defineTask } from "../../src/defineTask.js";
import type { ClaimedTask } from "../../src/store/taskStore.js";
import { Run, type RegisteredTask, type RunEnv, type RunOutcome } from "../../src/worker/executor.js";
import { registered } from "../support/tasks.js";

/** A run's environment and its own task, in one object. */
type RunInput = RunEnv & { entry: RegisteredTask; task: ClaimedTask; timeoutMs: number | undefined };

const claimed: ClaimedTask = {
  id: "1", token: 1, taskName: "t", queueName: "q", payload: { n: 1 }, priority: 0, attempt: 2, maxRetries: 3,
  createdAtMs: 0, scheduledAtMs: 0,
};
const nothing = () => Promise.reject(new Error("no durable steps here"));
const noSteps: RunInput["steps"] = { findSteps: nothing, appendStep: nothing, resolveWait: nothing };
const input = (run: (p: { n: number }, ctx: Parameters<Parameters<typeof defineTask>[0]["run"]>[1]) => unknown, extra: Partial<RunInput> = {}): RunInput => ({
  entry: registered(defineTask({ name: "t", run }), { type: "object", properties: { n: { type: "number" } }, required: ["n"] }),
  task: claimed, app: {} as RunInput["app"], log: { info() {}, warn() {}, error() {} }, enqueue: {} as RunInput["enqueue"], timeoutMs: undefined,
  now: () => new Date("2026-01-01T00:00:00Z"), onAbandoned: () => {}, reportProgress: () => {},
  fanIn: () => Promise.reject(new Error("no fan-in here")), ...extra, steps: extra.steps ?? noSteps,
});

/** Starts a run; its outcome, and the run (for abort). */
function startRun(runInput: RunInput): { outcome: Promise<RunOutcome>; abort(): void } {
  let settle!: (o: RunOutcome) => void;
  const outcome = new Promise<RunOutcome>((resolve) => (settle = resolve));
  const run = new Run(runInput, runInput.entry, runInput.task, runInput.timeoutMs, (_run, o) => settle(o));
  run.start();
  return { outcome, abort: () => run.abort() };
}

describe("executor", () => {
  it("reports success", async () => {
    expect(await startRun(input(async () => {})).outcome).toEqual({ kind: "success" });
  });

  it("turns anything thrown into an error with the attempt number", async () => {
    const sync = await startRun(input(() => { throw new Error("sync"); })).outcome;
    expect(sync).toMatchObject({ kind: "error", permanent: false, error: { attempt: 2, kind: "error", message: "sync", at: "2026-01-01T00:00:00.000Z" } });
    expect(await startRun(input(async () => { throw undefined; })).outcome).toMatchObject({ error: { message: "task threw undefined" } });
    expect(await startRun(input(async () => { throw { code: 7 }; })).outcome).toMatchObject({ error: { message: 'task threw {"code":7}' } });
  });

  it("fires the signal at the timeout and frees the slot even if the run ignores it", async () => {
    let abandoned = false;
    let sawAbort = false;
    const handle = startRun(input(async (_p, ctx) => {
      ctx.signal.addEventListener("abort", () => (sawAbort = true));
      await new Promise((resolve) => setTimeout(resolve, 150));
    }, { timeoutMs: 30, onAbandoned: () => (abandoned = true) }));
    expect(await handle.outcome).toMatchObject({ kind: "error", permanent: false, error: { kind: "timeout", message: "timed out after 30 ms" } });
    expect(sawAbort).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(abandoned).toBe(true);
  });

  it("fails permanently, without running, when the stored payload is invalid", async () => {
    let ran = false;
    const outcome = await startRun({ ...input(async () => { ran = true; }), task: { ...claimed, payload: { n: "one" } } }).outcome;
    expect(ran).toBe(false);
    expect(outcome).toMatchObject({ kind: "error", permanent: true, error: { kind: "invalid_payload", message: 'stored payload is invalid for task "t": $.n must be number' } });
  });

  it("settles as shutdown when aborted, and fires the signal", async () => {
    let signalled = false;
    const handle = startRun(input(async (_p, ctx) => {
      await new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => { signalled = true; resolve(); }));
    }));
    handle.abort();
    expect(await handle.outcome).toEqual({ kind: "shutdown" });
    expect(signalled).toBe(true);
  });
});
