/* @name QueuePausedSet */
-- Pauses or resumes a queue. A resume wakes idle workers at once (they would otherwise wait for
-- their next poll); a pause takes effect at every worker's next claim.
WITH changed AS (
  INSERT INTO backie_queues (queue_name, paused, updated_at)
  VALUES (:queueName!, :paused!, now())
  ON CONFLICT (queue_name) DO UPDATE SET paused = excluded.paused, updated_at = excluded.updated_at
  RETURNING queue_name, paused
), notified AS (
  SELECT pg_notify('backie_tasks_ready', queue_name) FROM changed WHERE NOT paused
)
SELECT changed.queue_name AS "queue_name!", changed.paused AS "paused!" FROM changed LEFT JOIN notified ON true;

/* @name QueuesFindPaused */
SELECT queue_name, updated_at FROM backie_queues WHERE paused ORDER BY queue_name;

/* @name WorkerRegister */
-- A starting pool: its row, and the rows of pools not seen for :staleMs (crashed) go.
WITH stale AS (
  DELETE FROM backie_workers WHERE last_seen_at < now() - :staleMs!::bigint * interval '1 millisecond'
)
INSERT INTO backie_workers (owner, host, pid, queues, tasks, generation)
VALUES (:owner!, :host!, :pid!, :queues!::jsonb, :tasks!::jsonb, :generation!)
ON CONFLICT (owner) DO UPDATE SET host = excluded.host, pid = excluded.pid, queues = excluded.queues,
  tasks = excluded.tasks, generation = excluded.generation, started_at = now(), last_seen_at = now()
RETURNING owner;

/* @name WorkerTouch */
-- Every heartbeat; a row deleted as stale meanwhile (a long pause) is written again.
INSERT INTO backie_workers (owner, host, pid, queues, tasks, generation)
VALUES (:owner!, :host!, :pid!, :queues!::jsonb, :tasks!::jsonb, :generation!)
ON CONFLICT (owner) DO UPDATE SET last_seen_at = now()
RETURNING owner;

/* @name WorkerDelete */
DELETE FROM backie_workers WHERE owner = :owner! RETURNING owner;

/* @name WorkersFindAll */
-- Pools seen within :staleMs; older rows are crashed pools waiting to be cleaned up.
SELECT owner, host, pid, queues, tasks, generation, started_at, last_seen_at, now() AS "now!"
FROM backie_workers
WHERE last_seen_at >= now() - :staleMs!::bigint * interval '1 millisecond'
ORDER BY started_at, owner;

/* @name TasksRetryFailedMany */
-- Bulk retry by filter, at most :limit rows per call (the caller repeats until fewer come
-- back). Rows are locked with SKIP LOCKED so that concurrent admins or workers never block or
-- double-apply. Of failed tasks sharing a unique key only one is retried per call, and none
-- while a ready or running task holds the key.
UPDATE backie_tasks t
SET state = 'ready', attempts = 0, scheduled_at = now(), finished_at = NULL, lease_confirmed_at = NULL
WHERE t.id = ANY(ARRAY(
  SELECT DISTINCT ON (f.task_name, coalesce(f.unique_key, f.id::text)) f.id
  FROM backie_tasks f
  WHERE f.state = 'failed'
    AND (:queueName::text IS NULL OR f.queue_name = :queueName::text)
    AND (:taskName::text IS NULL OR f.task_name = :taskName::text)
    AND (f.unique_key IS NULL OR NOT EXISTS (
      SELECT 1 FROM backie_tasks h
      WHERE h.task_name = f.task_name AND backie_key_digest(h.unique_key) = backie_key_digest(f.unique_key)
        AND h.unique_key = f.unique_key AND h.state IN ('ready', 'running')))
  ORDER BY f.task_name, coalesce(f.unique_key, f.id::text), f.id
  LIMIT :limit!
))
AND t.state = 'failed'
RETURNING t.id;

