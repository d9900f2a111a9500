/**
 * Operating a running system (`TaskStore.admin`): queue pause and resume, the registry of running
 * worker pools, and bulk actions by filter. Every bulk method works in bounded batches (`limit`
 * rows per call; callers repeat until fewer come back) and skips rows others hold locked.
 */
export interface AdminStore {
  /** Pauses (true) or resumes (false) a queue, for every worker of every process; survives restarts. */
  setQueuePaused(queueName: string, paused: boolean): Promise<void>;
  pausedQueues(): Promise<PausedQueue[]>;
  /** A starting pool's row; removes rows of pools not seen for `staleMs`. */
  registerWorker(worker: WorkerInfo, staleMs: number): Promise<void>;
  /** Marks a pool alive (its heartbeat). */
  touchWorker(worker: WorkerInfo): Promise<void>;
  /** A cleanly stopped pool. */
  deleteWorker(owner: string): Promise<void>;
  /** Pools seen within `staleMs`. */
  listWorkers(staleMs: number): Promise<{ now: Date; workers: RegisteredWorker[] }>;
  /**
   * The distinct (queue, name, payload version) of ready tasks, at most `limit`: one index probe
   * each, cheap enough for every pool to ask now and then (see versionCoverage).
   */
  findReadyKinds(limit: number): Promise<ReadyKind[]>;
  /** Ready tasks of each kind. */
  countReadyKinds(kinds: readonly ReadyKind[]): Promise<Array<ReadyKind & { count: number }>>;
  /**
   * Ready and running tasks with their payloads, `limit` with ids above `after`, by id: one short
   * statement per page that locks no row (`backie check`).
   */
  findPendingPage(after: string, limit: number): Promise<PendingTask[]>;
  /** Ready tasks (due, later or parked) with ids above `afterId` (default "0"), oldest first, of one name or all (`backie/testing`). */
  findEnqueued(taskName: string | null, limit: number, afterId?: string): Promise<EnqueuedTask[]>;
  /** Deletes every stored row of every Backie table, ids from 1 again: a test kit's reset. Never for production. */
  truncateAll(): Promise<void>;
  /** The highest task id so far ("0" for none). */
  maxTaskId(): Promise<string>;
  /** Failed tasks back to ready (fresh attempts); returns their ids. */
  retryFailedTasks(filter: TaskFilter, limit: number): Promise<string[]>;
  /** Ready tasks to cancelled; returns their ids. */
  cancelReadyTasks(filter: TaskFilter, limit: number): Promise<string[]>;
  /** Deletes finished rows (done, failed, cancelled, or `filter.state`) that finished more than `olderThanMs` ago. */
  deleteFinishedTasks(filter: TaskFilter & { state?: "done" | "failed" | "cancelled" }, olderThanMs: number, limit: number): Promise<string[]>;
  /** Deletes one finished or cancelled task; false when it is in another state or gone. */
  deleteTask(id: string): Promise<boolean>;
  /** Adds a pool's counts since its last call to the current minute (the dashboard's charts). */
  addStats(owner: string, counts: readonly QueueCounts[]): Promise<void>;
  /** Per minute and queue, all pools summed, over the last `sinceMs`. */
  findStats(sinceMs: number): Promise<MinuteStats[]>;
  /** Per queue: due and later ready tasks, running, failed; longest wait and run. One row per queue and state. */
  overview(): Promise<QueueStateCount[]>;
  /**
   * One page of tasks, newest first; `before` is the last id of the previous page. Looks at the
   * `window` ids below `before` (or below the newest) only; `floor` says where it stopped.
   */
  findTaskPage(filter: TaskPageFilter, limit: number, window: number): Promise<{ tasks: TaskSummary[]; floor: string }>;
  /**
   * Queue depth by state and lag for the whole cluster, at most `maxAgeMs` old: computed by the
   * one caller that wins the stale snapshot's compare-and-set, read by every other.
   */
  queueSnapshot(owner: string, maxAgeMs: number): Promise<Array<{ queue: string; state: string; count: number; lagSeconds: number }>>;
}

export interface QueueCounts {
  queueName: string;
  succeeded: number;
  failed: number;
  retried: number;
}

export interface MinuteStats extends QueueCounts {
  minute: Date;
}

export interface QueueStateCount {
  queueName: string;
  state: "ready" | "running" | "failed";
  /** Ready: due now; running, failed: all. */
  count: number;
  /** Ready tasks scheduled for later. */
  later: number;
  /** Ready: seconds the longest-waiting due task has waited; running: the longest run so far (database clock). */
  waitSeconds: number;
  /** Ready: of those later, asleep (ctx.sleep) and waiting for a signal (ctx.waitFor). */
  sleeping: number;
  waiting: number;
  /**
   * Running: of `count`, those a worker holds under a reservation not yet confirmed as a run
   * (prefetched, or started moments ago). 0 for other states.
   */
  claimed: number;
}

/**
 * A payload search: containment of any of `anyOf` (jsonb `@>`), or a case-insensitive search in
 * the payload's JSON text; `description` says in words which reading was used.
 */
export type PayloadMatch =
  | { kind: "json" | "fields"; anyOf: unknown[]; description: string }
  | { kind: "text"; text: string; description: string };

export interface TaskPageFilter extends TaskFilter {
  /**
   * `running`: runs a worker has confirmed; `claimed`: tasks a worker holds but has not confirmed
   * as runs (its prefetch, and runs started under a quarter of a reservation ago). Both are
   * stored as `running`.
   */
  state?: "ready" | "running" | "claimed" | "done" | "failed" | "cancelled";
  id?: string;
  createdFrom?: Date;
  createdTo?: Date;
  /** What the payload search box asked for (src/dashboard/payloadFilter.ts). */
  payload?: PayloadMatch;
  before?: string;
}

export interface TaskSummary {
  id: string;
  taskName: string;
  queueName: string;
  state: string;
  attempts: number;
  maxRetries: number;
  createdAt: Date;
  scheduledAt: Date;
  finishedAt: Date | null;
  scheduleId: string | null;
  /** Stored as running, but not confirmed as a run (see TaskPageFilter.state). */
  claimed: boolean;
}

export interface TaskFilter {
  queueName?: string;
  taskName?: string;
}

export interface PausedQueue {
  queueName: string;
  since: Date;
}

export interface WorkerInfo {
  owner: string;
  host: string;
  pid: number;
  /** Queue name → concurrency (numWorkers). */
  queues: Record<string, number>;
  /** Task name (former names too) → the highest payload version it runs. */
  tasks?: Record<string, number>;
  /** The deploy's generation (generated/manifest.json). */
  generation?: number;
}

/** A ready task as `findEnqueued` reads it. */
export interface EnqueuedTask {
  id: string;
  taskName: string;
  queueName: string;
  payload: unknown;
  priority: number;
  uniqueKey: string | null;
  scheduledAt: Date;
  parked: string | null;
}

/** Ready tasks of one name and payload version in one queue. */
export interface ReadyKind {
  queueName: string;
  taskName: string;
  version: number;
}

export interface PendingTask {
  id: string;
  taskName: string;
  queueName: string;
  state: string;
  version: number;
  payload: unknown;
}

export interface RegisteredWorker extends WorkerInfo {
  startedAt: Date;
  lastSeenAt: Date;
}
