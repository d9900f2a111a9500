/**
 * The OpenTelemetry SDK as an application would register it, for the `process` scenario's
 * telemetry variants: spans through a batch processor into an exporter that keeps a count (memory),
 * metrics through a reader collecting every 10 s. What it costs is the SDK's recording work.
 *
 * `"hand"` is the floor any instrumentation pays: the SDK is not registered globally (Backie's
 * built-in telemetry stays off) and the task itself makes what Backie makes per run (one consumer
 * span with the same attributes, active while it runs, and two histogram records), as a user of a
 * queue without telemetry would write it by hand.
 */
import { context, metrics, propagation, ROOT_CONTEXT, SpanKind, trace, type Attributes } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics";
import { BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler, TracerProvider, type ReadableSpan, type SpanExporter } from "@opentelemetry/sdk-trace";

export type TelemetryMode = "builtin" | "hand";

export interface Telemetry {
  spans: () => number;
  /** "hand": wraps a run in what Backie's built-in telemetry does per run. */
  instrument: <T>(task: string, queue: string, id: number, run: () => Promise<T>) => Promise<T>;
  shutdown: () => Promise<void>;
}

// The buckets Backie's histograms use (src/telemetry/metrics.ts).
const SECONDS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];

export function registerTelemetry(mode: TelemetryMode = "builtin"): Telemetry {
  let exported = 0;
  const exporter: SpanExporter = {
    export(spans: ReadableSpan[], done) {
      exported += spans.length;
      done({ code: 0 });
    },
    shutdown: async () => {},
  };
  // BACKIE_BENCH_OTEL=context,trace,metrics (default all): which parts to register, to see each
  // one's cost; "sample10" samples 10% of root traces, as a busy production service would.
  const parts = (process.env.BACKIE_BENCH_OTEL ?? "context,trace,metrics").split(",");
  const sampler = parts.includes("sample10") ? { sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(0.1) }) } : {};
  const tracerProvider = new TracerProvider({ ...sampler, spanProcessors: [new BatchSpanProcessor({ exporter, maxQueueSize: 20_000, maxExportBatchSize: 2_000, scheduledDelayMillis: 500 })] });
  const meterProvider = new MeterProvider({
    readers: [new PeriodicExportingMetricReader({ exporter: new InMemoryMetricExporter(AggregationTemporality.DELTA), exportIntervalMillis: 10_000 })],
  });
  if (parts.includes("context")) context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  if (mode === "builtin" && parts.includes("trace")) trace.setGlobalTracerProvider(tracerProvider);
  if (mode === "builtin" && parts.includes("metrics")) metrics.setGlobalMeterProvider(meterProvider);
  return {
    spans: () => exported,
    instrument: mode === "hand" ? handInstrumentation(tracerProvider, meterProvider) : (_task, _queue, _id, run) => run(),
    shutdown: async () => {
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
    },
  };
}

function handInstrumentation(tracerProvider: TracerProvider, meterProvider: MeterProvider): Telemetry["instrument"] {
  const tracer = tracerProvider.getTracer("app");
  const meter = meterProvider.getMeter("app");
  const duration = meter.createHistogram("app.task.duration", { unit: "s", advice: { explicitBucketBoundaries: SECONDS } });
  const wait = meter.createHistogram("app.task.wait", { unit: "s", advice: { explicitBucketBoundaries: SECONDS } });
  const labels = new Map<string, Attributes>();
  return async (task, queue, id, run) => {
    const started = performance.now();
    let set = labels.get(task);
    if (!set) labels.set(task, (set = Object.freeze({ task, queue })));
    wait.record(0, set);
    const span = tracer.startSpan(`backie.run ${task}`, {
      kind: SpanKind.CONSUMER,
      attributes: {
        "messaging.system": "backie", "messaging.operation.type": "process", "messaging.destination.name": queue,
        "messaging.message.id": String(id), "backie.task": task, "backie.attempt": 0,
      },
    }, ROOT_CONTEXT);
    try {
      return await context.with(trace.setSpan(ROOT_CONTEXT, span), run);
    } finally {
      span.setAttribute("backie.outcome", "success");
      span.end();
      duration.record((performance.now() - started) / 1000, set);
    }
  };
}
