import { TaskDefinitionError } from "./errors.js";
import { MAX_DELAY_MS, MAX_RETRIES, MAX_TIMER_MS, queueNameProblem, taskNameProblem } from "./names.js";
import { resolveRateLimit, type RateLimit } from "./rateLimit.js";
import { resolveSchedules, type ScheduleOptions, type TaskSchedule } from "./schedule/scheduleOptions.js";
import type { Snooze } from "./snooze.js";
import type { BackoffMode, SignalMap, TaskContext } from "./types.js";
import type { SignalFunction } from "./client/signal.js";

/** What a task file passes to `defineTask`. */
export interface TaskOptions<Name extends string, Payload, Progress = unknown, Result = void, Signals extends SignalMap = Record<never, never>> {
  /** Unique across the application and stable across deploys: stored rows refer to it. */
  name: Name;
  /** Default "default". */
  queue?: string;
  /** Retries after the first run. Default 3, so at most 4 runs. */
  maxRetries?: number;
  /** Default exponential: 2 s, 4 s, 8 s, ... capped at one hour. */
  backoff?: BackoffMode;
  /** Execution timeout of one run. Default: the queue's `executionTimeoutMs` (none by default). */
  timeoutMs?: number;
  /**
   * While a task of this name with the same key is ready or running, enqueue returns it instead of
   * adding another. Must be a self-contained function of the payload: codegen copies it into the
   * enqueue client so that enqueueing never loads handler code.
   */
  uniqueKey?: (payload: Payload) => string;
  /**
   * Per-key concurrency: at most `concurrencyLimit` (default 1) tasks of this name with the same
   * key run at once, across every worker process; keys take turns, so a key with a huge backlog
   * does not starve the others. Self-contained, like `uniqueKey` (codegen copies it).
   */
  concurrencyKey?: (payload: Payload) => string;
  /** Running tasks per key (default 1). Needs `concurrencyKey`. */
  concurrencyLimit?: number;
  /** A key's tasks start in enqueue order (a retry waiting for its backoff holds back the rest). */
  fifo?: boolean;
  /**
   * At most `max` runs of this task start per `perMs`, across every worker process (a token
   * bucket in the database, refilled continuously; `burst` runs may start at once after an idle
   * spell, default `max`). Retries count too. Not with `concurrencyKey`, nor in a rate-limited queue.
   */
  rateLimit?: RateLimit;
  /**
   * Recurring runs of this task: `[{ cron: "0 3 * * *", tz: "Europe/Berlin", payload: {...} }]`.
   * Workers reconcile them into the database at start; any worker may fire an occurrence, and
   * exactly one task is created for it.
   */
  schedules?: ReadonlyArray<ScheduleOptions<Payload>>;
  /**
   * Returning (or throwing) `ctx.snooze(...)` runs the task again later without spending an
   * attempt. Any other value returned is the task's result: kept (as JSON) only when the task runs
   * as a fan-in child, for its continuation.
   */
  run(payload: Payload, ctx: TaskContext<Progress, Signals>): Promise<Result | void | Snooze> | Result | void | Snooze;
  /**
   * Signals this task's runs may wait for (`ctx.waitFor`), by name, each with its payload type:
   * `signals: { approved: {} as Approval }` (the values are only there for their types). Sending
   * one is typed in the generated client (`enqueue.<task>.signal(...)`) and validated like a payload.
   */
  signals?: Signals;
  /**
   * For each breaking change of the payload schema, how a stored payload of the older version
   * becomes the next one: `{ 1: (old: SendWelcomeEmailV1): SendWelcomeEmail => ({ ...old, locale: "en" }) }`
   * (old types come from `generated/versions.ts`). `backie gen` says which are needed; a worker
   * runs tasks enqueued before the deploy through them. Pure and synchronous.
   */
  upgrades?: Readonly<Record<number, (old: never) => unknown>>;
  /**
   * Former names of this task: tasks enqueued under them (before a rename) run as this one.
   * `backie gen` carries their payload versions over.
   */
  aliases?: readonly string[];
}

