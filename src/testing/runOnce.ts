import { storedJson } from "../client/enqueue.js";
import type { ClaimedTask, TaskStore } from "../store/taskStore.js";
import type { AppContext, TaskLogger } from "../types.js";
import { taskEnqueue } from "../client/taskEnqueue.js";
import { fanOutWith } from "../worker/fanOut.js";
import { Run, type RegisteredTask, type RunOutcome } from "../worker/executor.js";
import type { DurableCalls } from "../worker/stepBatch.js";

/** What a test run needs besides its task: the store its ctx.enqueue writes to, and the rest of ctx. */
export interface RunDeps {
  store: TaskStore;
  registry: ReadonlyMap<string, RegisteredTask>;
  app: AppContext;
  log: TaskLogger;
  now: () => Date;
  steps: DurableCalls;
}

const quiet: TaskLogger = { info() {}, warn() {}, error() {} };
export const QUIET_LOG = quiet;


/** A payload as enqueue would store it and a worker read it back, or the same refusal enqueue gives. */
export function storedPayload(entry: RegisteredTask, payload: unknown): unknown {
  return JSON.parse(JSON.stringify(storedJson(entry.definition.name, entry.validate, payload))) as unknown;
}

/** One run of a claimed (or made-up) task through the real executor; its outcome, not thrown. */
export function runOnce(entry: RegisteredTask, task: ClaimedTask, deps: RunDeps): Promise<RunOutcome> {
  return new Promise<RunOutcome>((resolve) => {
    const env = {
      app: deps.app, log: deps.log, now: deps.now, steps: deps.steps,
      enqueue: taskEnqueue(deps.registry, deps.store),
      fanIn: fanOutWith(deps.store),
      onAbandoned: () => {},
      reportProgress: () => {},
    };
    const run = new Run(env, entry, task, entry.definition.timeoutMs, (_run, outcome) => resolve(outcome));
    run.start();
  });
}
