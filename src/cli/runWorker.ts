import { PgTaskStore } from "../db/pgTaskStore.js";
import { describeDatabaseError } from "../db/connection.js";
import { BackieError, describeThrown } from "../errors.js";
import { LOG_LEVELS, lineLogger, type Logger, type LogLevel } from "../log/logger.js";
import type { WorkerEvent } from "../worker/events.js";
import { startOpsServer, type OpsServer } from "../telemetry/opsServer.js";
import { WorkerPool, type AppRequirement, type WorkerPoolBaseOptions } from "../worker/pool.js";
import { formatEvent } from "./formatEvent.js";

export type RunWorkerOptions = RunWorkerOwnOptions & AppRequirement;

export interface RunWorkerOwnOptions extends Omit<WorkerPoolBaseOptions, "store" | "log"> {
  /** Default: a PgTaskStore for DATABASE_URL and the BACKIE_* connection switches. */
  store?: PgTaskStore;
  /**
   * Where the worker's log lines and `ctx.log` go. Default: one line per entry on stdout, JSON
   * (pretty on a terminal); BACKIE_LOG_LEVEL (debug, info, warn, error; default info) and
   * BACKIE_LOG_FORMAT (json, pretty) tune it. Any `info`/`warn`/`error(message, fields)` logger fits;
   * pino takes (fields, message): docs/workers.md shows the adapter.
   */
  logger?: Logger;
  /**
   * Apply pending migrations at start (needs a role that may change the schema). Default false:
   * the worker checks that none are pending and says so in one line. Env BACKIE_MIGRATE=true.
   */
  migrate?: boolean;
  /**
   * Serve `/healthz`, `/readyz` and `/metrics` (Prometheus) on this port. Env BACKIE_METRICS_PORT;
   * BACKIE_METRICS_HOST (default 0.0.0.0, so that probes reach it); BACKIE_METRICS=false serves
   * the health checks only. `/metrics` needs @opentelemetry/sdk-metrics and
   * @opentelemetry/exporter-prometheus installed.
   */
  metricsPort?: number;
}

/**
 * The worker entrypoint (`generated/worker.ts`): connects with DATABASE_URL, checks migrations,
 * runs a pool for every queue, logs one line per event, and on SIGINT/SIGTERM shuts down
 * gracefully (a second signal exits at once; leases bring those tasks back). It owns the process:
 * a start-up problem is one line and exit code 1, and an error a task leaves behind (an unhandled
 * rejection, an exception thrown from a timer) is logged instead of ending the process.
 */
export async function runWorker(options: RunWorkerOptions): Promise<void> {
  const logger = options.logger ?? defaultLogger(process.env);
  let store: PgTaskStore | undefined;
  let pool: WorkerPool;
  try {
    store = options.store ?? PgTaskStore.fromEnv();
    if (options.migrate ?? process.env.BACKIE_MIGRATE === "true") await store.migrate();
    else await store.assertMigrated();
    const { store: _s, logger: _l, migrate: _m, metricsPort: _p, ...poolOptions } = options;
    pool = new WorkerPool({
      listen: process.env.BACKIE_LISTEN !== "false",
      ...poolOptions,
      store,
      log: logger,
      onEvent: (event) => {
        logEvent(logger, event);
        return options.onEvent?.(event);
      },
    });
  } catch (error) {
    await store?.close().catch(() => {});
    return startFailed(logger, error);
  }
  let ops: OpsServer | undefined;
  const port = options.metricsPort ?? (process.env.BACKIE_METRICS_PORT ? Number(process.env.BACKIE_METRICS_PORT) : undefined);
  if (port !== undefined) {
    try {
      if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new BackieError(`BACKIE_METRICS_PORT must be a port number from 0 to 65535, got ${String(process.env.BACKIE_METRICS_PORT ?? port)}`);
      const ready = readiness(store, pool);
      ops = await startOpsServer({ port, host: process.env.BACKIE_METRICS_HOST ?? "0.0.0.0", metrics: process.env.BACKIE_METRICS !== "false", ready });
      logger.info(`backie worker: serving ${ops.paths.join(", ")} on port ${ops.port}`);
      if (ops.metricsNote) logger.info(`backie worker: ${ops.metricsNote}`);
    } catch (error) {
      await store.close().catch(() => {});
      return startFailed(logger, error);
    }
  }
  keepAliveThroughTaskErrors(logger);
  const shutdown = shutdownOnSignals(logger, () => pool
    .stop()
    .then(() => ops?.close())
    .then(() => store.close()));
  process.on("SIGINT", shutdown.onSignal);
  process.on("SIGTERM", shutdown.onSignal);
  stopWhenOrphaned(logger, shutdown.onOrphaned);
  try {
    await pool.start();
  } catch (error) {
    await pool.stop().catch(() => {});
    await store.close().catch(() => {});
    return startFailed(logger, error);
  }
}

/**
 * A repeat within this long of the first signal is the same stop delivered twice, not a user
 * asking to exit at once: a process manager signals the whole process group (systemd's default
 * stop, `kill -- -PGID`, a terminal's Ctrl-C) and npm forwards the signal it got to its child too.
 */
export const DUPLICATE_SIGNAL_MS = 1_000;

/**
 * The first SIGINT/SIGTERM (or the wrapper's death) starts the graceful shutdown: claim nothing,
 * let runs finish until the deadline, hand back the rest. A second signal at least
 * DUPLICATE_SIGNAL_MS later exits at once (leases bring those runs back); copies of the first
 * and the wrapper's death while stopping change nothing.
 */
