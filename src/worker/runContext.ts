import type { Span } from "@opentelemetry/api";
import { traceFields } from "../telemetry/tracing.js";
import { withFields } from "../log/logger.js";
import { boundedJson } from "../payload.js";
import { ConfigError } from "../errors.js";
import { Snooze } from "../snooze.js";
import type { Duration } from "../duration.js";
import type { ContinuationSpec, FanInOptions, FanOut, TaskSpec } from "../fanIn.js";
import type { ClaimedTask } from "../store/taskStore.js";
import type { WaitOutcome } from "../store/stepStore.js";
import type { AppContext, CurrentTask, ScheduleRun, StepOptions, TaskContext, TaskEnqueue, TaskLogger, WaitOptions } from "../types.js";
import { Durable, isNondeterminism } from "./durable.js";
import type { FanOutFunction } from "./fanOut.js";
import type { DurableCalls } from "./stepBatch.js";

/** A progress value is a status, not a result store: 64 KiB of JSON at most. */
export const MAX_PROGRESS_BYTES = 65_536;

/** What the ctx of a run uses (the executor's RunEnv holds these). */
export interface ContextInput {
  app: AppContext;
  log: TaskLogger;
  enqueue: TaskEnqueue;
  now: () => Date;
  /** Keeps a run's latest progress (as JSON) for the pool's next batched write. */
  reportProgress: (task: ClaimedTask, json: string) => void;
  /** `ctx.fanIn`. */
  fanIn: FanOutFunction;
  /** ctx.step, ctx.sleep, ctx.waitFor. */
  steps: DurableCalls;
}

/** What the ctx reads of its run (the executor's Run). */
export interface ContextRun {
  readonly env: ContextInput;
  readonly task: ClaimedTask;
  readonly span: Span | undefined;
  readonly settled: boolean;
  signal(): AbortSignal;
  park(parked: "sleeping" | "waiting", runAt: Date | null, waitingFor?: string): void;
  leaseLost(): void;
  nondeterministic(message: string): void;
}

/** The `ctx` a task's `run` receives. */
export class RunContext implements TaskContext<unknown, Record<string, unknown>> {
  private current: CurrentTask | undefined;
  private logger: TaskLogger | undefined;

  constructor(private readonly run: ContextRun) {}

  get task(): CurrentTask {
    const t = this.run.task;
    this.current ??= {
      id: t.id, name: t.taskName, queue: t.queueName, attempt: t.attempt, maxRetries: t.maxRetries,
      createdAt: new Date(t.createdAtMs), scheduledAt: new Date(t.scheduledAtMs),
    };
    return this.current;
  }

  get signal(): AbortSignal {
    return this.run.signal();
  }

  get app(): AppContext {
    return this.run.env.app;
  }

  get log(): TaskLogger {
    const t = this.run.task;
    // Every line a run logs names its task; built on first use (most runs never log).
    this.logger ??= withFields(this.run.env.log, { task: t.taskName, taskId: t.id, queue: t.queueName, attempt: t.attempt, ...traceFields(this.run.span) });
    return this.logger;
  }

  get enqueue(): TaskEnqueue {
    return this.run.env.enqueue;
  }

  snooze(delay: number | Date): Snooze {
    return new Snooze(delay);
  }

  progress(value: unknown): void {
    const stored = boundedJson(value, MAX_PROGRESS_BYTES);
    if ("notJson" in stored) throw new ConfigError(`ctx.progress: ${stored.notJson}`);
    if ("bytes" in stored) throw new ConfigError(`ctx.progress: the value is ${stored.bytes} bytes as JSON; the limit is ${MAX_PROGRESS_BYTES}`);
    this.run.env.reportProgress(this.run.task, stored.text);
  }

  fanIn<Result>(then: ContinuationSpec<Result>, children: ReadonlyArray<TaskSpec<Result>>, options?: FanInOptions): Promise<FanOut> {
    return this.run.env.fanIn(this.run.task, then, children, options);
  }

  get schedule(): ScheduleRun | null {
    const t = this.run.task;
    if (t.scheduleId == null) return null;
    return { id: t.scheduleId, scheduledFor: new Date(t.scheduleForMs ?? t.scheduledAtMs), missedCount: t.scheduleMissed ?? 0 };
  }

  step<T>(id: string, fn: () => T | Promise<T>, options?: StepOptions): Promise<T> {
    return this.guard(this.durable().step(id, fn, options));
  }

  sleep(id: string, duration: Duration | Date): Promise<void> {
    return this.guard(this.durable().sleep(id, duration));
  }

  waitFor(signal: string, options?: WaitOptions): Promise<WaitOutcome<unknown>> {
    return this.guard(this.durable().waitFor(signal, options));
  }

  private durableCalls: Durable | undefined;

  /** Created at the first durable call: most runs make none. */
  private durable(): Durable {
    const run = this.run;
    this.durableCalls ??= new Durable({
      lease: { id: run.task.id, token: run.task.token }, store: run.env.steps, now: run.env.now,
      park: (parked, runAt, waitingFor) => run.park(parked, runAt, waitingFor),
      lost: () => run.leaseLost(),
      get settled() {
        return run.settled;
      },
    });
    return this.durableCalls;
  }

  /** A mismatch with the stored history fails the run at once, even if the run catches the error. */
  private guard<T>(promise: Promise<T>): Promise<T> {
    return promise.catch((error: unknown) => {
      if (isNondeterminism(error)) this.run.nondeterministic(error.message);
      throw error;
    });
  }
}
