/* @name TaskStepsFindMany */
-- Durable runs' histories (ctx.step, ctx.sleep, ctx.waitFor), read once per run at its first
-- durable call, for every run of a pool that got there in the same moment: tasks that never
-- call one never read it. Fenced: a run whose lease is gone gets no row.
SELECT t.id AS "id!", t.steps
FROM unnest(:ids!::bigint[], :tokens!::integer[]) AS l(id, token)
JOIN backie_tasks t ON t.id = l.id AND t.lease_token = l.token AND (t.lease_owner IS NOT NULL OR l.token IS NULL);

/* @name TaskStepsAppendMany */
-- Records the next entry of runs' histories, the entries of every run of a pool that completed a
-- step in the same moment in one statement. Fenced by the lease and by the position: a run that
-- lost its lease, or lost a race to resume its task, cannot write an entry where another already
-- stands. Returns the ids written; a missing one means "stop".
UPDATE backie_tasks t
SET steps = coalesce(t.steps, '[]'::jsonb) || jsonb_build_array(x.step)
FROM jsonb_to_recordset(:items!::jsonb) AS x(id bigint, token integer, position integer, step jsonb)
WHERE t.id = x.id AND t.lease_token = x.token AND (t.lease_owner IS NOT NULL OR x.token IS NULL)
  AND coalesce(jsonb_array_length(t.steps), 0) = x.position
RETURNING t.id AS "id!";

/* @name TaskWaitResolve */
-- Resolves the wait at :position of a running task's history: the oldest signal named :signal in
-- its inbox becomes the wait's result (and leaves the inbox), or with :timedOut and no such
-- signal, the time-out does. Fenced by the lease. Nothing returned: no signal yet, so the run
-- parks (and a signal sent after this wakes it: see TaskSignalSend).
WITH target AS (
  SELECT t.id, t.inbox FROM backie_tasks t
  WHERE t.id = :id! AND t.lease_token = :token! AND t.lease_owner IS NOT NULL
    AND jsonb_array_length(t.steps) > :position!::integer
  FOR UPDATE
), hit AS (
  SELECT target.id, target.inbox,
         (SELECT min(a.i) FROM jsonb_array_elements(coalesce(target.inbox, '[]'::jsonb)) WITH ORDINALITY AS a(e, i)
          WHERE a.e ->> 'name' = :signal!::text) AS i
  FROM target
), outcome AS (
  SELECT hit.id,
         CASE WHEN hit.i IS NOT NULL THEN jsonb_build_object('received', true, 'payload', hit.inbox -> (hit.i::integer - 1) -> 'payload')
              WHEN :timedOut!::boolean THEN jsonb_build_object('received', false, 'timedOut', true) END AS result,
         CASE WHEN hit.i IS NULL THEN hit.inbox
              ELSE (SELECT coalesce(jsonb_agg(a.e ORDER BY a.i), '[]'::jsonb)
                    FROM jsonb_array_elements(hit.inbox) WITH ORDINALITY AS a(e, i) WHERE a.i <> hit.i) END AS inbox
  FROM hit
)
UPDATE backie_tasks t
SET steps = jsonb_set(t.steps, ARRAY[:position!::text, 'result'], o.result), inbox = o.inbox
FROM outcome o
WHERE t.id = o.id AND o.result IS NOT NULL
RETURNING o.result AS "result!";

/* @name TaskSignalSend */
-- Adds a signal to the inbox of a ready or running task of :taskName (by :id, or by its unique
-- key); a task parked waiting for that signal is made due at once. This always updates the row,
-- so it and a run parking at the same moment are serialised by the row lock, and each sees the
-- other's write (the park re-reads the inbox of the row it updates). Returns nothing when no such
-- task is ready or running, or its inbox holds :maxInbox signals already.
WITH target AS (
  SELECT id FROM backie_tasks
  WHERE task_name = :taskName!::text AND state IN ('ready', 'running')
    AND ((:id::bigint IS NOT NULL AND id = :id::bigint)
      OR (:id::bigint IS NULL AND unique_key IS NOT NULL AND unique_key = :uniqueKey::text
          AND backie_key_digest(unique_key) = backie_key_digest(:uniqueKey::text)))
  LIMIT 1
), sent AS (
  UPDATE backie_tasks t
  SET inbox = coalesce(t.inbox, '[]'::jsonb) || jsonb_build_array(jsonb_build_object('name', :name!::text, 'payload', :payload!::jsonb, 'at', now())),
      scheduled_at = CASE WHEN t.state = 'ready' AND t.parked = 'waiting' AND t.waiting_for = :name!::text AND t.scheduled_at > now()
                          THEN now() ELSE t.scheduled_at END,
      -- Woken: back into the claim index at once.
      parked = CASE WHEN t.state = 'ready' AND t.parked = 'waiting' AND t.waiting_for = :name!::text THEN NULL ELSE t.parked END
  FROM target
  WHERE t.id = target.id AND t.state IN ('ready', 'running') AND coalesce(jsonb_array_length(t.inbox), 0) < :maxInbox!::integer
  RETURNING t.id, t.queue_name, t.state = 'ready' AND t.scheduled_at <= now() AS due
), notified AS (
  SELECT pg_notify('backie_tasks_ready', queue_name) FROM sent WHERE due
)
SELECT sent.id AS "id!" FROM sent LEFT JOIN notified ON true;
