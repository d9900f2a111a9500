import { decideFailure, decideSuccess } from "../retryPolicy.js";
import type { ClaimedTask, TaskResult } from "../store/taskStore.js";
import type { BackoffMode, RetentionMode, TaskErrorRecord } from "../types.js";
import type { RunOutcomeLabel } from "../telemetry/metrics.js";

/** How a run ended, before the retry policy decides what to write. */
export type RunOutcome =
  /** `result`: a fan-in child's return value, JSON-safe (other runs' values are not kept). */
  | { kind: "success"; result?: unknown }
  /** `permanent`: do not retry (an invalid stored payload). */
  | { kind: "error"; error: TaskErrorRecord; permanent: boolean }
  /** The run asked to be run again after `delayMs`: not an attempt, not an error. */
  | { kind: "snooze"; delayMs: number }
  /** ctx.sleep or ctx.waitFor: parked until `runAt` (null: until its signal), the attempt not counted. */
  | { kind: "park"; parked: "sleeping" | "waiting"; runAt: Date | null; waitingFor?: string }
  /** Aborted by a forced shutdown: give the task back without counting the attempt. */
  | { kind: "shutdown" }
  /** Its lease is gone (cancelled, or rescued elsewhere): aborted, and nothing to write. */
  | { kind: "lost" };

/**
 * What to write for a run's outcome, by the retry policy: the queue runner's and the test kit's
 * drain alike. Null for a lost lease: the row is no longer the run's, nothing is written.
 */
export function resultOf(task: ClaimedTask, outcome: RunOutcome, policy: { backoff: BackoffMode; retention: RetentionMode }): TaskResult | null {
  const lease = { id: task.id, token: task.token };
  switch (outcome.kind) {
    case "lost":
      return null;
    case "success":
      return decideSuccess(task, policy.retention, outcome.result);
    case "shutdown":
      return { ...lease, outcome: "giveBack" };
    case "snooze":
      return { ...lease, outcome: "snooze", delayMs: outcome.delayMs };
    case "park":
      return { ...lease, outcome: "park", parked: outcome.parked, runAt: outcome.runAt, ...(outcome.waitingFor === undefined ? {} : { waitingFor: outcome.waitingFor }) };
    case "error":
      return decideFailure(task, outcome.error, { permanent: outcome.permanent, ...policy });
  }
}

/** A decided result in the metrics' and spans' words: one vocabulary for both. Null: "lost". */
export function outcomeLabel(result: TaskResult | null): RunOutcomeLabel {
  if (result === null) return "lost";
  switch (result.outcome) {
    case "remove":
    case "done":
      return "success";
    case "giveBack":
      return "given_back";
    case "snooze":
      return "snoozed";
    case "park":
      return "parked";
    case "retry":
      return result.error.kind === "timeout" ? "timeout" : "retry";
    case "failed":
      return result.error.kind === "timeout" ? "timeout" : "failed";
  }
}
