import type { Span } from "@opentelemetry/api";
import { endRunSpan, runSpan, runWithin, startRunSpan } from "../telemetry/tracing.js";
import type { TaskDefinition } from "../defineTask.js";
import { describeThrown } from "../errors.js";
import type { ClaimedTask } from "../store/taskStore.js";
import type { TaskContext, TaskErrorRecord } from "../types.js";
import { boundedJson, set, storableText } from "../payload.js";
import type { CompiledValidator } from "../validation.js";
import { isSnooze } from "../snooze.js";
import { isNondeterminism } from "./durable.js";
import { RunContext, type ContextInput } from "./runContext.js";
import { runnablePayload, type VersionStep } from "./upgrade.js";
import { outcomeLabel, resultOf, type RunOutcome } from "./outcome.js";

const MAX_ERROR_MESSAGE = 4_000;
const MAX_ERROR_STACK = 16_000;
/** A fan-in child's result, as JSON: its continuation's payload holds every child's. */
const MAX_RESULT_BYTES = 256 * 1024;
export { MAX_PROGRESS_BYTES } from "./runContext.js";

/** A task the pool can run: its definition and the precompiled validator of its payload. */
export interface RegisteredTask {
  /**
   * Tasks of every payload type fit here (`never`: a definition taking any payload is assignable),
   * and none can be called with a payload by mistake: the executor passes the validated one.
   */
  readonly definition: TaskDefinition<string, never>;
  readonly validate: CompiledValidator;
  /** Paths of `Date` values in the payload (`*` = any item or value), revived before `run`. */
  readonly dates?: ReadonlyArray<ReadonlyArray<string>>;
  /** Its name on `ctx.enqueue` (`sendWelcomeEmail`); codegen sets it. Without it, not on `ctx.enqueue`. */
  readonly enqueueAs?: string;
  /**
   * The payload schema's version (generated/manifest.json). The worker claims versions 0 to this;
   * a newer one is left for a newer deploy. Absent: 0 (a registry built by hand).
   */
  readonly version?: number;
  /** The validator of each signal the task declares (`signals`), for ctx.enqueue.<task>.signal. */
  readonly signals?: Readonly<Record<string, CompiledValidator>>;
  /** How a payload of each older version becomes the next one (see upgradePayload). */
  readonly steps?: Readonly<Record<number, VersionStep>>;
}

export type { RunOutcome } from "./outcome.js";

/** What every run of a runner shares: one object per runner, not one per task. */
export interface RunEnv extends ContextInput {
  /** Called when a run that was timed out or aborted settles later anyway. */
  onAbandoned: (task: ClaimedTask) => void;
}


/**
 * One run of one task. Never touches the database: its outcome goes to `onSettled`, and from
 * there to the completer. A run that ignores its AbortSignal cannot hold its slot: the outcome
 * settles at the timeout and whatever the abandoned promise does later is discarded.
 *
 * A class rather than closures: a short task's cost is mostly allocation, and this is one object
 * where closures were a dozen.
 */
export class Run {
  private controller: AbortController | undefined;
  private abortReason: Error | undefined;
  private done = false;
  private timer: NodeJS.Timeout | undefined;
  /** The run's trace span (a no-op one without an OpenTelemetry SDK). */
  span: Span | undefined;
  /** `performance.now()` at start. */
  readonly startedAt = performance.now();

  constructor(
    readonly env: RunEnv,
    readonly entry: RegisteredTask,
    readonly task: ClaimedTask,
    private readonly timeoutMs: number | undefined,
    private readonly onSettled: (run: Run, outcome: RunOutcome) => void,
  ) {}

  /** True once the outcome is decided: later results of the run are discarded. */
  get settled(): boolean {
    return this.done;
  }

  /** ctx.sleep and ctx.waitFor end the run here: the task waits, the slot is free. */
  park(parked: "sleeping" | "waiting", runAt: Date | null, waitingFor?: string): void {
    this.settle({ kind: "park", parked, runAt, ...(waitingFor === undefined ? {} : { waitingFor }) });
  }

