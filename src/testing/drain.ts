import type { ClaimedTask, TaskStore } from "../store/taskStore.js";
import { resultOf } from "../worker/outcome.js";
import type { AppContext, RetentionMode, TaskErrorRecord, TaskLogger } from "../types.js";
import { batchedSteps } from "../worker/stepBatch.js";
import type { RegisteredTask } from "../worker/executor.js";
import { withAliases } from "../worker/aliases.js";
import { QUIET_LOG, runOnce, type RunDeps } from "./runOnce.js";

export interface DrainOptions {
  /** Only this queue (default: every queue of the registry). */
  queue?: string;
  /** Also run what the drained runs enqueue, until nothing is due (default false: only what was there). */
  recursive?: boolean;
  /** Also run tasks scheduled for later, retries waiting for their backoff, and sleeping tasks (default false). */
  withScheduled?: boolean;
  /**
   * The clock that decides what is due, for claims, sleeps and time-outs (default the database's):
   * a test moves it to see a retry's backoff, a delayed task or a sleep come due. Ignored with `withScheduled`.
   */
  now?: Date;
  /** Stop after this many runs (default 10,000): a task that enqueues itself cannot loop forever. */
  limit?: number;
  app?: AppContext;
  log?: TaskLogger;
  /** What happens to finished rows (default removeDone, as in a worker). */
  retention?: RetentionMode;
}

export interface DrainedRun {
  id: string;
  task: string;
  outcome: "success" | "retry" | "failed" | "snoozed" | "parked";
  error?: TaskErrorRecord;
}

export interface DrainResult {
  success: number;
  retry: number;
  failed: number;
  snoozed: number;
  parked: number;
  /** Every run, in the order they ran. */
  runs: DrainedRun[];
}

/** A lease long enough for any test run; it is given up as each run is written. */
const LEASE_MS = 600_000;

/**
 * Runs what is due in the store through the real claim, executor, retry policy and result
 * writes, one task at a time in claim order, until nothing runnable is left (or `limit` runs).
 * Failures come back as values in `runs`. Per-key concurrency and rate limits are not applied:
 * the tasks run one after the other anyway.
 */
export async function drain(store: TaskStore, registry: Readonly<Record<string, RegisteredTask>>, options: DrainOptions = {}): Promise<DrainResult> {
  const entries = withAliases(registry, "drain");
  const byQueue = new Map<string, string[]>();
  for (const [name, entry] of entries) {
    if (options.queue !== undefined && entry.definition.queue !== options.queue) continue;
    byQueue.set(entry.definition.queue, [...(byQueue.get(entry.definition.queue) ?? []), name]);
  }
  const versions = Object.fromEntries([...entries].map(([name, e]) => [name, e.version ?? 0]));
  const horizon = options.recursive ? undefined : BigInt(await store.admin.maxTaskId());
  // "Later" is now, a century ahead, for withScheduled.
  const now = options.withScheduled ? new Date(Date.now() + 100 * 365 * 86_400_000) : options.now;
  const deps = {
    store, registry: entries, app: options.app ?? ({} as AppContext), log: options.log ?? QUIET_LOG,
    now: () => now ?? new Date(), steps: batchedSteps(store.steps),
  };
  const result: DrainResult = { success: 0, retry: 0, failed: 0, snoozed: 0, parked: 0, runs: [] };
  const limit = options.limit ?? 10_000;
  for (;;) {
    if (now !== undefined) await store.wakeParked([...byQueue.keys()], 10_000, now);
    let ran = false;
    for (const [queueName, taskNames] of byQueue) {
      const claimed = await store.claimTasks({ queueName, taskNames, versions, limit: 50, owner: "backie/testing", leaseMs: LEASE_MS, ...(now ? { now } : {}) });
      for (const task of claimed) {
        if ((horizon !== undefined && BigInt(task.id) > horizon) || result.runs.length >= limit) {
          // Enqueued by the drain itself (not recursive), or over the limit: left as it was.
          await store.completeTasks([{ id: task.id, token: task.token, outcome: "giveBack" }]);
          continue;
        }
        ran = true;
        const run = await runAndWrite(store, entries.get(task.taskName)!, task, deps, options.retention ?? "removeDone");
        if (run === undefined) continue;
        result[run.outcome]++;
        result.runs.push(run);
      }
    }
    // A task given back stays claimable: stop once only those are left.
    if (!ran) return result;
  }
}

/** One claimed task: run, decided as a worker decides, written; what happened. */
async function runAndWrite(store: TaskStore, entry: RegisteredTask, task: ClaimedTask, deps: RunDeps, retention: RetentionMode): Promise<DrainedRun | undefined> {
  const outcome = await runOnce(entry, task, deps);
  const write = resultOf(task, outcome, { backoff: entry.definition.backoff, retention });
  if (write === null || write.outcome === "giveBack") return undefined;
  await store.completeTasks([write]);
  const run = { id: task.id, task: task.taskName };
  switch (write.outcome) {
    case "retry":
    case "failed":
      return { ...run, outcome: write.outcome, error: write.error };
    case "snooze":
      return { ...run, outcome: "snoozed" };
    case "park":
      return { ...run, outcome: "parked" };
    default:
      return { ...run, outcome: "success" };
  }
}
