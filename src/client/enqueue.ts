import { ConfigError, PayloadValidationError } from "../errors.js";
import type { NewTask, Queryable, TaskStore } from "../store/taskStore.js";
import { payloadViolations, type CompiledValidator } from "../validation.js";

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
  validate: CompiledValidator;
}

export interface EnqueueFunction<Payload> {
  (payload: Payload, options?: EnqueueOptions): Promise<EnqueueResult>;
  /** Inserts any number of tasks in one statement; results are in input order. */
  many(payloads: readonly Payload[], options?: EnqueueOptions): Promise<EnqueueResult[]>;
}

/** Builds `enqueue.<task>`: validates, then inserts through the store returned by `store()`. */
export function enqueueFunction<Payload>(
  store: () => TaskStore,
  target: EnqueueTarget<Payload>,
): EnqueueFunction<Payload> {
  const one = async (payload: Payload, options: EnqueueOptions = {}): Promise<EnqueueResult> => {
    const [result] = await store().insertTasks([toNewTask(target, payload, options)], clientOf(options));
    return result!;
  };
  const many = async (payloads: readonly Payload[], options: EnqueueOptions = {}): Promise<EnqueueResult[]> => {
    const rows = payloads.map((p) => toNewTask(target, p, options));
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
    const inserted = await store().insertTasks(sent, clientOf(options));
    return rows.map((row, i) => {
      const own = sentIndex[i];
      if (own !== undefined) return inserted[own]!;
      const first = inserted[sentIndex[firstIndexByKey.get(row.uniqueKey!)!]!]!;
      return { id: first.id, deduplicated: true };
    });
  };
  return Object.assign(one, { many });
}

function clientOf(options: EnqueueOptions): { client?: Queryable } {
  return options.client ? { client: options.client } : {};
}

function toNewTask<Payload>(target: EnqueueTarget<Payload>, payload: Payload, options: EnqueueOptions): NewTask {
  checkOptions(target.name, options);
  // Validate what will be stored: the JSON form (a Date becomes its ISO string).
  const json: unknown = payload === undefined ? undefined : JSON.parse(JSON.stringify(payload));
  const violations = payloadViolations(target.validate, json);
  if (violations.length > 0) throw new PayloadValidationError(target.name, violations);
  let uniqueKey: string | null = null;
  if (target.uniqueKey) {
    uniqueKey = target.uniqueKey(payload);
    if (typeof uniqueKey !== "string") {
      throw new ConfigError(`task "${target.name}": uniqueKey must return a string, got ${typeof uniqueKey}`);
    }
  }
  return {
    taskName: target.name,
    queueName: options.queue ?? target.queue,
    payload: json,
    priority: options.priority ?? 0,
    uniqueKey,
    maxRetries: target.maxRetries,
    runAt: options.runAt ?? null,
    delayMs: options.runAt || options.delayMs === undefined ? null : Math.round(options.delayMs),
  };
}

function checkOptions(task: string, o: EnqueueOptions): void {
  const where = `enqueue "${task}"`;
  if (o.runAt !== undefined && !(o.runAt instanceof Date && !Number.isNaN(o.runAt.getTime()))) {
    throw new ConfigError(`${where}: option runAt must be a valid Date`);
  }
  if (o.delayMs !== undefined && !(Number.isFinite(o.delayMs) && o.delayMs >= 0)) {
    throw new ConfigError(`${where}: option delayMs must be a number >= 0, got ${o.delayMs}`);
  }
  if (o.priority !== undefined && !(Number.isInteger(o.priority) && Math.abs(o.priority) < 2 ** 31)) {
    throw new ConfigError(`${where}: option priority must be a 32-bit integer, got ${o.priority}`);
  }
  if (o.queue !== undefined && (typeof o.queue !== "string" || o.queue === "")) {
    throw new ConfigError(`${where}: option queue must be a non-empty string`);
  }
}
