import type { DurableCalls } from "./stepBatch.js";
import { outcomeLabel, resultOf } from "./outcome.js";
import type { ResolvedRateLimit } from "../rateLimit.js";
import type { ClaimedTask, Lease, TaskStore } from "../store/taskStore.js";
import { ClaimStart } from "./claimStart.js";
import type { AppContext, TaskEnqueue, TaskLogger } from "../types.js";
import type { Completer } from "./completer.js";
import { recordClaim, recordCompleted, recordStarted } from "../telemetry/metrics.js";
import type { EventHandler } from "./events.js";
import { refOf, resultReporter } from "./runEvents.js";
import { Run, type RegisteredTask, type RunEnv, type RunOutcome } from "./executor.js";
import type { FanOutFunction } from "./fanOut.js";
import { LimitedClaims } from "./limitedClaims.js";
import { KeyedClaims } from "./keyedClaims.js";
import { PrefetchSizer } from "./prefetch.js";
import type { QueueConfig } from "./queueConfig.js";

export interface QueueRunnerOptions {
  queue: string;
  config: QueueConfig;
  registry: ReadonlyMap<string, RegisteredTask>;
  store: TaskStore;
  completer: Completer;
  owner: string;
  /** The lease a claim takes: a reservation, made a full lease by the lease keeper once a run starts. */
  reservationMs: number;
  app: () => AppContext;
  log: TaskLogger;
  enqueue: TaskEnqueue;
  emit: EventHandler;
  /** False when nobody listens: per-task events are then not even built (they cost allocations). */
  listening: boolean;
  now: () => Date;
  /** Keeps a run's latest progress for the pool's batched write. */
  reportProgress: (task: ClaimedTask, json: string) => void;
  fanIn: FanOutFunction;
  /** The pool's durable calls (ctx.step, ctx.sleep, ctx.waitFor), batched across its runs. */
  steps: DurableCalls;
}

/** Runs started in one turn of the event loop before it reads sockets (see nextTurn). */
const TURN_STARTS = 256;

/**
 * The producer of one queue: claims at most as many tasks as it has room for (free slots plus a
 * bounded prefetch), starts them, and hands outcomes to the completer. One claim in flight at a
 * time. After a claim comes back short the queue is drained: it waits for a notification or the
 * poll timer instead of asking again on every completion.
 */
export class QueueRunner {
  /** Outcomes since the pool last took them (the throughput history). */
  readonly tally = { succeeded: 0, failed: 0, retried: 0 };

  private readonly buffer: ClaimedTask[] = [];
  private readonly running = new Map<string, Run>();
  private fetching = false;
  /** Runs started since the event loop last came round (see nextTurn). */
  private startsThisTurn = 0;
  private drained = false;
  private wokenWhileFetching = false;
  private stopping = false;
  private failures = 0;
  private pausedUntil = 0;
  private pollTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private idleWaiters: Array<() => void> = [];
  private readonly prefetch: PrefetchSizer;
  /** Registered names without and with a per-key limit (claimed by different statements). */
  private readonly plainNames: string[];
  private readonly keyed: KeyedClaims;
  /** Rate-limited names, claimed through their buckets. */
  private readonly limited: LimitedClaims;
  /** Where claims of plain names start in the queue. */
  private readonly claimStart: ClaimStart;
  /** The highest payload version each name's registry entry runs (older ones are upgraded). */
  private readonly versions: Record<string, number> = {};
  /** What every run here shares (an object per run was a twelfth of a no-op task's garbage). */
  private readonly env: RunEnv;
  /** A pump is queued for the next microtask (see settled). */
  private pumpQueued = false;

