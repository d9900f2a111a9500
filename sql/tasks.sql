/* @name TaskInsert */
-- Every query here is batch-first and takes the clock from the database (`now()`), optionally
-- overridden by :now so that tests can fix time. The worker's own clock never decides.
-- Inserts notify idle workers themselves, once per statement, naming the queues that got
-- runnable tasks (a trigger with a transition table cost ~9% of a batch insert) -- when :notify:
-- in a caller's transaction (the wake-up then comes with its commit), or an enqueue alone. A
-- NOTIFY holds PostgreSQL's notification lock from the commit's start to its end (WAL flush
-- included), so parallel enqueues would take turns on it: those commit without, and the store
-- sends the wake-up after the commit (QueuesNotify, coalesced).
-- One row without a unique key: no ON CONFLICT, whose speculative insertion (an extra lock and
-- WAL record per row) only keyed rows need (they go through TasksInsertUniqueMany, one or many).
WITH inserted AS (
  INSERT INTO backie_tasks (task_name, queue_name, payload, priority, max_retries, trace_context, concurrency_key, payload_version, scheduled_at)
  VALUES (
    :taskName!, :queueName!, :payload!::jsonb, :priority!, :maxRetries!, :traceContext::jsonb, :concurrencyKey::text, :payloadVersion!::integer,
    coalesce(:runAt::timestamptz, now() + coalesce(:delayMs::bigint, 0) * interval '1 millisecond')
  )
  RETURNING id, queue_name, scheduled_at
), notified AS (
  SELECT pg_notify('backie_tasks_ready', queue_name) FROM inserted WHERE :notify!::boolean AND scheduled_at <= now()
)
SELECT inserted.id FROM inserted LEFT JOIN notified ON true;

