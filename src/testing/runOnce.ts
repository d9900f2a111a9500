import { PayloadValidationError } from "../errors.js";
import { toJsonPayload } from "../payload.js";
import { payloadViolations } from "../validation.js";
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

/** The registry with each alias of a task under its own name too (as a worker claims them). */
export function withAliases(registry: Readonly<Record<string, RegisteredTask>>): Map<string, RegisteredTask> {
  const out = new Map(Object.entries(registry));
  for (const entry of Object.values(registry)) for (const alias of entry.definition.aliases ?? []) if (!out.has(alias)) out.set(alias, entry);
  return out;
}

/** A payload as enqueue would store it, or the same one-line refusal enqueue gives. */
export function storedPayload(entry: RegisteredTask, payload: unknown): unknown {
  const name = entry.definition.name;
  const { json, violations } = toJsonPayload(payload);
  if (violations.length > 0) throw new PayloadValidationError(name, violations);
  const invalid = payloadViolations(entry.validate, json);
  if (invalid.length > 0) throw new PayloadValidationError(name, invalid);
  return JSON.parse(JSON.stringify(json)) as unknown;
}

/** One run of a claimed (or made-up) task through the real executor; its outcome, not thrown. */
export function runOnce(entry: RegisteredTask, task: ClaimedTask, deps: RunDeps): Promise<RunOutcome> {
  return new Promise<RunOutcome>((resolve) => {
    const run = new Run({
      entry, task, app: deps.app, log: deps.log, now: deps.now, steps: deps.steps,
      enqueue: taskEnqueue(deps.registry, deps.store),
      fanIn: fanOutWith(deps.store),
      timeoutMs: entry.definition.timeoutMs,
      onAbandoned: () => {},
      reportProgress: () => {},
    }, (_run, outcome) => resolve(outcome));
    run.start();
  });
}
