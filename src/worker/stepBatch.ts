import type { Lease } from "../store/taskStore.js";
import type { StepEntry, StepStore, WaitOutcome } from "../store/stepStore.js";

/** What a run's durable calls use of the store: one lease at a time. */
export interface DurableCalls {
  /** The history of a running task; null when the lease is no longer this run's. */
  findSteps(lease: Lease): Promise<StepEntry[] | null>;
  /** Appends `entry` at `position`; false when the lease or the position is gone. */
  appendStep(lease: Lease, position: number, entry: StepEntry): Promise<boolean>;
  resolveWait(lease: Lease, position: number, signal: string, timedOut: boolean): Promise<WaitOutcome<unknown> | null>;
}

/** Writes of one batch at most: one statement's worth. */
const MAX_BATCH = 500;

/**
 * A pool's durable calls, batched: the history reads and step writes of all its runs that ask
 * in the same turn of the event loop go in one statement each (a run still waits for its own
 * write before its step returns). Ten runs at one step each cost one statement, not ten.
 */
export function batchedSteps(store: StepStore): DurableCalls {
  const reads = new Batch<Lease, StepEntry[] | null>(async (leases) => {
    const found = await store.findSteps(leases);
    return leases.map((l) => found.get(l.id) ?? null);
  });
  const writes = new Batch<Lease & { position: number; entry: StepEntry }, boolean>(async (items) => {
    const written = await store.appendSteps(items);
    return items.map((i) => written.has(i.id));
  });
  return {
    findSteps: (lease) => reads.add(lease),
    appendStep: (lease, position, entry) => writes.add({ id: lease.id, token: lease.token, position, entry }),
    resolveWait: (lease, position, signal, timedOut) => store.resolveWait(lease, position, signal, timedOut),
  };
}

/** Items added in one turn of the event loop go to `run` together; each gets its own answer. */
class Batch<Item, Answer> {
  private pending: Array<{ item: Item; resolve: (a: Answer) => void; reject: (e: unknown) => void }> = [];
  private scheduled = false;

  constructor(private readonly run: (items: Item[]) => Promise<Answer[]>) {}

  add(item: Item): Promise<Answer> {
    return new Promise<Answer>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length >= MAX_BATCH) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.pending.splice(0, MAX_BATCH);
    if (batch.length === 0) return;
    if (this.pending.length > 0 && !this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    this.run(batch.map((b) => b.item)).then(
      (answers) => batch.forEach((b, i) => b.resolve(answers[i]!)),
      (error: unknown) => batch.forEach((b) => b.reject(error)),
    );
  }
}