/* @name TasksInsertMany */
-- Rows without a unique key: a plain insert (no speculative insertion per row).
-- Rows arrive as one typed array per column (about 1.2-1.5x faster to take apart than a JSON
-- document of records, measured with 1,000-row batches). A column that is the same in every row
-- comes once, as the scalar, with an empty array (unnest pads it with NULLs): most batches are
-- one task's rows, and parsing eight 1,000-element arrays was a third of the statement.
-- The ids come back as one text in input order (a sequence's values rise within a statement):
-- one row rather than one per task, and a split rather than an array parse in the client.
WITH inserted AS (
  INSERT INTO backie_tasks (task_name, queue_name, payload, priority, max_retries, trace_context, concurrency_key, payload_version, scheduled_at)
  SELECT coalesce(t.task_name, :taskName!), coalesce(t.queue_name, :queueName!), t.payload, coalesce(t.priority, :priority!),
         coalesce(t.max_retries, :maxRetries!), t.trace_context, t.concurrency_key, coalesce(t.payload_version, :payloadVersion!::integer),
         coalesce(t.run_at, now() + coalesce(t.delay_ms, 0) * interval '1 millisecond')
  FROM unnest(:taskNames!::text[], :queueNames!::text[], :payloads!::jsonb[], :priorities!::integer[], :maxRetriesEach!::integer[],
              :runAts!::timestamptz[], :delays!::bigint[], :traceContexts!::jsonb[], :concurrencyKeys!::text[], :payloadVersions!::integer[]) WITH ORDINALITY
       AS t(task_name, queue_name, payload, priority, max_retries, run_at, delay_ms, trace_context, concurrency_key, payload_version, ord)
  ORDER BY t.ord
  RETURNING id, queue_name, scheduled_at
), notified AS (
  SELECT pg_notify('backie_tasks_ready', string_agg(DISTINCT queue_name, ','))
  FROM inserted WHERE :notify!::boolean AND scheduled_at <= now() HAVING count(*) > 0
)
SELECT string_agg(inserted.id::text, ',' ORDER BY inserted.id) AS "ids!" FROM inserted LEFT JOIN notified ON true;

/* @name TasksInsertUniqueMany */
-- Rows with a unique key, one or many, as typed arrays per column like TasksInsertMany (the same
-- scalar-for-a-uniform-column trick), plus the keys. While a ready or running task holds the key,
-- that task's id comes back (`inserted` false), read without a lock: DO NOTHING then a plain read,
-- because DO UPDATE would hold the row lock until the enqueuer commits, blocking that task's
-- worker. The read is a scalar subquery, evaluated only for a row not inserted, one probe of the
-- unique-key index each (as a join, the planner read every keyed ready row per batch: 100,000
-- keyed tasks enqueued at 7,350/s). `id` is null when the holder finished between the insert and
-- the read (or committed after this statement's snapshot), and the caller sends that row again.
-- Each key comes once per batch.
WITH input AS (
  SELECT coalesce(t.task_name, :taskName!) AS task_name, coalesce(t.queue_name, :queueName!) AS queue_name, t.payload,
         coalesce(t.priority, :priority!) AS priority, t.unique_key, coalesce(t.max_retries, :maxRetries!) AS max_retries,
         t.run_at, t.delay_ms, t.trace_context, t.concurrency_key, coalesce(t.payload_version, :payloadVersion!::integer) AS payload_version, t.ord
  FROM unnest(:taskNames!::text[], :queueNames!::text[], :payloads!::jsonb[], :priorities!::integer[], :maxRetriesEach!::integer[],
              :runAts!::timestamptz[], :delays!::bigint[], :traceContexts!::jsonb[], :concurrencyKeys!::text[], :payloadVersions!::integer[],
              :uniqueKeys!::text[]) WITH ORDINALITY
       AS t(task_name, queue_name, payload, priority, max_retries, run_at, delay_ms, trace_context, concurrency_key, payload_version, unique_key, ord)
), inserted AS (
  INSERT INTO backie_tasks (task_name, queue_name, payload, priority, unique_key, max_retries, trace_context, concurrency_key, payload_version, scheduled_at)
  SELECT i.task_name, i.queue_name, i.payload, i.priority, i.unique_key, i.max_retries, i.trace_context, i.concurrency_key, i.payload_version,
         coalesce(i.run_at, now() + coalesce(i.delay_ms, 0) * interval '1 millisecond')
  FROM input i
  ORDER BY i.ord
  ON CONFLICT (task_name, backie_key_digest(unique_key)) WHERE unique_key IS NOT NULL AND state IN ('ready', 'running')
  DO NOTHING
  RETURNING id, task_name, unique_key, queue_name, scheduled_at
), notified AS (
  SELECT pg_notify('backie_tasks_ready', string_agg(DISTINCT queue_name, ','))
  FROM inserted WHERE :notify!::boolean AND scheduled_at <= now() HAVING count(*) > 0
)
SELECT i.ord AS "ord!",
       coalesce(ins.id, (
         SELECT b.id FROM backie_tasks b
         WHERE b.task_name = i.task_name AND backie_key_digest(b.unique_key) = backie_key_digest(i.unique_key)
           AND b.unique_key = i.unique_key AND b.unique_key IS NOT NULL AND b.state IN ('ready', 'running')
         LIMIT 1)) AS id,
       ins.id IS NOT NULL AS "inserted!"
FROM input i
LEFT JOIN inserted ins ON ins.task_name = i.task_name AND ins.unique_key = i.unique_key
LEFT JOIN notified ON true
ORDER BY i.ord;

/* @name QueuesNotify */
-- Wakes idle workers of these queues (comma-separated), outside any inserting transaction.
SELECT pg_notify('backie_tasks_ready', :queues!::text) IS NULL AS "sent!";

/* @name TasksClaimMany */
-- Claims up to :limit runnable tasks of one queue for the given names and gives each a lease.
-- Each registered (name, payload version) range of the claim index is read on its own (rows of
-- names or versions this worker does not know are never visited, however many), and the heads
-- are merged in priority order. A row
-- locked by one name's scan but not among the :limit taken is free again at commit.
-- `id = ANY(ARRAY(...))` keeps the update on the primary key: a join with the locked rows lets
-- the planner hash the whole table, which grows with kept history.
-- The counters saturate and wrap instead of overflowing: a row written by hand with
-- 2147483647 in either would otherwise fail every claim of its queue, forever. A negative count
-- (also only by hand) starts from 0, or its retries would last two billion runs.
UPDATE backie_tasks t
SET state = 'running',
    attempts = greatest(least(t.attempts, 2147483646), 0) + 1,
    lease_token = CASE WHEN t.lease_token = 2147483647 THEN -2147483648 ELSE t.lease_token + 1 END,
    lease_owner = :owner!,
    lease_expires_at = coalesce(:now::timestamptz, now()) + :leaseMs!::bigint * interval '1 millisecond',
    started_at = coalesce(:now::timestamptz, now())
WHERE t.id = ANY(ARRAY(
  SELECT c.id
  FROM unnest(:taskNames!::text[], :versions!::integer[]) AS n(name, version)
  CROSS JOIN LATERAL (
    SELECT b.id, b.priority, b.scheduled_at
    FROM backie_tasks b
    WHERE b.state = 'ready'
      AND b.parked IS NULL
      AND b.queue_name = :queueName!
      AND b.task_name = n.name
      AND b.payload_version = n.version
      AND b.scheduled_at <= coalesce(:now::timestamptz, now())
      -- A paused queue (backie pause) gives nothing: a primary-key lookup per claim.
      AND NOT EXISTS (SELECT 1 FROM backie_queues p WHERE p.queue_name = :queueName! AND p.paused)
    ORDER BY b.priority DESC, b.scheduled_at, b.id
    LIMIT :limit!
    FOR UPDATE SKIP LOCKED
  ) c
  ORDER BY c.priority DESC, c.scheduled_at, c.id
  LIMIT :limit!
))
-- Times as epoch milliseconds: cheaper to decode than timestamps, and a run rarely reads them.
-- date_part, not extract: extract's numeric result (and its cast back to float8) cost the claim
-- about 0.9 µs per row, a tenth of a 1,000-row claim.
-- (No `!` hints on hot queries: pgtyped renames hinted columns with `delete`, per row.)
-- Not the queue: the caller claims from one. When it was claimed, by the database's clock (a
-- worker's may be off): the caller takes the due time from it for the time the task waited
-- (queue lag), as epochs, since a timestamp difference with an infinite one (a row written by
-- hand) is an error that would block the queue. Each column costs every row: the queue and a
-- second date_part were 7% of a 1,000-row claim (12.9 -> 12.0 ms; the floor's two columns 11.4).
RETURNING t.id, t.task_name, t.payload, t.priority, t.attempts, t.max_retries,
          t.lease_token, date_part('epoch', t.created_at) * 1000 AS created_at_ms,
          date_part('epoch', t.scheduled_at) * 1000 AS scheduled_at_ms,
          t.schedule_id, date_part('epoch', t.schedule_for) * 1000 AS schedule_for_ms, t.schedule_missed,
          t.trace_context, t.fan_in_id, t.payload_version, date_part('epoch', t.started_at) * 1000 AS started_at_ms;

/* @name TasksClaimManyFrom */
-- TasksClaimMany from a start (:startPriority, :startAt): where the caller's last claim left the
-- queue. Each range is read in three parts, each an index range of its own: priorities above the
-- start (from the range's head), the start's priority from :startAt on, and lower priorities.
-- Rows before the start are not read: every task claimed, or deleted, since the oldest open
-- snapshot leaves a dead entry at the head of the range that PostgreSQL cannot remove yet, and
-- with a session idle in its transaction for minutes, claims from the head walked all of them
-- (claim p99 5.7x after two minutes at 800 tasks/s). The caller uses a start only while reading
-- the head is slow, keeps it a second behind its last claim, and moves it back when a task lands
-- earlier (TasksFindClaimHead). Three reads cost a small claim about 0.1 ms more: hence two
-- statements. Same columns as TasksClaimMany.
UPDATE backie_tasks t
SET state = 'running',
    attempts = greatest(least(t.attempts, 2147483646), 0) + 1,
    lease_token = CASE WHEN t.lease_token = 2147483647 THEN -2147483648 ELSE t.lease_token + 1 END,
    lease_owner = :owner!,
    lease_expires_at = coalesce(:now::timestamptz, now()) + :leaseMs!::bigint * interval '1 millisecond',
    started_at = coalesce(:now::timestamptz, now())
WHERE t.id = ANY(ARRAY(
  SELECT c.id
  FROM unnest(:taskNames!::text[], :versions!::integer[]) AS n(name, version)
  CROSS JOIN LATERAL (
    -- (FOR UPDATE is not allowed in a UNION's arms themselves: each is a subquery.)
    SELECT x.* FROM (SELECT b.id, b.priority, b.scheduled_at
     FROM backie_tasks b
     WHERE b.state = 'ready'
       AND b.parked IS NULL
       AND b.queue_name = :queueName!
       AND b.task_name = n.name
       AND b.payload_version = n.version
       AND b.priority > :startPriority!::integer
       AND b.scheduled_at <= coalesce(:now::timestamptz, now())
       -- A paused queue (backie pause) gives nothing: a primary-key lookup per claim.
       AND NOT EXISTS (SELECT 1 FROM backie_queues p WHERE p.queue_name = :queueName! AND p.paused)
     ORDER BY b.priority DESC, b.scheduled_at, b.id
     LIMIT :limit!
     FOR UPDATE SKIP LOCKED) x
    UNION ALL
    SELECT x.* FROM (SELECT b.id, b.priority, b.scheduled_at
     FROM backie_tasks b
     WHERE b.state = 'ready' AND b.parked IS NULL AND b.queue_name = :queueName! AND b.task_name = n.name AND b.payload_version = n.version
       AND b.priority = :startPriority!::integer
       AND b.scheduled_at >= :startAt!::timestamptz
       AND b.scheduled_at <= coalesce(:now::timestamptz, now())
       AND NOT EXISTS (SELECT 1 FROM backie_queues p WHERE p.queue_name = :queueName! AND p.paused)
     ORDER BY b.priority DESC, b.scheduled_at, b.id
     LIMIT :limit!
     FOR UPDATE SKIP LOCKED) x
    UNION ALL
    SELECT x.* FROM (SELECT b.id, b.priority, b.scheduled_at
     FROM backie_tasks b
     WHERE b.state = 'ready' AND b.parked IS NULL AND b.queue_name = :queueName! AND b.task_name = n.name AND b.payload_version = n.version
       AND b.priority < :startPriority!::integer
       AND b.scheduled_at <= coalesce(:now::timestamptz, now())
       AND NOT EXISTS (SELECT 1 FROM backie_queues p WHERE p.queue_name = :queueName! AND p.paused)
     ORDER BY b.priority DESC, b.scheduled_at, b.id
     LIMIT :limit!
     FOR UPDATE SKIP LOCKED) x
  ) c
  ORDER BY c.priority DESC, c.scheduled_at, c.id
  LIMIT :limit!
))
-- Same columns as TasksClaimMany (see there).
RETURNING t.id, t.task_name, t.payload, t.priority, t.attempts, t.max_retries,
          t.lease_token, date_part('epoch', t.created_at) * 1000 AS created_at_ms,
          date_part('epoch', t.scheduled_at) * 1000 AS scheduled_at_ms,
          t.schedule_id, date_part('epoch', t.schedule_for) * 1000 AS schedule_for_ms, t.schedule_missed,
          t.trace_context, t.fan_in_id, t.payload_version, date_part('epoch', t.started_at) * 1000 AS started_at_ms;

/* @name TasksFindClaimHead */
-- The first due task in claim order over a queue's (name, version) ranges, read without a lock:
-- where a claim from the head would start. A claimer that claims from a start of its own
-- (TasksClaimMany) reads it once per poll interval and moves its start back to it when a task
-- landed before (given back, rescued, woken, enqueued in a transaction that committed late).
-- This read walks the dead entries a claim from the start skips; it is off the claim path.
-- One row always, with the time the database took to find the head (or none): whether the head
-- reads slowly is the database's walk over dead entries, not the round trip, which on a network
-- (or an idle VM waking up) alone can be past the threshold.
SELECT h.priority AS "priority?", date_part('epoch', h.scheduled_at) * 1000 AS scheduled_at_ms,
       date_part('epoch', clock_timestamp() - statement_timestamp()) * 1000 AS "read_ms!"
FROM (SELECT 1) AS one
LEFT JOIN LATERAL (
  SELECT x.priority, x.scheduled_at
  FROM unnest(:taskNames!::text[], :versions!::integer[]) AS n(name, version)
  CROSS JOIN LATERAL (
    SELECT b.id, b.priority, b.scheduled_at
    FROM backie_tasks b
    WHERE b.state = 'ready' AND b.parked IS NULL AND b.queue_name = :queueName! AND b.task_name = n.name AND b.payload_version = n.version
      AND b.scheduled_at <= now()
    ORDER BY b.priority DESC, b.scheduled_at, b.id
    LIMIT 1
  ) x
  ORDER BY x.priority DESC, x.scheduled_at, x.id
  LIMIT 1
) h ON true;

/* @name TasksClaimKeyedMany */
-- Claims tasks of names with a per-key concurrency limit (see backie_claim_keyed in migration
-- 0008: exact across processes, round-robin over keys from :after; chains of up to :chain
-- tasks of a free key at limit 1, migration 0016). In walk order, a key's chain in claim order.
-- Same columns as TasksClaimMany, plus the key.
SELECT t.id, t.task_name, t.payload, t.priority, t.attempts, t.max_retries,
       t.lease_token, date_part('epoch', t.created_at) * 1000 AS created_at_ms,
       date_part('epoch', t.scheduled_at) * 1000 AS scheduled_at_ms,
       t.schedule_id, date_part('epoch', t.schedule_for) * 1000 AS schedule_for_ms, t.schedule_missed,
       t.trace_context, t.fan_in_id, t.payload_version, date_part('epoch', t.started_at) * 1000 AS started_at_ms,
       t.concurrency_key
FROM backie_claim_keyed(:queueName!, :taskNames!::text[], :limits!::integer[], :fifos!::boolean[], :versions!::integer[], :after::text,
                        :limit!::integer, :owner!, :leaseMs!::bigint, :now::timestamptz, :chain!::integer) t;

/* @name TasksClaimLimitedMany */
-- Claims tasks of names under one rate limit: no more than its bucket holds tokens, one token
-- each (see backie_claim_limited in migration 0010: exact across processes). Same columns as
-- TasksClaimMany.
SELECT t.id, t.task_name, t.payload, t.priority, t.attempts, t.max_retries,
       t.lease_token, date_part('epoch', t.created_at) * 1000 AS created_at_ms,
       date_part('epoch', t.scheduled_at) * 1000 AS scheduled_at_ms,
       t.schedule_id, date_part('epoch', t.schedule_for) * 1000 AS schedule_for_ms, t.schedule_missed,
       t.trace_context, t.fan_in_id, t.payload_version, date_part('epoch', t.started_at) * 1000 AS started_at_ms
FROM backie_claim_limited(:bucket!, :max!::integer, :perMs!::bigint, :burst!::integer, :queueName!, :taskNames!::text[], :versions!::integer[],
                          :limit!::integer, :owner!, :leaseMs!::bigint, :now::timestamptz) t;

/* @name RateLimitFindWait */
-- Milliseconds until a bucket holds a whole token again (0 if it does, or does not exist yet):
-- when a runner should claim its limited tasks next.
SELECT greatest(0, (1 - least(:burst!::float8, greatest(coalesce(nullif(r.tokens, 'NaN'), 0), 0)
         + CASE WHEN isfinite(r.refilled_at)
             THEN greatest(0, extract(epoch FROM clock_timestamp() - r.refilled_at) * 1000) * :max!::float8 / :perMs!::float8
             ELSE :burst!::float8 END))
       * :perMs!::float8 / :max!::float8)::float8 AS "wait_ms!"
FROM backie_rate_limits r
WHERE r.bucket = :bucket!;

/* @name FanInInsert */
-- A run's fan-out, in one statement: the fan-in (its continuation and pending count), the
-- children (tagged with it) and their places. A rerun of the parent (same :parentId and
-- :fanKey) inserts nothing and gets the first fan-out's ids back. Without children the
-- continuation is inserted at once, with `children: []`. Children are in :children order; ids
-- of one statement's rows rise in insert order, so their places follow from the ids.
WITH fan AS (
  INSERT INTO backie_fan_ins (parent_id, fan_key, task_name, queue_name, payload, priority, max_retries, on_child_failure, total, pending, resumed_at, payload_version)
  VALUES (:parentId!, :fanKey!, :taskName!, :queueName!, :payload!::jsonb, :priority!, :maxRetries!, :onChildFailure!,
          :total!::integer, :total!::integer, CASE WHEN :total!::integer = 0 THEN now() END, :payloadVersion!::integer)
  ON CONFLICT (parent_id, fan_key) DO NOTHING
  RETURNING id
), children AS (
  INSERT INTO backie_tasks (task_name, queue_name, payload, priority, max_retries, trace_context, concurrency_key, payload_version, scheduled_at, fan_in_id)
  SELECT c.task_name, c.queue_name, c.payload, c.priority, c.max_retries, c.trace_context, c.concurrency_key, coalesce(c.payload_version, 0),
         coalesce(c.run_at, now() + coalesce(c.delay_ms, 0) * interval '1 millisecond'), fan.id
  FROM fan, ROWS FROM (json_to_recordset(:children!::json) AS (
    task_name text, queue_name text, payload jsonb, priority integer,
    max_retries integer, run_at timestamptz, delay_ms bigint, trace_context jsonb, concurrency_key text, payload_version integer)) WITH ORDINALITY AS c(
    task_name, queue_name, payload, priority, max_retries, run_at, delay_ms, trace_context, concurrency_key, payload_version, ord)
  ORDER BY c.ord
  RETURNING id, task_name, queue_name, scheduled_at, fan_in_id
), places AS (
  INSERT INTO backie_fan_in_children (fan_in_id, position, child_id, task_name)
  SELECT fan_in_id, row_number() OVER (ORDER BY id) - 1, id, task_name FROM children
  RETURNING child_id
), continuation AS (
  INSERT INTO backie_tasks (task_name, queue_name, payload, priority, max_retries, payload_version)
  SELECT :taskName!, :queueName!, :payload!::jsonb || '{"children": []}'::jsonb, :priority!, :maxRetries!, :payloadVersion!::integer
  FROM fan WHERE :total!::integer = 0
  RETURNING id, queue_name
), notified AS (
  SELECT pg_notify('backie_tasks_ready', string_agg(DISTINCT q.queue_name, ','))
  FROM (SELECT queue_name FROM children WHERE scheduled_at <= now() UNION ALL SELECT queue_name FROM continuation) q
  HAVING count(*) > 0
)
SELECT fan.id::text AS "fan_in_id!", true AS "created!",
       coalesce((SELECT array_agg(child_id::text ORDER BY child_id) FROM places), '{}') AS "child_ids!"
FROM fan LEFT JOIN notified ON true
UNION ALL
SELECT f.id::text, false,
       coalesce((SELECT array_agg(c.child_id::text ORDER BY c.position) FROM backie_fan_in_children c WHERE c.fan_in_id = f.id), '{}')
FROM backie_fan_ins f
WHERE NOT EXISTS (SELECT 1 FROM fan) AND f.parent_id = :parentId! AND f.fan_key = :fanKey!;

/* @name TasksAdoptKeyless */
-- Ready tasks of keyed names that carry no key (enqueued before the name had a concurrencyKey,
-- or by an older client) join the shared key '' at pool start, so that the keyed claim sees
-- them: without a key they would wait forever.
WITH adopted AS (
  UPDATE backie_tasks SET concurrency_key = ''
  WHERE state = 'ready' AND parked IS NULL AND queue_name = :queueName! AND task_name = ANY(:taskNames!::text[]) AND concurrency_key IS NULL
  RETURNING 1
)
SELECT count(*)::integer AS "adopted!" FROM adopted;

/* @name TasksDeleteIfRunningMany */
-- Finishes tasks whose result is not kept. Fenced: a row is only touched while the caller's
-- lease token is current, so a runner that lost its lease cannot delete a newer run.
-- "Still leased" is `lease_owner IS NOT NULL` (set exactly while running) rather than
-- `state = 'running'`, which would tempt the planner into the lease index.
-- :ifExpired (the rescuer) also requires the lease to have expired, so a worker that renewed it
-- in the meantime keeps its task.
-- One table and no join: the rows are read by one index scan over the sorted ids, and each
-- row's token is looked up in :tokens, a JSON object from id to token (a binary search over its
-- keys). Joined to the batch, the rows were found by a primary-key probe per id, 7.6-8 µs a row
-- of a live run's deletes (`npm run bench -- --only process`, pg_stat_statements) against 3
-- for a bare `DELETE ... WHERE id = ANY`; and a join that also scans by `id = ANY` lets the
-- planner repeat that scan inside a nested loop, once per id (seconds for 5,000 results).
-- Both parameters are sent as text, which PostgreSQL reads once, when the statement is bound: the
-- ids as an array literal (pg's own array serializer quotes and escapes each element), the tokens
-- as JSON. (Cast inside the statement instead, `::text::jsonb`, the tokens were parsed again for
-- every row: 230 ms for 600 results.)
-- Returns the ids removed, and only when some of :ids were not (usually none are): no row per
-- task to send back, and no join to plan.
WITH removed AS (
  DELETE FROM backie_tasks t
  WHERE t.id = ANY(:ids!::bigint[]) AND t.lease_owner IS NOT NULL
    AND t.lease_token = (:tokens!::jsonb ->> t.id::text)::integer
    AND (NOT :ifExpired!::boolean OR t.lease_expires_at < now())
  RETURNING t.id
)
SELECT CASE WHEN count(*) = cardinality(:ids!::bigint[]) THEN NULL ELSE coalesce(array_agg(id), '{}') END AS removed_ids
FROM removed;

/* @name TasksSetStateIfRunningMany */
-- Moves running tasks to their next state: `done` or `failed` (finished, kept), or `ready` for a
-- retry after `retry_delay_ms`, or `ready` in the same place of the queue when `retry_delay_ms`
-- is null (a give-back on shutdown, a rescued lease: not the task's fault, so it does not go to
-- the back of a backlog). `uncount` undoes the claim's attempt (a give-back).
-- `parked` (ctx.sleep, ctx.waitFor): ready at `run_at` (null: never, until a signal); a wait whose
-- signal is already in the inbox is due at once (this reads the inbox of the row it updates: a
-- signal sent while it waits for the row lock is seen).
-- Fenced by lease token like the delete above (and :ifExpired likewise); returns the ids NOT updated.
-- It is written as a join with the items, the fence as a join clause (`OR x.token IS NULL`, never
-- true): as a test of the table alone, statistics taken while no task ran (every lease_owner
-- null) made the planner expect one leased row, scan the table for it and loop over the whole
-- batch for each row found, 0.1 s for 1,000 results in a 50,000-row table. (The delete's scan by
-- `id = ANY` is not used here: beside this join the planner may repeat it once per item.)
WITH updated AS (
UPDATE backie_tasks t
SET state = x.state::backie_task_state,
    errors = CASE WHEN x.error IS NULL THEN t.errors ELSE t.errors || jsonb_build_array(x.error) END,
    scheduled_at = CASE
      WHEN x.parked IS NOT NULL THEN
        CASE WHEN x.waiting_for IS NOT NULL AND t.inbox @> jsonb_build_array(jsonb_build_object('name', x.waiting_for))
             THEN coalesce(:now::timestamptz, now()) ELSE coalesce(x.run_at, 'infinity') END
      WHEN x.state = 'ready' AND x.retry_delay_ms IS NOT NULL
        THEN coalesce(:now::timestamptz, now()) + x.retry_delay_ms * interval '1 millisecond'
      ELSE t.scheduled_at END,
    finished_at = CASE WHEN x.state = 'ready' THEN NULL ELSE coalesce(:now::timestamptz, now()) END,
    attempts = CASE WHEN x.uncount THEN greatest(t.attempts, 1) - 1 ELSE t.attempts END,
    -- A fan-in child's return value, with its `done` (the fan-in trigger reads it).
    result = CASE WHEN x.result IS NULL THEN t.result ELSE x.result END,
    -- A wait whose signal is already there is not parked: due now, and in the claim index.
    parked = CASE WHEN x.waiting_for IS NOT NULL AND t.inbox @> jsonb_build_array(jsonb_build_object('name', x.waiting_for))
                  THEN NULL ELSE x.parked END,
    waiting_for = x.waiting_for,
    lease_owner = NULL,
    lease_expires_at = NULL,
    lease_confirmed_at = NULL
FROM jsonb_to_recordset(:items!::jsonb) AS x(
  id bigint, token integer, state text, error jsonb, retry_delay_ms bigint, uncount boolean, result jsonb,
  run_at timestamptz, parked text, waiting_for text)
WHERE t.id = x.id AND t.lease_token = x.token AND (t.lease_owner IS NOT NULL OR x.token IS NULL)
  AND (NOT :ifExpired!::boolean OR t.lease_expires_at < coalesce(:now::timestamptz, now()))
RETURNING t.id
)
SELECT x.id AS discarded_id
FROM jsonb_to_recordset(:items!::jsonb) AS x(id bigint)
WHERE NOT EXISTS (SELECT 1 FROM updated u WHERE u.id = x.id);

/* @name TasksSetProgressMany */
-- The latest progress of runs, one batch per pool and interval. Fenced by the claim's token
-- only: a run that has just finished (its result written first) still gets its last value, but
-- a later claim of the task (a new token) is never overwritten by an old run.
UPDATE backie_tasks t
SET progress = x.progress, progress_at = coalesce(:now::timestamptz, now())
FROM jsonb_to_recordset(:items!::jsonb) AS x(id bigint, token integer, progress jsonb)
WHERE t.id = x.id AND t.lease_token = x.token;

/* @name TasksExtendLeaseMany */
-- Heartbeat: extends the leases a worker still holds; returns the ids it still holds, and only
-- when it lost some (as TasksDeleteIfRunningMany, whose plan this shares).
-- :confirm marks them as started runs (a full lease, not a reservation: see migration 0015).
WITH extended AS (
  UPDATE backie_tasks t
  SET lease_expires_at = coalesce(:now::timestamptz, now()) + :leaseMs!::bigint * interval '1 millisecond',
      lease_confirmed_at = CASE WHEN :confirm!::boolean THEN coalesce(t.lease_confirmed_at, coalesce(:now::timestamptz, now()))
                                ELSE t.lease_confirmed_at END
  WHERE t.id = ANY(:ids!::bigint[]) AND t.lease_owner IS NOT NULL
    AND t.lease_token = (:tokens!::jsonb ->> t.id::text)::integer
  RETURNING t.id
)
SELECT CASE WHEN count(*) = cardinality(:ids!::bigint[]) THEN NULL ELSE coalesce(array_agg(id), '{}') END AS extended_ids
FROM extended;

/* @name TasksFindExpired */
-- Running tasks whose lease expired (their worker crashed, hung or lost its connection), oldest
-- expiry first. Read without locks: the rescuer decides each one's fate in code (the same policy
-- as a failed run) and writes through the fenced updates above with :ifExpired, so a lease that
-- was renewed or taken over since is left alone. Scans the running rows only (the running index):
-- heartbeats stay HOT because lease_expires_at is in no index.
-- `confirmed`: a started run's lease, not a reservation; `lapses`: reservations that expired
-- before (each left an error of kind reservation_expired), which bound how many are given back.
-- One row at least: none expired is a row of nulls. Each row says how long the database took to
-- scan (`read_ms`, the sort waits for the whole scan): while an old snapshot keeps every finished
-- run's entry in the running index, a scan walks all of them, and the rescuer spaces its scans
-- out by it (rescuePause).
SELECT e.id AS "id?", e.lease_token AS "lease_token?", e.task_name AS "task_name?", e.queue_name AS "queue_name?",
       e.attempts AS "attempts?", e.max_retries AS "max_retries?", e.lease_owner, e.lease_expires_at AS "lease_expires_at?",
       e.confirmed AS "confirmed?", e.lapses AS "lapses?",
       date_part('epoch', clock_timestamp() - statement_timestamp()) * 1000 AS "read_ms!"
FROM (SELECT 1) AS one
LEFT JOIN LATERAL (
  SELECT id, lease_token, task_name, queue_name, attempts, max_retries, lease_owner, lease_expires_at,
         lease_confirmed_at IS NOT NULL AS confirmed,
         (SELECT count(*) FROM jsonb_array_elements(CASE WHEN jsonb_typeof(errors) = 'array' THEN errors ELSE '[]' END) x
          WHERE jsonb_typeof(x) = 'object' AND x->>'kind' = 'reservation_expired')::integer AS lapses
  FROM backie_tasks
  WHERE state = 'running' AND lease_expires_at < coalesce(:now::timestamptz, now())
  ORDER BY lease_expires_at
  LIMIT :limit!
) e ON true
ORDER BY e.lease_expires_at;

/* @name TasksFindMany */
SELECT id, task_name, queue_name, state, payload, priority, unique_key, attempts, max_retries,
       errors, created_at, scheduled_at, started_at, finished_at, lease_owner, lease_token,
       lease_expires_at, lease_confirmed_at IS NOT NULL AS "lease_confirmed!", schedule_id, schedule_for, progress, progress_at, payload_version,
       steps, inbox, parked, waiting_for
FROM backie_tasks
WHERE id = ANY(:ids!::bigint[])
ORDER BY id;

/* @name TasksCountActive */
-- Ready, running and failed tasks per queue and name, each state read through its own partial
-- index: the finished history (done, cancelled: possibly millions of rows) is never read.
-- oldest_ready_at: the longest-waiting task that is due (not one scheduled for later);
-- oldest_running_since: the longest run in progress, to spot one that hangs.
-- Ready ones come from two indexes, the claim index and the parked one (sleeping and waiting tasks).
-- claimed: running rows whose lease no worker confirmed (prefetched, or started moments ago).
SELECT r.queue_name AS "queue_name!", r.task_name AS "task_name!", 'ready'::backie_task_state AS "state!", sum(r.n)::integer AS "count!",
       min(r.oldest) AS "oldest_ready_at", NULL::timestamptz AS "oldest_running_since",
       sum(r.sleeping)::integer AS "sleeping!", sum(r.waiting)::integer AS "waiting!", 0 AS "claimed!"
FROM (
  SELECT queue_name, task_name, count(*) AS n, min(scheduled_at) FILTER (WHERE scheduled_at <= now()) AS oldest, 0 AS sleeping, 0 AS waiting
  FROM backie_tasks WHERE state = 'ready' AND parked IS NULL GROUP BY queue_name, task_name
  UNION ALL
  SELECT queue_name, task_name, count(*), min(scheduled_at) FILTER (WHERE scheduled_at <= now()),
         count(*) FILTER (WHERE parked = 'sleeping' AND scheduled_at > now()), count(*) FILTER (WHERE parked = 'waiting' AND scheduled_at > now())
  FROM backie_tasks WHERE state = 'ready' AND parked IS NOT NULL GROUP BY queue_name, task_name
) r GROUP BY r.queue_name, r.task_name
UNION ALL
SELECT queue_name, task_name, 'running', count(*)::integer, NULL, min(started_at), 0, 0, count(*) FILTER (WHERE lease_confirmed_at IS NULL)::integer
FROM backie_tasks WHERE state = 'running' GROUP BY queue_name, task_name
UNION ALL
SELECT queue_name, task_name, 'failed', count(*)::integer, NULL, NULL, 0, 0, 0
FROM backie_tasks WHERE state = 'failed' GROUP BY queue_name, task_name
ORDER BY 1, 2, 3;

/* @name TasksCountByState */
-- Every state, the finished history included: reads the whole table (`backie status --all`).
SELECT queue_name, task_name, state, count(*)::integer AS "count!",
       min(scheduled_at) FILTER (WHERE state = 'ready' AND scheduled_at <= now()) AS "oldest_ready_at",
       min(started_at) FILTER (WHERE state = 'running') AS "oldest_running_since",
       count(*) FILTER (WHERE state = 'ready' AND parked = 'sleeping' AND scheduled_at > now())::integer AS "sleeping!",
       count(*) FILTER (WHERE state = 'ready' AND parked = 'waiting' AND scheduled_at > now())::integer AS "waiting!",
       count(*) FILTER (WHERE state = 'running' AND lease_confirmed_at IS NULL)::integer AS "claimed!"
FROM backie_tasks
GROUP BY queue_name, task_name, state
ORDER BY queue_name, task_name, state;

/* @name TasksListen */
-- Idle workers wait on this channel; the insert trigger names the queues with new work.
LISTEN backie_tasks_ready;

/* @name TasksPruneFinished */
-- Deletes kept finished rows of one queue older than :olderThanMs, at most :limit per call.
DELETE FROM backie_tasks
WHERE id = ANY(ARRAY(
  SELECT id
  FROM backie_tasks
  WHERE state IN ('done', 'failed', 'cancelled')
    AND queue_name = :queueName!
    AND finished_at < coalesce(:now::timestamptz, now()) - :olderThanMs!::bigint * interval '1 millisecond'
  LIMIT :limit!
))
RETURNING id;

/* @name TasksFindFailed */
-- Most recent failures first, with their last error, for `backie failed`.
SELECT id, task_name, queue_name, attempts, max_retries, finished_at,
       -- Rows written by hand may hold anything in errors: only an array has a last entry.
       CASE WHEN jsonb_typeof(errors) = 'array' THEN errors -> -1 END AS "last_error"
FROM backie_tasks
WHERE state = 'failed'
ORDER BY finished_at DESC NULLS LAST, id DESC
LIMIT :limit!;

/* @name TasksFindRunning */
-- Longest-held first, for `backie running`: spot (and cancel) a run that hangs. A prefetched
-- task is `running` too, from its claim: `confirmed` tells a run whose worker confirmed its
-- lease (it outlasted a quarter of its reservation) from one only claimed (prefetched, or
-- started moments ago), as the dashboard's overview does.
SELECT id, task_name, queue_name, attempts, started_at, lease_owner, lease_expires_at,
       lease_confirmed_at IS NOT NULL AS "confirmed!"
FROM backie_tasks
WHERE state = 'running'
ORDER BY started_at, id
LIMIT :limit!;

/* @name TaskRetry */
-- A failed or cancelled task runs again with a fresh set of attempts; its error history stays.
-- Its step history stays too (the run resumes after the last completed step) unless :fromStart.
UPDATE backie_tasks
SET state = 'ready', attempts = 0, scheduled_at = now(), finished_at = NULL, parked = NULL, waiting_for = NULL,
    lease_confirmed_at = NULL, steps = CASE WHEN :fromStart!::boolean THEN NULL ELSE steps END
WHERE id = :id! AND state IN ('failed', 'cancelled')
RETURNING id;

/* @name TaskCancel */
-- A ready task, or a running one: clearing its lease makes the worker's next heartbeat find it
-- lost, abort the run and discard its result (every result write is fenced on the lease).
-- Returns the state it was cancelled from.
WITH target AS (
  SELECT id, state FROM backie_tasks WHERE id = :id! AND state IN ('ready', 'running') FOR UPDATE
)
UPDATE backie_tasks t
SET state = 'cancelled', finished_at = now(), lease_owner = NULL, lease_expires_at = NULL, lease_confirmed_at = NULL
FROM target
WHERE t.id = target.id
RETURNING t.id, target.state AS previous_state;

/* @name ServerSettingsFind */
-- Server settings Backie depends on, for `backie status` to warn about: without autovacuum the
-- task table grows without bound under churn.
SELECT current_setting('autovacuum') = 'on' AS "autovacuum!";

/* @name TasksWakeParked */
-- Sleeping and waiting tasks of these queues whose time has come (a sleep's end, a wait's
-- time-out) go back into the claim index: at most :limit, through the parked index, skipping
-- rows another pool is waking. Returns the queues that got work, with how many each.
WITH woken AS (
  UPDATE backie_tasks t SET parked = NULL
  WHERE t.id = ANY(ARRAY(
    SELECT p.id FROM backie_tasks p
    WHERE p.state = 'ready' AND p.parked IS NOT NULL AND p.queue_name = ANY(:queueNames!::text[])
      AND p.scheduled_at <= coalesce(:now::timestamptz, now())
    ORDER BY p.scheduled_at
    LIMIT :limit!
    FOR UPDATE SKIP LOCKED
  ))
  RETURNING t.queue_name
)
SELECT queue_name AS "queue_name!", count(*)::integer AS "woken!" FROM woken GROUP BY queue_name;