/** A validated task definition, as `defineTask` returns it. */
export interface TaskDefinition<Name extends string = string, Payload = unknown, Progress = unknown, Result = unknown, Signals extends SignalMap = Record<never, never>>
  extends Readonly<Omit<TaskOptions<Name, Payload, Progress, Result, Signals>, "schedules">> {
  readonly queue: string;
  /** Checked, with defaults filled in. */
  readonly schedules: readonly TaskSchedule[];
  readonly maxRetries: number;
  readonly backoff: BackoffMode;
}

/** The payload type of a task definition: what `run` takes. */
export type PayloadOf<T> = T extends TaskDefinition<string, infer P> ? P : never;

/** The progress type of a task definition: what its run's `ctx.progress` takes. */
export type ProgressOf<T> = T extends TaskDefinition<string, infer _P, infer R> ? R : never;

/** The signals of a task definition (`signals`): name → payload type. */
export type SignalsOf<T> = T extends { signals?: infer S } ? (S extends SignalMap ? S : Record<never, never>) : Record<never, never>;

/** The generated client's `.signal` for a task with signals; nothing for one without. */
export type SignalClient<T> = [keyof SignalsOf<T>] extends [never] ? unknown : { signal: SignalFunction<SignalsOf<T>> };

/** The result type of a task definition: what its run returns (besides nothing or a snooze). */
export type ResultOf<T> = T extends { run(...args: never[]): infer R } ? Exclude<Awaited<R>, void | undefined | Snooze> : never;

export const DEFAULT_QUEUE = "default";
export const DEFAULT_MAX_RETRIES = 3;
export const DEFAULT_BACKOFF: BackoffMode = { kind: "exponential", baseMs: 2_000, maxMs: 3_600_000, jitter: 0 };

/**
 * Declares a task. The default export of each `tasks/*.ts` file; `npm run gen` reads it.
 * Checks its options at load time so that a bad value fails the deploy, not the first run.
 */
export function defineTask<const Name extends string, Payload, Progress = unknown, Result = void, Signals extends SignalMap = Record<never, never>>(
  options: TaskOptions<Name, Payload, Progress, Result, Signals>,
): TaskDefinition<Name, Payload, Progress, Result, Signals> {
  const where = `task "${String(options.name)}"`;
  if (typeof options.name !== "string" || options.name.trim() === "") {
    throw new TaskDefinitionError("defineTask: `name` must be a non-empty string literal");
  }
  const nameProblem = taskNameProblem(options.name);
  if (nameProblem) throw new TaskDefinitionError(`defineTask: task name "${options.name}" ${nameProblem}`);
  const queue = options.queue ?? DEFAULT_QUEUE;
  if (typeof queue !== "string" || queueNameProblem(queue)) {
    throw new TaskDefinitionError(`${where}: \`queue\` ${typeof queue === "string" ? queueNameProblem(queue) : "must be a string"}`);
  }
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  if (!Number.isInteger(maxRetries) || maxRetries < 0 || maxRetries > MAX_RETRIES) {
    throw new TaskDefinitionError(`${where}: \`maxRetries\` must be a whole number from 0 to ${MAX_RETRIES}, got ${maxRetries}`);
  }
  if (options.timeoutMs !== undefined && !(Number.isFinite(options.timeoutMs) && options.timeoutMs >= 1 && options.timeoutMs <= MAX_TIMER_MS)) {
    throw new TaskDefinitionError(`${where}: \`timeoutMs\` must be from 1 to ${MAX_TIMER_MS} milliseconds, got ${options.timeoutMs}`);
  }
  if (typeof options.run !== "function") {
    throw new TaskDefinitionError(`${where}: \`run\` must be a function`);
  }
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  checkBackoff(where, backoff);
  checkConcurrency(where, options);
  const rateLimit = options.rateLimit === undefined ? undefined : resolveRateLimit(where, options.rateLimit, (m) => new TaskDefinitionError(m));
  if (rateLimit && options.concurrencyKey) {
    throw new TaskDefinitionError(`${where}: \`rateLimit\` and \`concurrencyKey\` cannot be combined yet: limit the rate on a task without a key`);
  }
  checkVersions(where, options);
  checkSignals(where, options.signals);
  const schedules = Object.freeze(resolveSchedules(options.name, options.schedules));
  return Object.freeze({ ...options, queue, maxRetries, backoff, schedules, ...(rateLimit ? { rateLimit } : {}) });
}

export const MAX_CONCURRENCY_LIMIT = 10_000;

