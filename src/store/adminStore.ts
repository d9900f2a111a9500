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
  /** Failed tasks back to ready (fresh attempts); returns their ids. */
  retryFailedTasks(filter: TaskFilter, limit: number): Promise<string[]>;
  /** Ready tasks to cancelled; returns their ids. */
  cancelReadyTasks(filter: TaskFilter, limit: number): Promise<string[]>;
  /** Deletes finished rows (done, failed, cancelled, or `filter.state`) that finished more than `olderThanMs` ago. */
  deleteFinishedTasks(filter: TaskFilter & { state?: "done" | "failed" | "cancelled" }, olderThanMs: number, limit: number): Promise<string[]>;
  /** Deletes one finished or cancelled task; false when it is in another state or gone. */
  deleteTask(id: string): Promise<boolean>;
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
}

export interface RegisteredWorker extends WorkerInfo {
  startedAt: Date;
  lastSeenAt: Date;
}
