-- What each running pool can run: task name (and former name) → the highest payload version it
-- knows, and its deploy generation. `backie status`, `backie workers` and the dashboard compare
-- the stored tasks with them to show work no running worker can take (a name no deploy knows, or
-- a version only a newer deploy knows). A constant default rewrites nothing.
ALTER TABLE backie_workers ADD COLUMN tasks jsonb NOT NULL DEFAULT '{}';
ALTER TABLE backie_workers ADD COLUMN generation integer NOT NULL DEFAULT 0;

-- A schedule's runs carry its task's `uniqueKey` of the schedule's payload (computed by the
-- declaring deploy): an occurrence whose key a ready or running task holds, enqueued or
-- scheduled, is skipped like any enqueue with a held key.
ALTER TABLE backie_schedules ADD COLUMN unique_key text;
