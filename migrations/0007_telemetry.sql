-- Telemetry. The enqueuing code's trace context (W3C traceparent/tracestate, as the registered
-- propagator writes it), so that a run continues the trace of the request that enqueued it.
-- NULL when no OpenTelemetry SDK is registered.
ALTER TABLE backie_tasks ADD COLUMN trace_context jsonb;

-- Queue depth and lag, computed once per interval for the whole cluster: the pool whose
-- compare-and-set on computed_at succeeds counts, every pool reports the stored result.
CREATE TABLE backie_metrics_snapshot (
  id           integer PRIMARY KEY CHECK (id = 1),
  computed_at  timestamptz NOT NULL,
  owner        text,
  queues       jsonb NOT NULL DEFAULT '[]'::jsonb
);
INSERT INTO backie_metrics_snapshot (id, computed_at) VALUES (1, '-infinity');

SELECT backie_grant_as_tasks('SELECT, UPDATE', 'backie_metrics_snapshot');
