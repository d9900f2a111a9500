import type { ClaimedTask } from "../store/taskStore.js";

/**
 * Keyed tasks at limit 1 that this runner holds, one key at a time. A claim may hand over a
 * chain of one free key's tasks (see `ClaimRequest.keyChain`): every other claimer counts them
 * all as running, so this runner must run them one after the other. Tasks whose key runs here
 * wait in a queue per key, in claim order, and the end of a run starts the next of its key in
 * the slot it frees, without a claim.
 */
export class KeyChains {
  /** Keys with a run in progress here. */
  private readonly running = new Set<string>();
  /** Tasks claimed behind a running one of their key, in claim order. */
  private readonly waiting = new Map<string, ClaimedTask[]>();
  private count = 0;

  /** `names`: the keyed names at limit 1. */
  constructor(private readonly names: ReadonlySet<string>) {}

  /** Tasks waiting for their key. */
  get size(): number {
    return this.count;
  }

  /** True when `task` may start now (its key then counts as running); false: it waits here. */
  admit(task: ClaimedTask): boolean {
    const key = this.unitOf(task);
    if (key === undefined) return true;
    if (!this.running.has(key)) {
      this.running.add(key);
      return true;
    }
    const queue = this.waiting.get(key);
    if (queue) queue.push(task);
    else this.waiting.set(key, [task]);
    this.count++;
    return false;
  }

  /**
   * The run of `task` ended, or it never started: the next task of its key, which now counts as
   * running, or undefined (the key is free).
   */
  next(task: ClaimedTask): ClaimedTask | undefined {
    const key = this.unitOf(task);
    if (key === undefined) return undefined;
    const queue = this.waiting.get(key);
    const following = queue?.shift();
    if (following === undefined) {
      this.running.delete(key);
      return undefined;
    }
    this.count--;
    if (queue!.length === 0) this.waiting.delete(key);
    return following;
  }

  /** True when a task of `task`'s key waits here to run after it (its chain goes on). */
  continues(task: ClaimedTask): boolean {
    if (this.count === 0) return false;
    const key = this.unitOf(task);
    return key !== undefined && this.waiting.has(key);
  }

  /** Every waiting task (their leases are reservations). */
  waitingTasks(): ClaimedTask[] {
    return [...this.waiting.values()].flat();
  }

  /** Drops the waiting tasks `test` picks (lost leases). */
  drop(test: (task: ClaimedTask) => boolean): void {
    for (const [key, queue] of this.waiting) {
      const kept = queue.filter((t) => !test(t));
      this.count -= queue.length - kept.length;
      if (kept.length === 0) this.waiting.delete(key);
      else this.waiting.set(key, kept);
    }
  }

  /** Removes and returns every waiting task (a stop gives them back). */
  takeAll(): ClaimedTask[] {
    const all = this.waitingTasks();
    this.waiting.clear();
    this.count = 0;
    return all;
  }

  /** The key of `task` as this holds it, or undefined for a task it does not hold back. */
  unitOf(task: ClaimedTask): string | undefined {
    if (task.concurrencyKey == null || !this.names.has(task.taskName)) return undefined;
    return `${task.taskName}\u0000${task.concurrencyKey}`;
  }
}
