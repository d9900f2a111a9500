import { batchedSteps } from "./stepBatch.js";
import { withAliases } from "./aliases.js";
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { taskEnqueue } from "../client/taskEnqueue.js";
import { ConfigError } from "../errors.js";
import { MAX_TIMER_MS } from "../names.js";
import type { Subscription, TaskStore } from "../store/taskStore.js";
import type { AppContext, RetentionMode, TaskLogger } from "../types.js";
import { Completer } from "./completer.js";
import type { EventHandler, WorkerEvent } from "./events.js";
import type { RegisteredTask } from "./executor.js";
import type { Registry } from "./registryType.js";
import { leaseKeeper } from "./leaseKeeper.js";
import { presence, progressWriter, pruner, rescuer, statsFlusher, versionWatch, waker, WORKER_STALE_MS, type Service } from "./maintenance.js";
import type { WorkerInfo } from "../store/adminStore.js";
import { fanOutWith } from "./fanOut.js";
import { DEFAULT_QUEUE_CONFIG, resolveQueueConfig, type QueueConfig } from "./queueConfig.js";
import { QueueRunner } from "./queueRunner.js";
import { Scheduler } from "./scheduler.js";
import { observePool } from "../telemetry/metrics.js";
import { checkTelemetryApi } from "../telemetry/apiVersion.js";

/** The application context: created once at start, given to every run, closed at stop. */
export interface AppLifecycle {
  create(): AppContext | Promise<AppContext>;
  close?(app: AppContext): void | Promise<void>;
}

/**
 * `app` is required once the application declares what its context holds (augments
 * `AppContext`): without it every run would get `{}` and fail on first use of `ctx.app`.
 */
export type AppRequirement = keyof AppContext extends never ? { app?: AppLifecycle } : { app: AppLifecycle };

export type WorkerPoolOptions<Q extends string = string> = WorkerPoolBaseOptions<Q> & AppRequirement;

/** Every WorkerPool option but `app` (see AppRequirement). */
export interface WorkerPoolBaseOptions<Q extends string = string> {
  store: TaskStore;
  /** Task name → definition and validator; `generated/registry.ts` builds it. */
  registry: Registry<Q>;
  /**
   * Per-queue settings. Every queue a registered task names runs, configured or not. With the
   * generated registry, only its tasks' queues are accepted; a queue that only enqueue options
   * name (`{ queue: "urgent" }`) needs the pool widened: `new WorkerPool<string>({...})`.
   */
  queues?: { [K in NoInfer<Q>]?: Partial<QueueConfig> };
  /**
   * How long a started run's lease stays valid without a heartbeat. Bounds recovery after a
   * crash: a dead worker's runs run again within about this long. Default 30,000 ms.
   */
  leaseMs?: number;
  /**
   * The lease a claim takes (at most `leaseMs`): a prefetched task keeps this short reservation,
   * renewed while it waits, until its run starts and the lease becomes a full one. A dead worker's
   * unstarted tasks run elsewhere within about this plus `rescueIntervalMs`. An event loop blocked
   * for longer in a run's first moments may let it run twice. Default 2,000 ms.
   */
  reservationMs?: number;
  /** How often every held lease is renewed. Default leaseMs / 3. */
  heartbeatIntervalMs?: number;
  /** How often the latest `ctx.progress` values are written, in one statement. Default 1 s. */
  progressIntervalMs?: number;
  /**
   * How often expired leases are looked for. Default the less of leaseMs and reservationMs, over 4
   * (500 ms): one read of the running rows, and a dead worker's prefetch comes back that much sooner.
   * While that read is slow and finds nothing, up to 4 times as long (see rescuePause).
   */
  rescueIntervalMs?: number;
  /** How often kept finished rows are pruned (queues with `pruneFinishedAfterMs`). Default 60,000 ms. */
  pruneIntervalMs?: number;
  /** Most results written in one statement. Default 1,000; 1 writes every result on its own. */
  completionBatchSize?: number;
  /** How long a result may wait for others to share its write. Default 2 ms; 0 = next tick. */
  completionDelayMs?: number;
  /** How long `stop()` lets running tasks finish before aborting them. Default 30,000 ms. */
  shutdownTimeoutMs?: number;
  /** LISTEN for new tasks (default true). False: poll only, e.g. behind PgBouncer transaction mode. */
  listen?: boolean;
  /**
   * Reconcile and fire the registry's schedules (default true). False for a pool that must not
   * own schedules, e.g. one running a subset of the tasks while another deploy runs all of them.
   */
  runSchedules?: boolean;
  /**
   * An occurrence found due later than this after its time is *missed* (workers were down) and
   * handled by its schedule's `missed` policy; within it, it simply runs. 1,000 to 3,600,000 ms;
   * default 60,000.
   */
  scheduleGraceMs?: number;
  /**
   * Longest time between two looks at the schedules (a pool otherwise wakes at the next known
   * occurrence): how soon schedules added by another deploy start firing here. Default 5,000 ms.
   */
  scheduleIntervalMs?: number;
  /**
   * The deploy's generation (generated/manifest.json, passed by the generated worker): schedules
   * written by a higher generation are left as they are (see Scheduler.reconcile). Default 0.
   */
  generation?: number;
  /** How often to look for ready tasks no running worker knows (said once each, as `tasks:unrunnable`). Default 60 s. */
  versionWatchIntervalMs?: number;
  /** Identifies this pool in leases. Default host:pid:random. */
  owner?: string;
  onEvent?: EventHandler;
  log?: TaskLogger;
}

