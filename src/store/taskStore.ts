import type { ResolvedRateLimit } from "../rateLimit.js";
import type { TaskErrorRecord, TaskState } from "../types.js";
import type { AdminStore } from "./adminStore.js";
import type { StepEntry, StepStore } from "./stepStore.js";
import type { ScheduleStore } from "./scheduleStore.js";

/**
 * The storage interface: the runtime reaches storage only through it. `PgTaskStore` implements it
 * for PostgreSQL; another backend must pass the same conformance suite
 * (`test/integration/storeConformance.ts`).
 *
 * Every method is batch-first. Writes to running tasks are fenced by a lease token: a result for
 * a task whose lease was taken over is not applied, and the method reports which ids were.
 */
export interface TaskStore {
  /** Largest payload (JSON, UTF-8 bytes) enqueue accepts for this store. Default 1 MiB. */
  readonly maxPayloadBytes?: number;
  /** Recurring schedules, in the same database. */
  readonly schedules: ScheduleStore;
  /** Queue pause/resume, the registry of running pools, bulk actions. */
  readonly admin: AdminStore;
  /** Durable runs: step histories and signals. */
  readonly steps: StepStore;
  /** Applies pending schema migrations; safe to call from many processes at once. */
  migrate(): Promise<unknown>;
  insertTasks(tasks: readonly NewTask[], options?: { client?: Queryable }): Promise<InsertedTask[]>;
  claimTasks(request: ClaimRequest): Promise<ClaimedTask[]>;
  /** The first due task's place in the claim order of these names (and versions), or null. */
  findClaimHead(request: Pick<ClaimRequest, "queueName" | "taskNames" | "versions">): Promise<ClaimHead>;
  /**
   * A run's fan-out: inserts the children and a continuation that the database creates once the
   * last child finished, with every child's outcome and result (exactly once). A second call with
   * the same parent and key (a rerun) inserts nothing and returns the first call's ids.
   */
  insertFanIn(fanIn: NewFanIn): Promise<{ fanInId: string; childIds: string[]; created: boolean }>;
  /**
   * Claims tasks of names under one rate limit: at most as many as its bucket holds tokens, one
   * token each, exact across processes. `waitMs` (when fewer than `limit` came back because the
   * bucket ran short): how long until it holds a token again; 0 when tasks ran out instead.
   */
  claimLimitedTasks(request: LimitedClaimRequest): Promise<{ tasks: ClaimedTask[]; waitMs: number }>;
  /**
   * Ready tasks of these keyed names that carry no key (enqueued before the name had one) join
   * the shared key '', so that the keyed claim takes them. Returns how many.
   */
  adoptKeyless(queueName: string, taskNames: readonly string[]): Promise<number>;
  /**
   * Applies results; returns the ids whose result was discarded because their lease was no
   * longer held (usually none). `ifLeaseExpired` (the rescuer): only where the lease has also
   * expired, so a lease renewed in the meantime is left alone.
   */
  completeTasks(results: readonly TaskResult[], options?: { ifLeaseExpired?: boolean }): Promise<Set<string>>;
  /** Stores the latest progress of runs, for tasks not claimed again since (same token). */
  setProgress(items: ReadonlyArray<Lease & { progressJson: string }>): Promise<void>;
  /**
   * Sleeping and waiting tasks of `queues` that are due go back where claims look: at most
   * `limit`; how many, and the queues that got work.
   */
  wakeParked(queues: readonly string[], limit: number, now?: Date): Promise<{ queues: string[]; count: number }>;
  /**
   * Extends leases; returns the ids no longer held (lost to a rescue). `confirm`: these are
   * started runs (a full lease), not reservations of prefetched tasks.
   */
  extendLeases(leases: readonly Lease[], leaseMs: number, options?: { confirm?: boolean }): Promise<Set<string>>;
  /** Running tasks whose lease expired, oldest expiry first; read only (see `completeTasks`). */
  findExpired(limit: number): Promise<ExpiredTasks>;
  /** Deletes up to `limit` finished rows of a queue that finished more than `olderThanMs` ago. */
  pruneFinished(queueName: string, olderThanMs: number, limit: number): Promise<number>;
  findTasks(ids: readonly string[]): Promise<StoredTask[]>;
  /**
   * Tasks per queue, name and state: ready, running and failed (through partial indexes, however
   * long the history); with `finished`, done and cancelled too (reads the whole table).
   */
  countTasks(options?: { finished?: boolean }): Promise<TaskCount[]>;
  /** Most recent failures first. */
  listFailed(limit: number): Promise<FailedTask[]>;
  /** Running (and prefetched) tasks, longest-held first. */
  listRunning(limit: number): Promise<RunningTask[]>;
  /**
   * A failed or cancelled task back to ready with fresh attempts. Its step history stays (the run
   * resumes after its last completed step) unless `fromStart`. False when it is in another state.
   */
  retryTask(id: string, options?: { fromStart?: boolean }): Promise<boolean>;
  /**
   * A ready or running task to cancelled; a running one loses its lease, so its worker aborts it
   * at the next heartbeat and its result is not written. Returns the state it was cancelled from,
   * or null when it is in another state (or does not exist).
   */
  cancelTask(id: string): Promise<"ready" | "running" | null>;
  /** Calls `onReady` with queue names whenever new runnable tasks are inserted. */
  listen(onReady: (queues: string[]) => void, onError: (error: unknown) => void): Promise<Subscription>;
  close(): Promise<void>;
}

