import type {
  AdminStore, EnqueuedTask, MinuteStats, PendingTask, ReadyKind, PausedQueue, QueueCounts, QueueStateCount, RegisteredWorker, TaskFilter, TaskPageFilter, TaskSummary, WorkerInfo,
} from "../store/adminStore.js";
import type { Connection } from "./pgConnection.js";
import * as q from "./queries/admin.queries.js";

/** The PostgreSQL implementation of `AdminStore` (`PgTaskStore.admin`); runs sql/admin.sql. */
export class PgAdminStore implements AdminStore {
  constructor(private readonly db: Connection) {}

  async setQueuePaused(queueName: string, paused: boolean): Promise<void> {
    await q.queuePausedSet.run({ queueName, paused }, this.db);
  }

  async pausedQueues(): Promise<PausedQueue[]> {
    const rows = await q.queuesFindPaused.run(undefined, this.db);
    return rows.map((r) => ({ queueName: r.queue_name, since: r.updated_at }));
  }

  async registerWorker(worker: WorkerInfo, staleMs: number): Promise<void> {
    await q.workerRegister.run({ ...row(worker), staleMs: Math.round(staleMs) }, this.db);
  }

  async touchWorker(worker: WorkerInfo): Promise<void> {
    await q.workerTouch.run(row(worker), this.db);
  }

  async deleteWorker(owner: string): Promise<void> {
    await q.workerDelete.run({ owner }, this.db);
  }

  async listWorkers(staleMs: number): Promise<{ now: Date; workers: RegisteredWorker[] }> {
    const rows = await q.workersFindAll.run({ staleMs: Math.round(staleMs) }, this.db);
    return {
      now: rows[0]?.now ?? new Date(),
      workers: rows.map((r) => ({
        owner: r.owner, host: r.host, pid: r.pid, queues: asQueues(r.queues), tasks: asQueues(r.tasks), generation: r.generation,
        startedAt: r.started_at, lastSeenAt: r.last_seen_at,
      })),
    };
  }

  async findReadyKinds(limit: number): Promise<ReadyKind[]> {
    const rows = await q.taskKindsFindReady.run({ limit }, this.db);
    return rows.map((r) => ({ queueName: r.queue_name, taskName: r.task_name, version: r.payload_version }));
  }

  async countReadyKinds(kinds: readonly ReadyKind[]): Promise<Array<ReadyKind & { count: number }>> {
    if (kinds.length === 0) return [];
    const rows = await q.taskKindsCount.run({
      queueNames: kinds.map((k) => k.queueName), taskNames: kinds.map((k) => k.taskName), versions: kinds.map((k) => k.version),
    }, this.db);
    return rows.map((r) => ({ queueName: r.queue_name, taskName: r.task_name, version: r.payload_version, count: r.count }));
  }

  async findPendingPage(after: string, limit: number): Promise<PendingTask[]> {
    const rows = await q.tasksFindPendingPage.run({ after, limit }, this.db);
    return rows.map((r) => ({ id: r.id, taskName: r.task_name, queueName: r.queue_name, state: r.state, version: r.payload_version, payload: r.payload }));
  }

  async findEnqueued(taskName: string | null, limit: number, afterId = "0"): Promise<EnqueuedTask[]> {
    const rows = await q.tasksFindEnqueued.run({ taskName, limit, afterId }, this.db);
    return rows.map((r) => ({
      id: r.id, taskName: r.task_name, queueName: r.queue_name, payload: r.payload, priority: r.priority, uniqueKey: r.unique_key,
      scheduledAt: r.scheduled_at, parked: r.parked,
    }));
  }

  async truncateAll(): Promise<void> {
    await q.tablesTruncate.run(undefined, this.db);
  }

  async maxTaskId(): Promise<string> {
    return (await q.tasksMaxId.run(undefined, this.db))[0]?.max_id ?? "0";
  }

  async retryFailedTasks(filter: TaskFilter, limit: number): Promise<string[]> {
    const rows = await q.tasksRetryFailedMany.run({ ...filters(filter), limit }, this.db);
    return rows.map((r) => r.id);
  }

  async cancelReadyTasks(filter: TaskFilter, limit: number): Promise<string[]> {
    const rows = await q.tasksCancelReadyMany.run({ ...filters(filter), limit }, this.db);
    return rows.map((r) => r.id);
  }

  async deleteFinishedTasks(filter: TaskFilter & { state?: "done" | "failed" | "cancelled" }, olderThanMs: number, limit: number): Promise<string[]> {
    const rows = await q.tasksDeleteFinishedMany.run({ ...filters(filter), state: filter.state ?? null, olderThanMs: Math.round(olderThanMs), limit }, this.db);
    return rows.map((r) => r.id);
  }

  async deleteTask(id: string): Promise<boolean> {
    return (await q.taskDelete.run({ id }, this.db)).length > 0;
  }

  async addStats(owner: string, counts: readonly QueueCounts[]): Promise<void> {
    const rows = counts.map((c) => ({ queue_name: c.queueName, succeeded: c.succeeded, failed: c.failed, retried: c.retried }));
    await q.statsAddMany.run({ owner, rows: JSON.stringify(rows) }, this.db);
  }

  async findStats(sinceMs: number): Promise<MinuteStats[]> {
    const rows = await q.statsFindSince.run({ sinceMs: Math.round(sinceMs) }, this.db);
    return rows.map((r) => ({ minute: r.minute, queueName: r.queue_name, succeeded: r.succeeded, failed: r.failed, retried: r.retried }));
  }

