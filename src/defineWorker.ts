import type { RunWorkerOptions } from "./cli/runWorker.js";
import type { QueueSettings } from "./worker/queueConfig.js";

/**
 * What a project's `backie.worker.ts` may set for the generated worker entrypoint. `queues` is
 * keyed by the queues codegen found, so a misspelt queue does not compile (instead of starting a
 * runner that never gets a task).
 */
export type WorkerSettings = Omit<RunWorkerOptions, "registry" | "store" | "queues"> & { queues?: QueueSettings };

/**
 * The default export of `backie.worker.ts`: the application context, per-queue settings, leases,
 * event handlers. `npm run gen` wires it into `generated/worker.ts`, so `backie worker` uses it.
 * Checked by `WorkerPool` when the worker starts; typed here.
 */
export function defineWorker(settings: WorkerSettings): WorkerSettings {
  return settings;
}
