import pg from "pg";
import type {
  ClaimHead, ClaimRequest, LimitedClaimRequest, NewFanIn, ClaimedTask, ExpiredTask, ExpiredTasks, FailedTask, InsertedTask, Lease, NewTask, Queryable, RunningTask, StoredTask,
  Subscription, TaskCount, TaskResult, TaskStore,
} from "../store/taskStore.js";
import { BackieError, ConfigError } from "../errors.js";
import { checkDatabaseUrl, connectionSettings } from "./connection.js";
import type { TaskErrorRecord } from "../types.js";
import { DEFAULT_MAX_PAYLOAD_BYTES } from "../payload.js";
import { DEFAULT_MIGRATIONS_DIR, type MigrationStatus } from "./migrationFiles.js";
import { adapt, preparing, unprepared, TYPES, type Connection } from "./pgConnection.js";
import { PgAdminStore } from "./pgAdminStore.js";
import { PgMigrationStore } from "./pgMigrationStore.js";
import { PgStepStore } from "./pgStepStore.js";
import { PgScheduleStore } from "./pgScheduleStore.js";
import { Wakeups } from "./wakeups.js";
import * as q from "./queries/tasks.queries.js";
import { checkedId, idArray, notAmong, tokensById } from "./leaseBatches.js";
import { CLAIM_COLUMNS, claimed, columns, dueQueues, inClaimOrder, KEYED_COLUMNS, storedTask, tasksJson, versionRanges } from "./taskRows.js";

export interface PgTaskStoreOptions {
  /** A pool the store owns (closed by `close()`), or one you own (`ownsPool: false`). */
  pool?: pg.Pool;
  connectionString?: string;
  /** Pool size when the store creates its pool. Default 10. */
  maxConnections?: number;
  /**
   * Named prepared statements: parsed once per connection, a few percent faster. Turn off behind
   * PgBouncer in transaction mode, where a connection's prepared statements do not follow you.
   * Default true.
   */
  preparedStatements?: boolean;
  migrationsDir?: string;
  /** Give up connecting after this long. Default 10,000 ms. */
  connectTimeoutMs?: number;
  /** Let the process exit while the pool's connections are idle (scripts that enqueue). Default true. */
  allowExitOnIdle?: boolean;
  /** Largest payload enqueue accepts, as JSON in UTF-8 bytes. Default 1 MiB. */
  maxPayloadBytes?: number;
}

const NOTIFY_CHANNEL = "backie_tasks_ready";
const MAX_INSERT_ROUNDS = 5;

/** The PostgreSQL implementation of `TaskStore`; the only module that runs the queries in `sql/`. */
export class PgTaskStore implements TaskStore {
  readonly pool: pg.Pool;
  readonly maxPayloadBytes: number;
  readonly schedules: PgScheduleStore;
  readonly admin: PgAdminStore;
  readonly steps: PgStepStore;
  private readonly ownsPool: boolean;
  private readonly db: Connection;
  /** Wake-ups of enqueues that committed by themselves (see Wakeups). */
  private readonly wakeups: Wakeups;
  /** Enqueues under way outside a caller's transaction. */
  private inserting = 0;
  private readonly migrations: PgMigrationStore;

