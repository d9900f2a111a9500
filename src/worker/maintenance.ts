import { decideRescue } from "../retryPolicy.js";
import type { QueueCounts, WorkerInfo } from "../store/adminStore.js";
import { unrunnableKinds } from "./versionCoverage.js";
import type { Lease, TaskStore } from "../store/taskStore.js";
import type { RetentionMode } from "../types.js";
import type { EventHandler } from "./events.js";

/**
 * Background services of a pool, each with the same shape: `start`, `stop`, and a `runOnce()`
 * that tests call directly.
 */
export interface Service {
  start(): void;
  /** No more runs; resolves when the one under way (if any) has finished. */
  stop(): Promise<void>;
  runOnce(): Promise<void>;
}

/** Runs `runOnce` now and then every `intervalMs`, never two at once. */
export function periodic(intervalMs: number, runOnce: () => Promise<void>): Service {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const tick = (): void => {
    if (running) return;
    running = runOnce().finally(() => (running = undefined));
  };
  return {
    start() {
      tick();
      timer = setInterval(tick, intervalMs);
    },
    stop() {
      clearInterval(timer);
      // A run under way (a heartbeat, a presence write) must not land after the pool has left:
      // a late presence write would put back the registry row the stop deletes.
      return (running ?? Promise.resolve()).catch(() => {});
    },
    runOnce,
  };
}

/** A scan slower than this share of the rescue interval spaces the next one out ... */
const SLOW_SCAN_SHARE = 1 / 100;
/** ... to at most this many intervals. */
const MAX_SCAN_SPACING = 4;

/**
 * How long after a scan that found nothing the rescuer scans again: its interval, or longer while
 * scans are slow, so that they take at most a hundredth of the time (up to four intervals: 2 s
 * by default). Every worker process scans, and a scan walks every entry of the running index: an
 * old snapshot (a transaction left open, a long report) keeps those of all runs finished since,
 * and scans of 30 ms every half second, in each process, were the database's largest cost
 * after claims and results (the bench's idle_in_tx scenario).
 */
export function rescuePause(intervalMs: number, scanMs: number): number {
  return Math.min(MAX_SCAN_SPACING * intervalMs, Math.max(intervalMs, scanMs / SLOW_SCAN_SHARE));
}

/**
 * Returns tasks whose lease expired (a crashed or hung worker anywhere) to `ready` in their old
 * place, or fails them when their retries are spent: read the expired leases, decide each one's
 * fate with the same policy as a failed run (`decideRescue`), write the decisions in one batch
 * that only touches leases still expired. Runs at pool start and every `intervalMs`, or less
 * often while scans are slow and find nothing (rescuePause).
 */
export function rescuer(options: {
  store: TaskStore;
  intervalMs: number;
  batchSize?: number;
  /** Retention of the queues this pool knows; any other queue keeps its failures (the default). */
  retention: (queue: string) => RetentionMode;
  onRescued: (queues: Set<string>) => void;
  emit: EventHandler;
}): Service {
  const batch = options.batchSize ?? 1_000;
  /** When the next tick may scan (performance.now()): spaced out after slow empty scans. */
  let notBefore = 0;
  return periodic(options.intervalMs, async () => {
    if (performance.now() < notBefore) return;
    try {
      for (let first = true; ; first = false) {
        const started = performance.now();
        const { tasks: expired, readMs } = await options.store.findExpired(batch);
        if (first) {
          const scanMs = readMs ?? performance.now() - started;
          // Ticks come every interval: half of one spare, so that a tick a little early still scans.
          notBefore = expired.length > 0 ? 0 : started + rescuePause(options.intervalMs, scanMs) - options.intervalMs / 2;
        }
        if (expired.length === 0) return;
        const at = new Date().toISOString();
        const results = expired.map((t) => decideRescue(t, at, options.retention(t.queueName)));
        const skipped = await options.store.completeTasks(results, { ifLeaseExpired: true });
        const queues = new Set<string>();
        expired.forEach((t, i) => {
          if (skipped.has(t.id)) return;
          const result = results[i]!;
          queues.add(t.queueName);
          options.emit({
            type: "task:rescued", id: t.id, name: t.taskName, queue: t.queueName,
            state: result.outcome === "retry" ? "ready" : "failed", attempts: result.outcome === "retry" && result.uncount ? t.attempts - 1 : t.attempts,
            removed: result.outcome === "failed" && result.remove,
          });
        });
        if (queues.size > 0) options.onRescued(queues);
        if (expired.length < batch) return;
      }
    } catch (error) {
      options.emit({ type: "store:error", operation: "rescue expired leases", error, retryInMs: options.intervalMs });
    }
  });
}

/** Deletes kept finished rows older than each queue's `pruneFinishedAfterMs`. */
export function pruner(options: {
  store: TaskStore;
  intervalMs: number;
  queues: ReadonlyArray<{ queue: string; olderThanMs: number }>;
  emit: EventHandler;
}): Service {
  const batch = 10_000;
  return periodic(options.intervalMs, async () => {
    try {
      for (const { queue, olderThanMs } of options.queues) {
        while ((await options.store.pruneFinished(queue, olderThanMs, batch)) === batch);
      }
    } catch (error) {
      options.emit({ type: "store:error", operation: "prune finished tasks", error, retryInMs: options.intervalMs });
    }
  });
}

/** How long a pool may go unseen before `backie workers` drops it as crashed. */
export const WORKER_STALE_MS = 60_000;

