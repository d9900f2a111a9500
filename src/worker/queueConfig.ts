import { ConfigError } from "../errors.js";
import { MAX_TIMER_MS } from "../names.js";
import { resolveRateLimit, type RateLimit } from "../rateLimit.js";
import type { QueueNames, RetentionMode } from "../types.js";

/** Per-queue settings. Every field has a default; a queue needs no configuration to run. */
export interface QueueConfig {
  /** Tasks of this queue run at once in this process. Default 10. */
  numWorkers: number;
  /**
   * Tasks claimed ahead of free slots, so a finished slot starts its next task without a round
   * trip. They hold a lease while they wait; a shutdown gives them back at once. Default "auto":
   * about 100 ms of recent throughput, at least numWorkers, at most 1,000.
   */
  prefetch: number | "auto";
  /** Poll interval when no notification arrives (or in poll-only mode). Default 1,000 ms. */
  pullIntervalMs: number;
  /** Default "removeDone". */
  retentionMode: RetentionMode;
  /** Timeout of one run for tasks that set no `timeoutMs`. Default none. */
  executionTimeoutMs: number | undefined;
  /** Delete kept finished rows (done, failed, cancelled) this long after they finished. Default never. */
  pruneFinishedAfterMs: number | undefined;
  /**
   * At most `max` runs of this queue's tasks start per `perMs`, across every worker process
   * (one token bucket for the queue; see the task option of the same name). Default none.
   */
  rateLimit: RateLimit | undefined;
}

export const DEFAULT_QUEUE_CONFIG: QueueConfig = Object.freeze({
  numWorkers: 10,
  prefetch: "auto",
  pullIntervalMs: 1_000,
  retentionMode: "removeDone",
  executionTimeoutMs: undefined,
  pruneFinishedAfterMs: undefined,
  rateLimit: undefined,
});

const RETENTION_MODES: readonly RetentionMode[] = ["removeDone", "keepAll", "removeAll"];

/** Fills defaults and rejects values that cannot work, naming the queue and option. */
export function resolveQueueConfig(queue: string, partial: Partial<QueueConfig> = {}): QueueConfig {
  const config: QueueConfig = {
    ...DEFAULT_QUEUE_CONFIG,
    ...stripUndefined(partial),
  };
  const where = `queue "${queue}"`;
  if (!Number.isInteger(config.numWorkers) || config.numWorkers < 1) {
    throw new ConfigError(`${where}: numWorkers must be an integer >= 1, got ${config.numWorkers}`);
  }
  if (config.prefetch !== "auto" && (!Number.isInteger(config.prefetch) || config.prefetch < 0)) {
    throw new ConfigError(`${where}: prefetch must be "auto" or an integer >= 0, got ${config.prefetch}`);
  }
  if (!(Number.isFinite(config.pullIntervalMs) && config.pullIntervalMs >= 10 && config.pullIntervalMs <= MAX_TIMER_MS)) {
    throw new ConfigError(`${where}: pullIntervalMs must be from 10 to ${MAX_TIMER_MS}, got ${config.pullIntervalMs}`);
  }
  if (!RETENTION_MODES.includes(config.retentionMode)) {
    throw new ConfigError(`${where}: retentionMode must be one of ${RETENTION_MODES.join(", ")}`);
  }
  const timeout = config.executionTimeoutMs;
  if (timeout !== undefined && !(Number.isFinite(timeout) && timeout > 0 && timeout <= MAX_TIMER_MS)) {
    throw new ConfigError(`${where}: executionTimeoutMs must be from 1 to ${MAX_TIMER_MS} milliseconds`);
  }
  const prune = config.pruneFinishedAfterMs;
  if (prune !== undefined && !(Number.isFinite(prune) && prune >= 0)) {
    throw new ConfigError(`${where}: pruneFinishedAfterMs must be a number >= 0`);
  }
  if (config.rateLimit !== undefined) config.rateLimit = resolveRateLimit(where, config.rateLimit, (m) => new ConfigError(m));
  return config;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Per-queue settings as a worker takes them: keyed by the queues codegen found (`QueueNames`), so
 * a misspelt queue does not compile; any string before code is generated.
 */
export type QueueSettings = keyof QueueNames extends never
  ? Record<string, Partial<QueueConfig>>
  : { [Q in keyof QueueNames]?: Partial<QueueConfig> };