  /** A durable call found the history and the code disagree: failed now, whatever the run catches. */
  nondeterministic(message: string): void {
    this.fail("nondeterministic", message);
  }

  /**
   * Never throws: whatever goes wrong before the handler runs (an over-deep stored payload, a
   * validator or revival that blows the stack) fails this task permanently as `internal`, and the
   * worker goes on.
   */
  start(): void {
    try {
      this.begin();
    } catch (thrown) {
      if (this.done) return;
      const { message, stack } = describeThrown(thrown);
      this.fail("internal", `could not run task "${this.task.taskName}": ${message}`, stack);
    }
  }

  private begin(): void {
    const { entry, task } = this;
    const upgraded = runnablePayload(entry, task.taskName, task.payloadVersion ?? 0, task.payload);
    if ("failed" in upgraded) return this.fail("invalid_payload", upgraded.failed);
    const payload = entry.dates ? reviveDates(upgraded.payload, entry.dates) : upgraded.payload;
    if (this.timeoutMs !== undefined) {
      this.timer = setTimeout(onTimeout, this.timeoutMs, this);
    }
    const active = startRunSpan(task.taskName, task.queueName, task.id, task.attempt, task.traceContext);
    // Set before anything can throw: settle() ends it whatever happens next.
    if (active !== undefined) this.span = runSpan(active);
    let result: unknown;
    try {
      // Validated against this task's own schema above: the payload its run declares.
      // One ctx for every task: its waitFor takes any signal name, each task's own type narrows it.
      const ctx = new RunContext(this) as unknown as TaskContext;
      const { definition } = entry;
      result = active === undefined ? definition.run(payload as never, ctx) : runWithin(active, definition.run, definition, payload as never, ctx);
    } catch (thrown) {
      return this.failWith(thrown);
    }
    try {
      if (isThenable(result)) result.then((value) => this.succeed(value), (thrown: unknown) => this.failWith(thrown));
      else this.succeed(result);
    } catch (thrown) {
      // A "thenable" whose then() throws: the task's doing, not ours.
      this.failWith(thrown);
    }
  }

  /** Forced shutdown: fires the run's AbortSignal and settles the outcome at once. */
  abort(): void {
    if (this.done) return;
    this.abortWith(new Error("worker pool is shutting down"));
    this.settle({ kind: "shutdown" });
  }

  /** The heartbeat found the lease gone: fires the AbortSignal and frees the slot at once. */
  leaseLost(): void {
    if (this.done) return;
    this.abortWith(new Error("lease lost: the task was cancelled, or its lease expired and another worker took it over"));
    this.settle({ kind: "lost" });
  }

