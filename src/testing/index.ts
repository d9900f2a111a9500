/**
 * `backie/testing`: the kit to test code that enqueues and runs tasks, against a real PostgreSQL.
 * Not loaded by workers. Typed by the generated client: `createTestKit<Payloads, Results>(...)`.
 */
import type { TaskStore } from "../store/taskStore.js";
import type { RegisteredTask } from "../worker/executor.js";
import { allEnqueued, assertEnqueued, refuteEnqueued, type Enqueued, type EnqueuedMatch } from "./assertions.js";
import { drain, type DrainOptions, type DrainResult } from "./drain.js";
import { perform, type PerformOptions, type PerformOutcome } from "./perform.js";
import { testSchedules, type TestSchedules } from "./schedules.js";

export { AssertionError, type Enqueued, type EnqueuedMatch, type PartialPayload } from "./assertions.js";
export { createTestDatabase, type TestDatabase, type TestDatabaseOptions } from "./database.js";
export type { DrainedRun, DrainOptions, DrainResult } from "./drain.js";
export type { PerformOptions, PerformOutcome } from "./perform.js";
export type { ScheduleEvent, TestSchedules } from "./schedules.js";
export { allEnqueued, assertEnqueued, drain, perform, refuteEnqueued };

/** The kit over one store and registry, every task name and payload typed. */
export interface TestKit<Payloads, Results extends { [N in keyof Payloads]?: unknown } = { [N in keyof Payloads]: unknown }> {
  readonly store: TaskStore;
  /** The oldest ready task of `name` matching every given field; a readable error (closest tasks, differences) otherwise. */
  assertEnqueued<N extends keyof Payloads & string>(name: N, match?: EnqueuedMatch<Payloads[N]>): Promise<Enqueued<Payloads[N]>>;
  /** No ready task of `name` matches. */
  refuteEnqueued<N extends keyof Payloads & string>(name: N, match?: EnqueuedMatch<Payloads[N]>): Promise<void>;
  /** Every ready task of `name`, oldest first. */
  allEnqueued<N extends keyof Payloads & string>(name: N): Promise<Array<Enqueued<Payloads[N]>>>;
  /** One run through the real path (validation, JSON round trip, executor, retry policy); its outcome. */
  perform<N extends keyof Payloads & string>(name: N, payload: Payloads[N], options?: PerformOptions): Promise<PerformOutcome<Results[N]>>;
  /** Runs what is due (and, `recursive`, what that enqueues) through the real claim and writes. */
  drain(options?: DrainOptions): Promise<DrainResult>;
  /** The registry's schedules on a clock the test moves: `reconcile(start)`, then `tick(later)`. */
  readonly schedules: TestSchedules;
}

/**
 * `const kit = createTestKit<Payloads, Results>(db.store, registry)` with `Payloads` and `Results`
 * from generated/enqueue.ts and `registry` from generated/registry.ts: a misspelt task name or
 * payload field is a compile error.
 */
export function createTestKit<Payloads, Results extends { [N in keyof Payloads]?: unknown } = { [N in keyof Payloads]: unknown }>(
  store: TaskStore,
  registry: Readonly<Record<keyof Payloads & string, RegisteredTask>>,
): TestKit<Payloads, Results> {
  const tasks = registry as Readonly<Record<string, RegisteredTask>>;
  return {
    store,
    assertEnqueued: (name, match) => assertEnqueued(store, name, match),
    refuteEnqueued: (name, match) => refuteEnqueued(store, name, match),
    allEnqueued: (name) => allEnqueued(store, name),
    perform: (name, payload, options) => perform(store, tasks, name, payload, options),
    drain: (options) => drain(store, tasks, options),
    // Each task once (not under its aliases too: its schedules would be declared twice).
    schedules: testSchedules(store, new Map(Object.entries(tasks))),
  };
}