const silentLog: TaskLogger = { info() {}, warn() {}, error() {} };

/** Runs every queue of a registry in this process; many pools on many hosts share one database. */
export class WorkerPool<Q extends string = string> {
  readonly owner: string;
  private readonly runners = new Map<string, QueueRunner>();
  private readonly completer: Completer;
  private readonly services: Service[];
  private readonly scheduler: Scheduler | undefined;
  private readonly worker: WorkerInfo;
  private readonly stats: Service;
  private readonly progress: ReturnType<typeof progressWriter>;
  private unobserve: (() => void) | undefined;
  private readonly leaseMs: number;
  private readonly shutdownTimeoutMs: number;
  private subscription: Subscription | undefined;
  private listenRetry: NodeJS.Timeout | undefined;
  private app: AppContext | undefined;
  private state: "new" | "running" | "stopping" | "stopped" = "new";
  private stopped: Promise<void> | undefined;

  /** `options.app`, read once: AppRequirement types it required or optional. */
  private readonly lifecycle: AppLifecycle | undefined;

  constructor(private readonly options: WorkerPoolOptions<Q>) {
    this.lifecycle = (options as { app?: AppLifecycle }).app;
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
    this.leaseMs = positive("leaseMs", options.leaseMs ?? 30_000);
    const reservationMs = Math.min(this.leaseMs, positive("reservationMs", options.reservationMs ?? 2_000));
    this.shutdownTimeoutMs = nonNegative("shutdownTimeoutMs", options.shutdownTimeoutMs ?? 30_000);
    const registry = new Map<string, RegisteredTask>(Object.entries(options.registry as Readonly<Record<string, RegisteredTask>>));
    if (registry.size === 0) throw new ConfigError("WorkerPool: the registry has no tasks; run `npm run gen`");
    for (const [name, entry] of registry) {
      if (entry.definition.name !== name) {
        throw new ConfigError(`WorkerPool: registry entry "${name}" holds task "${entry.definition.name}": generated/ is stale, run \`npm run gen\``);
      }
    }
    // Former names (`aliases`) are claimed too: tasks enqueued before a rename run as the task.
    const claimed = withAliases(registry, "WorkerPool");
    const queueSettings: Record<string, Partial<QueueConfig> | undefined> = options.queues ?? {};
    const queueNames = new Set([
      ...[...registry.values()].map((e) => e.definition.queue),
      ...Object.keys(queueSettings),
    ]);
    const emit = this.emit;
    const enqueue = taskEnqueue(registry, options.store);
    const fanIn = fanOutWith(options.store);
    const steps = batchedSteps(options.store.steps);
    this.completer = new Completer({
      store: options.store,
      maxBatch: positive("completionBatchSize", options.completionBatchSize ?? 1_000),
      flushDelayMs: nonNegative("completionDelayMs", options.completionDelayMs ?? 2),
      onStoreError: (error, retryInMs) => emit({ type: "store:error", operation: "write results", error, retryInMs }),
      onRoom: () => {
        for (const runner of this.runners.values()) runner.resume();
      },
    });
    this.progress = progressWriter({
      store: options.store, emit, intervalMs: positive("progressIntervalMs", options.progressIntervalMs ?? 1_000),
    });
    this.worker = {
      owner: this.owner, host: hostname(), pid: process.pid, queues: {}, generation: options.generation ?? 0,
      tasks: Object.fromEntries([...claimed].map(([name, entry]) => [name, entry.version ?? 0])),
    };
    const pruned: Array<{ queue: string; olderThanMs: number }> = [];
    const retention = new Map<string, RetentionMode>();
    for (const queue of [...queueNames].sort()) {
      const config = resolveQueueConfig(queue, queueSettings[queue]);
      if (config.pruneFinishedAfterMs !== undefined) pruned.push({ queue, olderThanMs: config.pruneFinishedAfterMs });
      retention.set(queue, config.retentionMode);
      this.worker.queues[queue] = config.numWorkers;
      this.runners.set(queue, new QueueRunner({
        queue, config, registry: claimed,
        store: options.store, completer: this.completer, owner: this.owner, reservationMs,
        app: () => this.app!, log: options.log ?? silentLog, enqueue, emit, listening: options.onEvent !== undefined,
        now: () => new Date(), reportProgress: (task, json) => this.progress.report(task, json), fanIn, steps,
      }));
    }
    if (options.runSchedules ?? true) {
      const graceMs = options.scheduleGraceMs ?? 60_000;
      if (!(typeof graceMs === "number" && graceMs >= 1_000 && graceMs <= 3_600_000)) {
        throw new ConfigError(`WorkerPool: scheduleGraceMs must be from 1000 to 3600000, got ${String(graceMs)}`);
      }
      this.scheduler = new Scheduler({
        store: options.store, registry, graceMs, emit, generation: options.generation ?? 0,
        intervalMs: positive("scheduleIntervalMs", options.scheduleIntervalMs ?? 5_000),
        onFired: (queues) => queues.forEach((q) => this.runners.get(q)?.rewind()),
      });
    }
    this.services = [
      leaseKeeper({
        store: options.store, leaseMs: this.leaseMs, reservationMs,
        heartbeatIntervalMs: positive("heartbeatIntervalMs", options.heartbeatIntervalMs ?? Math.floor(this.leaseMs / 3)),
        reserved: () => [...[...this.runners.values()].flatMap((r) => r.reservedLeases()), ...this.completer.heldLeases("givenBack")],
        started: () => [...[...this.runners.values()].flatMap((r) => r.startedLeases()), ...this.completer.heldLeases("ran")],
        onLost: (leases) => this.runners.forEach((r) => r.dropLost(leases)),
        emit,
      }),
      rescuer({
        store: options.store,
        intervalMs: positive("rescueIntervalMs", options.rescueIntervalMs ?? Math.floor(Math.min(this.leaseMs, reservationMs) / 4)),
        retention: (queue) => retention.get(queue) ?? DEFAULT_QUEUE_CONFIG.retentionMode,
        onRescued: (queues) => queues.forEach((q) => this.runners.get(q)?.rewind()),
        emit,
      }),
      presence({ store: options.store, worker: this.worker, intervalMs: Math.min(15_000, WORKER_STALE_MS / 4), emit }),
      waker({
        store: options.store, queues: [...this.runners.keys()], emit,
        intervalMs: Math.min(...[...this.runners.keys()].map((q) => resolveQueueConfig(q, queueSettings[q]).pullIntervalMs)),
        onWoken: (queues) => queues.forEach((q) => this.runners.get(q)?.rewind()),
      }),
      versionWatch({ store: options.store, worker: this.worker, intervalMs: positive("versionWatchIntervalMs", options.versionWatchIntervalMs ?? 60_000), emit }),
      this.progress,
      (this.stats = statsFlusher({ store: options.store, owner: this.owner, intervalMs: 10_000, emit, take: () => this.takeTallies() })),
      ...(pruned.length > 0
        ? [pruner({ store: options.store, intervalMs: positive("pruneIntervalMs", options.pruneIntervalMs ?? 60_000), queues: pruned, emit })]
        : []),
    ];
  }