/* @name TasksCancelReadyMany */
-- Bulk cancel of ready tasks by filter, at most :limit per call; rows a worker is claiming right
-- now are skipped (SKIP LOCKED): they are running, not ready, a moment later.
UPDATE backie_tasks t
SET state = 'cancelled', finished_at = now()
-- Unparked and parked (sleeping, waiting) ones through their own indexes: up to :limit of each.
WHERE t.id = ANY(ARRAY(
  SELECT r.id FROM backie_tasks r
  WHERE r.state = 'ready' AND r.parked IS NULL
    AND (:queueName::text IS NULL OR r.queue_name = :queueName::text)
    AND (:taskName::text IS NULL OR r.task_name = :taskName::text)
  LIMIT :limit!
  FOR UPDATE SKIP LOCKED
) || ARRAY(
  SELECT r.id FROM backie_tasks r
  WHERE r.state = 'ready' AND r.parked IS NOT NULL
    AND (:queueName::text IS NULL OR r.queue_name = :queueName::text)
    AND (:taskName::text IS NULL OR r.task_name = :taskName::text)
  LIMIT :limit!
  FOR UPDATE SKIP LOCKED
))
RETURNING t.id;

/* @name TasksDeleteFinishedMany */
-- Bulk delete of finished rows older than :olderThanMs, by filter, at most :limit per call.
DELETE FROM backie_tasks
WHERE id = ANY(ARRAY(
  SELECT d.id FROM backie_tasks d
  WHERE d.state IN ('done', 'failed', 'cancelled')
    AND (:state::text IS NULL OR d.state::text = :state::text)
    AND (:queueName::text IS NULL OR d.queue_name = :queueName::text)
    AND (:taskName::text IS NULL OR d.task_name = :taskName::text)
    AND d.finished_at < now() - :olderThanMs!::bigint * interval '1 millisecond'
  LIMIT :limit!
  FOR UPDATE SKIP LOCKED
))
RETURNING id;

/* @name TaskDelete */
-- One finished or cancelled task (the dashboard's delete); ready and running ones are cancelled first.
DELETE FROM backie_tasks WHERE id = :id! AND state IN ('done', 'failed', 'cancelled') RETURNING id;

/* @name StatsAddMany */
-- A pool's counts since its last call, added to the current minute's row of each queue; rows
-- older than two days go in the same statement.
WITH input AS (
  SELECT * FROM json_to_recordset(:rows!::json) AS r(queue_name text, succeeded integer, failed integer, retried integer)
), added AS (
  INSERT INTO backie_stats AS s (minute, queue_name, owner, succeeded, failed, retried)
  SELECT date_trunc('minute', now()), i.queue_name, :owner!, i.succeeded, i.failed, i.retried FROM input i
  ON CONFLICT (minute, queue_name, owner) DO UPDATE SET
    succeeded = s.succeeded + excluded.succeeded, failed = s.failed + excluded.failed, retried = s.retried + excluded.retried
  RETURNING 1
), pruned AS (
  DELETE FROM backie_stats WHERE minute < now() - interval '2 days' RETURNING 1
)
SELECT (SELECT count(*) FROM added)::integer AS "added!", (SELECT count(*) FROM pruned)::integer AS "pruned!";

/* @name StatsFindSince */
-- Per minute and queue, every pool's counts summed, for the charts.
SELECT minute, queue_name, sum(succeeded)::integer AS "succeeded!", sum(failed)::integer AS "failed!",
       sum(retried)::integer AS "retried!"
FROM backie_stats
WHERE minute >= now() - :sinceMs!::bigint * interval '1 millisecond'
GROUP BY minute, queue_name
ORDER BY minute, queue_name;

/* @name QueuesOverview */
-- Per queue: ready (due, and scheduled for later), running and failed counts, the longest wait of
-- a due task and the longest run, in seconds by the database's clock (workers' clocks may drift).
-- Of the running, `claimed`: a worker holds them under a reservation not yet confirmed as a run
-- (prefetched, or started less than a quarter of a reservation ago): a busy worker holds up to
-- 2,000 that way, which are not runs.
-- Each state is read through its own partial index, so the size of the finished history costs
-- nothing.
SELECT r.queue_name, 'ready' AS "state!", sum(r.due)::integer AS "count!", sum(r.later)::integer AS "later!",
       COALESCE(extract(epoch FROM now() - min(r.oldest)), 0)::float8 AS "wait_seconds!",
       sum(r.sleeping)::integer AS "sleeping!", sum(r.waiting)::integer AS "waiting!", 0 AS "claimed!"
