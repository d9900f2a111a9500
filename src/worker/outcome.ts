import { decideFailure, decideSuccess } from "../retryPolicy.js";
import type { ClaimedTask, TaskResult } from "../store/taskStore.js";
import type { BackoffMode, RetentionMode } from "../types.js";
import type { RunOutcome } from "./executor.js";

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