export function shutdownOnSignals(
  logger: Logger, stop: () => Promise<unknown>, exit: (code: number) => void = (code) => process.exit(code), now: () => number = Date.now,
): { onSignal: (signal: NodeJS.Signals) => void; onOrphaned: (parent: number) => void } {
  let first: { signal: string; at: number } | undefined;
  const begin = (reason: string): void => {
    logger.info(`backie worker: ${reason}, shutting down gracefully (send the signal again after a second to exit at once)`);
    void stop().then(() => exit(0), (error: unknown) => {
      logger.error(`backie worker: shutdown failed: ${describeThrown(error).message}`);
      exit(1);
    });
  };
  return {
    onSignal(signal) {
      if (first === undefined) {
        first = { signal, at: now() };
        return begin(`${signal} received`);
      }
      if (now() - first.at < DUPLICATE_SIGNAL_MS) {
        logger.debug?.(`backie worker: ${signal} again within ${DUPLICATE_SIGNAL_MS} ms of ${first.signal} (the process group and a wrapper both signalled): still shutting down gracefully`);
        return;
      }
      logger.error(`backie worker: second ${signal}, exiting now; running tasks return when their lease expires`);
      exit(130);
    },
    onOrphaned(parent) {
      if (first !== undefined) return;
      first = { signal: "parent exit", at: now() };
      logger.warn(`backie worker: the process that started it (pid ${parent}) exited`);
      begin("its wrapper stopped");
    },
  };
}

/**
 * Started through a wrapper that does not pass signals on (`npx backie worker`: npm signals its
 * shell, which dies without passing it on), the worker outlives the process the user stopped. Its
 * parent changing is that same stop. Checked every 50 ms (a getppid call), without holding the
 * process: the pool claims nothing after that, so runs start at most 50 ms after the stop.
 */
function stopWhenOrphaned(logger: Logger, onOrphaned: (parent: number) => void): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onOrphaned(parent);
  }, ORPHAN_CHECK_MS);
  timer.unref();
}

const ORPHAN_CHECK_MS = 50;

function startFailed(logger: Logger, error: unknown): void {
  const line = error instanceof BackieError ? error.message : describeDatabaseError(error);
  if (line !== undefined) logger.error(`backie worker: ${line}`);
  else logger.error(`backie worker: could not start: ${describeThrown(error).message}`, { stack: describeThrown(error).stack });
  process.exitCode = 1;
}

let guarded = false;
/** Nothing a single task does may end the worker process: log what escaped it and go on. */
function keepAliveThroughTaskErrors(logger: Logger): void {
  if (guarded) return;
  guarded = true;
  process.on("uncaughtException", (error) => {
    const { message, stack } = describeThrown(error);
    logger.error(`uncaught exception (a task's timer or callback?), the worker goes on: ${message}`, { stack });
  });
  process.on("unhandledRejection", (reason) => {
    const { message, stack } = describeThrown(reason);
    logger.error(`unhandled promise rejection (a task's promise nobody awaited?), the worker goes on: ${message}`, { stack });
  });
}

export function defaultLogger(env: NodeJS.ProcessEnv): Logger {
  const raw = env.BACKIE_LOG_LEVEL ?? (env.BACKIE_LOG === "quiet" ? "warn" : "info");
  const level: LogLevel = (LOG_LEVELS as string[]).includes(raw) ? (raw as LogLevel) : "info";
  const format = env.BACKIE_LOG_FORMAT === "pretty" || env.BACKIE_LOG_FORMAT === "json"
    ? env.BACKIE_LOG_FORMAT
    : process.stdout.isTTY ? "pretty" : "json";
  const logger = lineLogger({ level, format });
  if (raw !== level) logger.warn(`BACKIE_LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}; using info`);
  return logger;
}

/** Each event as one log entry at its level, with bounded fields (never the payload). */
export function logEvent(logger: Logger, event: WorkerEvent): void {
  const message = formatEvent(event);
  const task = "task" in event && typeof event.task === "object"
    ? { task: event.task.name, taskId: event.task.id, queue: event.task.queue, attempt: event.task.attempt }
    : {};
  switch (event.type) {
    case "task:started":
      return logger.debug?.(message, { event: event.type, ...task });
    case "task:failed":
      return logger.error(message, { event: event.type, ...task, kind: event.error.kind, stack: event.error.stack });
    case "store:error":
      return logger.error(message, { event: event.type, operation: event.operation, stack: describeThrown(event.error).stack });
    case "task:retried":
    case "task:stale":
    case "task:lost":
    case "task:abandoned":
      return logger.warn(message, { event: event.type, ...task });
    case "pool:stalled":
      return logger.warn(message, { event: event.type, delayMs: event.delayMs });
    case "task:rescued":
      return logger.warn(message, { event: event.type, task: event.name, taskId: event.id, queue: event.queue, state: event.state });
    case "schedule:fired":
      return logger.info(message, { event: event.type, schedule: event.id, task: event.task, taskId: event.taskId, scheduledFor: event.scheduledFor.toISOString(), missedCount: event.missedCount });
    case "schedule:missed":
      return logger.warn(message, { event: event.type, schedule: event.id, task: event.task, count: event.count, running: event.running });
    case "schedule:skipped":
      return logger.info(message, { event: event.type, schedule: event.id, task: event.task, scheduledFor: event.scheduledFor.toISOString() });
    case "schedule:invalid":
      return logger.error(message, { event: event.type, schedule: event.id, task: event.task });
    default:
      return logger.info(message, { event: event.type, ...task });
  }
}

/** Ready while the database answers with current migrations and the pool takes work. */
function readiness(store: PgTaskStore, pool: WorkerPool): () => Promise<void> {
  return async () => {
    if (!pool.accepting) throw new Error("the worker pool is starting or shutting down");
    try {
      await store.assertMigrated();
    } catch (error) {
      throw new Error(describeDatabaseError(error) ?? `database: ${describeThrown(error).message}`);
    }
  };
}
