-- Durable steps, sleeps and signals (ctx.step, ctx.sleep, ctx.waitFor). All on the task's row:
-- its step history goes with it (retention, deletes), and a signal and a park that race update
-- the same row, so one always sees the other (see TaskSignalSend). Nullable without defaults:
-- adding them rewrites nothing, and a task that uses none of them stores nothing.
--   steps: the history, in the order the run reached them: [{ id, kind, result?, dates?, until?,
--          signal?, at, ms }]; a later run replays it.
--   inbox: signals sent to the task and not yet taken by a wait: [{ name, payload, at }].
--   parked: 'sleeping' or 'waiting' while ready because of ctx.sleep or ctx.waitFor (the state
--          stays 'ready', scheduled_at is the wake-up or time-out). Parked tasks are not in the
--          claim index: claims never read them, however many wait (see below).
--   waiting_for: the signal a waiting task waits for: its arrival wakes the task at once.
ALTER TABLE backie_tasks ADD COLUMN steps jsonb;
ALTER TABLE backie_tasks ADD COLUMN inbox jsonb;
ALTER TABLE backie_tasks ADD COLUMN parked text;
ALTER TABLE backie_tasks ADD COLUMN waiting_for text;

-- Parked tasks leave the claim index: a claim reads the due head of each (queue, name, version)
-- range, and with parked rows in the range a claim that finds fewer due rows than it asks for
-- would walk all of them (10,000 sleeping tasks cost every idle claim 10,000 index entries). A
-- waker (TasksWakeParked) clears `parked` of those that are due, through their own index; a
-- signal clears it at once. Claims and the limited claim below say `parked IS NULL` to match.
DROP INDEX backie_tasks_claim_idx;
CREATE INDEX backie_tasks_claim_idx
  ON backie_tasks (queue_name, task_name, payload_version, priority DESC, scheduled_at, id)
  WHERE state = 'ready' AND parked IS NULL;
CREATE INDEX backie_tasks_parked_idx
  ON backie_tasks (queue_name, scheduled_at)
  WHERE state = 'ready' AND parked IS NOT NULL;

-- The function of 0012, its range read restricted to unparked tasks (the claim index's predicate).
CREATE OR REPLACE FUNCTION backie_claim_limited(
  p_bucket text, p_max integer, p_per_ms bigint, p_burst integer,
  p_queue text, p_names text[], p_versions integer[], p_limit integer, p_owner text, p_lease_ms bigint, p_now timestamptz
) RETURNS SETOF backie_tasks
LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  v_now timestamptz := coalesce(p_now, now());
  v_tokens double precision;
  v_take integer;
  v_count integer;
BEGIN
  IF p_limit <= 0 OR EXISTS (SELECT 1 FROM backie_queues q WHERE q.queue_name = p_queue AND q.paused) THEN
    RETURN;
  END IF;
  INSERT INTO backie_rate_limits AS r (bucket, tokens, refilled_at)
  VALUES (p_bucket, p_burst, coalesce(p_now, clock_timestamp()))
  ON CONFLICT (bucket) DO UPDATE
  SET tokens = CASE
        WHEN NOT isfinite(r.refilled_at) OR r.refilled_at > coalesce(p_now, clock_timestamp()) + interval '1 minute'
          THEN least(p_burst::float8, greatest(coalesce(nullif(r.tokens, 'NaN'), 0), 0))
        ELSE least(p_burst::float8, greatest(coalesce(nullif(r.tokens, 'NaN'), 0), 0)
             + greatest(0, extract(epoch FROM coalesce(p_now, clock_timestamp()) - r.refilled_at) * 1000) * p_max / p_per_ms)
      END,
      refilled_at = CASE
        WHEN NOT isfinite(r.refilled_at) OR r.refilled_at > coalesce(p_now, clock_timestamp()) + interval '1 minute'
          THEN coalesce(p_now, clock_timestamp())
        ELSE greatest(r.refilled_at, coalesce(p_now, clock_timestamp()))
      END
  RETURNING r.tokens INTO v_tokens;
  -- The claim's time is the bucket's: a claim that waited for the lock starts when it got it.
  v_now := coalesce(p_now, clock_timestamp());
  v_take := least(p_limit, floor(v_tokens))::integer;
  IF v_take <= 0 THEN
    RETURN;
  END IF;
  -- Each (name, version) range read on its own, heads merged in priority order (as TasksClaimMany).
  RETURN QUERY SELECT * FROM backie_claim_ids(ARRAY(
    SELECT c.id
    FROM unnest(p_names, p_versions) AS n(name, version)
    CROSS JOIN LATERAL (
      SELECT b.id, b.priority, b.scheduled_at
      FROM backie_tasks b
      WHERE b.state = 'ready' AND b.parked IS NULL AND b.queue_name = p_queue AND b.task_name = n.name AND b.payload_version = n.version
        AND b.scheduled_at <= v_now
      ORDER BY b.priority DESC, b.scheduled_at, b.id
      LIMIT v_take
      FOR UPDATE SKIP LOCKED
    ) c
    ORDER BY c.priority DESC, c.scheduled_at, c.id
    LIMIT v_take
  ), p_owner, p_lease_ms, v_now);
  GET DIAGNOSTICS v_count = ROW_COUNT;
  IF v_count > 0 THEN
    UPDATE backie_rate_limits SET tokens = tokens - v_count WHERE bucket = p_bucket;
  END IF;
END
$$;