  /** True while started and not stopping: claiming and running tasks (readiness). */
  get accepting(): boolean {
    return this.state === "running";
  }

  get queues(): string[] {
    return [...this.runners.keys()];
  }

  async start(): Promise<void> {
    if (this.state !== "new") throw new ConfigError("WorkerPool: start() may be called once");
    this.state = "running";
    const log = this.options.log;
    checkTelemetryApi(log ? (message) => log.warn(message) : undefined);
    if (this.scheduler) {
      try {
        const changes = await this.scheduler.reconcile();
        if (changes.length > 0) this.emit({ type: "schedule:reconciled", changes });
      } catch (error) {
        this.state = "stopped";
        throw error;
      }
    }
    // Independent round trips (each may open a connection), so at once: a worker's first claim
    // waits for the slowest of them, not for their sum.
    const adopting = [...this.runners].map(async ([queue, runner]) => {
      try {
        await this.options.store.adoptKeyless(queue, runner.keyedNames());
      } catch (error) {
        // Only rows from before the task had a key wait for this; the next start adopts them.
        this.emit({ type: "store:error", operation: `adopt keyless tasks (queue "${queue}")`, error, retryInMs: 0 });
      }
    });
    const registering = this.options.store.admin.registerWorker(this.worker, WORKER_STALE_MS).catch((error: unknown) => {
      // Visibility only: the pool runs without it, and its presence service keeps trying.
      this.emit({ type: "store:error", operation: "register this worker", error, retryInMs: 15_000 });
    });
    // subscribe() reports its own failures and retries; none of these three rejects.
    const settled = Promise.all([...adopting, registering, (this.options.listen ?? true) ? this.subscribe() : undefined]);
    try {
      // Without an app, AppContext is empty (AppRequirement makes `app` required otherwise).
      this.app = this.lifecycle ? await this.lifecycle.create() : ({} as AppContext);
    } finally {
      await settled;
    }
    // stop() may have been called while the app or the subscription was being set up.
    if (this.state !== "running") return;
    for (const service of this.services) service.start();
    for (const runner of this.runners.values()) runner.start();
    this.scheduler?.start();
    this.unobserve = observePool({
      // Computed by one pool per interval for the whole cluster; read by the others.
      snapshot: () => this.options.store.admin.queueSnapshot(this.owner, 10_000),
      busySlots: () => [...this.runners.entries()].map(([queue, runner]) => ({ queue, busy: runner.busy, slots: this.worker.queues[queue] ?? 0 })),
      onError: (error) => this.emit({ type: "store:error", operation: "read queue depth for metrics", error, retryInMs: 0 }),
    });
    this.emit({ type: "pool:started", owner: this.owner, queues: this.queues });
  }