  constructor(options: PgTaskStoreOptions) {
    if (options.pool) {
      this.pool = options.pool;
      this.ownsPool = false;
    } else {
      if (options.connectionString !== undefined) checkDatabaseUrl(options.connectionString);
      this.pool = new pg.Pool({
        connectionString: options.connectionString,
        max: options.maxConnections ?? 10,
        connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
        allowExitOnIdle: options.allowExitOnIdle ?? true,
        types: TYPES,
      });
      this.ownsPool = true;
    }
    // A pool emits 'error' when an idle client's connection drops; without a listener that
    // would crash the process. The next query gets a fresh connection.
    this.pool.on("error", () => {});
    this.db = (options.preparedStatements ?? true) ? preparing(this.pool) : unprepared(this.pool);
    this.schedules = new PgScheduleStore(this.pool, this.db);
    this.admin = new PgAdminStore(this.db);
    this.steps = new PgStepStore(this.db);
    this.wakeups = new Wakeups((queues) => q.queuesNotify.run({ queues }, this.db));
    this.migrations = new PgMigrationStore(this.pool, this.db, options.migrationsDir ?? DEFAULT_MIGRATIONS_DIR);
    this.maxPayloadBytes = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
    if (!(Number.isInteger(this.maxPayloadBytes) && this.maxPayloadBytes > 0)) {
      throw new ConfigError(`PgTaskStore: maxPayloadBytes must be a positive integer, got ${String(options.maxPayloadBytes)}`);
    }
  }

  /**
   * A store for DATABASE_URL with the BACKIE_* connection switches (BACKIE_PREPARED_STATEMENTS,
   * BACKIE_CONNECT_TIMEOUT_MS): what the CLI, the entrypoint and the default enqueue client use.
   */
  static fromEnv(env: NodeJS.ProcessEnv = process.env, overrides: Partial<PgTaskStoreOptions> & { url?: string } = {}): PgTaskStore {
    const { url, ...rest } = overrides;
    const settings = connectionSettings(env, url ?? env.DATABASE_URL);
    return new PgTaskStore({ ...settings, ...rest });
  }

  /**
   * Applies pending migrations in one transaction under an advisory lock (safe from many
   * processes at once). Needs DDL rights: run it from a deploy step (`backie migrate`), and give
   * workers and apps a role with only SELECT/INSERT/UPDATE/DELETE. Fails, changing nothing, when
   * an applied file was edited since, or when a lock is not had within `lockTimeoutMs`.
   */
  migrate(options: { lockTimeoutMs?: number } = {}): Promise<{ applied: string[] }> {
    return this.migrations.migrate(options);
  }

  /**
   * Which shipped migrations this database lacks, and which applied ones were edited since.
   * Read only (SELECT on backie_migrations): what a worker checks at start instead of migrating.
   */
  migrationStatus(): Promise<MigrationStatus> {
    return this.migrations.migrationStatus();
  }

  /** Throws a one-line error when migrations are pending or changed. */
  assertMigrated(): Promise<void> {
    return this.migrations.assertMigrated();
  }

  async insertTasks(tasks: readonly NewTask[], options: { client?: Queryable } = {}): Promise<InsertedTask[]> {
    if (tasks.length === 0) return [];
    const db = options.client ? adapt(options.client) : this.db;
    // The statements notify in a caller's transaction (the wake-up comes with its commit), and
    // when no other enqueue of this store is under way (nothing to take turns with). Enqueues in
    // parallel commit without, and the wake-up follows their commit, coalesced (Wakeups).
    const inStatement = options.client !== undefined || this.inserting === 0;
    if (options.client === undefined) this.inserting++;
    try {
      return await this.insertAll(tasks, db, inStatement);
    } finally {
      if (options.client === undefined) this.inserting--;
    }
  }

  private async insertAll(tasks: readonly NewTask[], db: Connection, inStatement: boolean): Promise<InsertedTask[]> {
    const results = new Array<InsertedTask>(tasks.length);
    // A deduplicated row whose key holder finished (or committed) while we looked comes back
    // without an id: insert it again. Each round makes progress; a handful is plenty.
    let pending = tasks.map((_, i) => i);
    for (let round = 0; pending.length > 0; round++) {
      if (round === MAX_INSERT_ROUNDS) {
        throw new BackieError(`enqueue: the unique key of task "${tasks[pending[0]!]!.taskName}" kept changing hands; try again`);
      }
      pending = await this.insertRound(tasks, pending, results, db, inStatement);
    }
    if (!inStatement) this.wakeups.request(dueQueues(tasks));
    return results;
  }