/** Anything with pg's `query(text, values)`: a `pg.Pool`, or a `pg.Client` inside a transaction. */
export interface Queryable {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[]; rowCount: number | null }>;
}

export interface Subscription {
  close(): Promise<void>;
}

export interface NewTask {
  taskName: string;
  queueName: string;
  payload: unknown;
  /** `payload` as JSON, when the caller has it already (enqueue does): not serialised twice. */
  payloadJson?: string;
  priority: number;
  uniqueKey: string | null;
  maxRetries: number;
  runAt: Date | null;
  delayMs: number | null;
  /** The enqueuing code's trace context, as the registered propagator wrote it (telemetry). */
  traceContext?: Record<string, string> | null;
  /** The task's `concurrencyKey` of this payload; null (or absent) for tasks without one. */
  concurrencyKey?: string | null;
  /**
   * The payload schema's version (generated/manifest.json) the payload was checked against: only
   * workers that know it claim the task. 0 (the default): any worker, against its own schema.
   */
  payloadVersion?: number;
}

export interface NewFanIn {
  parentId: string;
  /** Names the fan-out among the parent's (default "default"). */
  key: string;
  children: readonly NewTask[];
  /** Its payload without `children` (added when it is created). */
  continuation: NewTask;
  /** `fail`: the continuation is created failed if a child did not succeed; `ignore`: it runs. */
  onChildFailure: "fail" | "ignore";
}

export interface InsertedTask {
  id: string;
  /** True when a ready or running task with the same unique key already existed. */
  deduplicated: boolean;
}

export interface ClaimRequest {
  queueName: string;
  /** Names without a per-key limit. */
  taskNames: readonly string[];
  /** Names with a per-key limit: claimed round-robin over their keys, never over the limit. */
  keyed?: readonly KeyedClaim[];
  /** The key this caller claimed last: the walk over keys goes on after it. */
  keyCursor?: string | null;
  /** At most this many keyed tasks (default `limit`): a claimed task holds its key's slot. */
  keyedLimit?: number;
  /**
   * Up to this many due tasks of one free key at a time (default 1), for names at limit 1 that
   * are not fifo. They come back one after the other, in claim order, and the caller must run
   * them one at a time: every other claimer counts them all as running.
   */
  keyChain?: number;
  limit: number;
  owner: string;
  leaseMs: number;
  /** The highest payload version known per name (versions 0 to it are claimed); absent: 0. */
  versions?: Readonly<Record<string, number>>;
  /** The clock that decides "due" and the lease's start (default the database's): test kits move it. */
  now?: Date;
  /**
   * Where to start reading names without a per-key limit (default: the head): tasks of a higher
   * priority, of this priority due from `scheduledAtMs` on, and of lower priorities. Tasks before
   * it are not claimed: the caller keeps it behind its last claim and moves it back to the head
   * `findClaimHead` reports.
   */
  start?: ClaimPosition;
}

