/** A run's claim of its task (the same shape as TaskStore's Lease). */
type Lease = { readonly id: string; readonly token: number };

/**
 * Durable runs (`ctx.step`, `ctx.sleep`, `ctx.waitFor`; `TaskStore.steps`): a task's history of
 * what its runs reached, and the signals sent to it. Every write is fenced by the run's lease: a
 * run that lost its lease, or lost a race to resume its task, writes nothing (and learns so).
 */
export interface StepStore {
  /** The histories of running tasks, by id; a lease that is no longer its run's has none. */
  findSteps(leases: readonly Lease[]): Promise<Map<string, StepEntry[]>>;
  /** Appends each entry at its position (the history's length); the ids written (not: lease or position gone). */
  appendSteps(items: ReadonlyArray<Lease & { position: number; entry: StepEntry }>): Promise<Set<string>>;
  /**
   * Resolves the wait at `position`: takes the oldest signal `signal` from the inbox, or with
   * `timedOut` (and none there), records the time-out. Null: neither (the run parks), or the lease is gone.
   */
  resolveWait(lease: Lease, position: number, signal: string, timedOut: boolean): Promise<WaitOutcome<unknown> | null>;
  /**
   * Adds a signal to the inbox of a ready or running task of `taskName`, by id or unique key,
   * waking it if it waits for that signal. Null when there is no such task (or its inbox is full).
   */
  sendSignal(target: SignalTarget, name: string, payloadJson: string, maxInbox: number): Promise<string | null>;
}

export type SignalTarget = { taskName: string } & ({ id: string } | { key: string });

/** One entry of a task's history, as stored (JSON). */
export interface StepEntry {
  /** The id the code gave it: unique within a run. */
  id: string;
  kind: "step" | "sleep" | "wait";
  /** step: its result as JSON; wait: what the wait returned, once resolved. */
  result?: unknown;
  /** step: paths in `result` that were Dates (revived on replay). */
  dates?: string[][];
  /** sleep: when it ends; wait: when it times out (absent: never), ISO. */
  until?: string;
  /** wait: the signal it waits for. */
  signal?: string;
  /** When it was recorded (ISO), and for a step how long `fn` took. */
  at: string;
  ms?: number;
}

/** What `ctx.waitFor` returns. */
export type WaitOutcome<T> = { received: true; payload: T } | { received: false; timedOut: true };