  constructor(private readonly o: QueueRunnerOptions) {
    this.prefetch = new PrefetchSizer(o.config.prefetch, o.config.numWorkers);
    this.env = {
      // The app context exists once the pool has started: read at each use.
      get app() {
        return o.app();
      },
      log: o.log, enqueue: o.enqueue, now: o.now,
      onAbandoned: (task) => o.emit({ type: "task:abandoned", task: refOf(task) }), reportProgress: o.reportProgress, fanIn: o.fanIn, steps: o.steps,
    };
    const unkeyed: string[] = [];
    for (const [name, entry] of o.registry) {
      this.versions[name] = entry.version ?? 0;
      if (!entry.definition.concurrencyKey) unkeyed.push(name);
    }
    this.keyed = new KeyedClaims(o.registry, o.config.numWorkers);
    this.limited = new LimitedClaims(o.queue, o.config.rateLimit as ResolvedRateLimit | undefined, unkeyed, o.registry, () => this.wake());
    this.plainNames = [...this.limited.unlimited];
    this.claimStart = new ClaimStart({
      store: o.store, queue: o.queue, names: this.plainNames, versions: this.versions,
      onMovedBack: () => this.wake(),
      onError: (error) => o.emit({ type: "store:error", operation: `find the head of queue "${o.queue}"`, error, retryInMs: o.config.pullIntervalMs }),
    });
  }

  /** Names with a per-key limit, for the pool to adopt their keyless rows at start. */
  keyedNames(): string[] {
    return this.keyed.claims.map((k) => k.taskName);
  }

  start(): void {
    if (this.stopping) return;
    // Each poll also reads the queue's head: a task may have landed before where claims start.
    this.pollTimer = setInterval(() => this.rewind(), this.o.config.pullIntervalMs);
    this.wake();
  }

  /**
   * Tasks may have become ready before where claims start (rescued, woken from a sleep, fired by
   * a schedule for a time already past): claim now, and move the start back to the queue's head.
   */
  rewind(): void {
    this.wake();
    if (!this.stopping) void this.claimStart.check();
  }

  /** New tasks may be ready (a notification, the poll timer, a rescue). */
  wake(): void {
    if (this.fetching) this.wokenWhileFetching = true;
    this.drained = false;
    this.maybeFetch();
  }

  /** The completer has room again: claim if this runner has room too (no wake-up of the poll). */
  resume(): void {
    this.maybeFetch();
  }

  /** Prefetched tasks: their leases are reservations. */
  reservedLeases(): ClaimedTask[] {
    return this.keyed.chains.size === 0 ? [...this.buffer] : [...this.buffer, ...this.keyed.chains.waitingTasks()];
  }

  /** Tasks that run here: their leases become full ones. */
  startedLeases(): ClaimedTask[] {
    return [...this.running.values()].map((r) => r.task);
  }

  /**
   * The heartbeat found these leases gone (rescued elsewhere, or cancelled): never start those
   * tasks, and stop those that run, so that two runs of one task overlap for at most a heartbeat.
   * Matched by token too: the same task may have been claimed here again since.
   */
  dropLost(leases: readonly Lease[]): void {
    const lost = new Map(leases.map((l) => [l.id, l.token]));
    const isLost = (task: ClaimedTask): boolean => lost.get(task.id) === task.token;
    for (let i = this.buffer.length - 1; i >= 0; i--) {
      if (isLost(this.buffer[i]!)) this.buffer.splice(i, 1);
    }
    if (this.keyed.chains.size > 0) this.keyed.chains.drop(isLost);
    for (const run of [...this.running.values()]) if (isLost(run.task)) run.leaseLost();
  }


  /** Stops claiming and gives back prefetched tasks now; running tasks go on. */
  beginStop(): void {
    this.stopping = true;
    clearInterval(this.pollTimer);
    clearTimeout(this.retryTimer);
    this.limited.stop();
    this.giveBack(this.buffer.splice(0));
    this.giveBack(this.keyed.chains.takeAll());
  }

  /** Claimed but never started: back to ready at once, the attempt not counted. */
  private giveBack(tasks: readonly ClaimedTask[]): void {
    for (const task of tasks) {
      this.o.completer.push({ result: { id: task.id, token: task.token, outcome: "giveBack" }, settled: ignore, lease: task });
    }
  }

