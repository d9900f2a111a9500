import { ConfigError, describeThrown, PayloadValidationError } from "../errors.js";
import { MAX_DELAY_MS, queueNameProblem } from "../names.js";
import { DEFAULT_MAX_PAYLOAD_BYTES, textProblem, toJsonPayload } from "../payload.js";
import type { NewTask, Queryable, TaskStore } from "../store/taskStore.js";
import { payloadViolations, type CompiledValidator } from "../validation.js";
import { withEnqueueSpan } from "../telemetry/tracing.js";
import { markSpec, type ContinuationSpec, type FanInBaseOf, type FanInResultOf, type TaskSpec } from "../fanIn.js";
import { recordEnqueued } from "../telemetry/metrics.js";

export interface EnqueueOptions {
  /** Do not start before this time (the database's clock decides). */
  runAt?: Date;
  /** Do not start before now + delayMs. Ignored when `runAt` is given. */
  delayMs?: number;
  /** Higher runs first within a queue. Default 0. */
  priority?: number;
  /** Overrides the task's queue for this call. */
  queue?: string;
  /** A pg client inside your transaction: the task exists only if that transaction commits. */
  client?: Queryable;
}

export interface EnqueueResult {
  id: string;
  /** True when a ready or running task with the same unique key was returned instead. */
  deduplicated: boolean;
}

/** What the generated client knows about a task without loading its handler. */
export interface EnqueueTarget<Payload> {
  name: string;
  queue: string;
  maxRetries: number;
  uniqueKey?: (payload: Payload) => string;
  /** Per-key concurrency: the key of a payload (a copy of the task's `concurrencyKey`). */
  concurrencyKey?: (payload: Payload) => string;
  validate: CompiledValidator;
  /** The payload schema's version (generated/manifest.json), stored with each task. */
  version?: number;
}

/** Options of a fan-in child or continuation (written by `ctx.fanIn`, not in a caller's transaction). */
export type SpecOptions = Omit<EnqueueOptions, "client">;

export interface EnqueueFunction<Payload, Result = unknown> {
  (payload: Payload, options?: EnqueueOptions): Promise<EnqueueResult>;
  /** Inserts any number of tasks in one statement; results are in input order. */
  many(payloads: readonly Payload[], options?: EnqueueOptions): Promise<EnqueueResult[]>;
  /**
   * A child for `ctx.fanIn`, validated now, written by `ctx.fanIn` (its uniqueKey does not apply:
   * a child belongs to its fan-in).
   */
  spec(payload: Payload, options?: SpecOptions): TaskSpec<Result>;
  /**
   * The continuation for `ctx.fanIn`, for a task whose payload is `FanInPayload<Base, R>`: takes
   * the payload without `children` (validated now with none; created with all of them).
   */
  after(base: FanInBaseOf<Payload>, options?: Pick<SpecOptions, "priority" | "queue">): ContinuationSpec<FanInResultOf<Payload>>;
}

