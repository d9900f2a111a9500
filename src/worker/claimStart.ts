import type { ClaimedTask, ClaimPosition, TaskStore } from "../store/taskStore.js";

/**
 * How far behind its last claim a runner starts the next (see TasksClaimMany): a task enqueued
 * a moment before one it already claimed, whose transaction committed a moment later, is still
 * read; the dead index entries of the tasks claimed in that second are all a claim walks.
 */
const START_LAG_MS = 1_000;

/**
 * Where a runner's claims of plain names start in the claim order: a second behind its last
 * claim, so that claims skip the dead index entries an old snapshot keeps at the head of the
 * queue. `check()` reads the queue's head (once per poll interval, and after a rescue, a wake-up
 * or a fired schedule) and moves the start back when a task landed before it.
 */
export class ClaimStart {
  private position: ClaimPosition | null = null;
  private checking = false;

  constructor(private readonly o: {
    store: TaskStore;
    queue: string;
    names: readonly string[];
    versions: Readonly<Record<string, number>>;
    /** The start moved back: claim again. */
    onMovedBack: () => void;
    onError: (error: unknown) => void;
  }) {}

  get current(): ClaimPosition | null {
    return this.position;
  }

  /** The last plain task a claim took (claim order): the start moves on, never back. */
  claimed(last: ClaimedTask): void {
    if (!Number.isFinite(last.scheduledAtMs)) return;
    const next = { priority: last.priority, scheduledAtMs: last.scheduledAtMs - START_LAG_MS };
    const now = this.position;
    // A claim of higher-priority tasks alone leaves it where the others are.
    if (now === null || next.priority < now.priority || (next.priority === now.priority && next.scheduledAtMs > now.scheduledAtMs)) {
      this.position = next;
    }
  }

  /** Moves the start back to the queue's head if a task landed before it (at its priority: higher ones are always read). */
  async check(): Promise<void> {
    if (this.position === null || this.checking || this.o.names.length === 0) return;
    this.checking = true;
    try {
      const head = await this.o.store.findClaimHead({ queueName: this.o.queue, taskNames: this.o.names, versions: this.o.versions });
      const now = this.position;
      if (head !== null && now !== null && head.priority === now.priority && head.scheduledAtMs < now.scheduledAtMs) {
        // A millisecond earlier: the head's due time comes rounded.
        this.position = { priority: head.priority, scheduledAtMs: head.scheduledAtMs - 1 };
        this.o.onMovedBack();
      }
    } catch (error) {
      this.o.onError(error);
    } finally {
      this.checking = false;
    }
  }
}