/**
 * Keeps this pool's row in the registry of running pools alive (`backie workers`, the
 * dashboard), written again if it was removed as stale during a long stall.
 */
export function presence(options: { store: TaskStore; worker: WorkerInfo; intervalMs: number; emit: EventHandler }): Service {
  return periodic(options.intervalMs, async () => {
    try {
      await options.store.admin.touchWorker(options.worker);
    } catch (error) {
      options.emit({ type: "store:error", operation: "mark this worker alive", error, retryInMs: options.intervalMs });
    }
  });
}

/**
 * Adds the outcomes counted since the last call to the database's per-minute throughput history
 * (the dashboard's charts): one small statement per pool every `intervalMs`, never a scan of task
 * rows. Counts of a pool that crashes in between are lost (at most `intervalMs` of them).
 */
export function statsFlusher(options: {
  store: TaskStore;
  owner: string;
  take: () => QueueCounts[];
  intervalMs: number;
  emit: EventHandler;
}): Service {
  let pending = new Map<string, QueueCounts>();
  // One flush at a time (the timer's and the final one at stop), or pending counts go twice.
  let chain = Promise.resolve();
  const flush = async (): Promise<void> => {
    for (const c of options.take()) {
      const sum = pending.get(c.queueName) ?? { queueName: c.queueName, succeeded: 0, failed: 0, retried: 0 };
      sum.succeeded += c.succeeded;
      sum.failed += c.failed;
      sum.retried += c.retried;
      pending.set(c.queueName, sum);
    }
    const rows = [...pending.values()].filter((c) => c.succeeded + c.failed + c.retried > 0);
    if (rows.length === 0) return;
    try {
      await options.store.admin.addStats(options.owner, rows);
      pending = new Map();
    } catch (error) {
      // Kept and added to the next call.
      options.emit({ type: "store:error", operation: "record throughput", error, retryInMs: options.intervalMs });
    }
  };
  return periodic(options.intervalMs, () => (chain = chain.then(flush)));
}

/**
 * Writes the latest progress each run reported, for all runs of the pool in one statement per
 * interval (a run reporting every row it handles costs one write a second, not one per call).
 * A value not yet written when its run ends is still written (the claim's token fences it: a
 * later claim of the task is left alone); a failed write keeps the values for the next interval
 * unless newer ones replaced them.
 */
export function progressWriter(options: { store: TaskStore; intervalMs: number; emit: EventHandler }): Service & {
  report(lease: Lease, json: string): void;
} {
  let pending = new Map<string, Lease & { progressJson: string }>();
  const service = periodic(options.intervalMs, async () => {
    if (pending.size === 0) return;
    const items = [...pending.values()];
    pending = new Map();
    try {
      await options.store.setProgress(items);
    } catch (error) {
      for (const item of items) if (!pending.has(item.id)) pending.set(item.id, item);
      options.emit({ type: "store:error", operation: "record progress", error, retryInMs: options.intervalMs });
    }
  });
  return {
    ...service,
    report(lease, json) {
      pending.set(lease.id, { id: lease.id, token: lease.token, progressJson: json });
    },
  };
}

/**
 * Says once per kind (queue, name, version) when ready tasks of this pool's queues wait for a
 * deploy no running worker has: a newer payload version than this pool knows, or a name no
 * running worker knows. Reads the kinds by a skip scan (one index probe each), never the rows,
 * and never during a claim: claims stay as fast whatever waits.
 */
export function versionWatch(options: { store: TaskStore; worker: WorkerInfo; intervalMs: number; emit: EventHandler }): Service {
  const said = new Set<string>();
  return periodic(options.intervalMs, async () => {
    try {
      const own = (await options.store.admin.findReadyKinds(1_000)).filter((k) => Object.hasOwn(options.worker.queues, k.queueName));
      const mine = options.worker.tasks ?? {};
      const strange = own.filter((k) => !Object.hasOwn(mine, k.taskName) || k.version > mine[k.taskName]!);
      if (strange.length === 0) return;
      const { workers } = await options.store.admin.listWorkers(WORKER_STALE_MS);
      const others = workers.some((w) => w.owner === options.worker.owner) ? workers : [...workers, options.worker];
      for (const kind of unrunnableKinds(strange, others)) {
        const key = JSON.stringify([kind.queueName, kind.taskName, kind.version]);
        if (said.has(key)) continue;
        said.add(key);
        options.emit({ type: "tasks:unrunnable", kind });
      }
    } catch (error) {
      options.emit({ type: "store:error", operation: "look for tasks no running worker knows", error, retryInMs: options.intervalMs });
    }
  });
}

/**
 * Puts sleeping and waiting tasks of this pool's queues whose time has come (a sleep's end, a
 * wait's time-out) back where claims look, every `intervalMs` (the queues' shortest poll), in
 * batches through their own index; the queues that got work are woken at once.
 */
export function waker(options: { store: TaskStore; queues: readonly string[]; intervalMs: number; onWoken: (queues: string[]) => void; emit: EventHandler }): Service {
  const batch = 1_000;
  return periodic(options.intervalMs, async () => {
    try {
      for (;;) {
        const { queues, count } = await options.store.wakeParked(options.queues, batch);
        if (queues.length > 0) options.onWoken(queues);
        if (count < batch) return;
      }
    } catch (error) {
      options.emit({ type: "store:error", operation: "wake sleeping and waiting tasks", error, retryInMs: options.intervalMs });
    }
  });
}