  /** Inserts the rows at `indexes`, fills `results`, and returns the indexes to send again. */
  private async insertRound(tasks: readonly NewTask[], indexes: number[], results: InsertedTask[], db: Connection, notify: boolean): Promise<number[]> {
    // One row without a key: the plain single-row statement (the hot path of `enqueue`).
    if (indexes.length === 1 && tasks[indexes[0]!]!.uniqueKey === null) {
      const i = indexes[0]!;
      const t = tasks[i]!;
      const [inserted] = await q.taskInsert.run({
        taskName: t.taskName, queueName: t.queueName, payload: t.payloadJson ?? JSON.stringify(t.payload),
        priority: t.priority, maxRetries: t.maxRetries, runAt: t.runAt, delayMs: t.delayMs,
        traceContext: t.traceContext ? JSON.stringify(t.traceContext) : null, concurrencyKey: t.concurrencyKey ?? null, payloadVersion: t.payloadVersion ?? 0, notify,
      }, db);
      results[i] = { id: inserted!.id, deduplicated: false };
      return [];
    }
    // Plain rows and unique-keyed rows go to different statements (ON CONFLICT has a per-row
    // cost); results are put back in input order.
    const plain: number[] = [];
    const unique: number[] = [];
    for (const i of indexes) (tasks[i]!.uniqueKey === null ? plain : unique).push(i);
    if (plain.length > 0) {
      const [row] = (await q.tasksInsertMany.run({ ...columns(plain.map((i) => tasks[i]!)), notify }, db)) as [q.ITasksInsertManyResult];
      const ids = row.ids.split(",");
      if (ids.length !== plain.length) throw new BackieError(`enqueue: ${plain.length} tasks sent, ${ids.length} ids came back`);
      ids.forEach((id, k) => (results[plain[k]!] = { id, deduplicated: false }));
    }
    const again: number[] = [];
    if (unique.length > 0) {
      const keyed = unique.map((i) => tasks[i]!);
      const rows = await q.tasksInsertUniqueMany.run({ ...columns(keyed), uniqueKeys: keyed.map((t) => t.uniqueKey!), notify }, db);
      rows.forEach((r, k) => {
        if (r.id === null) again.push(unique[k]!);
        else results[unique[k]!] = { id: r.id, deduplicated: !r.inserted };
      });
    }
    return again;
  }

  async adoptKeyless(queueName: string, taskNames: readonly string[]): Promise<number> {
    if (taskNames.length === 0) return 0;
    const [row] = await q.tasksAdoptKeyless.run({ queueName, taskNames: [...taskNames] }, this.db);
    return row?.adopted ?? 0;
  }

  /** Keyed names first (in the order the walk over keys took them), then the others. */
  async claimTasks(request: ClaimRequest): Promise<ClaimedTask[]> {
    if (request.limit <= 0) return [];
    const keyed = request.keyed ?? [];
    const keyedLimit = Math.min(request.limit, request.keyedLimit ?? request.limit);
    const tasks: ClaimedTask[] = [];
    if (keyed.length > 0 && keyedLimit > 0) {
      const { rows, at } = await q.tasksClaimKeyedMany.runArrays(
        {
          queueName: request.queueName, taskNames: keyed.map((k) => k.taskName), limits: keyed.map((k) => k.limit),
          fifos: keyed.map((k) => k.fifo), versions: keyed.map((k) => request.versions?.[k.taskName] ?? 0),
          after: request.keyCursor ?? null, limit: keyedLimit,
          owner: request.owner, leaseMs: request.leaseMs, now: request.now ?? null, chain: request.keyChain ?? 1,
        },
        this.db,
        KEYED_COLUMNS,
      );
      const received = performance.now();
      for (const r of rows) tasks.push(claimed(r, at, request.queueName, received, r[at.concurrency_key] as string | null));
    }
    const rest = request.limit - tasks.length;
    if (rest <= 0 || request.taskNames.length === 0) return tasks;
    const params = {
      queueName: request.queueName, ...versionRanges(request.taskNames, request.versions), limit: rest,
      owner: request.owner, leaseMs: request.leaseMs, now: request.now ?? null,
    };
    const { start } = request;
    const startAt = new Date(start?.scheduledAtMs ?? Number.NaN);
    // Same columns: a claim from a start is the same claim, read in three parts. No start, or one
    // no Date holds (past the year 275760), reads from the head.
    const { rows, at } = start === undefined || Number.isNaN(startAt.getTime())
      ? await q.tasksClaimMany.runArrays(params, this.db, CLAIM_COLUMNS)
      : await q.tasksClaimManyFrom.runArrays({ ...params, startPriority: start.priority, startAt }, this.db, CLAIM_COLUMNS);
    // RETURNING follows the primary key; hand tasks out in claim order.
    const received = performance.now();
    const plain = rows.map((r) => claimed(r, at, request.queueName, received)).sort(inClaimOrder);
    return tasks.length === 0 ? plain : [...tasks, ...plain];
  }

