/**
 * OpenTelemetry with the real SDK and its in-memory exporter (no mock of the API): the request
 * that enqueues a task and the task's run form one trace; a failed run records its exception;
 * log lines of a run carry its trace id. Without an SDK nothing is stored.
 */
import { context, propagation, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from "@opentelemetry/sdk-trace";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineTask, enqueueFunction, WorkerPool } from "../../src/index.js";
import { checkTelemetryApi, ignoredProviders } from "../../src/telemetry/apiVersion.js";
import { eventually, testDatabase } from "../support/db.js";
import { NO_APP, registered, registryOf, validatorFor } from "../support/tasks.js";

const db = await testDatabase("telemetry");
const store = db.store();

const storedContext = async (id: string): Promise<unknown> =>
  (await db.sql.query<{ trace_context: unknown }>("SELECT trace_context FROM backie_tasks WHERE id = $1", [id])).rows[0]?.trace_context;

describe("without an OpenTelemetry SDK", () => {
  it("stores no trace context and records nothing", async () => {
    const enqueue = enqueueFunction<{ n: number }>(() => store, { name: "plain", queue: "otel_plain", maxRetries: 0, validate: validatorFor({}) });
    const { id } = await enqueue({ n: 1 });
    expect(await storedContext(id)).toBeNull();
  });
});

describe("with the SDK registered", () => {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(provider);
  });
  afterAll(async () => {
    await provider.shutdown();
    trace.disable();
    propagation.disable();
    context.disable();
  });

  const lines: Array<{ message: string; fields: Record<string, unknown> | undefined }> = [];
  const log = { info: (message: string, fields?: Record<string, unknown>) => void lines.push({ message, fields }), warn() {}, error() {} };
  const traced = defineTask({
    name: "traced", queue: "otel",
    async run(p: { fail?: boolean }, ctx) {
      ctx.log.info("working");
      if (p.fail) throw new Error("upstream said no");
    },
  });
  const enqueue = enqueueFunction<{ fail?: boolean }>(() => store, { name: "traced", queue: "otel", maxRetries: 0, validate: validatorFor({}) });
  const spans = (name: string): ReadableSpan[] => exporter.getFinishedSpans().filter((s) => s.name === name);
  const parentOf = (span: ReadableSpan): string | undefined => span.parentSpanContext?.spanId;

  it("links a request that enqueues a task and the task's run into one trace, with the run's log lines", async () => {
    const tracer = trace.getTracer("test-app");
    const { id } = await tracer.startActiveSpan("GET /signup", { kind: SpanKind.SERVER }, async (span) => {
      try {
        return await enqueue({});
      } finally {
        span.end();
      }
    });
    expect(await storedContext(id)).toMatchObject({ traceparent: expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/) });
    // One API copy here: the mismatch check finds nothing to warn about (no false alarm).
    expect(ignoredProviders()).toEqual([]);
    const warnings: string[] = [];
    checkTelemetryApi((m) => warnings.push(m));
    expect(warnings).toEqual([]);
    const pool = new WorkerPool({ ...NO_APP, store, registry: registryOf(registered(traced)), log });
    await pool.start();
    try {
      await eventually("the run's span", async () => spans("backie.run traced").length === 1);
    } finally {
      await pool.stop();
    }
    const [request] = spans("GET /signup");
    const [enqueueSpan] = spans("backie.enqueue");
    const [run] = spans("backie.run traced");
    expect(enqueueSpan!.kind).toBe(SpanKind.PRODUCER);
    expect(parentOf(enqueueSpan!)).toBe(request!.spanContext().spanId);
    expect(run!.kind).toBe(SpanKind.CONSUMER);
    expect(run!.spanContext().traceId).toBe(request!.spanContext().traceId);
    expect(parentOf(run!)).toBe(enqueueSpan!.spanContext().spanId);
    expect(run!.attributes).toMatchObject({ "backie.task": "traced", "messaging.destination.name": "otel", "messaging.message.id": id, "backie.attempt": 1, "backie.outcome": "success" });
    expect(enqueueSpan!.attributes).toMatchObject({ "backie.task": "traced", "messaging.batch.message_count": 1 });
    const working = lines.find((l) => l.message === "working");
    expect(working?.fields).toMatchObject({ traceId: request!.spanContext().traceId, spanId: run!.spanContext().spanId, taskId: id });
  });

  it("records a failed run's exception and outcome, and a batch enqueue as one span", async () => {
    exporter.reset();
    const ids = (await enqueue.many([{ fail: true }, {}])).map((r) => r.id);
    const pool = new WorkerPool({ ...NO_APP, store, registry: registryOf(registered(traced)), log });
    await pool.start();
    try {
      await eventually("both runs' spans", async () => spans("backie.run traced").length === 2);
    } finally {
      await pool.stop();
    }
    const [batch] = spans("backie.enqueue");
    expect(batch!.attributes["messaging.batch.message_count"]).toBe(2);
    const failed = spans("backie.run traced").find((s) => s.attributes["messaging.message.id"] === ids[0])!;
    expect(failed.status).toMatchObject({ code: SpanStatusCode.ERROR, message: "upstream said no" });
    // The metrics' word (the retry policy decided: no retries left), not the error's kind.
    expect(failed.attributes["backie.outcome"]).toBe("failed");
    expect(failed.events.find((e) => e.name === "exception")?.attributes).toMatchObject({ "exception.message": "upstream said no" });
    // Both runs continue the batch's trace (one enqueue span).
    for (const run of spans("backie.run traced")) expect(parentOf(run)).toBe(batch!.spanContext().spanId);
  });

  it("ignores a stored trace context that is not one (a row written by hand)", async () => {
    exporter.reset();
    const [row] = (await db.sql.query<{ id: string }>(
      `INSERT INTO backie_tasks (task_name, queue_name, payload, trace_context) VALUES ('traced', 'otel', '{}', '{"traceparent": 42, "x": "${"y".repeat(10_000)}"}') RETURNING id`)).rows;
    const pool = new WorkerPool({ ...NO_APP, store, registry: registryOf(registered(traced)), log });
    await pool.start();
    try {
      await eventually("the run", async () => spans("backie.run traced").length === 1);
    } finally {
      await pool.stop();
    }
    const [run] = spans("backie.run traced");
    expect(run!.attributes["messaging.message.id"]).toBe(row!.id);
    expect(run!.parentSpanContext).toBeUndefined();
  });

  it("runs a traced task as a method of its definition, with its payload and context, inside its span", async () => {
    exporter.reset();
    const seen: Array<{ self: unknown; payload: unknown; taskId: string; spanId: string | undefined }> = [];
    const method = defineTask({
      name: "method", queue: "otel_method",
      async run(p: { n: number }, ctx) {
        seen.push({ self: this, payload: p, taskId: ctx.task.id, spanId: trace.getActiveSpan()?.spanContext().spanId });
      },
    });
    const { id } = await enqueueFunction<{ n: number }>(() => store, { name: "method", queue: "otel_method", maxRetries: 0, validate: validatorFor({}) })({ n: 7 });
    const pool = new WorkerPool({ ...NO_APP, store, registry: registryOf(registered(method)) });
    await pool.start();
    try {
      await eventually("the run", async () => spans("backie.run method").length === 1);
    } finally {
      await pool.stop();
    }
    expect(seen).toEqual([{ self: method, payload: { n: 7 }, taskId: id, spanId: spans("backie.run method")[0]!.spanContext().spanId }]);
  });
});
