/* @name ScheduleReconcileLockTake */
-- Schedules: rows of `backie_schedules`, one per declared schedule. Workers starting together
-- reconcile one after the other (a transaction-scoped advisory lock), so their deletes and
-- upserts never interleave into a deadlock. Clock: the database's, optionally :now (tests).
SELECT pg_advisory_xact_lock(:lockKey!::bigint) AS "locked";

/* @name ScheduleClockRead */
SELECT coalesce(:now::timestamptz, now()) AS "now!";

/* @name SchedulesReconcile */
-- Makes the rows of the tasks named in :taskNames exactly the declared :schedules. Rows of other
-- tasks belong to other deploys and stay. A declared id held by another task moves to this one
-- (a renamed task keeps its schedule's state). An unchanged row is not written; a changed
-- expression or time zone takes the declared next_at, anything else keeps its place in time.
-- Ownership follows the newest deploy: a row written by a higher :generation (the manifest's) is
-- neither changed nor deleted here, so an old pool (re)starting during a rolling deploy or after
-- a rollback writes nothing back (the newer definitions stay until that generation runs again).
WITH input AS (
  SELECT * FROM json_to_recordset(:schedules!::json) AS s(
    id text, task_name text, queue_name text, cron text, time_zone text, payload jsonb,
    max_retries integer, missed text, max_missed integer, overlap text, next_at timestamptz, concurrency_key text,
    payload_version integer, priority integer, unique_key text)
), removed AS (
  DELETE FROM backie_schedules s
  WHERE s.task_name = ANY(:taskNames!::text[]) AND NOT EXISTS (SELECT 1 FROM input i WHERE i.id = s.id)
    AND s.generation <= :generation!::integer
  RETURNING s.id
), upserted AS (
  INSERT INTO backie_schedules AS s (
    id, task_name, queue_name, cron, time_zone, payload, max_retries, missed, max_missed, overlap, next_at, concurrency_key,
    payload_version, priority, unique_key, generation)
  SELECT i.id, i.task_name, i.queue_name, i.cron, i.time_zone, i.payload, i.max_retries, i.missed,
         i.max_missed, i.overlap, i.next_at, i.concurrency_key, i.payload_version, i.priority, i.unique_key, :generation!::integer
  FROM input i
  -- A task a newer deploy has schedules of gets none added by an older one.
  WHERE NOT EXISTS (SELECT 1 FROM backie_schedules o WHERE o.task_name = i.task_name AND o.generation > :generation!::integer)
  ORDER BY i.id
  ON CONFLICT (id) DO UPDATE SET
    task_name = excluded.task_name, queue_name = excluded.queue_name, cron = excluded.cron,
    time_zone = excluded.time_zone, payload = excluded.payload, max_retries = excluded.max_retries,
    missed = excluded.missed, max_missed = excluded.max_missed, overlap = excluded.overlap,
    concurrency_key = excluded.concurrency_key, payload_version = excluded.payload_version,
    priority = excluded.priority, unique_key = excluded.unique_key, generation = excluded.generation,
    next_at = CASE WHEN s.cron = excluded.cron AND s.time_zone = excluded.time_zone THEN s.next_at
                   ELSE excluded.next_at END,
    updated_at = coalesce(:now::timestamptz, now())
  WHERE s.generation <= excluded.generation
    AND (s.task_name, s.queue_name, s.cron, s.time_zone, s.payload, s.max_retries, s.missed, s.max_missed, s.overlap,
         s.concurrency_key, s.payload_version, s.priority, s.unique_key, s.generation)
    IS DISTINCT FROM (excluded.task_name, excluded.queue_name, excluded.cron, excluded.time_zone, excluded.payload,
                      excluded.max_retries, excluded.missed, excluded.max_missed, excluded.overlap,
                      excluded.concurrency_key, excluded.payload_version, excluded.priority, excluded.unique_key,
                      excluded.generation)
  RETURNING s.id, (s.xmax = 0) AS added
)
SELECT id AS "id!", 'removed' AS "change!" FROM removed
UNION ALL
SELECT id, CASE WHEN added THEN 'added' ELSE 'changed' END FROM upserted;

/* @name SchedulesFindDue */
-- Due schedules of the given tasks, oldest first, with the clock that decided "due" and the
-- earliest occurrence still to come (so the caller can sleep until then). One row with null
-- schedule columns when none is due. `next_at_text` is the exact stored value: the fire
-- statement compares with it (a Date would lose microseconds written by hand, and never match).
SELECT c.now AS "now!", c.upcoming, d.id, d.task_name, d.cron, d.time_zone, d.missed, d.max_missed,
       d.overlap, d.unique_key, d.next_at, d.next_at_text
FROM (
  SELECT coalesce(:now::timestamptz, now()) AS now,
         (SELECT min(u.next_at) FROM backie_schedules u
          WHERE u.task_name = ANY(:taskNames!::text[]) AND u.next_at > coalesce(:now::timestamptz, now())) AS upcoming
) c
LEFT JOIN LATERAL (
  SELECT s.id, s.task_name, s.cron, s.time_zone, s.missed, s.max_missed, s.overlap, s.unique_key, s.next_at,
         s.next_at::text AS next_at_text
  FROM backie_schedules s
  WHERE s.task_name = ANY(:taskNames!::text[]) AND s.next_at <= c.now
  ORDER BY s.next_at, s.id
  LIMIT :limit!
) d ON true;

/* @name SchedulesFireMany */
-- Takes due occurrences: each schedule in :schedules moves to its next occurrence only if it
-- still holds the due value it was read with, and only the schedules moved here get their runs
-- (:runs) inserted, in the same statement. Of N workers firing one occurrence, one moves it; the
-- others move nothing and insert nothing. A run whose unique key is held by a ready or running
-- task (overlap "skip": the previous run is not finished) is not inserted: task_id is null.
WITH fire AS (
  SELECT * FROM json_to_recordset(:schedules!::json) AS f(id text, due_at text, next_at timestamptz, last_at timestamptz)
), moved AS (
  UPDATE backie_schedules s
  SET next_at = f.next_at, last_at = coalesce(f.last_at, s.last_at)
  FROM fire f
  WHERE s.id = f.id AND s.next_at = f.due_at::timestamptz
  RETURNING s.id, s.task_name, s.queue_name, s.payload, s.max_retries, s.concurrency_key, s.payload_version, s.priority
), runs AS (
  SELECT * FROM ROWS FROM (json_to_recordset(:runs!::json) AS (
    schedule_id text, scheduled_for timestamptz, missed_count integer, unique_key text))
    WITH ORDINALITY AS r(schedule_id, scheduled_for, missed_count, unique_key, ord)
), inserted AS (
  INSERT INTO backie_tasks (task_name, queue_name, payload, unique_key, max_retries, scheduled_at,
                            schedule_id, schedule_for, schedule_missed, concurrency_key, payload_version, priority)
  SELECT m.task_name, m.queue_name, m.payload, r.unique_key, m.max_retries, r.scheduled_for,
         r.schedule_id, r.scheduled_for, r.missed_count, m.concurrency_key, m.payload_version, m.priority
  FROM runs r JOIN moved m ON m.id = r.schedule_id
  ORDER BY r.ord
  ON CONFLICT (task_name, backie_key_digest(unique_key)) WHERE unique_key IS NOT NULL AND state IN ('ready', 'running')
  DO NOTHING
  RETURNING id, schedule_id, schedule_for, queue_name, scheduled_at
), notified AS (
  SELECT pg_notify('backie_tasks_ready', string_agg(DISTINCT queue_name, ','))
  FROM inserted WHERE scheduled_at <= now() HAVING count(*) > 0
)
SELECT m.id AS "schedule_id!", r.scheduled_for, i.id AS task_id
FROM moved m
LEFT JOIN runs r ON r.schedule_id = m.id
LEFT JOIN inserted i ON i.schedule_id = r.schedule_id AND i.schedule_for = r.scheduled_for
LEFT JOIN notified ON true;

/* @name SchedulesFindAll */
-- Every schedule, for `backie schedules`, with the clock it was read at.
SELECT s.id, s.task_name, s.queue_name, s.cron, s.time_zone, s.missed, s.max_missed, s.overlap,
       s.next_at, s.last_at, s.created_at, s.updated_at, coalesce(:now::timestamptz, now()) AS "now!"
FROM backie_schedules s
ORDER BY s.id;

/* @name SchedulesDeleteMany */
-- Removes schedules by id (`backie schedules remove`): for rows no deploy declares any more.
DELETE FROM backie_schedules WHERE id = ANY(:ids!::text[]) RETURNING id;
