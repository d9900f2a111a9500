-- A running task's last reported progress (ctx.progress), written in batches by its worker about
-- once a second; kept after the task finishes. Neither column is indexed, so the writes stay HOT.
ALTER TABLE backie_tasks ADD COLUMN progress jsonb;
ALTER TABLE backie_tasks ADD COLUMN progress_at timestamptz;