/** Builds `enqueue.<task>`: validates, then inserts through the store returned by `store()`. */
export function enqueueFunction<Payload, Result = unknown>(
  store: () => TaskStore,
  target: EnqueueTarget<Payload>,
): EnqueueFunction<Payload, Result> {
  const one = (payload: Payload, options: EnqueueOptions = {}): Promise<EnqueueResult> =>
    withEnqueueSpan(target.name, queueOf(target, options), 1, async (traceContext) => {
      const s = store();
      const row = toNewTask(target, payload, options, s.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES);
      if (traceContext) row.traceContext = traceContext;
      const [result] = await s.insertTasks([row], clientOf(options));
      if (!result!.deduplicated) recordEnqueued(row.taskName, row.queueName, 1);
      return result!;
    });
  const many = (payloads: readonly Payload[], options: EnqueueOptions = {}): Promise<EnqueueResult[]> =>
    withEnqueueSpan(target.name, queueOf(target, options), isArray(payloads) ? payloads.length : 0, (traceContext) => insertMany(payloads, options, traceContext));
  const insertMany = async (payloads: readonly Payload[], options: EnqueueOptions, traceContext: Record<string, string> | null): Promise<EnqueueResult[]> => {
    if (!isArray(payloads)) throw new ConfigError(`enqueue "${target.name}".many: payloads must be an array`);
    const s = store();
    const limit = s.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
    checkOptions(target.name, options);
    const rows = payloads.map((p) => rowOf(target, p, options, limit));
    if (traceContext) for (const row of rows) row.traceContext = traceContext;
    // ON CONFLICT may not touch one row twice per statement: send each unique key once and give
    // its later twins the same id, marked deduplicated.
    const firstIndexByKey = new Map<string, number>();
    const sent: NewTask[] = [];
    const sentIndex: number[] = [];
    rows.forEach((row, i) => {
      if (row.uniqueKey !== null) {
        if (firstIndexByKey.has(row.uniqueKey)) return;
        firstIndexByKey.set(row.uniqueKey, i);
      }
      sentIndex[i] = sent.length;
      sent.push(row);
    });
    const inserted = await s.insertTasks(sent, clientOf(options));
    recordEnqueued(target.name, rows[0]?.queueName ?? target.queue, inserted.filter((r) => !r.deduplicated).length);
    return rows.map((row, i) => {
      const own = sentIndex[i];
      if (own !== undefined) return inserted[own]!;
      const first = inserted[sentIndex[firstIndexByKey.get(row.uniqueKey!)!]!]!;
      return { id: first.id, deduplicated: true };
    });
  };
  const spec = (payload: Payload, options: SpecOptions = {}): TaskSpec<Result> => {
    const row = toNewTask(target, payload, withoutClient(options), store().maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES);
    return markSpec({ task: { ...row, uniqueKey: null } });
  };
  const after = (base: FanInBaseOf<Payload>, options: Pick<SpecOptions, "priority" | "queue"> = {}): ContinuationSpec<FanInResultOf<Payload>> => {
    if (typeof base !== "object" || base === null || Array.isArray(base) || Object.hasOwn(base, "children")) {
      throw new ConfigError(`enqueue "${target.name}".after: the payload must be an object without \`children\` (the fan-in adds them)`);
    }
    const { priority, queue } = withoutClient(options);
    const row = toNewTask(target, { ...base, children: [] } as Payload, { ...(priority === undefined ? {} : { priority }), ...(queue === undefined ? {} : { queue }) },
      store().maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES);
    const { children: _none, ...stored } = row.payload as Record<string, unknown>;
    return markSpec({ continuation: { ...row, payload: stored, payloadJson: JSON.stringify(stored), uniqueKey: null } });
  };
  return Object.assign(one, { many, spec, after });
}

function withoutClient<O extends object>(options: O): O {
  if (typeof options !== "object" || options === null) return {} as O;
  if ("client" in options) throw new ConfigError("a fan-in child or continuation is written by ctx.fanIn: `client` does not apply");
  return options;
}

const MIN_RUN_AT = Date.parse("0001-01-01T00:00:00.000Z");
const MAX_RUN_AT = Date.parse("9999-12-31T23:59:59.999Z");

/** The queue a call goes to, for the span (checked later with the other options). */
function queueOf(target: { queue: string }, options: EnqueueOptions): string {
  return typeof options?.queue === "string" ? options.queue : target.queue;
}

/** Array.isArray without its narrowing, which would turn readonly Payload[] into any[]. */
function isArray(value: unknown): boolean {
  return Array.isArray(value);
}

function clientOf(options: EnqueueOptions): { client?: Queryable } {
  return options.client ? { client: options.client } : {};
}

function toNewTask<Payload>(target: EnqueueTarget<Payload>, payload: Payload, options: EnqueueOptions, maxPayloadBytes: number): NewTask {
  checkOptions(target.name, options);
  return rowOf(target, payload, options, maxPayloadBytes);
}

/**
 * A payload as enqueue stores it (its JSON form: a Date becomes its ISO string), or the one-line
 * PayloadValidationError enqueue throws for what JSON or PostgreSQL would change or cannot hold,
 * and for what the schema refuses. The test kit's `perform` checks payloads with it too.
 */
export function storedJson(taskName: string, validate: CompiledValidator, payload: unknown): unknown {
  const { json, violations: unstorable } = toJsonPayload(payload);
  if (unstorable.length > 0) throw new PayloadValidationError(taskName, unstorable);
  const violations = payloadViolations(validate, json);
  if (violations.length > 0) throw new PayloadValidationError(taskName, violations);
  return json;
}

