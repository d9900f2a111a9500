-- Queue control and worker visibility.

-- A queue is paused while its row says so: every claim checks it (a primary-key lookup), so all
-- workers of all processes stop claiming at their next poll and a restart changes nothing.
-- Queues without a row run.
CREATE TABLE backie_queues (
  queue_name  text PRIMARY KEY,
  paused      boolean NOT NULL DEFAULT false,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Running worker pools, one row each: written at start, touched by every heartbeat, deleted at
-- a clean stop. A crashed pool's row ages out (last_seen_at) and is deleted by the next start.
CREATE TABLE backie_workers (
  owner         text PRIMARY KEY,
  host          text NOT NULL,
  pid           integer NOT NULL,
  queues        jsonb NOT NULL,
  started_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now()
);

-- Roles that may write backie_tasks (workers, apps: README "Database roles") get the same use of
-- the tables a migration adds, so that an upgrade does not stop their workers with "permission
-- denied". Migrations call it for their new tables.
CREATE FUNCTION backie_grant_as_tasks(privileges text, tables text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  FOR r IN
    SELECT DISTINCT grantee FROM information_schema.role_table_grants
    WHERE table_schema = current_schema() AND table_name = 'backie_tasks' AND privilege_type = 'UPDATE'
      AND grantee <> current_user
  LOOP
    EXECUTE format('GRANT %s ON %s TO %s', privileges, tables,
                   CASE WHEN r.grantee = 'PUBLIC' THEN 'PUBLIC' ELSE quote_ident(r.grantee) END);
  END LOOP;
END
$$;

SELECT backie_grant_as_tasks('SELECT, INSERT, UPDATE, DELETE', 'backie_schedules, backie_queues, backie_workers');
