-- Rate limits: one token bucket per limited task name or queue ("task:<name>", "queue:<name>"),
-- shared by every worker process. The row is created by the first claim; its size and rate
-- come with each claim (from the declaring code), so a deploy that changes them needs nothing here.
CREATE TABLE backie_rate_limits (
  bucket       text PRIMARY KEY,
  tokens       double precision NOT NULL,
  refilled_at  timestamptz NOT NULL
);

SELECT backie_grant_as_tasks('SELECT, INSERT, UPDATE, DELETE', 'backie_rate_limits');

-- Claims up to p_limit tasks of the given names, but no more than the bucket holds tokens, and
-- takes one token per task claimed. The bucket row stays locked until the claim commits, so
-- concurrent claimers of one bucket take turns and together never spend more than it held.
-- The refill is computed from the database's clock once the lock is held (clock_timestamp():
-- now() is when the statement started, possibly long before it got the lock). A refill time
-- that is not finite or lies more than a minute ahead (a hand edit, a clock set back) restarts
-- from now, so that the bucket can never stop refilling.
CREATE FUNCTION backie_claim_limited(
  p_bucket text, p_max integer, p_per_ms bigint, p_burst integer,
  p_queue text, p_names text[], p_limit integer, p_owner text, p_lease_ms bigint, p_now timestamptz
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
  -- Each name's range read on its own, heads merged in priority order (as TasksClaimMany).
  RETURN QUERY SELECT * FROM backie_claim_ids(ARRAY(
    SELECT c.id
    FROM unnest(p_names) AS n(name)
    CROSS JOIN LATERAL (
      SELECT b.id, b.priority, b.scheduled_at
      FROM backie_tasks b
      WHERE b.state = 'ready' AND b.queue_name = p_queue AND b.task_name = n.name AND b.scheduled_at <= v_now
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
