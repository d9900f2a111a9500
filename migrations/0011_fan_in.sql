-- Parent/child with fan-in: a run enqueues children and a continuation task that is created,
-- with every child's outcome and result in its payload, once the last child has finished.
--
-- Exactly once, by the database's own atomicity: the statement that finishes a child (a
-- worker's result, the rescuer, a cancel, a delete) fires the trigger below in the same
-- transaction; it records the child's outcome and decrements the fan-in's pending count under
-- the fan-in row's lock. Two last children finishing at once in different processes serialise on
-- that lock, and only the one that reaches 0 creates the continuation. A worker killed before
-- its result commits leaves the child running; the rescuer runs it again.
ALTER TABLE backie_tasks ADD COLUMN fan_in_id bigint;
-- A fan-in child's return value (JSON), written with its `done` state.
ALTER TABLE backie_tasks ADD COLUMN result jsonb;

CREATE TABLE backie_fan_ins (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- The task that fanned out, and its name for this fan-in: a rerun of the parent finds the
  -- fan-in it created before instead of creating the children again.
  parent_id        bigint NOT NULL,
  fan_key          text NOT NULL,
  -- The continuation, created when pending reaches 0.
  task_name        text NOT NULL,
  queue_name       text NOT NULL,
  payload          jsonb NOT NULL,
  priority         integer NOT NULL,
  max_retries      integer NOT NULL,
  on_child_failure text NOT NULL CHECK (on_child_failure IN ('fail', 'ignore')),
  total            integer NOT NULL,
  pending          integer NOT NULL,
  continuation_id  bigint,
  created_at       timestamptz NOT NULL DEFAULT now(),
  resumed_at       timestamptz,
  UNIQUE (parent_id, fan_key)
);

CREATE TABLE backie_fan_in_children (
  fan_in_id  bigint NOT NULL REFERENCES backie_fan_ins ON DELETE CASCADE,
  position   integer NOT NULL,
  child_id   bigint NOT NULL,
  task_name  text NOT NULL,
  -- NULL while the child has not finished; then done, failed, cancelled or deleted.
  state      text,
  result     jsonb,
  error      text,
  PRIMARY KEY (fan_in_id, position)
);
CREATE UNIQUE INDEX backie_fan_in_children_child_idx ON backie_fan_in_children (child_id);

SELECT backie_grant_as_tasks('SELECT, INSERT, UPDATE, DELETE', 'backie_fan_ins, backie_fan_in_children');

CREATE FUNCTION backie_fan_in_child_changed() RETURNS trigger
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
    INSERT INTO backie_tasks (task_name, queue_name, payload, priority, max_retries, state, errors, finished_at)
    VALUES (v_f.task_name, v_f.queue_name, v_f.payload || jsonb_build_object('children', v_children), v_f.priority,
            v_f.max_retries, 'failed',
            jsonb_build_array(jsonb_build_object('attempt', 0, 'kind', 'children_failed',
              'message', left('not run: ' || v_failed, 2000), 'at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))),
            now())
    RETURNING id INTO v_id;
  ELSE
    INSERT INTO backie_tasks (task_name, queue_name, payload, priority, max_retries)
    VALUES (v_f.task_name, v_f.queue_name, v_f.payload || jsonb_build_object('children', v_children), v_f.priority, v_f.max_retries)
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

-- Only rows of fan-in children (fan_in_id set) fire it: other tasks pay one NULL test per row.
CREATE TRIGGER backie_fan_in_child_updated AFTER UPDATE OF state ON backie_tasks
  FOR EACH ROW WHEN (OLD.fan_in_id IS NOT NULL AND OLD.state IS DISTINCT FROM NEW.state)
  EXECUTE FUNCTION backie_fan_in_child_changed();
CREATE TRIGGER backie_fan_in_child_deleted AFTER DELETE ON backie_tasks
  FOR EACH ROW WHEN (OLD.fan_in_id IS NOT NULL AND OLD.state IN ('ready', 'running'))
  EXECUTE FUNCTION backie_fan_in_child_changed();