  /**
   * Claims nothing new and gives prefetched tasks back at once; lets running tasks finish for up
   * to `shutdownTimeoutMs`, then aborts them and gives their tasks back without counting the
   * attempt. Resolves when every result is written.
   */
  stop(): Promise<void> {
    this.stopped ??= this.shutdown();
    return this.stopped;
  }

  private async shutdown(): Promise<void> {
    if (this.state === "new") {
      this.state = "stopped";
      return;
    }
    this.state = "stopping";
    // Stop claiming and starting first, synchronously: anything awaited before this would let a
    // freed slot start a prefetched task after stop() was called.
    const runners = [...this.runners.values()];
    for (const runner of runners) runner.beginStop();
    const schedulerStopped = this.scheduler?.stop();
    this.unobserve?.();
    clearTimeout(this.listenRetry);
    await this.subscription?.close();
    await Promise.all(runners.map((r) => r.waitIdle(this.shutdownTimeoutMs)));
    for (const runner of runners) runner.abortRunning();
    await Promise.all(runners.map((r) => r.waitIdle(1_000)));
    await this.progress.runOnce();
    // Leases stay alive (heartbeat) until the last result is written.
    await this.completer.drain(Math.max(10_000, this.leaseMs));
    await Promise.all(this.services.map((service) => service.stop()));
    await schedulerStopped;
    await this.stats.runOnce();
    await this.options.store.admin.deleteWorker(this.owner).catch(() => {});
    if (this.app !== undefined) await this.lifecycle?.close?.(this.app);
    this.state = "stopped";
    this.emit({ type: "pool:stopped", owner: this.owner });
  }

