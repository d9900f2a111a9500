/** The process scenario's variants: each system's defaults and tuned settings, and Backie's knobs. */
import { backie, graphile, pgBoss, type RunnableSystem } from "./systems.js";
import { rawLoop } from "./floor.js";
import type { WorkerSpec } from "./worker.js";

export interface Variant {
  system: RunnableSystem;
  variant: string;
  spec: Partial<WorkerSpec>;
  /**
   * The variant this one is a ratio to, when both are in the run (its "system variant" text):
   * Backie's default to the raw floor, the SDK's settings to the same records written by hand,
   * an I/O task with the SDK to the same task without.
   */
  against?: string;
}

const FLOOR = "raw pg prefetching loop (floor)";
const BY_HAND = "backie OpenTelemetry by hand in the task (SDK floor)";

/** The process scenario's variants whose "system variant" contains one of `filters` (all without). */
export function processVariants(filters?: readonly string[]): Variant[] {
  return [
    { system: backie, variant: "default (prefetch auto)", spec: {}, against: FLOOR },
    { system: backie, variant: "prefetch 0", spec: { backie: { prefetch: 0 } } },
    { system: backie, variant: "prefetch = concurrency", spec: { backie: { prefetch: -1 } } },
    { system: backie, variant: "prefetch 500", spec: { backie: { prefetch: 500 } } },
    { system: backie, variant: "completion delay 0", spec: { backie: { completionDelayMs: 0 } } },
    { system: backie, variant: "completion batch 1", spec: { backie: { completionBatchSize: 1 } } },
    { system: backie, variant: "no prepared statements", spec: { backie: { preparedStatements: false } } },
    { system: backie, variant: "OpenTelemetry SDK registered (spans + metrics)", spec: { backie: { telemetry: true } }, against: BY_HAND },
    // The floor of that: Backie's telemetry off, the task makes the same span and records by hand.
    { system: backie, variant: "OpenTelemetry by hand in the task (SDK floor)", spec: { backie: { telemetry: "hand" as const } } },
    // The knobs for busy queues: spans only within sampled traces (these tasks were enqueued
    // outside any trace, so none), no spans (metrics only), no histograms (spans and counters).
    { system: backie, variant: "OpenTelemetry SDK, spans: sampled (no sampled parent)", spec: { backie: { telemetry: true, otel: { spans: "sampled" as const } } }, against: BY_HAND },
    { system: backie, variant: "OpenTelemetry SDK, spans: off (metrics only)", spec: { backie: { telemetry: true, otel: { spans: "off" as const } } }, against: BY_HAND },
    { system: backie, variant: "OpenTelemetry SDK, histograms: off", spec: { backie: { telemetry: true, otel: { histograms: "off" as const } } }, against: BY_HAND },
    // Per-key concurrency: limit 1 per key over 1,000 keys (keys set on the filled rows by SQL).
    { system: backie, variant: "concurrencyKey limit 1, 1,000 keys", spec: { backie: { keys: 1_000 } }, against: "backie default (prefetch auto)" },
    // One hot key at limit 1 (graphile-worker's job_queue_name use): the speed of one key's
    // hand-off from a finished run to the next claim. Target: 500 tasks/s.
    { system: backie, variant: "concurrencyKey limit 1, one hot key", spec: { backie: { keys: 1 } } },
    // The same pair for a task that waits 1 ms on I/O: what telemetry costs a task that does something.
    { system: backie, variant: "1 ms I/O task", spec: { backie: { ioMs: 1 } } },
    { system: backie, variant: "1 ms I/O task + OpenTelemetry SDK", spec: { backie: { ioMs: 1, telemetry: true } }, against: "backie 1 ms I/O task" },
    // What any instrumentation pays there: the same span and records written by hand.
    { system: backie, variant: "1 ms I/O task + OpenTelemetry by hand", spec: { backie: { ioMs: 1, telemetry: "hand" as const } }, against: "backie 1 ms I/O task" },
    // What issue 24 budgets: at most 10% for a task that awaits 5 ms of I/O.
    { system: backie, variant: "5 ms I/O task", spec: { backie: { ioMs: 5 } } },
    { system: backie, variant: "5 ms I/O task + OpenTelemetry SDK", spec: { backie: { ioMs: 5, telemetry: true } }, against: "backie 5 ms I/O task" },
    { system: rawLoop, variant: "prefetching loop (floor)", spec: {} },
    { system: graphile, variant: "default", spec: { graphile: { tuned: false } } },
    { system: graphile, variant: "perf page (localQueue 500, batch delay 0)", spec: { graphile: { tuned: true } } },
    { system: pgBoss, variant: "default", spec: { pgBoss: { batchSize: 1, listen: false } } },
    { system: pgBoss, variant: "batchSize 50 + burstWhenBatchFull + LISTEN/NOTIFY", spec: { pgBoss: { batchSize: 50, listen: true } } },
  ].filter((v) => !filters || filters.some((f) => `${v.system.name} ${v.variant}`.includes(f)));
}