  async findClaimHead(request: Pick<ClaimRequest, "queueName" | "taskNames" | "versions">): Promise<ClaimHead> {
    if (request.taskNames.length === 0) return { head: null, readMs: 0 };
    const [row] = await q.tasksFindClaimHead.run({ queueName: request.queueName, ...versionRanges(request.taskNames, request.versions) }, this.db);
    const head = row && row.priority !== null && row.scheduled_at_ms !== null ? { priority: row.priority, scheduledAtMs: row.scheduled_at_ms } : null;
    return { head, readMs: row && Number.isFinite(row.read_ms) ? row.read_ms : null };
  }

  async insertFanIn(fanIn: NewFanIn): Promise<{ fanInId: string; childIds: string[]; created: boolean }> {
    const c = fanIn.continuation;
    const params = {
      parentId: fanIn.parentId, fanKey: fanIn.key, taskName: c.taskName, queueName: c.queueName,
      payload: c.payloadJson ?? JSON.stringify(c.payload), priority: c.priority, maxRetries: c.maxRetries,
      onChildFailure: fanIn.onChildFailure, total: fanIn.children.length, children: tasksJson(fanIn.children),
      payloadVersion: c.payloadVersion ?? 0,
    };
    // A concurrent first call (a rerun racing the original) may not be visible to this
    // statement's snapshot yet: the second try sees it.
    for (let attempt = 0; attempt < 2; attempt++) {
      const [row] = await q.fanInInsert.run(params, this.db);
      if (row) return { fanInId: row.fan_in_id, childIds: row.child_ids, created: row.created };
    }
    throw new BackieError(`fan-in "${fanIn.key}" of task ${fanIn.parentId}: another run of the task is creating it; try again`);
  }

  async claimLimitedTasks(request: LimitedClaimRequest): Promise<{ tasks: ClaimedTask[]; waitMs: number }> {
    if (request.limit <= 0 || request.taskNames.length === 0) return { tasks: [], waitMs: 0 };
    const { bucket, rate } = request;
    const { rows, at } = await q.tasksClaimLimitedMany.runArrays(
      {
        bucket, max: rate.max, perMs: rate.perMs, burst: rate.burst, queueName: request.queueName,
        ...versionRanges(request.taskNames, request.versions), limit: request.limit, owner: request.owner, leaseMs: request.leaseMs,
      },
      this.db,
      CLAIM_COLUMNS,
    );
    const received = performance.now();
    const tasks = rows.map((r) => claimed(r, at, request.queueName, received)).sort(inClaimOrder);
    if (tasks.length >= request.limit) return { tasks, waitMs: 0 };
    const [wait] = await q.rateLimitFindWait.run({ bucket, max: rate.max, perMs: rate.perMs, burst: rate.burst }, this.db);
    return { tasks, waitMs: Math.ceil(wait?.wait_ms ?? 0) };
  }

