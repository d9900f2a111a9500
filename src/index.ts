/** Backie's public API: what task files, generated code and applications import. */
export { defineTask, DEFAULT_BACKOFF, DEFAULT_MAX_RETRIES, DEFAULT_QUEUE } from "./defineTask.js";
export type { PayloadOf, TaskDefinition, TaskOptions } from "./defineTask.js";
export type {
  AppContext, BackoffMode, CurrentTask, QueueNames, RetentionMode, ScheduleRun, TaskContext, TaskEnqueue, TaskErrorRecord, TaskLogger, TaskState,
} from "./types.js";
export { BackieError, ConfigError, PayloadValidationError, TaskDefinitionError } from "./errors.js";
export { describeDatabaseError } from "./db/connection.js";
export { DEFAULT_MAX_PAYLOAD_BYTES, MAX_PAYLOAD_DEPTH } from "./payload.js";
export type { PayloadViolation } from "./errors.js";
export { enqueueFunction } from "./client/enqueue.js";
export type { EnqueueFunction, EnqueueOptions, EnqueueResult, EnqueueTarget } from "./client/enqueue.js";
export { payloadViolations } from "./validation.js";
export type { CompiledValidator } from "./validation.js";
export type * from "./store/taskStore.js";
export { PgTaskStore } from "./db/pgTaskStore.js";
export type { PgTaskStoreOptions } from "./db/pgTaskStore.js";
export { WorkerPool } from "./worker/pool.js";
export type { AppLifecycle, AppRequirement, WorkerPoolBaseOptions, WorkerPoolOptions } from "./worker/pool.js";
export type { RegisteredTask } from "./worker/executor.js";
export { DEFAULT_QUEUE_CONFIG } from "./worker/queueConfig.js";
export type { QueueConfig, QueueSettings } from "./worker/queueConfig.js";
export type { TaskRef, WorkerEvent } from "./worker/events.js";
export { retryDelayMs } from "./retryPolicy.js";
export { runWorker } from "./cli/runWorker.js";
export { formatEvent } from "./cli/formatEvent.js";
export { lineLogger, withFields } from "./log/logger.js";
export type { Logger, LogLevel, LineLoggerOptions } from "./log/logger.js";
export { defineWorker } from "./defineWorker.js";
export type { WorkerSettings } from "./defineWorker.js";
export type { RunWorkerOptions } from "./cli/runWorker.js";
export { MAX_DELAY_MS, MAX_RETRIES, MAX_TIMER_MS, queueNameProblem, taskNameProblem } from "./names.js";
export { defaultScheduleId, scheduleOptionProblem, DEFAULT_MAX_MISSED, DEFAULT_MISSED, DEFAULT_OVERLAP } from "./schedule/scheduleOptions.js";
export type { MissedPolicy, OverlapPolicy, ScheduleOptions, ScheduleSettings, TaskSchedule } from "./schedule/scheduleOptions.js";
export { DEFAULT_TIME_ZONE } from "./schedule/cron.js";
export type * from "./store/scheduleStore.js";
export type { DueSchedule, ScheduledRun, TickDecision } from "./schedule/tickPolicy.js";
export type * from "./store/adminStore.js";
export { WORKER_STALE_MS } from "./worker/maintenance.js";