  /** ctx.signal: created on first use, since most runs never look at it. */
  signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.abortReason) this.controller.abort(this.abortReason);
    }
    return this.controller.signal;
  }

  timedOut(): void {
    const message = `timed out after ${this.timeoutMs} ms`;
    this.abortWith(new Error(message));
    this.fail("timeout", message);
  }

  private abortWith(reason: Error): void {
    this.abortReason = reason;
    this.controller?.abort(reason);
  }

  private succeed(value: unknown): void {
    if (this.done) this.env.onAbandoned(this.task);
    else if (isSnooze(value)) this.settle({ kind: "snooze", delayMs: value.delayMs });
    else if (value === undefined || this.task.fanInId == null) this.settle(SUCCESS);
    else this.succeedWith(value);
  }

  /** A fan-in child's result goes into its continuation's payload: it must be JSON, and bounded. */
  private succeedWith(value: unknown): void {
    const stored = boundedJson(value, MAX_RESULT_BYTES);
    if ("notJson" in stored) return this.fail("error", `the result is not JSON: ${stored.notJson}`);
    if ("bytes" in stored) return this.fail("error", `the result is ${stored.bytes} bytes as JSON; the limit is ${MAX_RESULT_BYTES}`);
    this.settle({ kind: "success", result: stored.json });
  }

  private failWith(thrown: unknown): void {
    if (this.done) return this.env.onAbandoned(this.task);
    if (isSnooze(thrown)) return this.settle({ kind: "snooze", delayMs: thrown.delayMs });
    if (isNondeterminism(thrown)) return this.fail("nondeterministic", thrown.message);
    const { message, stack } = describeThrown(thrown);
    this.fail("error", message, stack);
  }

  fail(kind: TaskErrorRecord["kind"], message: string, stack?: string): void {
    // Whatever a task throws must be storable: bounded, no NUL, well-formed (jsonb refuses the
    // rest, and one unstorable error would fail the whole batch of results it is written with).
    this.settle({
      kind: "error",
      permanent: kind === "invalid_payload" || kind === "internal" || kind === "nondeterministic",
      error: {
        attempt: this.task.attempt, kind, message: storableText(message, MAX_ERROR_MESSAGE), at: this.env.now().toISOString(),
        ...(stack === undefined ? {} : { stack: storableText(stack, MAX_ERROR_STACK) }),
      },
    });
  }

  private settle(outcome: RunOutcome): void {
    if (this.done) return;
    this.done = true;
    if (this.timer) clearTimeout(this.timer);
    const span = this.span;
    if (span?.isRecording()) {
      // The metrics' word for it (retry or failed, by the retry policy), not the error's kind.
      const label = outcome.kind === "success"
        ? "success"
        : outcomeLabel(resultOf(this.task, outcome, { backoff: this.entry.definition.backoff, retention: "removeAll" }));
      endRunSpan(span, label, outcome.kind === "error" ? outcome.error : undefined);
    } else span?.end();
    this.onSettled(this, outcome);
  }
}

const SUCCESS: RunOutcome = Object.freeze({ kind: "success" });

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | undefined)?.then === "function";
}

function onTimeout(run: Run): void {
  run.timedOut();
}

type Paths = ReadonlyArray<ReadonlyArray<string>>;
interface RevivalPlan {
  top: Paths;
  defs: ReadonlyMap<string, Paths>;
}
// A registry entry's paths never change: split them once, not on every run.
const plans = new WeakMap<Paths, RevivalPlan>();

function revivalPlan(paths: Paths): RevivalPlan {
  let plan = plans.get(paths);
  if (!plan) {
    const defs = new Map<string, Array<ReadonlyArray<string>>>();
    const top: Array<ReadonlyArray<string>> = [];
    for (const path of paths) {
      if (path[0]?.startsWith("@")) defs.set(path[0], [...(defs.get(path[0]) ?? []), path.slice(1)]);
      else top.push(path);
    }
    plan = { top, defs };
    plans.set(paths, plan);
  }
  return plan;
}

/**
 * Turns the ISO strings at `paths` back into `Date`s, as the payload type promises. A path that
 * ends in `@Name` applies the paths listed under `@Name` (a recursive type) from there on.
 * Iterative: a payload of any depth cannot overflow the stack here.
 */
export function reviveDates(payload: unknown, paths: ReadonlyArray<ReadonlyArray<string>>): unknown {
  const { top, defs } = revivalPlan(paths);
  const root: Record<string, unknown> = { value: payload };
  const stack: Array<{ holder: Record<string, unknown>; key: string; path: ReadonlyArray<string>; at: number }> = [];
  for (const path of top) stack.push({ holder: root, key: "value", path, at: 0 });
  while (stack.length > 0) {
    const { holder, key, path, at } = stack.pop()!;
    const value = holder[key];
    if (at === path.length) {
      if (typeof value === "string") set(holder, key, new Date(value));
      continue;
    }
    if (value === null || typeof value !== "object") continue;
    const step = path[at]!;
    if (at === path.length - 1 && step.startsWith("@")) {
      for (const inner of defs.get(step) ?? []) stack.push({ holder, key, path: inner, at: 0 });
      continue;
    }
    const record = value as Record<string, unknown>;
    for (const k of step === "*" ? Object.keys(record) : [step]) {
      if (Object.hasOwn(record, k)) stack.push({ holder: record, key: k, path, at: at + 1 });
    }
  }
  return root.value;
}
