import { PgTaskStore } from "../db/pgTaskStore.js";
import { describeThrown } from "../errors.js";
import type { WorkerEvent } from "../worker/events.js";
import { WorkerPool, type WorkerPoolOptions } from "../worker/pool.js";

export interface RunWorkerOptions extends Omit<WorkerPoolOptions, "store"> {
  /** Default: a PgTaskStore for DATABASE_URL. */
  store?: PgTaskStore;
}

/**
 * The worker entrypoint (`generated/worker.ts`): connects with DATABASE_URL, applies migrations,
 * runs a pool for every queue, prints one line per event, and on SIGINT/SIGTERM shuts down
 * gracefully (a second signal exits at once; leases bring those tasks back).
 * Environment: DATABASE_URL, BACKIE_LISTEN=false (poll only), BACKIE_PREPARED_STATEMENTS=false,
 * BACKIE_LOG=quiet (errors only).
 */
export async function runWorker(options: RunWorkerOptions): Promise<void> {
  const store = options.store ?? PgTaskStore.fromEnv();
  const quiet = process.env.BACKIE_LOG === "quiet";
  await store.migrate();
  const pool = new WorkerPool({
    listen: process.env.BACKIE_LISTEN !== "false",
    ...options,
    store,
    onEvent: (event) => {
      options.onEvent?.(event);
      if (!quiet || event.type === "store:error" || event.type === "task:failed") console.log(formatEvent(event));
    },
  });
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    signals += 1;
    if (signals > 1) {
      console.error(`backie worker: second ${signal}, exiting now; running tasks return when their lease expires`);
      process.exit(130);
    }
    console.log(`backie worker: ${signal} received, shutting down gracefully (send again to exit at once)`);
    void pool
      .stop()
      .then(() => store.close())
      .then(() => process.exit(0));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  await pool.start();
}

export function formatEvent(event: WorkerEvent): string {
  switch (event.type) {
    case "pool:started":
      return `worker ${event.owner} started; queues: ${event.queues.join(", ")}`;
    case "pool:stopped":
      return `worker ${event.owner} stopped`;
    case "task:started":
      return `started   ${event.task.name}#${event.task.id} (attempt ${event.task.attempt})`;
    case "task:succeeded":
      return `succeeded ${event.task.name}#${event.task.id} in ${event.durationMs.toFixed(1)} ms`;
    case "task:retried":
      return `retrying  ${event.task.name}#${event.task.id} in ${event.delayMs} ms: ${event.error.message}`;
    case "task:failed":
      return `FAILED    ${event.task.name}#${event.task.id} after attempt ${event.task.attempt}: ${event.error.message}`;
    case "task:givenBack":
      return `gave back ${event.task.name}#${event.task.id} (${event.reason})`;
    case "task:stale":
      return `discarded late result of ${event.task.name}#${event.task.id}: its lease was taken over`;
    case "task:lost":
      return `lost      ${event.task.name}#${event.task.id}: cancelled, or its lease was taken over; aborted`;
    case "task:abandoned":
      return `abandoned run of ${event.task.name}#${event.task.id} settled after its timeout; result ignored`;
    case "task:rescued":
      return `rescued   ${event.name}#${event.id} from an expired lease -> ${event.state}${event.removed ? " (removed: removeAll)" : ""}`;
    case "store:error":
      return `store error during ${event.operation}: ${describeThrown(event.error).message}; retrying in ${event.retryInMs} ms`;
  }
}
