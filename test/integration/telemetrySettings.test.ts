/**
 * The knobs for busy queues (configureTelemetry), with the real OpenTelemetry SDK: spans only
 * within sampled traces, no spans (metrics only), no histograms. What each one costs is in
 * docs/monitoring.md (npm run bench).
 */
import { context, metrics, propagation, trace, TraceFlags } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics";
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { configureTelemetry, defineTask, enqueueFunction, WorkerPool } from "../../src/index.js";
import { eventually, testDatabase } from "../support/db.js";
import { NO_APP, registered, registryOf, validatorFor } from "../support/tasks.js";

const db = await testDatabase("otel_settings");
const store = db.store();
const spanExporter = new InMemorySpanExporter();
const tracerProvider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: spanExporter })] });
const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 });
const meterProvider = new MeterProvider({ readers: [reader] });
beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(tracerProvider);
  metrics.setGlobalMeterProvider(meterProvider);
});
afterEach(() => configureTelemetry({ spans: "all", histograms: "all" }));
afterAll(async () => {
  await tracerProvider.shutdown();
  await meterProvider.shutdown();
  trace.disable();
  metrics.disable();
  propagation.disable();
  context.disable();
});

/** Data point counts of each metric name (histograms: their record count), collected now. */
async function recorded(): Promise<Record<string, number>> {
  metricExporter.reset();
  await reader.forceFlush();
  const counts: Record<string, number> = {};
  for (const m of metricExporter.getMetrics().flatMap((r) => r.scopeMetrics).flatMap((s) => s.metrics)) {
    counts[m.descriptor.name] = m.dataPoints.reduce((n, p) => n + (typeof p.value === "number" ? p.value : (p.value as { count: number }).count), 0);
  }
  return counts;
}

/** Runs `queue`'s tasks until none is left; returns the trace id each run saw as active. */
async function runAll(queue: string, seen: Map<string, string | undefined>): Promise<void> {
  const pool = new WorkerPool({ ...NO_APP, store, registry: registryOf(registered(taskOf(queue, seen))) });
  await pool.start();
  try {
    await eventually("every task to run", async () => {
      const { rows } = await db.sql.query("SELECT count(*)::int AS n FROM backie_tasks WHERE queue_name = $1", [queue]);
      return rows[0].n === 0;
    });
  } finally {
    await pool.stop();
  }
}

function taskOf(queue: string, seen: Map<string, string | undefined>) {
  return defineTask({
    name: `t_${queue}`, queue,
    run(p: { label: string }) {
      seen.set(p.label, trace.getSpanContext(context.active())?.traceId);
    },
  });
}

const enqueueTo = (queue: string) =>
  enqueueFunction<{ label: string }>(() => store, { name: `t_${queue}`, queue, maxRetries: 0, validate: validatorFor({}) });
const names = (): string[] => spanExporter.getFinishedSpans().map((s) => s.name).sort();

it("spans: sampled makes spans only within sampled traces, and keeps an unsampled caller's decision for the run", async () => {
  configureTelemetry({ spans: "sampled" });
  spanExporter.reset();
  const enqueue = enqueueTo("otel_sampled");
  const tracer = trace.getTracer("app");
  await tracer.startActiveSpan("sampled request", async (span) => {
    await enqueue({ label: "sampled" });
    span.end();
  });
  // An unsampled caller: a remote parent whose flags say "not sampled".
  const unsampledTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
  const unsampled = trace.setSpanContext(context.active(), { traceId: unsampledTrace, spanId: "00f067aa0ba902b7", traceFlags: TraceFlags.NONE, isRemote: true });
  await context.with(unsampled, () => enqueue({ label: "unsampled" }));
  await enqueue({ label: "outside" });

  const seen = new Map<string, string | undefined>();
  await runAll("otel_sampled", seen);
  expect(names()).toEqual(["backie.enqueue", "backie.run t_otel_sampled", "sampled request"]);
  const run = spanExporter.getFinishedSpans().find((s) => s.name === "backie.run t_otel_sampled")!;
  expect(seen.get("sampled")).toBe(run.spanContext().traceId);
  // No span of its own, but the run went on in the caller's trace (still unsampled).
  expect(seen.get("unsampled")).toBe(unsampledTrace);
  expect(seen.get("outside")).toBeUndefined();
});

it("spans: off records metrics only; histograms: off records counters but no histogram", async () => {
  configureTelemetry({ spans: "off" });
  spanExporter.reset();
  const before = await recorded();
  await trace.getTracer("app").startActiveSpan("request", async (span) => {
    await enqueueTo("otel_off").many([{ label: "a" }, { label: "b" }]);
    span.end();
  });
  await runAll("otel_off", new Map());
  expect(names()).toEqual(["request"]);
  const afterSpansOff = await recorded();
  expect(afterSpansOff["backie.tasks.completed"]! - (before["backie.tasks.completed"] ?? 0)).toBe(2);
  expect(afterSpansOff["backie.task.duration"]! - (before["backie.task.duration"] ?? 0)).toBe(2);

  configureTelemetry({ spans: "all", histograms: "off" });
  await enqueueTo("otel_nohist").many([{ label: "c" }, { label: "d" }, { label: "e" }]);
  await runAll("otel_nohist", new Map());
  const afterHistogramsOff = await recorded();
  expect(afterHistogramsOff["backie.tasks.completed"]! - afterSpansOff["backie.tasks.completed"]!).toBe(3);
  for (const name of ["backie.task.duration", "backie.task.wait", "backie.claim.duration", "backie.claim.batch_size"]) {
    expect(afterHistogramsOff[name], name).toBe(afterSpansOff[name]);
  }
  expect(names().filter((n) => n.startsWith("backie.run"))).toEqual(["backie.run t_otel_nohist", "backie.run t_otel_nohist", "backie.run t_otel_nohist"]);
});

it("refuses a setting it does not know, in one line naming it", () => {
  expect(() => configureTelemetry({ spans: "some" as never })).toThrow(/^configureTelemetry: spans must be one of all, sampled, off, got "some"$/);
  expect(() => configureTelemetry({ histograms: 1 as never })).toThrow(/^configureTelemetry: histograms must be one of all, off, got 1$/);
});