  async completeTasks(results: readonly TaskResult[], options: { ifLeaseExpired?: boolean } = {}): Promise<Set<string>> {
    const ifExpired = options.ifLeaseExpired ?? false;
    const removals: Lease[] = [];
    const updates: object[] = [];
    for (const r of results) {
      // PostgreSQL would read " 12" as task 12.
      checkedId(r.id);
      switch (r.outcome) {
        case "remove":
          removals.push(r);
          break;
        case "done":
          updates.push(r.result === undefined ? { id: r.id, token: r.token, state: "done" } : { id: r.id, token: r.token, state: "done", result: r.result });
          break;
        case "retry":
          updates.push({ id: r.id, token: r.token, state: "ready", error: r.error, retry_delay_ms: r.delayMs, ...(r.uncount ? { uncount: true } : {}) });
          break;
        case "failed":
          if (r.remove) removals.push(r);
          else updates.push({ id: r.id, token: r.token, state: "failed", error: r.error });
          break;
        case "giveBack":
          updates.push({ id: r.id, token: r.token, state: "ready", uncount: true });
          break;
        case "snooze":
          updates.push({ id: r.id, token: r.token, state: "ready", retry_delay_ms: r.delayMs, uncount: true });
          break;
        case "park":
          updates.push({
            id: r.id, token: r.token, state: "ready", uncount: true, parked: r.parked, run_at: r.runAt?.toISOString() ?? null,
            waiting_for: r.waitingFor ?? null,
          });
          break;
      }
    }
    const discarded = new Set<string>();
    if (removals.length > 0) {
      const [row] = await q.tasksDeleteIfRunningMany.run({ ids: idArray(removals), tokens: tokensById(removals), ifExpired }, this.db);
      for (const id of notAmong(removals, row?.removed_ids)) discarded.add(id);
    }
    if (updates.length > 0) {
      const rows = await q.tasksSetStateIfRunningMany.run({ items: JSON.stringify(updates), ifExpired }, this.db);
      for (const row of rows) if (row.discarded_id !== null) discarded.add(row.discarded_id);
    }
    return discarded;
  }

  async setProgress(items: ReadonlyArray<Lease & { progressJson: string }>): Promise<void> {
    if (items.length === 0) return;
    // Progress JSON is spliced in as the run gave it (serialised once, when it was reported).
    const json = `[${items.map((i) => `{"id":${JSON.stringify(i.id)},"token":${i.token},"progress":${i.progressJson}}`).join(",")}]`;
    await q.tasksSetProgressMany.run({ items: json }, this.db);
  }

  async wakeParked(queues: readonly string[], limit: number, now?: Date): Promise<{ queues: string[]; count: number }> {
    if (queues.length === 0) return { queues: [], count: 0 };
    const rows = await q.tasksWakeParked.run({ queueNames: [...queues], limit, now: now ?? null }, this.db);
    return { queues: rows.map((r) => r.queue_name), count: rows.reduce((n, r) => n + r.woken, 0) };
  }

  async extendLeases(leases: readonly Lease[], leaseMs: number, options: { confirm?: boolean } = {}): Promise<Set<string>> {
    if (leases.length === 0) return new Set();
    const [row] = await q.tasksExtendLeaseMany.run(
      { ids: idArray(leases), tokens: tokensById(leases), leaseMs, confirm: options.confirm ?? false },
      this.db,
    );
    return new Set(notAmong(leases, row?.extended_ids));
  }

  async findExpired(limit: number): Promise<ExpiredTasks> {
    const rows = await q.tasksFindExpired.run({ limit }, this.db);
    const tasks: ExpiredTask[] = [];
    // None expired: one row of nulls (it carries read_ms).
    for (const r of rows) {
      if (r.id === null) continue;
      tasks.push({
        id: r.id, token: r.lease_token!, taskName: r.task_name!, queueName: r.queue_name!, attempts: r.attempts!,
        maxRetries: r.max_retries!, leaseOwner: r.lease_owner, leaseExpiresAt: r.lease_expires_at!, confirmed: r.confirmed!, lapses: r.lapses!,
      });
    }
    // Every row is projected after the scan (the sort under the limit waits for all of it).
    return { tasks, readMs: rows[0]?.read_ms ?? null };
  }