/** toNewTask with `options` already checked (a batch checks them once). */
function rowOf<Payload>(target: EnqueueTarget<Payload>, payload: Payload, options: EnqueueOptions, maxPayloadBytes: number): NewTask {
  const json = storedJson(target.name, target.validate, payload);
  const payloadJson = JSON.stringify(json);
  // Length is a lower bound of the UTF-8 size: measure exactly only when it may matter.
  if (payloadJson.length * 3 > maxPayloadBytes && Buffer.byteLength(payloadJson) > maxPayloadBytes) {
    throw new PayloadValidationError(target.name, [
      { path: "$", message: `is ${Buffer.byteLength(payloadJson)} bytes as JSON; the limit is ${maxPayloadBytes} (maxPayloadBytes)` },
    ]);
  }
  const uniqueKey = target.uniqueKey ? keyOf(`task "${target.name}"`, "uniqueKey", "unique key", target.uniqueKey, payload) : null;
  const concurrencyKey = target.concurrencyKey ? concurrencyKeyOf(`task "${target.name}"`, target.concurrencyKey, payload) : null;
  return {
    taskName: target.name,
    queueName: options.queue ?? target.queue,
    payload: json,
    payloadJson,
    priority: options.priority ?? 0,
    uniqueKey,
    ...(concurrencyKey === null ? {} : { concurrencyKey }),
    ...(target.version ? { payloadVersion: target.version } : {}),
    maxRetries: target.maxRetries,
    runAt: options.runAt ?? null,
    delayMs: options.runAt || options.delayMs === undefined ? null : Math.round(options.delayMs),
  };
}

/** A key function's result for this payload, or a one-line error naming what is wrong. */
export function keyOf<Payload>(where: string, option: string, what: string, fn: (payload: Payload) => string, payload: Payload): string {
  let key: unknown;
  try {
    key = fn(payload);
  } catch (error) {
    throw new ConfigError(`${where}: ${option} threw: ${describeThrown(error).message}`);
  }
  if (typeof key !== "string") throw new ConfigError(`${where}: ${option} must return a string, got ${typeof key}`);
  const problem = textProblem(key);
  if (problem) throw new ConfigError(`${where}: the ${what} ${problem}`);
  return key;
}

/** The per-key concurrency key of a payload (enqueue, and a schedule's payload at reconcile). */
export function concurrencyKeyOf<Payload>(where: string, fn: (payload: Payload) => string, payload: Payload): string {
  const key = keyOf(where, "concurrencyKey", "concurrency key", fn, payload);
  // '' is where keyless rows of a keyed task go (TasksAdoptKeyless): a user key must differ.
  if (key === "") throw new ConfigError(`${where}: the concurrency key is empty; return a non-empty string`);
  return key;
}

function checkOptions(task: string, o: EnqueueOptions): void {
  const where = `enqueue "${task}"`;
  if (o === null || typeof o !== "object") throw new ConfigError(`${where}: options must be an object`);
  if (o.runAt !== undefined) {
    if (!(o.runAt instanceof Date) || Number.isNaN(o.runAt.getTime())) {
      throw new ConfigError(`${where}: option runAt must be a valid Date`);
    }
    const t = o.runAt.getTime();
    if (t < MIN_RUN_AT || t > MAX_RUN_AT) {
      throw new ConfigError(`${where}: option runAt must be between years 1 and 9999, got ${String(o.runAt.toISOString?.() ?? o.runAt)}`);
    }
  }
  if (o.delayMs !== undefined && !(typeof o.delayMs === "number" && Number.isFinite(o.delayMs) && o.delayMs >= 0 && o.delayMs <= MAX_DELAY_MS)) {
    throw new ConfigError(`${where}: option delayMs must be a number of milliseconds from 0 to ${MAX_DELAY_MS} (100 years), got ${String(o.delayMs)}`);
  }
  if (o.priority !== undefined && !(Number.isInteger(o.priority) && Math.abs(o.priority) < 2 ** 31)) {
    throw new ConfigError(`${where}: option priority must be a 32-bit integer, got ${o.priority}`);
  }
  if (o.client !== undefined && typeof (o.client as { query?: unknown } | null)?.query !== "function") {
    throw new ConfigError(`${where}: option client must be a pg client or pool (something with query(text, values))`);
  }
  if (o.queue !== undefined) {
    // The same rule as a task's own queue (defineTask, codegen).
    const problem = typeof o.queue === "string" ? queueNameProblem(o.queue) : "must be a string";
    if (problem) throw new ConfigError(`${where}: option queue ${problem}`);
  }
}
