/**
 * How the task store's rows are built and read: insert batches as column arrays or JSON, claim
 * rows as claimed tasks, stored rows as tasks. Pure functions of the pgtyped query types (imported
 * as types only: the store alone runs the queries).
 */
import type { ClaimedTask, NewTask, StoredTask } from "../store/taskStore.js";
import type { StepEntry } from "../store/stepStore.js";
import type { TaskErrorRecord } from "../types.js";
import { clampMs } from "./pgConnection.js";
import type { ColumnIndex } from "./preparedQuery.js";
import type * as q from "./queries/tasks.queries.js";

/**
 * The queues of rows that are due now (by this process's clock: a row it thinks is later is
 * found by the workers' poll when due, as delayed rows always are).
 */
export function dueQueues(tasks: readonly NewTask[]): Set<string> {
  const now = Date.now();
  const queues = new Set<string>();
  for (const t of tasks) {
    const due = t.runAt ? t.runAt.getTime() <= now : !t.delayMs || t.delayMs <= 0;
    if (due) queues.add(t.queueName);
  }
  return queues;
}

/**
 * One (name, version) pair per claim-index range to read: versions 0 (none recorded) up to the
 * highest this worker knows. Older versions' ranges are usually empty: one index probe each.
 */
export function versionRanges(names: readonly string[], versions: Readonly<Record<string, number>> | undefined): { taskNames: string[]; versions: number[] } {
  if (versions === undefined) return { taskNames: [...names], versions: names.map(() => 0) };
  const out = { taskNames: [] as string[], versions: [] as number[] };
  for (const name of names) {
    for (let v = 0; v <= (versions[name] ?? 0); v++) {
      out.taskNames.push(name);
      out.versions.push(v);
    }
  }
  return out;
}

/** RETURNING follows the primary key: the order the claim took them in (priority, due time, id). */
export function inClaimOrder(a: ClaimedTask, b: ClaimedTask): number {
  return b.priority - a.priority || a.scheduledAtMs - b.scheduledAtMs || Number(a.id) - Number(b.id);
}

/**
 * Rows as one array per column (TasksInsertMany). NULL elements are what the columns take for
 * "none"; pgtyped types array elements as non-null, hence the casts. Payload JSON is passed as it
 * came (no second serialisation). A column equal in every row goes once: an empty array, and the
 * scalar for the NOT NULL ones (the statement's coalesce); a nullable one that is NULL in every row
 * is just the empty array.
 */
export function columns(tasks: readonly NewTask[]): Omit<q.ITasksInsertManyParams, "notify"> {
  const first = tasks[0]!;
  // One pass to find what is the same in every row; arrays only for what is not.
  let taskNames = true, queueNames = true, priorities = true, maxRetries = true;
  let noRunAt = true, noDelay = true, noTrace = true, noKey = true, versions = true;
  for (const t of tasks) {
    taskNames &&= t.taskName === first.taskName;
    queueNames &&= t.queueName === first.queueName;
    priorities &&= t.priority === first.priority;
    maxRetries &&= t.maxRetries === first.maxRetries;
    noRunAt &&= t.runAt === null;
    noDelay &&= t.delayMs === null;
    noTrace &&= !t.traceContext;
    noKey &&= t.concurrencyKey == null;
    versions &&= t.payloadVersion === first.payloadVersion;
  }
  const each = <T>(same: boolean, value: (t: NewTask) => T): T[] => (same ? [] : tasks.map(value));
  return {
    taskName: first.taskName, queueName: first.queueName, priority: first.priority, maxRetries: first.maxRetries,
    payloadVersion: first.payloadVersion ?? 0,
    payloadVersions: each(versions, (t) => t.payloadVersion ?? 0),
    taskNames: each(taskNames, (t) => t.taskName),
    queueNames: each(queueNames, (t) => t.queueName),
    payloads: tasks.map((t) => t.payloadJson ?? JSON.stringify(t.payload)),
    priorities: each(priorities, (t) => t.priority),
    maxRetriesEach: each(maxRetries, (t) => t.maxRetries),
    runAts: each(noRunAt, (t) => t.runAt) as Date[],
    delays: each(noDelay, (t) => t.delayMs) as number[],
    traceContexts: each(noTrace, (t) => (t.traceContext ? JSON.stringify(t.traceContext) : null)),
    concurrencyKeys: each(noKey, (t) => t.concurrencyKey ?? null) as string[],
  };
}

