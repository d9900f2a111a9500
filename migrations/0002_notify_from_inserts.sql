-- Inserting statements now send their own NOTIFY (see sql/tasks.sql): the trigger's transition
-- table copied every inserted row, payload included, for one notification.
DROP TRIGGER backie_tasks_notify_inserted ON backie_tasks;
DROP FUNCTION backie_notify_inserted();
