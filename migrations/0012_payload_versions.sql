-- Payload versions (safe deploys). Every stored task records the version of its task's payload
-- schema it was enqueued with (codegen numbers them in generated/manifest.json); 0 is a row
-- written without one (before this migration, or by hand), which any worker validates against
-- its own schema as before. A worker claims only versions it knows: an old worker leaves a newer
-- payload for a newer worker, and a newer one runs an older payload through the upgrades.
-- Adding a column with a constant default rewrites nothing.
ALTER TABLE backie_tasks ADD COLUMN payload_version integer NOT NULL DEFAULT 0;
ALTER TABLE backie_schedules ADD COLUMN payload_version integer NOT NULL DEFAULT 0;
-- Which deploy wrote a schedule (the manifest's generation): a pool of an older generation
-- neither changes nor deletes it, so an old pool starting after a new one writes nothing back.
ALTER TABLE backie_schedules ADD COLUMN generation integer NOT NULL DEFAULT 0;
-- A schedule's runs may carry a priority.
ALTER TABLE backie_schedules ADD COLUMN priority integer NOT NULL DEFAULT 0;

-- Claims by (queue, name, version): rows of a version this worker does not know sit in a range of
-- their own, which its claim never reads (as rows of unknown names since 0003), so a backlog
-- left for a newer deploy costs an old worker's claims nothing.
DROP INDEX backie_tasks_claim_idx;
CREATE INDEX backie_tasks_claim_idx
  ON backie_tasks (queue_name, task_name, payload_version, priority DESC, scheduled_at, id)
  WHERE state = 'ready';

-- The keyed and rate-limited claims take the versions too. Keyed: the highest version known per
-- name (the keyed index has no version: a newer row at a key's head is passed over by the probe).
-- Rate-limited: (name, version) pairs, each range read on its own like TasksClaimMany.
DROP FUNCTION backie_claim_keyed(text, text[], integer[], boolean[], text, integer, text, bigint, timestamptz);
DROP FUNCTION backie_claim_limited(text, integer, bigint, integer, text, text[], integer, text, bigint, timestamptz);

CREATE FUNCTION backie_claim_keyed(
  p_queue text, p_names text[], p_limits integer[], p_fifos boolean[], p_versions integer[], p_after text,
  p_limit integer, p_owner text, p_lease_ms bigint, p_now timestamptz
) RETURNS SETOF backie_tasks
LANGUAGE plpgsql
-- Cached plans for every statement: plpgsql would otherwise plan them anew on each call (their
-- generic cost looks higher to it), about 3 ms a claim, most of a small claim's time.
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  v_now timestamptz := coalesce(p_now, now());
  v_name text;
  v_keys text[];
  v_rooms integer[];
  v_heads bigint[];
  v_dues boolean[];
  v_ids bigint[];
  v_taken integer := 0;
  v_count integer;
BEGIN
  IF p_limit <= 0 OR EXISTS (SELECT 1 FROM backie_queues q WHERE q.queue_name = p_queue AND q.paused) THEN
    RETURN;
  END IF;
  FOR i IN 1 .. coalesce(array_length(p_names, 1), 0) LOOP
    EXIT WHEN v_taken >= p_limit;
    v_name := p_names[i];
    -- Keys after p_after, then from the first up to p_after; those this snapshot already sees
    -- full are passed over (a hint: the exact count follows under the lock), the others locked
    -- until p_limit - v_taken are held. Each step is one probe of the keyed index that also
    -- yields the key's head in claim order (its id and whether it is due).
    SELECT array_agg(s.k ORDER BY s.n), array_agg(s.id ORDER BY s.n), array_agg(s.due ORDER BY s.n)
    INTO v_keys, v_heads, v_dues
    FROM (
      WITH RECURSIVE after_cursor(k, id, due, n) AS (
        SELECT h.concurrency_key, h.id, h.scheduled_at <= v_now, 1 FROM (
          SELECT b.concurrency_key, b.id, b.scheduled_at FROM backie_tasks b
          WHERE b.state = 'ready' AND b.queue_name = p_queue AND b.task_name = v_name AND b.payload_version <= p_versions[i] AND b.concurrency_key > p_after
          ORDER BY b.concurrency_key, b.priority DESC, b.scheduled_at, b.id LIMIT 1) h
        WHERE p_after IS NOT NULL
        UNION ALL
        SELECT h.concurrency_key, h.id, h.scheduled_at <= v_now, w.n + 1 FROM after_cursor w
        CROSS JOIN LATERAL (
          SELECT b.concurrency_key, b.id, b.scheduled_at FROM backie_tasks b
          WHERE b.state = 'ready' AND b.queue_name = p_queue AND b.task_name = v_name AND b.payload_version <= p_versions[i] AND b.concurrency_key > w.k
          ORDER BY b.concurrency_key, b.priority DESC, b.scheduled_at, b.id LIMIT 1) h
      ), from_start(k, id, due, n) AS (
        -- From the first key (the shared key '' included) up to p_after; all keys without one.
        SELECT h.concurrency_key, h.id, h.scheduled_at <= v_now, 1000000000 FROM (
          SELECT b.concurrency_key, b.id, b.scheduled_at FROM backie_tasks b
          WHERE b.state = 'ready' AND b.queue_name = p_queue AND b.task_name = v_name AND b.payload_version <= p_versions[i] AND b.concurrency_key IS NOT NULL
          ORDER BY b.concurrency_key, b.priority DESC, b.scheduled_at, b.id LIMIT 1) h
        UNION ALL
        SELECT h.concurrency_key, h.id, h.scheduled_at <= v_now, w.n + 1 FROM from_start w
        CROSS JOIN LATERAL (
          SELECT b.concurrency_key, b.id, b.scheduled_at FROM backie_tasks b
          WHERE b.state = 'ready' AND b.queue_name = p_queue AND b.task_name = v_name AND b.payload_version <= p_versions[i] AND b.concurrency_key > w.k
          ORDER BY b.concurrency_key, b.priority DESC, b.scheduled_at, b.id LIMIT 1) h
        WHERE p_after IS NULL OR w.k < p_after
      ), walk AS (
        SELECT * FROM after_cursor
        UNION ALL
        SELECT * FROM from_start WHERE p_after IS NULL OR k <= p_after
      )
      SELECT w.k, w.id, w.due, w.n FROM walk w
      WHERE (SELECT count(*) FROM backie_tasks r
             WHERE r.state = 'running' AND r.task_name = v_name AND r.concurrency_key = w.k) < p_limits[i]
        AND pg_try_advisory_xact_lock(1650549611, hashtext(v_name || chr(1) || w.k))
      LIMIT p_limit - v_taken
    ) s;
    CONTINUE WHEN v_keys IS NULL;
    -- Exact room per locked key (a new snapshot), cut so that the claim takes at most p_limit.
    SELECT array_agg(x.k ORDER BY x.ord), array_agg(least(x.room, greatest(0, p_limit - v_taken - x.before)) ORDER BY x.ord),
           array_agg(x.id ORDER BY x.ord), array_agg(x.due ORDER BY x.ord)
    INTO v_keys, v_rooms, v_heads, v_dues
    FROM (
      SELECT c.k, c.ord, c.room, c.id, c.due,
             coalesce(sum(c.room) OVER (ORDER BY c.ord ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
      FROM (
        SELECT k.k, k.ord, k.id, k.due, greatest(0, p_limits[i] - (SELECT count(*) FROM backie_tasks r
                 WHERE r.state = 'running' AND r.task_name = v_name AND r.concurrency_key = k.k))::integer AS room
        FROM unnest(v_keys, v_heads, v_dues) WITH ORDINALITY AS k(k, id, due, ord)
      ) c
    ) x;
    IF p_fifos[i] THEN
      -- The oldest `room` ready tasks of each key, up to the first that is not due. Under the
      -- key's lock no other claim takes them, so waiting on a row lock (a cancel) is brief.
      v_ids := ARRAY(
        SELECT h.id FROM unnest(v_keys, v_rooms) AS x(k, room)
        CROSS JOIN LATERAL (
          SELECT f.id, bool_and(f.scheduled_at <= v_now) OVER (ORDER BY f.id) AS due
          FROM (
            SELECT b.id, b.scheduled_at FROM backie_tasks b
            WHERE b.state = 'ready' AND b.queue_name = p_queue AND b.task_name = v_name AND b.payload_version <= p_versions[i] AND b.concurrency_key = x.k
            ORDER BY b.id LIMIT x.room FOR UPDATE
          ) f
        ) h WHERE h.due);
    ELSE
      -- Room for one and a due head: the walk's head, locked by the update below. Otherwise the
      -- key's first `room` due tasks.
      v_ids := ARRAY(
        SELECT x.id FROM unnest(v_rooms, v_heads, v_dues) AS x(room, id, due) WHERE x.room = 1 AND x.due
        UNION ALL
        SELECT h.id FROM unnest(v_keys, v_rooms, v_dues) AS x(k, room, due)
        CROSS JOIN LATERAL (
          SELECT b.id FROM backie_tasks b
          WHERE b.state = 'ready' AND b.queue_name = p_queue AND b.task_name = v_name AND b.payload_version <= p_versions[i] AND b.concurrency_key = x.k
            AND b.scheduled_at <= v_now
          ORDER BY b.priority DESC, b.scheduled_at, b.id LIMIT x.room FOR UPDATE SKIP LOCKED
        ) h
        WHERE x.room > 1 OR (x.room = 1 AND NOT x.due));
    END IF;
    CONTINUE WHEN cardinality(v_ids) = 0;
    -- Only still-ready ones: a head from the walk is locked only here (a cancel may have come first).
    RETURN QUERY SELECT * FROM backie_claim_ids(v_ids, p_owner, p_lease_ms, v_now);
    GET DIAGNOSTICS v_count = ROW_COUNT;
    v_taken := v_taken + v_count;
  END LOOP;
END
$$;

CREATE FUNCTION backie_claim_limited(
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
      WHERE b.state = 'ready' AND b.queue_name = p_queue AND b.task_name = n.name AND b.payload_version = n.version AND b.scheduled_at <= v_now
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