FROM (
  -- Ready ones through the claim index, and parked ones (sleeping, waiting: counted as later) through theirs.
  SELECT queue_name, count(*) FILTER (WHERE scheduled_at <= now()) AS due, count(*) FILTER (WHERE scheduled_at > now()) AS later,
         min(scheduled_at) FILTER (WHERE scheduled_at <= now()) AS oldest, 0 AS sleeping, 0 AS waiting
  FROM backie_tasks WHERE state = 'ready' AND parked IS NULL GROUP BY queue_name
  UNION ALL
  SELECT queue_name, count(*) FILTER (WHERE scheduled_at <= now()), count(*) FILTER (WHERE scheduled_at > now()),
         min(scheduled_at) FILTER (WHERE scheduled_at <= now()),
         count(*) FILTER (WHERE parked = 'sleeping' AND scheduled_at > now()), count(*) FILTER (WHERE parked = 'waiting' AND scheduled_at > now())
  FROM backie_tasks WHERE state = 'ready' AND parked IS NOT NULL GROUP BY queue_name
) r GROUP BY r.queue_name
UNION ALL
SELECT queue_name, 'running', count(*)::integer, 0, COALESCE(extract(epoch FROM now() - min(started_at)), 0)::float8, 0, 0,
       count(*) FILTER (WHERE lease_confirmed_at IS NULL)::integer
FROM backie_tasks WHERE state = 'running' GROUP BY queue_name
UNION ALL
SELECT queue_name, 'failed', count(*)::integer, 0, 0::float8, 0, 0, 0
FROM backie_tasks WHERE state = 'failed' GROUP BY queue_name;

/* @name TasksMaxId */
SELECT max(id) AS max_id FROM backie_tasks;

/* @name TasksFindPage */
-- One page of tasks, newest first, by keyset (id < :before), never by offset. Every filter is
-- optional; :payloadAny (a JSON array) matches tasks whose payload contains any of its elements
-- (jsonb @>), :payloadText those whose payload's JSON text holds it, in any case. Only ids above :floor are
-- looked at: a filter that matches little (or nothing) reads a bounded window of the newest rows,
-- not the whole history; the caller offers the next window ("search older").
-- :confirmed tells runs (a worker confirmed its lease) from tasks only claimed (prefetched, or
-- started under a quarter of a reservation ago), as the overview does; NULL: either.
SELECT id, task_name, queue_name, state, attempts, max_retries, created_at, scheduled_at, finished_at, schedule_id,
       lease_confirmed_at IS NOT NULL AS "confirmed!"
FROM backie_tasks
WHERE (:state::backie_task_state IS NULL OR state = :state::backie_task_state)
  AND (:confirmed::boolean IS NULL OR (lease_confirmed_at IS NOT NULL) = :confirmed::boolean)
  AND (:queueName::text IS NULL OR queue_name = :queueName::text)
  AND (:taskName::text IS NULL OR task_name = :taskName::text)
  AND (:id::bigint IS NULL OR id = :id::bigint)
  AND (:createdFrom::timestamptz IS NULL OR created_at >= :createdFrom::timestamptz)
  AND (:createdTo::timestamptz IS NULL OR created_at < :createdTo::timestamptz)
  AND (:payloadAny::jsonb IS NULL OR payload @> ANY (SELECT jsonb_array_elements(:payloadAny::jsonb)))
  AND (:payloadText::text IS NULL OR strpos(lower(payload::text), lower(:payloadText::text)) > 0)
  AND (:before::bigint IS NULL OR id < :before::bigint)
  AND id > :floor!::bigint
ORDER BY id DESC
LIMIT :limit!;

