-- Indexes and storage built for a table whose rows are updated many times in their short lives.

-- Heartbeats must be HOT updates (no new index entries, no index bloat): nothing they write may be
-- indexed. The lease index on lease_expires_at went; rescue scans the running rows (bounded by the
-- workers' concurrency and prefetch) through an index on started_at, which heartbeats never touch.
DROP INDEX backie_tasks_lease_idx;
CREATE INDEX backie_tasks_running_idx
  ON backie_tasks (started_at, id)
  WHERE state = 'running';

-- Claims by (queue, task name): rows of a name no worker registers sit in a range of their own,
-- so however many there are, a claim never reads them. The claim walks each registered name's
-- range in priority order and merges the heads (see TasksClaimMany).
DROP INDEX backie_tasks_claim_idx;
CREATE INDEX backie_tasks_claim_idx
  ON backie_tasks (queue_name, task_name, priority DESC, scheduled_at, id)
  WHERE state = 'ready';

-- Unique keys of any length: a btree entry holds at most ~2.7 kB, so the index holds a SHA-256
-- digest of the key (collisions are not a practical concern). Immutable is true here: the
-- database's encoding never changes, so the UTF-8 bytes of a text never change either.
CREATE FUNCTION backie_key_digest(key text) RETURNS bytea
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT sha256(convert_to(key, 'UTF8')) $$;

DROP INDEX backie_tasks_unique_key_idx;
CREATE UNIQUE INDEX backie_tasks_unique_key_idx
  ON backie_tasks (task_name, backie_key_digest(unique_key))
  WHERE unique_key IS NOT NULL AND state IN ('ready', 'running');

-- Room on every page for the new versions of its rows (HOT needs the same page), and vacuum that
-- keeps up with a queue's churn instead of waiting for 20% of the table to be dead. It never
-- pauses on this table (cost_delay 0): healthy, the table is small; dead rows pile up fast.
ALTER TABLE backie_tasks SET (
  fillfactor = 70,
  autovacuum_vacuum_scale_factor = 0.02,
  autovacuum_vacuum_threshold = 1000,
  autovacuum_vacuum_insert_scale_factor = 0.05,
  autovacuum_analyze_scale_factor = 0.05,
  autovacuum_vacuum_cost_delay = 0
);
