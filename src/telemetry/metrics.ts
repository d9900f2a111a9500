import { createNoopMeter, metrics, ROOT_CONTEXT, type Attributes, type Histogram, type MeterProvider, type ObservableGauge, type BatchObservableCallback } from "@opentelemetry/api";
import { telemetrySettings } from "./settings.js";

/**
 * Metrics through `@opentelemetry/api`'s meter: without a registered SDK every instrument is the
 * API's no-op, and observable gauges are never called (so they cost no query). Labels are bounded:
 * task, queue, state, outcome; never ids or payloads.
 */

/** How a run ended, as the `outcome` label says it. */
export type RunOutcomeLabel = "success" | "retry" | "failed" | "timeout" | "lost" | "given_back" | "snoozed" | "parked";

interface Instruments {
  duration: Histogram;
  wait: Histogram;
  claimDuration: Histogram;
  claimBatch: Histogram;
}

// Bucket boundaries in seconds (the SDK's defaults are meant for milliseconds) and in tasks.
const SECONDS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];
const COUNTS = [0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000];

interface Total {
  attributes: Attributes;
  value: number;
}
/**
 * Label objects, made once per task and queue (the histograms' records reuse them). Bounded
 * without a cap: runs only carry the pool's registered tasks and queues, enqueues the generated
 * client's.
 */
interface LabelSet {
  plain: Attributes;
  /** Process-wide totals behind the observable counters: a run or enqueue adds to a number. */
  enqueued: number;
  /** By outcome. */
  completed: Map<string, Total>;
}
const labelSets = new Map<string, Map<string, LabelSet>>();

/** Nested maps rather than a joined string key: no string is built per run. */
function labelSet(task: string, queue: string): LabelSet {
  let byQueue = labelSets.get(task);
  if (!byQueue) labelSets.set(task, (byQueue = new Map<string, LabelSet>()));
  let found = byQueue.get(queue);
  if (!found) byQueue.set(queue, (found = { plain: Object.freeze({ task, queue }), enqueued: 0, completed: new Map() }));
  return found;
}

function labels(task: string, queue: string): Attributes {
  return labelSet(task, queue).plain;
}

let provider: MeterProvider | undefined;
let instruments: Instruments | undefined;

/**
 * The instruments of the current global meter provider (an SDK registered late is picked up), or
 * undefined while there is none: runs then skip building labels for no-op records.
 */
function current(): Instruments | undefined {
  const now = metrics.getMeterProvider();
  if (provider === now) return instruments;
  provider = now;
  const meter = now.getMeter("backie");
  if (meter === createNoopMeter()) return (instruments = undefined);
  // Counters are observable: a run adds to a plain number, the SDK reads the totals when it
  // collects (a synchronous counter costs the SDK an attribute hash per run).
  const enqueued = meter.createObservableCounter("backie.tasks.enqueued", { description: "Tasks enqueued (deduplicated ones not counted)", unit: "{task}" });
  const completed = meter.createObservableCounter("backie.tasks.completed", { description: "Runs finished, by outcome", unit: "{run}" });
  meter.addBatchObservableCallback((result) => {
    for (const byQueue of labelSets.values()) {
      for (const set of byQueue.values()) {
        if (set.enqueued > 0) result.observe(enqueued, set.enqueued, set.plain);
        for (const t of set.completed.values()) result.observe(completed, t.value, t.attributes);
      }
    }
  }, [enqueued, completed]);
  instruments = {
    duration: meter.createHistogram("backie.task.duration", { description: "Run duration", unit: "s", advice: { explicitBucketBoundaries: SECONDS } }),
    wait: meter.createHistogram("backie.task.wait", { description: "Time from a task's due time to its start", unit: "s", advice: { explicitBucketBoundaries: SECONDS } }),
    claimDuration: meter.createHistogram("backie.claim.duration", { description: "Duration of one claim statement", unit: "s", advice: { explicitBucketBoundaries: SECONDS } }),
    claimBatch: meter.createHistogram("backie.claim.batch_size", { description: "Tasks taken by one claim", unit: "{task}", advice: { explicitBucketBoundaries: COUNTS } }),
  };
  return instruments;
}

export function recordEnqueued(task: string, queue: string, count: number): void {
  if (count > 0 && current()) labelSet(task, queue).enqueued += count;
}

// Histograms are recorded with an explicit context: the default (the active one) costs a lookup
// in the context manager per record, and Backie's records carry no exemplar to link.
export function recordStarted(task: string, queue: string, waitMs: number): void {
  if (telemetrySettings.histograms === "off") return;
  current()?.wait.record(Math.max(0, waitMs) / 1000, labels(task, queue), ROOT_CONTEXT);
}

export function recordCompleted(task: string, queue: string, outcome: RunOutcomeLabel, durationMs: number): void {
  const i = current();
  if (!i) return;
  const set = labelSet(task, queue);
  let total = set.completed.get(outcome);
  if (!total) {
    total = { attributes: Object.freeze({ task, queue, outcome }), value: 0 };
    set.completed.set(outcome, total);
  }
  total.value += 1;
  if (telemetrySettings.histograms !== "off") i.duration.record(durationMs / 1000, total.attributes, ROOT_CONTEXT);
}

export function recordClaim(queue: string, durationMs: number, taken: number): void {
  if (telemetrySettings.histograms === "off") return;
  const i = current();
  i?.claimDuration.record(durationMs / 1000, { queue }, ROOT_CONTEXT);
  i?.claimBatch.record(taken, { queue }, ROOT_CONTEXT);
}

/** One queue's depth by state and lag, as the cluster's last snapshot holds them. */
export interface QueueDepth {
  queue: string;
  state: string;
  count: number;
  /** Ready: seconds the oldest due task has waited (0 when none is due). */
  lagSeconds: number;
}

/**
 * Registers the pool's observable gauges: queue depth and lag (from `snapshot`, which the cluster
 * computes once per interval) and this pool's busy slots per queue. Returns the unregister call.
 */
export function observePool(options: {
  snapshot: () => Promise<QueueDepth[]>;
  busySlots: () => Array<{ queue: string; busy: number; slots: number }>;
  onError: (error: unknown) => void;
}): () => void {
  const meter = metrics.getMeterProvider().getMeter("backie");
  const depth: ObservableGauge = meter.createObservableGauge("backie.queue.depth", { description: "Tasks by queue and state (ready: due now)", unit: "{task}" });
  const lag: ObservableGauge = meter.createObservableGauge("backie.queue.lag", { description: "Age of the oldest due task", unit: "s" });
  const busy: ObservableGauge = meter.createObservableGauge("backie.worker.busy_slots", { description: "Runs in progress in this pool", unit: "{slot}" });
  const slots: ObservableGauge = meter.createObservableGauge("backie.worker.slots", { description: "Run slots of this pool (numWorkers)", unit: "{slot}" });
  const callback: BatchObservableCallback = async (result) => {
    for (const b of options.busySlots()) {
      result.observe(busy, b.busy, { queue: b.queue });
      result.observe(slots, b.slots, { queue: b.queue });
    }
    try {
      for (const d of await options.snapshot()) {
        result.observe(depth, d.count, { queue: d.queue, state: d.state });
        if (d.state === "ready") result.observe(lag, d.lagSeconds, { queue: d.queue });
      }
    } catch (error) {
      options.onError(error);
    }
  };
  meter.addBatchObservableCallback(callback, [depth, lag, busy, slots]);
  return () => meter.removeBatchObservableCallback(callback, [depth, lag, busy, slots]);
}
