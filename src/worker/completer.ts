import type { Lease, TaskResult, TaskStore } from "../store/taskStore.js";

/** A result to write, and what to do once it is known whether the lease still held. */
export interface PendingResult {
  result: TaskResult;
  settled(applied: boolean): void;
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
    this.schedule();
  }

  /** Leases of results not yet written: the heartbeat keeps them alive. */
  heldLeases(): Lease[] {
    return [...this.inFlight, ...this.pending].map((p) => ({ id: p.result.id, token: p.result.token }));
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
    if (this.flushDelayMs === 0 || this.pending.length >= this.maxBatch) setImmediate(() => void this.flush());
    else setTimeout(() => void this.flush(), this.flushDelayMs);
  }

  private async flush(): Promise<void> {
    this.inFlight = this.pending.splice(0, this.maxBatch);
    try {
      const discarded = await this.options.store.completeTasks(this.inFlight.map((p) => p.result));
      this.failures = 0;
      const done = this.inFlight;
      this.inFlight = [];
      for (const item of done) item.settled(!discarded.has(item.result.id));
    } catch (error) {
      this.failures += 1;
      this.pending.unshift(...this.inFlight);
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
}
