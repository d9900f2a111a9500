import type { Snooze } from "./snooze.js";
import type { Duration } from "./duration.js";
import type { WaitOutcome } from "./store/stepStore.js";
import type { ContinuationSpec, FanInOptions, FanOut, TaskSpec } from "./fanIn.js";
/**
 * Public types shared by task definitions, the enqueue client and the worker pool.
 * Names follow the Rust original where they fit (`QueueConfig`, `RetentionMode`, `BackoffMode`,
 * `CurrentTask`) so that its users feel at home.
 */

/** How long to wait before the next run after a failed attempt. */
export type BackoffMode =
  | { kind: "none" }
  | { kind: "fixed"; delayMs: number }
  | {
      kind: "exponential";
      /** Delay before the first retry; doubles each retry. Default 2,000 ms (2 s, 4 s, 8 s, ...). */
      baseMs?: number;
      /** Upper bound of one delay. Default 3,600,000 ms (one hour). */
      maxMs?: number;
      /** Fraction of random spread, 0..1, so that retries of a burst do not arrive together. Default 0. */
      jitter?: number;
    };

/** What happens to a finished task's row. */
export type RetentionMode =
  /** Delete successes, keep failures (default): the table holds what needs a look. */
  | "removeDone"
  /** Keep every finished row (prune by age with `pruneFinishedAfterMs`). */
  | "keepAll"
  /** Delete successes and failures. */
  | "removeAll";

/**
 * The application context given to every run. Augment it once for your application:
 *
 * ```ts
 * declare module "backie" { interface AppContext { mailer: Mailer } }
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by the application's augmentation
export interface AppContext {}

/**
 * `ctx.enqueue`: the same typed functions as the generated `enqueue`, for tasks that start other
 * tasks. Codegen fills it in (`generated/enqueue.ts` augments it), so it needs no import here.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by generated/enqueue.ts
export interface TaskEnqueue {}

/**
 * The queues the application's tasks name. Codegen fills it in (`generated/enqueue.ts` augments
 * it), so that queue settings (`queues: {...}`) take known queue names only.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by generated/enqueue.ts
export interface QueueNames {}

/** The task being run, as seen by its handler. */
export interface CurrentTask {
  readonly id: string;
  readonly name: string;
  readonly queue: string;
  /** 1 for the first run, 2 for the first retry, ... */
  readonly attempt: number;
  readonly maxRetries: number;
  readonly createdAt: Date;
  readonly scheduledAt: Date;
}

export interface TaskLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Which occurrence of which schedule a run is for (`ctx.schedule`). */
export interface ScheduleRun {
  readonly id: string;
  /** The occurrence this run is for (its time in the schedule, not when it started). */
  readonly scheduledFor: Date;
  /**
   * Missed occurrences (found due after the grace period) this run stands for: 0 for an on-time
   * run; with `missed: "once"`, how many it catches up for; with `missed: "all"`, 1.
   */
  readonly missedCount: number;
}

/** The second argument of `run`. */
/**
 * What a run gets besides its payload. `Progress` is the type of the values `progress` takes:
 * declare it by annotating the parameter, `run(payload: P, ctx: TaskContext<{ done: number }>)`.
 */
/** Signals a task declares (`signals: { approved: {} as Approval }`): name → payload type. */
export type SignalMap = Readonly<Record<string, unknown>>;

export interface StepOptions {
  /** Further tries of `fn` within this run when it throws, 200 ms apart doubling up to 10 s (default 0). */
  retries?: number;
}

export interface WaitOptions {
  /** Its id in the task's history (default: the signal's name); unique within a run. */
  id?: string;
  /** Give up after this long (or at this Date): the wait returns `{ received: false, timedOut: true }`. */
  timeout?: Duration | Date;
}

export interface TaskContext<Progress = unknown, Signals extends SignalMap = Record<never, never>> {
  readonly task: CurrentTask;
  /** Fires when the run times out or the pool is forced to shut down. Pass it to fetch, pg, ... */
  readonly signal: AbortSignal;
  readonly app: AppContext;
  readonly log: TaskLogger;
  /** Enqueue other tasks, typed and validated like the generated `enqueue`. */
  readonly enqueue: TaskEnqueue;
  /** Set when a schedule created this task; null for an enqueued one. */
  readonly schedule: ScheduleRun | null;
  /**
   * "Try again later": `return ctx.snooze(30_000)` (or a Date, or throw it from deeper down) puts
   * the task back to ready then, without counting the attempt or recording an error.
   */
  snooze(delay: number | Date): Snooze;
  /**
   * Reports how far the run is: the latest value is stored with the task (about once a second,
   * in one write per pool) and read back by `findTasks`, the dashboard and `backie show`. Must be
   * JSON, at most 64 KiB; a value that is not fails with a one-line error.
   */
  progress(value: Progress): void;
  /**
   * Fan-out with fan-in: enqueues `children` (from `ctx.enqueue.<task>.spec(...)`) and creates
   * `then` (from `ctx.enqueue.<task>.after(...)`) once the last of them finished, with each one's
   * outcome and result, exactly once. Idempotent per run and `key`: a rerun of this task gets the
   * first call's ids back and enqueues nothing.
   */
  fanIn<Result>(then: ContinuationSpec<Result>, children: ReadonlyArray<TaskSpec<NoInfer<Result>>>, options?: FanInOptions): Promise<FanOut>;
  /**
   * A durable step. The first time a run of this task reaches it, `fn` runs and its result is
   * stored with the task; every later run (a retry, a rescue after a crash, the wake-up after a
   * sleep) gets the stored result back without calling `fn`. What you get is the result after a
   * JSON round trip, Dates revived, on the first run as on later ones (codegen refuses a type that
   * does not survive it). Ids are unique within a run, and runs must reach steps in the same order.
   */
  step<T>(id: string, fn: () => T | Promise<T>, options?: StepOptions): Promise<T>;
  /**
   * Ends this run and parks the task until `duration` from when a run first reached this point
   * (or the Date); the next run replays its steps and goes on from here. A sleeping task holds no
   * worker slot, connection or lease: it is a row.
   */
  sleep(id: string, duration: Duration | Date): Promise<void>;
  /**
   * Waits for the signal `signal` (declared in the task's `signals`), parking the task until it is
   * sent (`enqueue.<task>.signal(...)`, `backie signal`) or the timeout passes. A signal sent before
   * the task gets here is kept and taken here; each wait takes one signal.
   */
  waitFor<K extends keyof Signals & string>(signal: K, options?: WaitOptions): Promise<WaitOutcome<Signals[K]>>;
}

/** States of a stored task. */
export type TaskState = "ready" | "running" | "done" | "failed" | "cancelled";

/** One failed attempt, as stored in the task's error history. */
export interface TaskErrorRecord {
  attempt: number;
  /**
   * `error` (the handler threw), `timeout`, `invalid_payload`, `lease_expired`, `children_failed`
   * (a fan-in continuation whose children did not all succeed, never run), or `internal`: the
   * task could not be run at all (e.g. its stored payload broke revival); never retried.
   * `nondeterministic`: a run reached its durable steps in another order than its stored history
   * (the code changed under a parked task, or a step id was used twice); never retried.
   * `reservation_expired`: a claimed task's short lease ran out before its run was confirmed
   * (its worker died or stalled, probably before starting it): the attempt is given back, up to
   * a few times (see `decideRescue`).
   */
  kind: "error" | "timeout" | "invalid_payload" | "lease_expired" | "reservation_expired" | "internal" | "children_failed" | "nondeterministic";
  message: string;
  stack?: string;
  /** ISO time the attempt failed. */
  at: string;
}
