import type { TaskDefinition } from "../defineTask.js";
import { describeThrown } from "../errors.js";
import type { ClaimedTask } from "../store/taskStore.js";
import type { AppContext, TaskErrorRecord, TaskLogger } from "../types.js";
import { payloadViolations, type CompiledValidator } from "../validation.js";

/** A task the pool can run: its definition and the precompiled validator of its payload. */
export interface RegisteredTask {
  // The registry holds tasks of every payload type; each is only called with its own payload.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly definition: TaskDefinition<string, any>;
  readonly validate: CompiledValidator;
  /** Paths of `Date` values in the payload (`*` = any item or value), revived before `run`. */
  readonly dates?: ReadonlyArray<ReadonlyArray<string>>;
}

export type RunOutcome =
  | { kind: "success" }
  /** `permanent`: do not retry (an invalid stored payload). */
  | { kind: "error"; error: TaskErrorRecord; permanent: boolean }
  /** Aborted by a forced shutdown: give the task back without counting the attempt. */
  | { kind: "shutdown" };

export interface RunHandle {
  readonly outcome: Promise<RunOutcome>;
  /** Forced shutdown: fires the run's AbortSignal and settles the outcome at once. */
  abort(): void;
}

export interface RunInput {
  entry: RegisteredTask;
  task: ClaimedTask;
  app: AppContext;
  log: TaskLogger;
  timeoutMs: number | undefined;
  now: () => Date;
  /** Called when a run that was timed out or aborted settles later anyway. */
  onAbandoned: () => void;
}

/**
 * Runs one task. Never touches the database: the outcome goes to the completer.
 * A run that ignores its AbortSignal cannot hold its slot: the outcome settles at the timeout
 * and whatever the abandoned promise does later is discarded.
 */
export function startRun(input: RunInput): RunHandle {
  const { entry, task } = input;
  // Created on first use of ctx.signal (or on abort): most runs never look at it, and an
  // AbortController per run was a measurable share of a short task's cost.
  let controller: AbortController | undefined;
  let abortReason: Error | undefined;
  const abortWith = (reason: Error): void => {
    abortReason = reason;
    controller?.abort(reason);
  };
  const signal = (): AbortSignal => {
    if (!controller) {
      controller = new AbortController();
      if (abortReason) controller.abort(abortReason);
    }
    return controller.signal;
  };
  let settle!: (outcome: RunOutcome) => void;
  let settled = false;
  let timer: NodeJS.Timeout | undefined;
  const outcome = new Promise<RunOutcome>((resolve) => {
    settle = (o) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      resolve(o);
    };
  });
  const fail = (kind: TaskErrorRecord["kind"], message: string, stack?: string): RunOutcome => ({
    kind: "error",
    permanent: kind === "invalid_payload",
    error: {
      attempt: task.attempt, kind, message, at: input.now().toISOString(),
      ...(stack === undefined ? {} : { stack }),
    },
  });

  const violations = payloadViolations(entry.validate, task.payload);
  if (violations.length > 0) {
    const detail = violations.map((v) => `${v.path} ${v.message}`).join("; ");
    settle(fail("invalid_payload", `stored payload is invalid for task "${task.taskName}": ${detail}`));
    return { outcome, abort: () => {} };
  }

  if (input.timeoutMs !== undefined) {
    const ms = input.timeoutMs;
    timer = setTimeout(() => {
      abortWith(new Error(`timed out after ${ms} ms`));
      settle(fail("timeout", `timed out after ${ms} ms`));
    }, ms);
  }
  const ctx = {
    task: {
      id: task.id, name: task.taskName, queue: task.queueName, attempt: task.attempt,
      maxRetries: task.maxRetries,
      get createdAt() {
        return new Date(task.createdAtMs);
      },
      get scheduledAt() {
        return new Date(task.scheduledAtMs);
      },
    },
    get signal() {
      return signal();
    },
    app: input.app,
    log: input.log,
  };
  const payload = entry.dates ? reviveDates(task.payload, entry.dates) : task.payload;
  new Promise<void>((resolve) => resolve(entry.definition.run(payload, ctx))).then(
    () => (settled ? input.onAbandoned() : settle({ kind: "success" })),
    (thrown: unknown) => {
      if (settled) return input.onAbandoned();
      const { message, stack } = describeThrown(thrown);
      settle(fail("error", message, stack));
    },
  );
  return {
    outcome,
    abort: () => {
      if (settled) return;
      abortWith(new Error("worker pool is shutting down"));
      settle({ kind: "shutdown" });
    },
  };
}

/** Turns the ISO strings at `paths` back into `Date`s, as the payload type promises. */
export function reviveDates(payload: unknown, paths: ReadonlyArray<ReadonlyArray<string>>): unknown {
  const visit = (value: unknown, path: ReadonlyArray<string>, at: number): unknown => {
    if (at === path.length) return typeof value === "string" ? new Date(value) : value;
    if (value === null || typeof value !== "object") return value;
    const record = value as Record<string, unknown>;
    const keys = path[at] === "*" ? Object.keys(record) : [path[at]!];
    for (const key of keys) {
      if (key in record) record[key] = visit(record[key], path, at + 1);
    }
    return value;
  };
  let result = payload;
  for (const path of paths) result = visit(result, path, 0);
  return result;
}
