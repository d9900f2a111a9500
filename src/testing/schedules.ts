import type { TaskStore } from "../store/taskStore.js";
import type { WorkerEvent } from "../worker/events.js";
import type { RegisteredTask } from "../worker/executor.js";
import { Scheduler } from "../worker/scheduler.js";

/** An occurrence a tick turned into a task (or skipped, or found missed). */
export type ScheduleEvent = Extract<WorkerEvent, { type: "schedule:fired" | "schedule:skipped" | "schedule:missed" }>;

/** The registry's schedules on a clock the test moves: the real scheduler, its clock given. */
export interface TestSchedules {
  /** Writes the declared schedules as a worker starting at `at` would (first occurrences after it). */
  reconcile(at: Date): Promise<void>;
  /** Fires what is due at `at`, exactly as a worker's tick would; what happened. */
  tick(at: Date): Promise<ScheduleEvent[]>;
}

export function testSchedules(store: TaskStore, registry: ReadonlyMap<string, RegisteredTask>, graceMs = 60_000): TestSchedules {
  let events: ScheduleEvent[] = [];
  const scheduler = new Scheduler({
    store, registry, graceMs, intervalMs: 60_000, onFired: () => {},
    emit: (event) => {
      if (event.type === "schedule:fired" || event.type === "schedule:skipped" || event.type === "schedule:missed") events.push(event);
    },
  });
  return {
    async reconcile(at) {
      await scheduler.reconcile(at);
    },
    async tick(at) {
      events = [];
      await scheduler.runOnce(at);
      return events;
    },
  };
}
