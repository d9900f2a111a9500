import { isDataError } from "../errors.js";
import type { TaskResult, TaskStore } from "../store/taskStore.js";
import type { HeldLease } from "./leaseKeeper.js";

/** A result to write, and what to do once it is known whether the lease still held. */
export interface PendingResult {
  result: TaskResult;
  settled(applied: boolean): void;
  /** The claimed task, whose lease bound the lease keeper reads and moves. */
  lease?: HeldLease;
  /**
   * Another task waits for this write (the next of a concurrency key, a rate-limited slot): it
   * goes at the next turn of the event loop rather than after the flush delay.
   */
  urgent?: boolean;
}

export interface CompleterOptions {
  store: TaskStore;
  /** Most results in one flush. Default 1,000. */
  maxBatch?: number;
  /**
   * How long a result may wait for others to share its statement (a full batch goes at once).
   * Each flush is a commit, and commits are what the database spends most on. Default 2 ms.
   */
  flushDelayMs?: number;
  onStoreError(error: unknown, retryInMs: number): void;
  /** Called when a backlog of unwritten results has shrunk enough to claim again. */
  onRoom?(): void;
}

/**
 * Writes task results in batches: one statement per kind per flush. Results that arrive while a
 * flush is in flight wait for the next one, so batches grow with load. A failed flush keeps its
 * results and retries with backoff; nothing is dropped while the process lives (and a dead
 * process's tasks come back through their expired leases).
 */
export class Completer {
  private pending: PendingResult[] = [];
  private inFlight: PendingResult[] = [];
  private flushing = false;
  /** The flush delay's timer, while a flush waits for it: an urgent result cuts it short. */
  private delayTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private idleWaiters: Array<() => void> = [];
  private readonly maxBatch: number;
  private readonly flushDelayMs: number;

  constructor(private readonly options: CompleterOptions) {
    this.maxBatch = options.maxBatch ?? 1_000;
    this.flushDelayMs = options.flushDelayMs ?? 2;
  }

  push(item: PendingResult): void {
    this.pending.push(item);
    if (item.urgent && this.delayTimer) {
      clearTimeout(this.delayTimer);
      this.delayTimer = undefined;
      setImmediate(this.flushNow);
    }
    this.schedule();
  }

  /**
   * Leases of results not yet written, for the lease keeper: those of runs (`ran`), or of tasks
   * given back unstarted, which stay reservations.
   */
  heldLeases(of: "ran" | "givenBack"): HeldLease[] {
    const givenBack = of === "givenBack";
    const leases: HeldLease[] = [];
    for (const p of [...this.inFlight, ...this.pending]) {
      if ((p.result.outcome === "giveBack") === givenBack) leases.push(p.lease ?? { id: p.result.id, token: p.result.token });
    }
    return leases;
  }

  get size(): number {
    return this.pending.length + this.inFlight.length;
  }

  /** More results wait than two full writes take: runners should not claim until `onRoom`. */
  get backlogged(): boolean {
    return this.size > 2 * this.maxBatch;
  }

  /** Resolves once everything pushed so far is written (or `deadlineMs` passes: false). */
  async drain(deadlineMs: number): Promise<boolean> {
    if (this.size === 0) return true;
    if (this.retryTimer) {
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
      this.schedule();
    }
    let timer: NodeJS.Timeout | undefined;
    const idle = new Promise<boolean>((resolve) => this.idleWaiters.push(() => resolve(true)));
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), deadlineMs)));
    const drained = await Promise.race([idle, late]);
    clearTimeout(timer);
    return drained;
  }

  private schedule(): void {
    if (this.flushing || this.retryTimer || this.pending.length === 0) return;
    this.flushing = true;
    if (this.flushDelayMs === 0 || this.pending.length >= this.maxBatch || this.pending.some((p) => p.urgent)) setImmediate(this.flushNow);
    else this.delayTimer = setTimeout(this.flushNow, this.flushDelayMs);
  }

  private readonly flushNow = (): void => {
    this.delayTimer = undefined;
    void this.flush();
  };

  private async flush(): Promise<void> {
    this.inFlight = this.pending.splice(0, this.maxBatch);
    const written = new Set<PendingResult>();
    try {
      await this.write(this.inFlight, written);
      this.failures = 0;
      this.inFlight = [];
    } catch (error) {
      this.failures += 1;
      this.pending.unshift(...this.inFlight.filter((p) => !written.has(p)));
      this.inFlight = [];
      const retryInMs = Math.min(5_000, 50 * 2 ** this.failures);
      this.options.onStoreError(error, retryInMs);
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined;
        this.schedule();
      }, retryInMs);
    } finally {
      this.flushing = false;
    }
    if (this.size === 0) {
      for (const wake of this.idleWaiters.splice(0)) wake();
    } else {
      this.schedule();
    }
    if (!this.backlogged) this.options.onRoom?.();
  }

  /**
   * Writes `items`; when the database refuses the data of one of them (an invalid value, not a
   * lost connection), finds it by halving, so that one bad result never holds back the others.
   * A refused result is written again as a bare `internal` failure; if even that is refused it is
   * dropped, and its task comes back through its expired lease.
   */
  private async write(items: PendingResult[], written: Set<PendingResult>): Promise<void> {
    try {
      const discarded = await this.options.store.completeTasks(items.map((p) => p.result));
      for (const item of items) {
        written.add(item);
        item.settled(!discarded.has(item.result.id));
      }
    } catch (error) {
      if (!isDataError(error)) throw error;
      if (items.length > 1) {
        const half = items.length >> 1;
        await this.write(items.slice(0, half), written);
        await this.write(items.slice(half), written);
        return;
      }
      const item = items[0]!;
      const bare = bareResult(item.result, error);
      if (bare) {
        const retried: PendingResult = { result: bare, settled: (applied) => item.settled(applied) };
        await this.write([retried], written);
        if (written.has(retried)) written.add(item);
        return;
      }
      this.options.onStoreError(error, 0);
      written.add(item);
      item.settled(false);
    }
  }
}


/**
 * What to write instead of a result the database refused: the task failed, with a bare `internal`
 * error (a retry whose delay or error cannot be stored must not loop). Undefined when the result
 * holds no data to blame, or is that bare failure already.
 */
function bareResult(result: TaskResult, error: unknown): TaskResult | undefined {
  if (result.outcome !== "retry" && result.outcome !== "failed") return undefined;
  if (result.outcome === "failed" && result.error.kind === "internal" && result.error.stack === undefined) return undefined;
  const code = String((error as { code?: unknown }).code);
  return {
    id: result.id, token: result.token, outcome: "failed", remove: false,
    error: { attempt: result.error.attempt, kind: "internal", message: `the run's outcome could not be stored (SQLSTATE ${code}): failed instead`, at: result.error.at },
  };
}