  /** Runs in progress (busy slots). */
  get busy(): number {
    return this.running.size;
  }

  /** Resolves when no task runs, or after `deadlineMs` (false). */
  async waitIdle(deadlineMs: number): Promise<boolean> {
    if (this.running.size === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const idle = new Promise<boolean>((resolve) => this.idleWaiters.push(() => resolve(true)));
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), deadlineMs)));
    const result = await Promise.race([idle, late]);
    clearTimeout(timer);
    return result;
  }

  /** Forced shutdown: fires every running task's AbortSignal; their tasks are given back. */
  abortRunning(): void {
    for (const r of this.running.values()) r.abort();
  }

  private maybeFetch(): void {
    if (this.stopping || this.fetching || this.drained) return;
    if (Date.now() < this.pausedUntil) return;
    // Backpressure: while results wait to be written, claiming more only grows that backlog (and
    // the leases every heartbeat must renew). The completer wakes the runners when it has room.
    if (this.o.completer.backlogged) return;
    const prefetch = this.prefetch.size;
    const room = this.o.config.numWorkers + prefetch - this.running.size - this.buffer.length;
    // Never two claims at once. Claim when the buffer is half empty, or sooner once a quarter of
    // the prefetch (at least a slot per worker) is free: under a backlog of short tasks the claim
    // is what bounds throughput, and waiting for half left it idle a sixth of the time (c=50:
    // ~1,000-row claims of 14.5 ms, in flight 84% of the run).
    if (room <= 0 || (this.buffer.length > prefetch / 2 && room < Math.max(prefetch / 4, this.o.config.numWorkers))) return;
    this.fetching = true;
    this.wokenWhileFetching = false;
    void this.fetch(room);
  }

  private async fetch(limit: number): Promise<void> {
    const tasks: ClaimedTask[] = [];
    let drained = true;
    const started = performance.now();
    try {
      // Limited tasks at their cap count as drained: one finishing wakes this runner (see finish).
      const limitedLimit = Math.min(limit, this.limitedRoom());
      if (limitedLimit > 0) {
        const base = { queueName: this.o.queue, owner: this.o.owner, leaseMs: this.o.reservationMs, versions: this.versions };
        drained = await this.limited.claim(this.o.store, base, limitedLimit, tasks);
      }
      const rest = limit - tasks.length;
      if (this.plainNames.length > 0 || this.keyed.size > 0) {
        if (rest <= 0) drained = false;
        else drained = (await this.claimUnlimited(rest, tasks)) && drained;
      }
      recordClaim(this.o.queue, performance.now() - started, tasks.length);
      this.failures = 0;
      this.reserve(tasks, started);
    } catch (error) {
      this.fetching = false;
      this.failures += 1;
      const retryInMs = Math.min(10_000, 100 * 2 ** this.failures);
      this.pausedUntil = Date.now() + retryInMs;
      this.o.emit({ type: "store:error", operation: `claim (queue "${this.o.queue}")`, error, retryInMs });
      clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(this.retryClaim, retryInMs);
      // Tasks claimed before the failure hold leases: run them (or give them back).
      this.reserve(tasks, started);
      if (this.stopping) this.giveBack(tasks);
      else if (tasks.length > 0) {
        this.buffer.push(...tasks);
        this.pump();
      }
      return;
    }
    this.fetching = false;
    if (this.stopping) return this.giveBack(tasks);
    this.buffer.push(...tasks);
    this.drained = drained && !this.wokenWhileFetching;
    this.pump();
  }

  /** Plain and keyed names, into `into`; true when each kind came back short (drained). */
  private async claimUnlimited(limit: number, into: ClaimedTask[]): Promise<boolean> {
    const keyed = this.keyed.size > 0 ? this.keyed.request(this.heldTasks(), this.prefetch.size) : {};
    const tasks = await this.o.store.claimTasks({
      queueName: this.o.queue, taskNames: this.plainNames, limit, owner: this.o.owner, leaseMs: this.o.reservationMs, versions: this.versions,
      ...keyed,
      ...(this.claimStart.current === null ? {} : { start: this.claimStart.current }),
    });
    let last: ClaimedTask | undefined;
    for (const t of tasks) {
      into.push(t);
      if (t.concurrencyKey == null) last = t;
    }
    // Plain ones come in claim order: the last is where the queue was left.
    if (last !== undefined) this.claimStart.claimed(last);
    const keyedDrained = this.keyed.size === 0 || this.keyed.taken(tasks, keyed.keyedLimit ?? 0);
    const plainDrained = this.plainNames.length === 0 || tasks.length < limit;
    return keyedDrained && plainDrained;
  }

  /**
   * How many rate-limited tasks a claim may take: as many as there are run slots, less those
   * already held. Its tokens are spent when claimed, so tasks waiting in the buffer would only
   * bunch their starts (and keep the tokens from other processes with free slots).
   */
  private limitedRoom(): number {
    if (this.limited.size === 0) return 0;
    return Math.max(0, this.o.config.numWorkers - this.held((t) => this.limited.has(t.taskName)));
  }

  /** Tasks held here (prefetched or running) that `test` picks. */
  private held(test: (task: ClaimedTask) => boolean): number {
    let count = 0;
    for (const t of this.heldTasks()) if (test(t)) count++;
    return count;
  }

  /** Every task held here: prefetched, running, or waiting for a run of its key. */
  private *heldTasks(): Generator<ClaimedTask> {
    yield* this.buffer;
    for (const r of this.running.values()) yield r.task;
    if (this.keyed.chains.size > 0) yield* this.keyed.chains.waitingTasks();
  }

  // The pause ends when this timer fires, not when the clock says: a timer may fire a millisecond
  // before Date.now() reaches the deadline, and a claim skipped then waited for the next poll.
  private readonly retryClaim = (): void => {
    this.pausedUntil = 0;
    this.maybeFetch();
  };

  private pump(): void {
    while (!this.stopping && this.running.size < this.o.config.numWorkers && this.buffer.length > 0) {
      // At the budget, nextTurn is queued: the rest wait for it.
      if (this.startsThisTurn === TURN_STARTS) break;
      if (++this.startsThisTurn === TURN_STARTS) setImmediate(this.nextTurn);
      const task = this.buffer.shift()!;
      if (this.keyed.chains.admit(task) && !this.begin(task)) this.followChain(task);
    }
    // A free slot with nothing to start while a claim is under way: prefetch deeper.
    if (this.fetching && this.buffer.length === 0 && this.running.size < this.o.config.numWorkers) this.prefetch.starved();
    this.maybeFetch();
  }

  /**
   * Tasks that settle at once (no I/O) start the next ones in microtasks, which run before the
   * event loop reads any socket: a whole buffer could run before the claim that refills it is
   * read, and the next claim is sent only then. Every TURN_STARTS starts, the rest wait for the
   * loop to come round (reading claims and written results first).
   */
  private readonly nextTurn = (): void => {
    this.startsThisTurn = 0;
    this.pump();
  };

  /** Claimed at `sentAt` (before the database's clock took it): the reservation lasts until at least then plus its length. */
  private reserve(tasks: readonly ClaimedTask[], sentAt: number): void {
    const until = sentAt + this.o.reservationMs;
    for (const task of tasks) task.leaseUntil = until;
  }

  /** False when it gave `task` back instead (its reservation may have run out). */
  private begin(task: ClaimedTask): boolean {
    // The lease keeper renews reservations with three quarters of one left and makes a run's
    // lease full within a quarter: a task with less than a quarter left was not renewed in time
    // (the event loop or the database stalled) and may be another worker's by now.
    if (task.leaseUntil !== undefined && task.leaseUntil - performance.now() < this.o.reservationMs / 4) {
      this.giveBack([task]);
      if (this.o.listening) this.o.emit({ type: "task:givenBack", task: refOf(task), reason: "reservation" });
      return false;
    }
    const entry = this.o.registry.get(task.taskName)!;
    const run = new Run(this.env, entry, task, entry.definition.timeoutMs ?? this.o.config.executionTimeoutMs, this.settled);
    this.running.set(task.id, run);
    // Infinite for a row with an infinite due time (written by hand): the local clock, clamped, then.
    recordStarted(task.taskName, task.queueName, task.waitedMs !== undefined && task.claimedAtMono !== undefined && Number.isFinite(task.waitedMs)
      ? task.waitedMs + (performance.now() - task.claimedAtMono)
      : Date.now() - task.scheduledAtMs);
    if (this.o.listening) this.o.emit({ type: "task:started", task: refOf(task) });
    run.start();
    return true;
  }

  /** `task` ended or never started: the next task of its key starts in its slot. */
  private followChain(task: ClaimedTask): void {
    for (let next = this.keyed.chains.next(task); next !== undefined; next = this.keyed.chains.next(next)) {
      if (this.stopping) this.giveBack([next]);
      else if (this.begin(next)) return;
    }
  }

  private readonly settled = (run: Run, outcome: RunOutcome): void => {
    const { task } = run;
    this.running.delete(task.id);
    this.prefetch.completed();
    this.finish(run.entry, task, outcome, performance.now() - run.startedAt);
    this.followChain(task);
    if (this.running.size === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    // A run may settle inside start(), while begin() is still in pump()'s loop: pump later, once
    // for every run that settles before then (queueMicrotask wraps each callback in an async
    // resource: 0.2 KB a task when each queued its own).
    if (!this.pumpQueued) {
      this.pumpQueued = true;
      queueMicrotask(this.pumpSoon);
    }
  };

  private readonly pumpSoon = (): void => {
    this.pumpQueued = false;
    this.pump();
  };

  private finish(entry: RegisteredTask, task: ClaimedTask, outcome: RunOutcome, durationMs: number): void {
    const result = resultOf(task, outcome, { backoff: entry.definition.backoff, retention: this.o.config.retentionMode });
    if (result === null) {
      // Nothing to write: the row is no longer ours.
      recordCompleted(task.taskName, task.queueName, outcomeLabel(null), durationMs);
      if (this.o.listening) this.o.emit({ type: "task:lost", task: refOf(task) });
      return;
    }
    // Counted as decided (a result discarded later for a lost lease still counts): the charts.
    if (result.outcome === "remove" || result.outcome === "done") this.tally.succeeded++;
    else if (result.outcome === "failed") this.tally.failed++;
    else if (result.outcome === "retry") this.tally.retried++;
    recordCompleted(task.taskName, task.queueName, outcomeLabel(result), durationMs);
    let settled = this.o.listening ? resultReporter(this.o.emit, task, result, durationMs) : ignore;
    // Mid-chain, its key stays held here until the chain's last result is written: nobody waits
    // for this one, so it shares a statement and wakes nothing (one hot key: half the claims,
    // each of which found the key still held).
    const waitedFor = (task.concurrencyKey != null && !this.keyed.chains.continues(task)) || this.limited.has(task.taskName);
    if (waitedFor) {
      // Its key (or its slot for limited tasks) has room once this result is written, and no
      // insert will notify of it: claim.
      const report = settled;
      settled = (applied) => {
        report(applied);
        this.wake();
      };
    }
    // Urgent when this runner has nothing else to start: then a slot waits for this write (one hot
    // key's next task). With tasks buffered, the write may wait to share a statement.
    this.o.completer.push({ result, settled, lease: task, urgent: waitedFor && this.buffer.length === 0 });
  }
}

const ignore = (): void => {};