  async pruneFinished(queueName: string, olderThanMs: number, limit: number): Promise<number> {
    const rows = await q.tasksPruneFinished.run({ queueName, olderThanMs: Math.round(olderThanMs), limit }, this.db);
    return rows.length;
  }

  async findTasks(ids: readonly string[]): Promise<StoredTask[]> {
    if (ids.length === 0) return [];
    const rows = await q.tasksFindMany.run({ ids: [...ids] }, this.db);
    return rows.map(storedTask);
  }

  async countTasks(options: { finished?: boolean } = {}): Promise<TaskCount[]> {
    const rows = options.finished ? await q.tasksCountByState.run(undefined, this.db) : await q.tasksCountActive.run(undefined, this.db);
    return rows.map((r) => ({
      queueName: r.queue_name, taskName: r.task_name, state: r.state, count: r.count,
      oldestReadyAt: r.oldest_ready_at, oldestRunningSince: r.oldest_running_since, sleeping: r.sleeping, waiting: r.waiting, claimed: r.claimed,
    }));
  }

  /** What `backie status` warns about: server settings Backie relies on. */
  async findServerSettings(): Promise<{ autovacuum: boolean }> {
    const [row] = await q.serverSettingsFind.run(undefined, this.db);
    return { autovacuum: row?.autovacuum ?? true };
  }

  async listFailed(limit: number): Promise<FailedTask[]> {
    const rows = await q.tasksFindFailed.run({ limit }, this.db);
    return rows.map((r) => ({
      id: r.id, taskName: r.task_name, queueName: r.queue_name, attempts: r.attempts, maxRetries: r.max_retries,
      finishedAt: r.finished_at, lastError: r.last_error as unknown as TaskErrorRecord | null,
    }));
  }

  async listRunning(limit: number): Promise<RunningTask[]> {
    const rows = await q.tasksFindRunning.run({ limit }, this.db);
    return rows.map((r) => ({
      id: r.id, taskName: r.task_name, queueName: r.queue_name, attempt: r.attempts, claimedAt: r.started_at,
      leaseOwner: r.lease_owner, leaseExpiresAt: r.lease_expires_at, confirmed: r.confirmed,
    }));
  }

  async retryTask(id: string, options: { fromStart?: boolean } = {}): Promise<boolean> {
    try {
      return (await q.taskRetry.run({ id, fromStart: options.fromStart ?? false }, this.db)).length === 1;
    } catch (error) {
      if ((error as { code?: string }).code === "23505") {
        throw new BackieError(`cannot retry task ${id}: a task with the same name and unique key is ready or running`);
      }
      throw error;
    }
  }

  async cancelTask(id: string): Promise<"ready" | "running" | null> {
    const [row] = await q.taskCancel.run({ id }, this.db);
    return row ? (row.previous_state as "ready" | "running") : null;
  }

  async listen(onReady: (queues: string[]) => void, onError: (error: unknown) => void): Promise<Subscription> {
    // A dedicated connection outside the pool: LISTEN belongs to one session.
    const client = new pg.Client(this.pool.options);
    client.on("notification", (message) => {
      if (message.channel === NOTIFY_CHANNEL) onReady((message.payload ?? "").split(","));
    });
    client.on("error", onError);
    await client.connect();
    try {
      await q.tasksListen.run(undefined, adapt(client));
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
    return {
      close: async () => {
        client.removeAllListeners("notification");
        await client.end().catch(() => {});
      },
    };
  }

  async close(): Promise<void> {
    await this.wakeups.settled();
    if (this.ownsPool) await this.pool.end();
  }
}

