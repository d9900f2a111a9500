import type { ClaimedTask, TaskResult } from "../store/taskStore.js";
import type { EventHandler, TaskRef } from "./events.js";

/** A claimed task as events name it. */
export function refOf(task: ClaimedTask): TaskRef {
  return { id: task.id, name: task.taskName, queue: task.queueName, attempt: task.attempt };
}

/** Reports a result once it is known whether it was written (lease held) or discarded. */
export function resultReporter(emit: EventHandler, task: ClaimedTask, result: TaskResult, durationMs: number): (applied: boolean) => void {
  const ref = refOf(task);
  return (applied) => {
    if (!applied) return emit({ type: "task:stale", task: ref, outcome: result.outcome });
    switch (result.outcome) {
      case "remove":
      case "done":
        return emit({ type: "task:succeeded", task: ref, durationMs });
      case "giveBack":
        return emit({ type: "task:givenBack", task: ref, reason: "shutdown" });
      case "snooze":
        return emit({ type: "task:snoozed", task: ref, delayMs: result.delayMs });
      case "park":
        return emit({ type: "task:parked", task: ref, parked: result.parked, until: result.runAt, ...(result.waitingFor === undefined ? {} : { signal: result.waitingFor }) });
      case "retry":
        return emit({ type: "task:retried", task: ref, error: result.error, delayMs: result.delayMs ?? 0 });
      case "failed":
        return emit({ type: "task:failed", task: ref, error: result.error });
    }
  };
}
