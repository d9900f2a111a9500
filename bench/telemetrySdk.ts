/**
 * The OpenTelemetry SDK as an application would register it, for the `process` scenario's
 * telemetry variant: spans through a batch processor into an exporter that keeps a count (memory),
 * metrics through a reader collecting every 10 s. What it costs is the SDK's recording work.
 */
import { context, metrics, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics";
import { BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler, TracerProvider, type ReadableSpan, type SpanExporter } from "@opentelemetry/sdk-trace";

export function registerTelemetry(): { spans: () => number; shutdown: () => Promise<void> } {
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
  if (parts.includes("trace")) trace.setGlobalTracerProvider(tracerProvider);
  if (parts.includes("metrics")) metrics.setGlobalMeterProvider(meterProvider);
  return {
    spans: () => exported,
    shutdown: async () => {
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
    },
  };
}