/** A read of a queue's head (see `ClaimRequest.start`). */
export interface ClaimHead {
  /** The first due task's place, or null (none is due). */
  head: ClaimPosition | null;
  /**
   * How long the database took to find it, in ms, without the round trip; null when the store
   * cannot tell (the caller then times the call itself).
   */
  readMs: number | null;
}

/** A place in a queue's claim order: a priority, and a due time (epoch ms) within it. */
export interface ClaimPosition {
  priority: number;
  scheduledAtMs: number;
}

export interface LimitedClaimRequest {
  queueName: string;
  taskNames: readonly string[];
  /** The bucket's name (`rateBucket`) and its limit as declared. */
  bucket: string;
  rate: ResolvedRateLimit;
  limit: number;
  owner: string;
  leaseMs: number;
  /** As in ClaimRequest. */
  versions?: Readonly<Record<string, number>>;
}

export interface KeyedClaim {
  taskName: string;
  /** Running tasks per key, across all processes. */
  limit: number;
  /** A key's tasks start in enqueue order. */
  fifo: boolean;
}

export interface Lease {
  id: string;
  token: number;
}

export interface ClaimedTask extends Lease {
  taskName: string;
  queueName: string;
  payload: unknown;
  priority: number;
  /** Runs so far including this one. */
  attempt: number;
  maxRetries: number;
  /** Epoch milliseconds. */
  createdAtMs: number;
  scheduledAtMs: number;
  /**
   * How long it had waited past `scheduledAtMs` when claimed, by the database's clock, and when
   * the claim came back (`performance.now()`): its wait at start is their sum plus the time since,
   * with no worker clock involved. Absent: the worker's clock against `scheduledAtMs`.
   */
  waitedMs?: number;
  claimedAtMono?: number;
  /**
   * Until when (`performance.now()`) the claimer surely holds the lease: a bound it keeps itself,
   * from when it sent the claim or the last renewal, so never later than the database's expiry.
   */
  leaseUntil?: number;
  /** Set when a schedule created the task: which one, for which occurrence (epoch ms). */
  scheduleId?: string | null;
  scheduleForMs?: number | null;
  scheduleMissed?: number | null;
  /** The enqueuer's trace context (stored by enqueue when OpenTelemetry is set up), or null. */
  traceContext?: unknown;
  /** Its per-key concurrency key (keyed tasks only). */
  concurrencyKey?: string | null;
  /** Set for a fan-in child: its outcome and result resume the fan-in's continuation. */
  fanInId?: string | null;
  /** The payload version it was enqueued with (0: none recorded). */
  payloadVersion?: number;
}

/** What to do with a running task. */
export type TaskResult = Lease &
  (
    | { outcome: "remove" }
    /** `result`: a fan-in child's return value (JSON-safe), kept for its continuation. */
    | { outcome: "done"; result?: unknown }
    /**
     * `delayMs` null: ready again at once, keeping its place in the queue (a rescue). `uncount`:
     * the attempt is given back (a reservation that lapsed, probably never run).
     */
    | { outcome: "retry"; error: TaskErrorRecord; delayMs: number | null; uncount?: boolean }
    | { outcome: "failed"; error: TaskErrorRecord; remove: boolean }
    /** Shutdown: back to ready now, this run not counted as an attempt. */
    | { outcome: "giveBack" }
    /** The run asked to be run again after `delayMs`: ready then, this run not counted as an attempt. */
    | { outcome: "snooze"; delayMs: number }
    /** ctx.sleep or ctx.waitFor: ready at `runAt` (null: only when its signal comes), this run not counted as an attempt. */
    | { outcome: "park"; parked: "sleeping" | "waiting"; runAt: Date | null; waitingFor?: string }
  );

