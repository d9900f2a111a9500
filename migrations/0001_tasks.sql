-- The task table. One row per task; `state` is explicit (the Rust original derived it from
-- timestamps, which made "failed" and "done" ambiguous and unindexable).
CREATE TYPE backie_task_state AS ENUM ('ready', 'running', 'done', 'failed', 'cancelled');

CREATE TABLE backie_tasks (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  task_name        text NOT NULL,
  queue_name       text NOT NULL DEFAULT 'default',
  state            backie_task_state NOT NULL DEFAULT 'ready',
  payload          jsonb NOT NULL,
  priority         integer NOT NULL DEFAULT 0,
  -- Full user key, never hashed or padded: the original's char(64) truncated user hashes.
  unique_key       text,
  -- Runs started and counted. Incremented by a claim; a graceful give-back decrements it.
  attempts         integer NOT NULL DEFAULT 0,
  max_retries      integer NOT NULL DEFAULT 3 CHECK (max_retries >= 0),
  -- One entry per failed attempt: {attempt, message, stack, kind, at}. Kept on success.
  errors           jsonb NOT NULL DEFAULT '[]'::jsonb,
  created_at       timestamptz NOT NULL DEFAULT now(),
  scheduled_at     timestamptz NOT NULL DEFAULT now(),
  started_at       timestamptz,
  finished_at      timestamptz,
  -- The lease: who runs the task, until when, and a fencing token that grows with every claim
  -- so that a runner whose lease was taken over cannot write its late result.
  lease_owner      text,
  lease_token      integer NOT NULL DEFAULT 0,
  lease_expires_at timestamptz,
  CONSTRAINT backie_tasks_running_has_lease
    CHECK (state <> 'running' OR (lease_owner IS NOT NULL AND lease_expires_at IS NOT NULL))
);

-- Claim: only ready rows are indexed, so finished history does not slow the hot path.
CREATE INDEX backie_tasks_claim_idx
  ON backie_tasks (queue_name, priority DESC, scheduled_at, id)
  WHERE state = 'ready';

-- Unique tasks: at most one ready or running task per (name, key); finished rows free the key.
CREATE UNIQUE INDEX backie_tasks_unique_key_idx
  ON backie_tasks (task_name, unique_key)
  WHERE unique_key IS NOT NULL AND state IN ('ready', 'running');

-- Rescue of expired leases.
CREATE INDEX backie_tasks_lease_idx
  ON backie_tasks (lease_expires_at)
  WHERE state = 'running';

-- Pruning of kept history by age.
CREATE INDEX backie_tasks_finished_idx
  ON backie_tasks (finished_at)
  WHERE state IN ('done', 'failed', 'cancelled');

-- Wake idle workers: one notification per inserting statement (not per row), naming the
-- queues that received runnable tasks. A NOTIFY per row serialises commits.
CREATE FUNCTION backie_notify_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  queues text;
BEGIN
  SELECT string_agg(DISTINCT queue_name, ',') INTO queues
  FROM new_rows
  WHERE state = 'ready' AND scheduled_at <= now();
  IF queues IS NOT NULL THEN
    PERFORM pg_notify('backie_tasks_ready', queues);
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER backie_tasks_notify_inserted
  AFTER INSERT ON backie_tasks
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION backie_notify_inserted();