/* @name MetricsSnapshotFind */
-- The cluster's last depth and lag snapshot, and whether it is older than :maxAgeMs.
SELECT computed_at, queues, computed_at < now() - :maxAgeMs!::bigint * interval '1 millisecond' AS "stale!"
FROM backie_metrics_snapshot WHERE id = 1;

/* @name MetricsSnapshotTake */
-- Takes the turn to compute: only one pool wins while the snapshot is stale.
UPDATE backie_metrics_snapshot SET computed_at = now(), owner = :owner!
WHERE id = 1 AND computed_at < now() - :maxAgeMs!::bigint * interval '1 millisecond'
RETURNING owner;

/* @name MetricsSnapshotStore */
UPDATE backie_metrics_snapshot SET queues = :queues!::jsonb WHERE id = 1 AND owner = :owner! RETURNING id;

/* @name TaskKindsFindReady */
-- The distinct (queue, name, payload version) of ready tasks (not parked ones: they wait by design), by a skip scan of the claim index:
-- one index probe per kind, however many rows each has, so a pool may run it every minute.
WITH RECURSIVE kinds AS (
  (SELECT queue_name, task_name, payload_version FROM backie_tasks WHERE state = 'ready' AND parked IS NULL
   ORDER BY queue_name, task_name, payload_version LIMIT 1)
  UNION ALL
  SELECT next.queue_name, next.task_name, next.payload_version
  FROM kinds, LATERAL (
    SELECT t.queue_name, t.task_name, t.payload_version FROM backie_tasks t
    WHERE t.state = 'ready' AND t.parked IS NULL
      AND (t.queue_name, t.task_name, t.payload_version) > (kinds.queue_name, kinds.task_name, kinds.payload_version)
    ORDER BY t.queue_name, t.task_name, t.payload_version LIMIT 1
  ) next
)
SELECT queue_name AS "queue_name!", task_name AS "task_name!", payload_version AS "payload_version!" FROM kinds LIMIT :limit!;

/* @name TaskKindsCount */
-- How many ready tasks each (queue, name, version) has, each read as one range of the claim index.
SELECT k.queue_name AS "queue_name!", k.task_name AS "task_name!", k.payload_version AS "payload_version!", c.n AS "count!"
FROM unnest(:queueNames!::text[], :taskNames!::text[], :versions!::integer[]) AS k(queue_name, task_name, payload_version)
CROSS JOIN LATERAL (
  SELECT count(*)::integer AS n FROM backie_tasks t
  WHERE t.state = 'ready' AND t.parked IS NULL AND t.queue_name = k.queue_name AND t.task_name = k.task_name AND t.payload_version = k.payload_version
) c;

/* @name TasksFindPendingPage */
-- Ready and running tasks with their payloads, by keyset on id (`backie check`): each page its own
-- short read-only statement, no row locks and no snapshot held between pages, so claims and
-- vacuum never wait for a check however long it runs.
SELECT id, task_name, queue_name, state, payload_version, payload
FROM backie_tasks
WHERE state IN ('ready', 'running') AND id > :after!::bigint
ORDER BY id
LIMIT :limit!;

/* @name TasksFindEnqueued */
-- Ready tasks (due, scheduled for later, or parked) with ids above :afterId, oldest first,
-- optionally of one name: what a test asserts was enqueued (backie/testing).
SELECT id, task_name, queue_name, payload, priority, unique_key, scheduled_at, parked
FROM backie_tasks
WHERE state = 'ready' AND id > :afterId!::bigint AND (:taskName::text IS NULL OR task_name = :taskName::text)
ORDER BY id
LIMIT :limit!;

/* @name TablesTruncate */
-- Every row Backie stores, gone, ids from 1 again: a test kit's reset between tests (backie/testing).
-- Never run by workers or the CLI.
TRUNCATE backie_tasks, backie_schedules, backie_queues, backie_workers, backie_stats, backie_metrics_snapshot,
         backie_rate_limits, backie_fan_ins, backie_fan_in_children RESTART IDENTITY;
