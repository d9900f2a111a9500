import { randomInt } from "node:crypto";
import { BackieError } from "../errors.js";
import { decideFailure } from "../retryPolicy.js";
import type { StepEntry, WaitOutcome } from "../store/stepStore.js";
import type { TaskStore } from "../store/taskStore.js";
import type { EnqueuedTask } from "../store/adminStore.js";
import type { AppContext, TaskErrorRecord, TaskLogger } from "../types.js";
import type { RegisteredTask } from "../worker/executor.js";
import type { DurableCalls } from "../worker/stepBatch.js";
import { withAliases } from "../worker/aliases.js";
import { QUIET_LOG, runOnce, storedPayload } from "./runOnce.js";

export interface PerformOptions {
  /** Which attempt this run is (default 1): the retry decision depends on it. */
  attempt?: number;
  /** The run's clock (default the real one): deadlines of ctx.sleep and ctx.waitFor start here. */
  now?: () => Date;
  /** `ctx.app` (default: an empty object). */
  app?: AppContext;
  log?: TaskLogger;
  /** A history to replay (from an earlier perform's `steps`): steps in it are not run again. */
  steps?: readonly StepEntry[];
  /** Signals already sent to the task, oldest first, for its ctx.waitFor. */
  signals?: ReadonlyArray<{ name: string; payload: unknown }>;
}

/** What one run did, as the worker would decide it; `enqueued`: the tasks it enqueued (ctx.enqueue, ctx.fanIn), oldest first. */
export type PerformOutcome<Result> = { steps: StepEntry[]; enqueued: EnqueuedTask[] } & (
  | { outcome: "success"; result: Result | undefined }
  | { outcome: "retry"; error: TaskErrorRecord; delayMs: number }
  | { outcome: "failed"; error: TaskErrorRecord }
  | { outcome: "snoozed"; delayMs: number }
  | { outcome: "parked"; parked: "sleeping" | "waiting"; until: Date | null; signal?: string }
);

/**
 * Runs one task the way a worker runs it: the payload checked and stored as enqueue would (a
 * payload that does not survive JSON is refused the same way), then the JSON round trip (Dates
 * revived), the executor, and the retry policy's decision. Nothing is claimed; what the run
 * enqueues through ctx.enqueue is written to `store` (assert on it). Durable calls work on an
 * in-memory history: pass `steps` back in to resume after a sleep or a wait.
 */
export async function perform<Result = unknown>(
  store: TaskStore,
  registry: Readonly<Record<string, RegisteredTask>>,
  taskName: string,
  payload: unknown,
  options: PerformOptions = {},
): Promise<PerformOutcome<Result>> {
  const entries = withAliases(registry, "perform");
  const entry = entries.get(taskName);
  if (entry === undefined) throw new BackieError(`perform: no task "${taskName}" in the registry (it has: ${[...entries.keys()].sort().join(", ")})`);
  const stored = storedPayload(entry, payload);
  const now = options.now ?? (() => new Date());
  const attempt = options.attempt ?? 1;
  const steps = [...(options.steps ?? [])];
  const signals = [...(options.signals ?? [])];
  // A made-up id, unlikely to meet a real one: ctx.fanIn keys its fan-out by it.
  const task = {
    id: String(9_000_000_000_000 + randomInt(1, 2 ** 40)), token: 1, taskName, queueName: entry.definition.queue, payload: stored,
    priority: 0, attempt, maxRetries: entry.definition.maxRetries, createdAtMs: now().getTime(), scheduledAtMs: now().getTime(),
    payloadVersion: entry.version ?? 0,
    // The executor keeps a run's return value (as JSON) only for a fan-in child: here, for the test.
    fanInId: "perform",
  };
  const memory: DurableCalls = {
    findSteps: () => Promise.resolve(steps),
    appendStep: (_lease, position, item) => {
      if (position !== steps.length) return Promise.resolve(false);
      steps.push(item);
      return Promise.resolve(true);
    },
    resolveWait: (_lease, position, signal, timedOut) => {
      const at = signals.findIndex((s) => s.name === signal);
      const outcome: WaitOutcome<unknown> | null = at >= 0
        ? { received: true, payload: JSON.parse(JSON.stringify(signals.splice(at, 1)[0]!.payload ?? null)) as unknown }
        : timedOut ? { received: false, timedOut: true } : null;
      if (outcome !== null) steps[position] = { ...steps[position]!, result: outcome };
      return Promise.resolve(outcome);
    },
  };
  const before = await store.admin.maxTaskId();
  const outcome = await runOnce(entry, task, {
    store, registry: entries, app: options.app ?? ({} as AppContext), log: options.log ?? QUIET_LOG, now, steps: memory,
  });
  // Ids rise with each insert: the run's are above what was there before it (others' too, if a test enqueues meanwhile).
  const enqueued = await store.admin.findEnqueued(null, 10_000, before);
  const common = { steps, enqueued };
  switch (outcome.kind) {
    case "success":
      return { outcome: "success", result: outcome.result as Result | undefined, ...common };
    case "snooze":
      return { outcome: "snoozed", delayMs: outcome.delayMs, ...common };
    case "park":
      return { outcome: "parked", parked: outcome.parked, until: outcome.runAt, ...(outcome.waitingFor === undefined ? {} : { signal: outcome.waitingFor }), ...common };
    case "error": {
      const decided = decideFailure({ id: task.id, token: 1, attempt, maxRetries: task.maxRetries }, outcome.error, {
        permanent: outcome.permanent, backoff: entry.definition.backoff, retention: "removeDone",
      });
      return decided.outcome === "retry"
        ? { outcome: "retry", error: outcome.error, delayMs: decided.delayMs ?? 0, ...common }
        : { outcome: "failed", error: outcome.error, ...common };
    }
    case "shutdown":
    case "lost":
      throw new Error(`perform: the run ended as "${outcome.kind}", which a test run cannot`);
  }
}
