import type { Lease, TaskStore } from "../store/taskStore.js";
import type { EventHandler } from "./events.js";

/**
 * Background services of a pool, each with the same shape: `start`, `stop`, and a `runOnce()`
 * that tests call directly.
 */
export interface Service {
  start(): void;
  stop(): void;
  runOnce(): Promise<void>;
}

/** Runs `runOnce` now and then every `intervalMs`, never two at once. */
function periodic(intervalMs: number, runOnce: () => Promise<void>): Service {
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
    },
    runOnce,
  };
}

/**
 * Keeps the leases of every task this pool holds (prefetched, running, result not yet written)
 * alive. Leases the store no longer recognises (rescued elsewhere after they expired, or the task
 * was cancelled) go to `onLost`, with the tokens this pool held them by.
 */
export function heartbeat(options: {
  store: TaskStore;
  intervalMs: number;
  leaseMs: number;
  held: () => Lease[];
  onLost: (leases: Lease[]) => void;
  emit: EventHandler;
}): Service {
  return periodic(options.intervalMs, async () => {
    const leases = options.held();
    if (leases.length === 0) return;
    try {
      const lost = await options.store.extendLeases(leases, options.leaseMs);
      if (lost.size > 0) options.onLost(leases.filter((l) => lost.has(l.id)));
    } catch (error) {
      options.emit({ type: "store:error", operation: "extend leases", error, retryInMs: options.intervalMs });
    }
  });
}

/**
 * Returns tasks whose lease expired (a crashed or hung worker anywhere) to `ready`, or fails them
 * when their retries are spent. Runs at pool start and every `intervalMs`.
 */
export function rescuer(options: {
  store: TaskStore;
  intervalMs: number;
  batchSize?: number;
  /** Queues with retention removeAll: their spent tasks are deleted, not kept failed. */
  removeFailedIn: readonly string[];
  onRescued: (queues: Set<string>) => void;
  emit: EventHandler;
}): Service {
  const batch = options.batchSize ?? 1_000;
  return periodic(options.intervalMs, async () => {
    try {
      for (;;) {
        const rescued = await options.store.rescueExpired(batch, options.removeFailedIn);
        for (const r of rescued) {
          options.emit({
            type: "task:rescued", id: r.id, name: r.taskName, queue: r.queueName, state: r.state, attempts: r.attempts, removed: r.removed,
          });
        }
        if (rescued.length > 0) options.onRescued(new Set(rescued.map((r) => r.queueName)));
        if (rescued.length < batch) return;
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
