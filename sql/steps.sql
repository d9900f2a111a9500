/* @name TaskStepsFind */
-- A durable run's history (ctx.step, ctx.sleep, ctx.waitFor), read once per run at its first
-- durable call: tasks that never call one never read it. Fenced: another claim's run gets nothing.
SELECT steps FROM backie_tasks
WHERE id = :id! AND lease_token = :token! AND lease_owner IS NOT NULL;

/* @name TaskStepAppend */
-- Records the next entry of a run's history: the one statement a completed step costs. Fenced by
-- the lease, and by the position: a run that lost its lease, or two runs racing to resume the same
-- task, cannot write an entry where another already stands; nothing returned means "stop".
UPDATE backie_tasks t
SET steps = coalesce(t.steps, '[]'::jsonb) || jsonb_build_array(:step!::jsonb)
WHERE t.id = :id! AND t.lease_token = :token! AND t.lease_owner IS NOT NULL
  AND coalesce(jsonb_array_length(t.steps), 0) = :position!::integer
RETURNING t.id;

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
