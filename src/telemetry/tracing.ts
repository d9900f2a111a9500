import {
  context, INVALID_SPAN_CONTEXT, propagation, ProxyTracerProvider, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, TraceFlags, type Context, type Span,
} from "@opentelemetry/api";
import { checkTelemetryApi } from "./apiVersion.js";
import { telemetrySettings } from "./settings.js";

/**
 * Traces through `@opentelemetry/api` only: without a registered SDK every call here is the API's
 * no-op (no span is recorded, no context is stored). With one, `backie.enqueue` (producer) spans
 * the insert and its context is stored with the task; `backie.run <task>` (consumer) is a *child*
 * of it, so the request that enqueued a task and the task's run form one trace.
 */
const tracer = trace.getTracer("backie");
/** The API's no-op provider: what the global proxy delegates to until an SDK registers. */
const NOOP_PROVIDER = new ProxyTracerProvider().getDelegate();

/**
 * False while no SDK is registered (or spans are off): runs and enqueues then skip span objects
 * and context switches altogether (they cost ~8% of a no-op task's throughput even as no-ops).
 */
function tracing(): boolean {
  if (telemetrySettings.spans === "off") return false;
  const provider = trace.getTracerProvider() as Partial<ProxyTracerProvider>;
  return provider.getDelegate?.() !== NOOP_PROVIDER;
}

const UNTRACED_SPAN = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
const MAX_CARRIER_ENTRIES = 8;
const MAX_CARRIER_VALUE = 512;

/** Apps register their SDK at start-up: the first enqueue is when to see whether Backie sees it. */
let firstEnqueue = true;

/** Runs `insert` inside a `backie.enqueue` span; `carrier()` is the context to store with the tasks. */
export function withEnqueueSpan<T>(
  task: string, queue: string, count: number,
  insert: (carrier: Record<string, string> | null) => Promise<T>,
): Promise<T> {
  if (firstEnqueue) {
    firstEnqueue = false;
    checkTelemetryApi();
  }
  if (!tracing()) return insert(null);
  // Outside a sampled trace no span is made; an unsampled caller's context still goes with the
  // tasks, so that their runs keep its decision.
  if (telemetrySettings.spans === "sampled" && !sampled(context.active())) return insert(currentCarrier());
  return tracer.startActiveSpan("backie.enqueue", {
    kind: SpanKind.PRODUCER,
    attributes: {
      "messaging.system": "backie", "messaging.operation.type": "send", "messaging.destination.name": queue,
      "backie.task": task, "messaging.batch.message_count": count,
    },
  }, async (span) => {
    try {
      return await insert(span.isRecording() ? currentCarrier() : null);
    } catch (error) {
      failSpan(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** The active context as the registered propagator writes it, or null (nothing to continue). */
function currentCarrier(): Record<string, string> | null {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return Object.keys(carrier).length > 0 ? carrier : null;
}

/** Whether the context holds a span of a trace that is recorded. */
function sampled(ctx: Context): boolean {
  const spanContext = trace.getSpanContext(ctx);
  return spanContext !== undefined && (spanContext.traceFlags & TraceFlags.SAMPLED) !== 0;
}

/** A stored carrier back to a context; anything malformed (a row written by hand) is ignored. */
export function parentContext(stored: unknown): Context {
  if (stored === null || typeof stored !== "object" || Array.isArray(stored)) return ROOT_CONTEXT;
  const carrier: Record<string, string> = {};
  let n = 0;
  for (const [key, value] of Object.entries(stored as Record<string, unknown>)) {
    if (typeof value !== "string" || value.length > MAX_CARRIER_VALUE || ++n > MAX_CARRIER_ENTRIES) continue;
    carrier[key] = value;
  }
  try {
    return propagation.extract(ROOT_CONTEXT, carrier);
  } catch {
    return ROOT_CONTEXT;
  }
}

/**
 * Starts the span of one run: returns the context its handler runs in (the span active there), or
 * undefined without an SDK (or with spans off): the run then makes no span object and switches no
 * context. Positional arguments, and the context rather than an object with a closure: per-run
 * objects were garbage for every task (see runWithin).
 */
export function startRunSpan(task: string, queue: string, id: string, attempt: number, traceContext: unknown): Context | undefined {
  if (!tracing()) return undefined;
  const parent = traceContext === undefined || traceContext === null ? ROOT_CONTEXT : parentContext(traceContext);
  if (telemetrySettings.spans === "sampled" && !sampled(parent)) {
    // The run goes on in the enqueuer's context (its spans, if any, are unsampled children).
    return parent === ROOT_CONTEXT ? undefined : parent;
  }
  const span = tracer.startSpan(`backie.run ${task}`, {
    kind: SpanKind.CONSUMER,
    attributes: {
      "messaging.system": "backie", "messaging.operation.type": "process", "messaging.destination.name": queue,
      "messaging.message.id": id, "backie.task": task, "backie.attempt": attempt,
    },
  }, parent);
  return trace.setSpan(parent, span);
}

/** The span a run's context holds (a non-recording one inside an unsampled trace). */
export function runSpan(active: Context): Span {
  return trace.getSpan(active) ?? UNTRACED_SPAN;
}

/**
 * Calls `fn` as `self.fn(a, b)` with `active` the active context: no closure per run. Not with
 * `self` as context.with's this-argument: the context manager then binds `fn` to it, a new
 * function per run (about 0.7 µs a task, and garbage, in a profile of 100,000 runs).
 */
export function runWithin<A, B, R>(active: Context, fn: (a: A, b: B) => R, self: unknown, a: A, b: B): R {
  return context.with(active, callAs<A, B, R>, undefined, fn, self, a, b);
}

function callAs<A, B, R>(fn: (a: A, b: B) => R, self: unknown, a: A, b: B): R {
  return fn.call(self, a, b);
}

/** Ends a run's span with its outcome (and the error, when it failed). */
export function endRunSpan(span: Span, outcome: string, error?: { message: string; stack?: string | undefined }): void {
  if (span.isRecording()) {
    span.setAttribute("backie.outcome", outcome);
    if (error) {
      span.recordException({ name: outcome, message: error.message, ...(error.stack ? { stack: error.stack } : {}) });
      span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
    }
  }
  span.end();
}

function failSpan(span: Span, error: unknown): void {
  if (!span.isRecording()) return;
  span.recordException(error instanceof Error ? error : { message: String(error) });
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}

/** Trace and span id of a recording span, for log lines. */
export function traceFields(span: Span | undefined): { traceId: string; spanId: string } | undefined {
  if (!span?.isRecording()) return undefined;
  const { traceId, spanId } = span.spanContext();
  return { traceId, spanId };
}
