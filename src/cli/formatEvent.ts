import { describeThrown } from "../errors.js";
import type { WorkerEvent } from "../worker/events.js";
import { describeUnrunnable } from "../worker/versionCoverage.js";

/** One human-readable line per event (the message of the entrypoint's log entries). */
export function formatEvent(event: WorkerEvent): string {
  switch (event.type) {
    case "pool:started":
      return `worker ${event.owner} started; queues: ${event.queues.join(", ")}`;
    case "pool:stopped":
      return `worker ${event.owner} stopped`;
    case "task:started":
      return `started   ${event.task.name}#${event.task.id} (attempt ${event.task.attempt})`;
    case "task:succeeded":
      return `succeeded ${event.task.name}#${event.task.id} in ${event.durationMs.toFixed(1)} ms`;
    case "task:retried":
      return `retrying  ${event.task.name}#${event.task.id} in ${event.delayMs} ms: ${event.error.message}`;
    case "task:failed":
      return `FAILED    ${event.task.name}#${event.task.id} after attempt ${event.task.attempt}: ${event.error.message}`;
    case "task:givenBack":
      return `gave back ${event.task.name}#${event.task.id} (${event.reason})`;
    case "task:snoozed":
      return `snoozed   ${event.task.name}#${event.task.id} for ${event.delayMs} ms (attempt not counted)`;
    case "task:parked":
      return event.parked === "sleeping"
        ? `sleeping  ${event.task.name}#${event.task.id} until ${event.until?.toISOString() ?? "?"}`
        : `waiting   ${event.task.name}#${event.task.id} for signal "${event.signal ?? "?"}"${event.until ? ` until ${event.until.toISOString()}` : ""}`;
    case "task:stale":
      return `discarded late result of ${event.task.name}#${event.task.id}: its lease was taken over`;
    case "task:lost":
      return `lost      ${event.task.name}#${event.task.id}: cancelled, or its lease was taken over; aborted`;
    case "task:abandoned":
      return `abandoned run of ${event.task.name}#${event.task.id} settled after its timeout; result ignored`;
    case "task:rescued":
      return `rescued   ${event.name}#${event.id} from an expired lease -> ${event.state}${event.removed ? " (removed: removeAll)" : ""}`;
    case "pool:stalled":
      return `STALLED   the event loop was blocked for ${event.delayMs} ms: leases went unrenewed (reservations last ${event.reservationMs} ms); move CPU-bound work off the event loop (worker_threads) or raise reservationMs`;
    case "store:error":
      return `store error during ${event.operation}: ${describeThrown(event.error).message}; retrying in ${event.retryInMs} ms`;
    case "tasks:unrunnable":
      return `WAITING   ${describeUnrunnable(event.kind)}`;
    case "schedule:reconciled":
      return `schedules ${event.changes.map((c) => `${c.change} ${c.id}`).join(", ")}`;
    case "schedule:fired":
      return `scheduled ${event.task}#${event.taskId} for ${event.scheduledFor.toISOString()} (schedule ${event.id}${event.missedCount > 0 ? `, catching up ${event.missedCount} missed` : ""})`;
    case "schedule:missed":
      return `MISSED    ${event.capped ? "at least " : ""}${event.count} occurrence(s) of schedule ${event.id} (${event.first.toISOString()} .. ${event.last.toISOString()}); missed: "${event.policy}" runs ${event.running}`;
    case "schedule:skipped":
      return event.reason === "unique"
        ? `skipped   occurrence ${event.scheduledFor.toISOString()} of schedule ${event.id}: a ready or running ${event.task} task holds its unique key`
        : `skipped   occurrence ${event.scheduledFor.toISOString()} of schedule ${event.id}: its previous run is not finished (overlap: "skip")`;
    case "schedule:invalid":
      return `INVALID   schedule ${event.id} (task ${event.task}): ${event.message}`;
  }
}
