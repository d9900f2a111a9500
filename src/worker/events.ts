import type { MissedPolicy } from "../schedule/scheduleOptions.js";
import type { TaskErrorRecord, TaskState } from "../types.js";
import type { UnrunnableKind } from "./versionCoverage.js";

/** A task as events describe it. */
export interface TaskRef {
  id: string;
  name: string;
  queue: string;
  attempt: number;
}

/**
 * Structured events for logs and metrics. The pool never logs by itself: pass `onEvent`.
 * Store errors are events, not crashes: the pool backs off and retries.
 */
export type WorkerEvent =
  | { type: "pool:started"; owner: string; queues: string[] }
  | { type: "pool:stopped"; owner: string }
  | { type: "task:started"; task: TaskRef }
  | { type: "task:succeeded"; task: TaskRef; durationMs: number }
  | { type: "task:retried"; task: TaskRef; error: TaskErrorRecord; delayMs: number }
  | { type: "task:failed"; task: TaskRef; error: TaskErrorRecord }
  /** `reservation`: its reservation may have run out before it could start (see `pool:stalled`). */
  | { type: "task:givenBack"; task: TaskRef; reason: "shutdown" | "reservation" }
  /** The run snoozed: ready again in `delayMs`, the attempt not counted. */
  | { type: "task:snoozed"; task: TaskRef; delayMs: number }
  /** ctx.sleep or ctx.waitFor ended the run: the task waits until `until` (null: until its signal), holding nothing. */
  | { type: "task:parked"; task: TaskRef; parked: "sleeping" | "waiting"; until: Date | null; signal?: string }
  /** Its lease was taken over (expired and rescued): the late result was discarded. */
  | { type: "task:stale"; task: TaskRef; outcome: string }
  /** `removed`: its retries were spent and its queue's retention (removeAll) deleted it. */
  | { type: "task:rescued"; id: string; name: string; queue: string; state: TaskState; attempts: number; removed: boolean }
  /**
   * A running task's lease was found gone (cancelled, or expired and taken over): its signal fired,
   * its slot is free, and whatever it does now is not written.
   */
  | { type: "task:lost"; task: TaskRef }
  /** A run ignored its AbortSignal after a timeout or forced shutdown; its slot was freed anyway. */
  | { type: "task:abandoned"; task: TaskRef }
  | { type: "store:error"; operation: string; error: unknown; retryInMs: number }
  /**
   * The event loop was blocked for `delayMs` (a CPU-bound task, a long pause): leases could not be
   * renewed, and reservations of prefetched tasks (`reservationMs`) may have run out.
   */
  | { type: "pool:stalled"; delayMs: number; reservationMs: number }
  /** Ready tasks no running worker can run (a newer payload version, an unknown name): said once per kind per pool. */
  | { type: "tasks:unrunnable"; kind: UnrunnableKind }
  /** At start, the pool wrote its registry's schedules into the database: what changed. */
  | { type: "schedule:reconciled"; changes: Array<{ id: string; change: "added" | "changed" | "removed" }> }
  /** A schedule's occurrence became task `taskId`. */
  | { type: "schedule:fired"; id: string; task: string; taskId: string; scheduledFor: Date; missedCount: number }
  /**
   * Occurrences found due later than the grace period (no worker ticked in time): `count` of
   * them (at least, when `capped`), from `first` to `last`; `running` of them run, per `policy`.
   */
  | { type: "schedule:missed"; id: string; task: string; policy: MissedPolicy; count: number; capped: boolean; first: Date; last: Date; running: number }
  /**
   * An occurrence not run. `overlap`: its schedule has `overlap: "skip"` and its previous run is
   * ready or running; `unique`: a ready or running task holds the task's `uniqueKey` of its payload.
   */
  | { type: "schedule:skipped"; id: string; task: string; scheduledFor: Date; reason: "overlap" | "unique" }
  /** A stored schedule that cannot be evaluated (a row edited by hand, a time zone this Node lacks). */
  | { type: "schedule:invalid"; id: string; task: string; message: string };

export type EventHandler = (event: WorkerEvent) => void;