  /** Each runner's outcome counts since the last call, reset. */
  private takeTallies(): Array<{ queueName: string; succeeded: number; failed: number; retried: number }> {
    return [...this.runners.entries()].map(([queueName, runner]) => {
      const { succeeded, failed, retried } = runner.tally;
      runner.tally.succeeded = runner.tally.failed = runner.tally.retried = 0;
      return { queueName, succeeded, failed, retried };
    });
  }

  private async subscribe(attempt = 0): Promise<void> {
    const retry = (error: unknown): void => {
      if (this.state !== "running") return;
      const retryInMs = Math.min(10_000, 200 * 2 ** attempt);
      this.emit({ type: "store:error", operation: "listen for new tasks", error, retryInMs });
      this.listenRetry = setTimeout(() => void this.subscribe(attempt + 1), retryInMs);
    };
    let subscription: Subscription | undefined;
    let failed = false;
    try {
      subscription = await this.options.store.listen(
        (queues) => queues.forEach((q) => this.runners.get(q)?.wake()),
        (error) => {
          if (failed) return;
          failed = true;
          void subscription?.close();
          retry(error);
        },
      );
      if (this.state !== "running") return void (await subscription.close());
      this.subscription = subscription;
      // Notifications sent while we were not listening are lost: look once.
      if (attempt > 0) this.runners.forEach((r) => r.rewind());
    } catch (error) {
      if (!failed) retry(error);
    }
  }

  private readonly emit = (event: WorkerEvent): void => {
    // A failing event handler must not take a worker down, nor may an async one that rejects.
    try {
      const result: unknown = this.options.onEvent?.(event);
      if (typeof (result as PromiseLike<unknown> | undefined)?.then === "function") {
        (result as Promise<unknown>).then(undefined, () => {});
      }
    } catch {
      // ignored: see above
    }
  };
}

// Most of these are timer durations: beyond MAX_TIMER_MS Node fires a timer after 1 ms instead.
function positive(name: string, value: number): number {
  if (!(typeof value === "number" && value > 0 && value <= MAX_TIMER_MS)) {
    throw new ConfigError(`WorkerPool: ${name} must be a number from 1 to ${MAX_TIMER_MS}, got ${String(value)}`);
  }
  return value;
}

function nonNegative(name: string, value: number): number {
  if (!(typeof value === "number" && value >= 0 && value <= MAX_TIMER_MS)) {
    throw new ConfigError(`WorkerPool: ${name} must be a number from 0 to ${MAX_TIMER_MS}, got ${String(value)}`);
  }
  return value;
}