/** A rescuer's scan (see `findExpired`). */
export interface ExpiredTasks {
  tasks: ExpiredTask[];
  /**
   * How long the database took to scan, in ms, without the round trip; null when the store
   * cannot tell (the caller then times the call itself).
   */
  readMs: number | null;
}

export interface ExpiredTask extends Lease {
  taskName: string;
  queueName: string;
  /** Runs counted so far, the lost one included. */
  attempts: number;
  maxRetries: number;
  leaseOwner: string | null;
  leaseExpiresAt: Date;
  /** A started run's lease (confirmed by its worker), not a reservation of a prefetched task. */
  confirmed: boolean;
  /** Reservations of this task that expired before (errors of kind `reservation_expired`). */
  lapses: number;
}

export interface StoredTask {
  id: string;
  taskName: string;
  queueName: string;
  state: TaskState;
  payload: unknown;
  priority: number;
  uniqueKey: string | null;
  attempts: number;
  maxRetries: number;
  errors: TaskErrorRecord[];
  createdAt: Date;
  scheduledAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  leaseOwner: string | null;
  leaseToken: number;
  leaseExpiresAt: Date | null;
  /**
   * Running: whether its worker confirmed the run (made its lease full). A running task that is
   * not is claimed: in a worker's prefetch, or started under a quarter of a reservation ago.
   */
  leaseConfirmed: boolean;
  /** The schedule and occurrence that created it; null for an enqueued task. */
  scheduleId: string | null;
  scheduleFor: Date | null;
  /** The last `ctx.progress` value its runs reported (null if none), and when. */
  progress: unknown;
  progressAt: Date | null;
  /** The task's payload schema version it was enqueued with (0: none recorded). */
  payloadVersion: number;
  /** Its durable history (ctx.step, ctx.sleep, ctx.waitFor), in order; empty for other tasks. */
  steps: StepEntry[];
  /** Signals sent to it and not yet taken by a wait. */
  inbox: Array<{ name: string; payload: unknown; at: string }>;
  /** Ready because of ctx.sleep or ctx.waitFor (until `scheduledAt`), else null. */
  parked: "sleeping" | "waiting" | null;
  /** The signal a waiting task waits for. */
  waitingFor: string | null;
}

export interface TaskCount {
  queueName: string;
  taskName: string;
  state: TaskState;
  count: number;
  /** The longest-waiting ready task that is due (scheduled for now or earlier). */
  oldestReadyAt: Date | null;
  /** The start of the longest run in progress. */
  oldestRunningSince: Date | null;
  /** Of the ready ones: asleep (ctx.sleep) and waiting for a signal (ctx.waitFor), not yet due. */
  sleeping: number;
  waiting: number;
  /**
   * Of the running ones: held by a worker but not confirmed as runs (its prefetch, and runs
   * started under a quarter of a reservation ago). `count - claimed` are runs.
   */
  claimed: number;
}

export interface RunningTask {
  id: string;
  taskName: string;
  queueName: string;
  attempt: number;
  /** When it was claimed: a prefetched task counts as running from then. */
  claimedAt: Date | null;
  leaseOwner: string | null;
  leaseExpiresAt: Date | null;
  /**
   * Whether its worker confirmed it as a run (made its lease full, which a run does within a
   * quarter of its reservation); false for a task only claimed: prefetched, or started moments ago.
   */
  confirmed: boolean;
}

export interface FailedTask {
  id: string;
  taskName: string;
  queueName: string;
  attempts: number;
  maxRetries: number;
  finishedAt: Date | null;
  lastError: TaskErrorRecord | null;
}
