-- Durable steps, sleeps and signals (ctx.step, ctx.sleep, ctx.waitFor). All on the task's row:
-- its step history goes with it (retention, deletes), and a signal and a park that race update
-- the same row, so one always sees the other (see TaskSignalSend). Nullable without defaults:
-- adding them rewrites nothing, and a task that uses none of them stores nothing.
--   steps: the history, in the order the run reached them: [{ id, kind, result?, dates?, until?,
--          signal?, at, ms }]; a later run replays it.
--   inbox: signals sent to the task and not yet taken by a wait: [{ name, payload, at }].
--   parked: 'sleeping' or 'waiting' while ready because of ctx.sleep or ctx.waitFor (the state
--          stays 'ready', scheduled_at is the wake-up or time-out: a parked task is claimed like
--          any task scheduled for later, and costs a claim nothing until then).
--   waiting_for: the signal a waiting task waits for: its arrival wakes the task at once.
ALTER TABLE backie_tasks ADD COLUMN steps jsonb;
ALTER TABLE backie_tasks ADD COLUMN inbox jsonb;
ALTER TABLE backie_tasks ADD COLUMN parked text;
ALTER TABLE backie_tasks ADD COLUMN waiting_for text;
