-- Recurring tasks. One row per declared schedule, keyed by its id (stable across deploys and
-- renames). Workers reconcile the rows of the tasks they register at start and take due
-- occurrences by moving next_at forward only if it still holds the due value (SchedulesFireMany),
-- so any number of workers may tick at once without a leader.
CREATE TABLE backie_schedules (
  id           text PRIMARY KEY,
  task_name    text NOT NULL,
  queue_name   text NOT NULL,
  cron         text NOT NULL,
  time_zone    text NOT NULL,
  payload      jsonb NOT NULL,
  max_retries  integer NOT NULL CHECK (max_retries >= 0),
  missed       text NOT NULL CHECK (missed IN ('skip', 'once', 'all')),
  max_missed   integer NOT NULL CHECK (max_missed BETWEEN 1 AND 1000),
  overlap      text NOT NULL CHECK (overlap IN ('allow', 'skip')),
  -- The next occurrence not yet taken; NULL when the expression has none left.
  next_at      timestamptz,
  -- The latest occurrence taken (run, skipped or missed).
  last_at      timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX backie_schedules_due_idx ON backie_schedules (next_at) WHERE next_at IS NOT NULL;

-- Which occurrence of which schedule a task runs for (ctx.schedule). Nullable without a default:
-- adding them rewrites nothing, and enqueued tasks leave them empty.
ALTER TABLE backie_tasks
  ADD COLUMN schedule_id text,
  ADD COLUMN schedule_for timestamptz,
  ADD COLUMN schedule_missed integer;
