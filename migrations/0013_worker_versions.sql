-- What each running pool can run: task name (and former name) → the highest payload version it
-- knows, and its deploy generation. `backie status`, `backie workers` and the dashboard compare
-- the stored tasks with them to show work no running worker can take (a name no deploy knows, or
-- a version only a newer deploy knows). A constant default rewrites nothing.
ALTER TABLE backie_workers ADD COLUMN tasks jsonb NOT NULL DEFAULT '{}';
ALTER TABLE backie_workers ADD COLUMN generation integer NOT NULL DEFAULT 0;

-- A schedule's runs carry its task's `uniqueKey` of the schedule's payload (computed by the
-- declaring deploy): an occurrence whose key a ready or running task holds, enqueued or
-- scheduled, is skipped like any enqueue with a held key.
ALTER TABLE backie_schedules ADD COLUMN unique_key text;

-- A fan-in's continuation may wait for days across deploys: it records the payload version of the
-- run that fanned out, so a later deploy runs it through the upgrades like any stored task. The
-- function of 0011, with the version carried into both of its inserts.
ALTER TABLE backie_fan_ins ADD COLUMN payload_version integer NOT NULL DEFAULT 0;

CREATE OR REPLACE FUNCTION backie_fan_in_child_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  v_state text;
  v_fan bigint;
  v_pending integer;
  v_f backie_fan_ins%ROWTYPE;
  v_children jsonb;
  v_failed text;
  v_id bigint;
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.state = 'ready' AND OLD.state IN ('failed', 'cancelled') THEN
    -- A finished child retried (backie retry) before its fan-in resumed: wait for it again.
    UPDATE backie_fan_ins f SET pending = f.pending + 1
    FROM backie_fan_in_children c
    WHERE c.child_id = NEW.id AND c.state IS NOT NULL AND f.id = c.fan_in_id AND f.continuation_id IS NULL;
    IF FOUND THEN
      UPDATE backie_fan_in_children SET state = NULL, result = NULL, error = NULL WHERE child_id = NEW.id;
    END IF;
    RETURN NULL;
  END IF;
  v_state := CASE WHEN TG_OP = 'DELETE' THEN 'deleted' ELSE NEW.state::text END;
  IF v_state NOT IN ('done', 'failed', 'cancelled', 'deleted') THEN
    RETURN NULL;
  END IF;
  UPDATE backie_fan_in_children c
  SET state = v_state,
      result = CASE WHEN v_state = 'done' THEN coalesce(NEW.result, 'null'::jsonb) END,
      error = CASE
        WHEN v_state = 'failed' THEN coalesce(NEW.errors -> -1 ->> 'message', 'failed')
        WHEN v_state = 'cancelled' THEN 'cancelled'
        WHEN v_state = 'deleted' THEN 'deleted before it finished'
      END
  WHERE c.child_id = OLD.id AND c.state IS NULL
  RETURNING c.fan_in_id INTO v_fan;
  IF v_fan IS NULL THEN
    RETURN NULL;
  END IF;
  UPDATE backie_fan_ins SET pending = pending - 1 WHERE id = v_fan AND continuation_id IS NULL
  RETURNING * INTO v_f;
  IF v_f.id IS NULL OR v_f.pending > 0 THEN
    RETURN NULL;
  END IF;
  SELECT coalesce(jsonb_agg(
           jsonb_build_object('id', c.child_id::text, 'task', c.task_name, 'state', c.state)
           || CASE WHEN c.state = 'done' THEN jsonb_build_object('result', c.result) ELSE jsonb_build_object('error', c.error) END
           ORDER BY c.position), '[]'::jsonb),
         string_agg(CASE WHEN c.state <> 'done' THEN format('child %s (%s) %s: %s', c.child_id, c.task_name, c.state, c.error) END, '; ' ORDER BY c.position)
  INTO v_children, v_failed
  FROM backie_fan_in_children c WHERE c.fan_in_id = v_f.id;
  IF v_failed IS NOT NULL AND v_f.on_child_failure = 'fail' THEN
    -- Created failed, with the children's outcomes: `backie retry` runs it with them anyway.
    INSERT INTO backie_tasks (task_name, queue_name, payload, priority, max_retries, payload_version, state, errors, finished_at)
    VALUES (v_f.task_name, v_f.queue_name, v_f.payload || jsonb_build_object('children', v_children), v_f.priority,
            v_f.max_retries, v_f.payload_version, 'failed',
            jsonb_build_array(jsonb_build_object('attempt', 0, 'kind', 'children_failed',
              'message', left('not run: ' || v_failed, 2000), 'at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))),
            now())
    RETURNING id INTO v_id;
  ELSE
    INSERT INTO backie_tasks (task_name, queue_name, payload, priority, max_retries, payload_version)
    VALUES (v_f.task_name, v_f.queue_name, v_f.payload || jsonb_build_object('children', v_children), v_f.priority, v_f.max_retries,
            v_f.payload_version)
    RETURNING id INTO v_id;
    PERFORM pg_notify('backie_tasks_ready', v_f.queue_name);
  END IF;
  UPDATE backie_fan_ins SET continuation_id = v_id, resumed_at = now() WHERE id = v_f.id;
  -- The results now live in the continuation: the children's done rows go, as under removeDone.
  DELETE FROM backie_tasks t USING backie_fan_in_children c
  WHERE c.fan_in_id = v_f.id AND t.id = c.child_id AND t.state = 'done';
  RETURN NULL;
END
$$;