/** Rows for the JSON-array inserts; the payload's JSON is spliced in as it came (no second serialisation). */
export function tasksJson(tasks: readonly NewTask[]): string {
  return `[${tasks.map((t) => {
    const rest = JSON.stringify({
      task_name: t.taskName, queue_name: t.queueName, priority: t.priority,
      unique_key: t.uniqueKey, max_retries: t.maxRetries, run_at: t.runAt?.toISOString() ?? null,
      delay_ms: t.delayMs, ...(t.traceContext ? { trace_context: t.traceContext } : {}),
      ...(t.concurrencyKey == null ? {} : { concurrency_key: t.concurrencyKey }),
      ...(t.payloadVersion ? { payload_version: t.payloadVersion } : {}),
    });
    return `{"payload":${t.payloadJson ?? JSON.stringify(t.payload)},${rest.slice(1)}`;
  }).join(",")}]`;
}

/** The columns every claim statement returns (checked by name against each result). */
export const CLAIM_COLUMNS = [
  "id", "lease_token", "task_name", "payload", "priority", "attempts", "max_retries", "created_at_ms", "scheduled_at_ms",
  "schedule_id", "schedule_for_ms", "schedule_missed", "trace_context", "fan_in_id", "payload_version", "started_at_ms",
] as const satisfies ReadonlyArray<keyof q.ITasksClaimManyResult>;
export const KEYED_COLUMNS = [...CLAIM_COLUMNS, "concurrency_key"] as const satisfies ReadonlyArray<keyof q.ITasksClaimKeyedManyResult>;

/** A claim statement's row (as an array: see runArrays) as a claimed task. */
// Every field the worker sets later is in the literal (leaseUntil), and keyed tasks are built by
// the same literal rather than spread into another: objects of one shape keep the worker's
// property reads and writes on V8's fast path (a 1,000-key run spent 1 µs a task adding
// leaseUntil to spread objects). The casts are the claim's column types (q.ITasksClaimManyResult):
// a function's columns are typed nullable by pgtyped, but are backie_tasks rows, NOT NULL where
// the table says.
export function claimed(r: unknown[], at: ColumnIndex<q.ITasksClaimManyResult>, queueName: string, received: number, concurrencyKey: string | null = null): ClaimedTask {
  const scheduledAtMs = r[at.scheduled_at_ms] as number | null;
  const startedAtMs = r[at.started_at_ms] as number | null;
  const scheduleForMs = r[at.schedule_for_ms] as number | null;
  return {
    id: r[at.id] as string, token: r[at.lease_token] as number, taskName: r[at.task_name] as string, queueName,
    payload: r[at.payload], priority: r[at.priority] as number, attempt: r[at.attempts] as number, maxRetries: r[at.max_retries] as number,
    // Never null (computed from NOT NULL columns); pgtyped cannot tell.
    createdAtMs: clampMs(r[at.created_at_ms] as number | null), scheduledAtMs: clampMs(scheduledAtMs),
    scheduleId: r[at.schedule_id] as string | null, scheduleForMs: scheduleForMs === null ? null : clampMs(scheduleForMs),
    scheduleMissed: r[at.schedule_missed] as number | null,
    traceContext: r[at.trace_context], fanInId: r[at.fan_in_id] as string | null, payloadVersion: r[at.payload_version] as number,
    // Both by the database's clock. Not finite for a due time written by hand as infinite: the
    // runner then falls back to its own clock.
    waitedMs: startedAtMs === null || scheduledAtMs === null ? undefined : startedAtMs - scheduledAtMs,
    claimedAtMono: received, leaseUntil: undefined, concurrencyKey,
  };
}

/** A TasksFindMany row as a stored task. */
export function storedTask(r: q.ITasksFindManyResult): StoredTask {
  return {
      id: r.id, taskName: r.task_name, queueName: r.queue_name, state: r.state, payload: r.payload,
      priority: r.priority, uniqueKey: r.unique_key, attempts: r.attempts, maxRetries: r.max_retries,
      errors: r.errors as unknown as TaskErrorRecord[], createdAt: r.created_at,
      scheduledAt: r.scheduled_at, startedAt: r.started_at, finishedAt: r.finished_at,
      leaseOwner: r.lease_owner, leaseToken: r.lease_token, leaseExpiresAt: r.lease_expires_at, leaseConfirmed: r.lease_confirmed,
      scheduleId: r.schedule_id, scheduleFor: r.schedule_for, progress: r.progress ?? null, progressAt: r.progress_at,
      payloadVersion: r.payload_version,
      steps: Array.isArray(r.steps) ? (r.steps as unknown as StepEntry[]) : [],
      inbox: Array.isArray(r.inbox) ? (r.inbox as unknown as StoredTask["inbox"]) : [],
      parked: r.parked === "sleeping" || r.parked === "waiting" ? r.parked : null, waitingFor: r.waiting_for,
  };
}
