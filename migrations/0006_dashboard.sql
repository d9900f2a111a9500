-- Throughput history for the dashboard's charts, without scanning task rows: each pool adds its
-- per-queue counts of the current minute every few seconds (one row per minute, queue and pool:
-- pools never contend on a row). Kept for two days.
CREATE TABLE backie_stats (
  minute      timestamptz NOT NULL,
  queue_name  text NOT NULL,
  owner       text NOT NULL,
  succeeded   integer NOT NULL DEFAULT 0,
  failed      integer NOT NULL DEFAULT 0,
  retried     integer NOT NULL DEFAULT 0,
  PRIMARY KEY (minute, queue_name, owner)
);

-- Failed tasks per queue and name (overview, `backie status`) without reading finished history.
CREATE INDEX backie_tasks_failed_idx ON backie_tasks (queue_name, task_name) WHERE state = 'failed';

SELECT backie_grant_as_tasks('SELECT, INSERT, UPDATE, DELETE', 'backie_stats');
