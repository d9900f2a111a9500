import type { ClaimedTask, ClaimPosition, TaskStore } from "../store/taskStore.js";

/**
 * How far behind its last claim a runner starts the next (see TasksClaimMany): a task enqueued
 * a moment before one it already claimed, whose transaction committed a moment later, is still
 * read; the dead index entries of the tasks claimed in that second are all a claim walks.
 */
const START_LAG_MS = 1_000;

/**
 * A due time a Date can hold (±100,000,000 days): PostgreSQL's go further (to the year 294276),
 * and a row written by hand with one must not make every claim's parameter an invalid date.
 */
const representable = (ms: number): boolean => Math.abs(ms) <= 8.64e15;

/**
 * A head read slower than this, in the database, means dead entries pile up at the head: claims
 * use the start.
 */
const SLOW_HEAD_MS = 2;
/** Reads of the head this fast, this many times in a row: claims go back to the head. */
const FAST_HEAD_MS = 1;
const FAST_READS_TO_RELEASE = 3;

/**
 * Where a runner's claims of plain names start in the claim order: a second behind its last
 * claim, so that claims skip the dead index entries an old snapshot keeps at the head of the
 * queue. `check()` reads the queue's head (once per poll interval, and after a rescue, a wake-up
 * or a fired schedule), moves the start back when a task landed before it, and times the read:
 * only while reading the head is slow do claims use the start (reading from it costs a small
 * claim about 0.1 ms more).
 */
export class ClaimStart {
  private position: ClaimPosition | null = null;
  private active = false;
  private fastReads = 0;
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

  /** The start claims use now, or null: from the head. */
  get current(): ClaimPosition | null {
    return this.active ? this.position : null;
  }

  /** The last plain task a claim took (claim order): the start moves on, never back. */
  claimed(last: ClaimedTask): void {
    const next = { priority: last.priority, scheduledAtMs: last.scheduledAtMs - START_LAG_MS };
    if (!representable(next.scheduledAtMs)) return;
    const now = this.position;
    // A claim of higher-priority tasks alone leaves it where the others are.
    if (now === null || next.priority < now.priority || (next.priority === now.priority && next.scheduledAtMs > now.scheduledAtMs)) {
      this.position = next;
    }
  }

  /**
   * Reads the head: moves the start back if a task landed before it (at its priority: higher
   * ones are always read), and decides from how long the read took whether claims use the start.
   */
  async check(): Promise<void> {
    if (this.position === null || this.checking || this.o.names.length === 0) return;
    this.checking = true;
    try {
      const started = performance.now();
      const { head, readMs } = await this.o.store.findClaimHead({ queueName: this.o.queue, taskNames: this.o.names, versions: this.o.versions });
      // The database's own time when it says: a round trip alone (a distant server, an idle VM
      // waking up) could pass the threshold and keep claims on the slower start for nothing.
      const tookMs = readMs ?? performance.now() - started;
      if (tookMs > SLOW_HEAD_MS) {
        this.active = true;
        this.fastReads = 0;
      } else if (tookMs < FAST_HEAD_MS && ++this.fastReads >= FAST_READS_TO_RELEASE) this.active = false;
      const now = this.position;
      if (head !== null && now !== null && head.priority === now.priority && head.scheduledAtMs < now.scheduledAtMs && representable(head.scheduledAtMs - 1)) {
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