function checkSignals(where: string, signals: unknown): void {
  if (signals === undefined) return;
  if (signals === null || typeof signals !== "object" || Array.isArray(signals)) {
    throw new TaskDefinitionError(`${where}: \`signals\` must be an object of signal names: { approved: {} as Approval }`);
  }
  for (const name of Object.keys(signals)) {
    if (!/^[A-Za-z][A-Za-z0-9_.-]{0,99}$/.test(name)) {
      throw new TaskDefinitionError(`${where}: signal name "${name}" must start with a letter and hold only letters, digits, _ . - (at most 100)`);
    }
  }
}

function checkConcurrency(where: string, options: { concurrencyKey?: unknown; concurrencyLimit?: number; fifo?: boolean }): void {
  const { concurrencyKey, concurrencyLimit, fifo } = options;
  if (concurrencyKey !== undefined && typeof concurrencyKey !== "function") {
    throw new TaskDefinitionError(`${where}: \`concurrencyKey\` must be a function of the payload, e.g. (p) => p.customerId`);
  }
  if (concurrencyLimit !== undefined) {
    if (!concurrencyKey) throw new TaskDefinitionError(`${where}: \`concurrencyLimit\` needs a \`concurrencyKey\``);
    if (!Number.isInteger(concurrencyLimit) || concurrencyLimit < 1 || concurrencyLimit > MAX_CONCURRENCY_LIMIT) {
      throw new TaskDefinitionError(`${where}: \`concurrencyLimit\` must be a whole number from 1 to ${MAX_CONCURRENCY_LIMIT}, got ${String(concurrencyLimit)}`);
    }
  }
  if (fifo !== undefined) {
    if (!concurrencyKey) throw new TaskDefinitionError(`${where}: \`fifo\` needs a \`concurrencyKey\``);
    if (typeof fifo !== "boolean") throw new TaskDefinitionError(`${where}: \`fifo\` must be true or false`);
  }
}

function checkVersions(where: string, options: { name: string; upgrades?: unknown; aliases?: unknown }): void {
  const { upgrades, aliases } = options;
  if (upgrades !== undefined) {
    if (upgrades === null || typeof upgrades !== "object" || Array.isArray(upgrades)) {
      throw new TaskDefinitionError(`${where}: \`upgrades\` must be an object of functions by the version they upgrade from: { 1: (old) => ({ ...old }) }`);
    }
    for (const [key, fn] of Object.entries(upgrades)) {
      if (!/^[1-9]\d{0,8}$/.test(key) || typeof fn !== "function") {
        throw new TaskDefinitionError(`${where}: \`upgrades[${key}]\` must be a function, keyed by the payload version (1, 2, ...) it upgrades from`);
      }
    }
  }
  if (aliases !== undefined) {
    if (!Array.isArray(aliases)) throw new TaskDefinitionError(`${where}: \`aliases\` must be an array of former task names`);
    for (const alias of aliases as unknown[]) {
      const problem = typeof alias === "string" ? taskNameProblem(alias) : "must be a string";
      if (problem) throw new TaskDefinitionError(`${where}: alias "${String(alias)}" ${problem}`);
      if (alias === options.name) throw new TaskDefinitionError(`${where}: alias "${alias}" is the task's own name`);
    }
  }
}

function checkBackoff(where: string, backoff: BackoffMode): void {
  const nonNegative = (value: number | undefined, field: string): void => {
    if (value !== undefined && !(typeof value === "number" && value >= 0 && value <= MAX_DELAY_MS)) {
      throw new TaskDefinitionError(`${where}: \`backoff.${field}\` must be a number of milliseconds from 0 to ${MAX_DELAY_MS} (100 years)`);
    }
  };
  switch (backoff.kind) {
    case "none":
      return;
    case "fixed":
      nonNegative(backoff.delayMs, "delayMs");
      return;
    case "exponential":
      nonNegative(backoff.baseMs, "baseMs");
      nonNegative(backoff.maxMs, "maxMs");
      if (backoff.jitter !== undefined && !(backoff.jitter >= 0 && backoff.jitter <= 1)) {
        throw new TaskDefinitionError(`${where}: \`backoff.jitter\` must be between 0 and 1`);
      }
      return;
    default:
      throw new TaskDefinitionError(
        `${where}: \`backoff.kind\` must be "none", "fixed" or "exponential"`,
      );
  }
}