  async overview(): Promise<QueueStateCount[]> {
    const rows = await q.queuesOverview.run(undefined, this.db);
    // queue_name is NOT NULL; a UNION hides that from pgtyped.
    return rows.map((r) => ({
      queueName: r.queue_name ?? "", state: r.state as QueueStateCount["state"], count: r.count, later: r.later, waitSeconds: Math.max(0, r.wait_seconds),
      sleeping: r.sleeping, waiting: r.waiting, claimed: r.claimed,
    }));
  }

  async queueSnapshot(owner: string, maxAgeMs: number): Promise<Array<{ queue: string; state: string; count: number; lagSeconds: number }>> {
    const age = Math.round(maxAgeMs);
    const [stored] = await q.metricsSnapshotFind.run({ maxAgeMs: age }, this.db);
    if (stored && !stored.stale) return asSnapshot(stored.queues);
    const won = await q.metricsSnapshotTake.run({ owner, maxAgeMs: age }, this.db);
    if (won.length === 0) return asSnapshot(stored?.queues);
    const queues = (await this.overview()).flatMap((c) => depthStates(c));
    await q.metricsSnapshotStore.run({ owner, queues: JSON.stringify(queues) }, this.db);
    return queues;
  }

  async findTaskPage(filter: TaskPageFilter, limit: number, window: number): Promise<{ tasks: TaskSummary[]; floor: string }> {
    const top = filter.before !== undefined ? BigInt(filter.before) : BigInt((await q.tasksMaxId.run(undefined, this.db))[0]?.max_id ?? "0") + 1n;
    const floor = top - BigInt(window) > 0n ? top - BigInt(window) : 0n;
    const rows = await q.tasksFindPage.run({
      floor: String(floor),
      ...filters(filter), ...stateFilter(filter.state), id: filter.id ?? null,
      createdFrom: filter.createdFrom ?? null, createdTo: filter.createdTo ?? null,
      payloadAny: filter.payload && filter.payload.kind !== "text" ? JSON.stringify(filter.payload.anyOf) : null,
      payloadText: filter.payload?.kind === "text" ? filter.payload.text : null,
      before: filter.before ?? null, limit,
    }, this.db);
    const tasks = rows.map((r) => ({
      id: r.id, taskName: r.task_name, queueName: r.queue_name, state: r.state, attempts: r.attempts, maxRetries: r.max_retries,
      createdAt: r.created_at, scheduledAt: r.scheduled_at, finishedAt: r.finished_at, scheduleId: r.schedule_id,
      claimed: r.state === "running" && !r.confirmed,
    }));
    return { tasks, floor: String(floor) };
  }
}

/** The page filter's state as the stored state and whether the run is confirmed (claimed: not yet). */
function stateFilter(state: TaskPageFilter["state"]): { state: Exclude<TaskPageFilter["state"], "claimed"> | null; confirmed: boolean | null } {
  if (state === "claimed") return { state: "running", confirmed: false };
  return { state: state ?? null, confirmed: state === "running" ? true : null };
}

function row(worker: WorkerInfo) {
  return {
    owner: worker.owner, host: worker.host, pid: worker.pid, queues: JSON.stringify(worker.queues),
    tasks: JSON.stringify(worker.tasks ?? {}), generation: worker.generation ?? 0,
  };
}

function filters(filter: TaskFilter) {
  return { queueName: filter.queueName ?? null, taskName: filter.taskName ?? null };
}

/** A row written by hand may hold anything: only numbers per (queue or task) name count. */
function asQueues(value: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (value === null || typeof value !== "object" || Array.isArray(value)) return out;
  for (const [name, n] of Object.entries(value)) if (typeof n === "number") out[name] = n;
  return out;
}

/**
 * One overview row as states of the depth gauge, each task in one state. Sleeping and waiting
 * tasks are states of their own; of the tasks in `running`, those held but not confirmed as runs
 * (a worker's prefetch, and runs started under a quarter of a reservation ago) are `claimed`:
 * a busy worker holds up to 2,000 that way, which are not runs.
 */
function depthStates(c: QueueStateCount): Array<{ queue: string; state: string; count: number; lagSeconds: number }> {
  const queue = c.queueName;
  if (c.state === "ready") {
    return [{ queue, state: "ready", count: c.count, lagSeconds: c.waitSeconds }, { queue, state: "sleeping", count: c.sleeping, lagSeconds: 0 }, { queue, state: "waiting", count: c.waiting, lagSeconds: 0 }];
  }
  if (c.state === "running") return [{ queue, state: "running", count: c.count - c.claimed, lagSeconds: 0 }, { queue, state: "claimed", count: c.claimed, lagSeconds: 0 }];
  return [{ queue, state: c.state, count: c.count, lagSeconds: 0 }];
}

/** A stored snapshot (jsonb, possibly written by hand): only well-formed entries count. */
function asSnapshot(value: unknown): Array<{ queue: string; state: string; count: number; lagSeconds: number }> {
  if (!Array.isArray(value)) return [];
  return value.flatMap((v: unknown) => {
    const e = v as { queue?: unknown; state?: unknown; count?: unknown; lagSeconds?: unknown } | null;
    return e && typeof e.queue === "string" && typeof e.state === "string" && typeof e.count === "number" && typeof e.lagSeconds === "number"
      ? [{ queue: e.queue, state: e.state, count: e.count, lagSeconds: e.lagSeconds }] : [];
  });
}
