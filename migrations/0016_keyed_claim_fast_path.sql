-- Keyed claims at limit 1 (the default of a concurrencyKey), cheaper and in chains:
-- - the heads of the locked keys that run nothing are claimed at once, read in one statement
--   after the locks (as the exact-room statement would), instead of an exact-room statement and
--   an ids statement;
-- - p_chain: a free key gives up to that many due tasks (not fifo), which the claimer runs one
--   after the other, so that a key's next task starts without a claim and a walk step serves
--   several tasks. Everything else is as in 0012.
DROP FUNCTION backie_claim_keyed(text, text[], integer[], boolean[], integer[], text, integer, text, bigint, timestamptz);

CREATE FUNCTION backie_claim_keyed(
  p_queue text, p_names text[], p_limits integer[], p_fifos boolean[], p_versions integer[], p_after text,
  p_limit integer, p_owner text, p_lease_ms bigint, p_now timestamptz, p_chain integer
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
  v_chain integer;
BEGIN
  IF p_limit <= 0 OR EXISTS (SELECT 1 FROM backie_queues q WHERE q.queue_name = p_queue AND q.paused) THEN
    RETURN;
  END IF;
  FOR i IN 1 .. coalesce(array_length(p_names, 1), 0) LOOP
    EXIT WHEN v_taken >= p_limit;
    v_name := p_names[i];
    -- Chains (limit 1, not fifo): up to p_chain of a free key's due tasks at once, which the
    -- claimer runs one after the other. Other claimers count them all as running, so the key
    -- stays with one claimer until its chain is written back. p_limit counts such a key once.
    v_chain := CASE WHEN p_limits[i] = 1 AND NOT p_fifos[i] THEN greatest(1, least(coalesce(p_chain, 1), 64)) ELSE 1 END;
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
    -- Limit 1 and every head due (the common case): no room to count, only whether the key runs
    -- now, read with the ids of the heads (and their chains) in one statement. Rows come back in
    -- walk order, a key's chain in claim order.
    IF p_limits[i] = 1 AND NOT p_fifos[i] AND NOT (false = ANY(v_dues)) THEN
      -- Keys with a running task are left out here, in this statement's snapshot, taken after
      -- the walk's locks, as the exact count below would be (a scalar subquery, not NOT EXISTS:
      -- that may become an anti join over every running row of the name, which the generic
      -- plan expects to be few). An array, not a join: the claim reads the primary key per id.
      v_ids := ARRAY(
        SELECT c.id FROM unnest(v_keys, v_heads) WITH ORDINALITY AS x(k, head, ord)
        CROSS JOIN LATERAL (
          SELECT x.head AS id, 1::bigint AS rank WHERE v_chain = 1
          UNION ALL
          SELECT h.id, row_number() OVER () FROM (
            SELECT b.id FROM backie_tasks b
            WHERE v_chain > 1 AND b.state = 'ready' AND b.queue_name = p_queue AND b.task_name = v_name
              AND b.payload_version <= p_versions[i] AND b.concurrency_key = x.k AND b.scheduled_at <= v_now
            ORDER BY b.priority DESC, b.scheduled_at, b.id LIMIT v_chain) h
        ) c
        WHERE (SELECT r.id FROM backie_tasks r
               WHERE r.state = 'running' AND r.task_name = v_name AND r.concurrency_key = x.k LIMIT 1) IS NULL
        ORDER BY x.ord, c.rank);
      RETURN QUERY
        SELECT c.* FROM backie_claim_ids(v_ids, p_owner, p_lease_ms, v_now) c
        JOIN unnest(v_keys) WITH ORDINALITY AS k(k, ord) ON k.k = c.concurrency_key
        ORDER BY k.ord, c.priority DESC, c.scheduled_at, c.id;
      GET DIAGNOSTICS v_count = ROW_COUNT;
      -- Keys taken, at most (each gave one task or more).
      v_taken := v_taken + least(v_count, cardinality(v_keys));
      CONTINUE;
    END IF;
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
