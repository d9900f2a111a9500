/* @name MigrationsLockTake */
-- Migration bookkeeping. The runner holds a transaction-scoped advisory lock while it applies
-- pending files, so two processes migrating at once apply each file exactly once.
SELECT pg_advisory_xact_lock(:lockKey!::bigint) AS "locked";

/* @name MigrationsTableEnsure */
CREATE TABLE IF NOT EXISTS backie_migrations (
  name       text PRIMARY KEY,
  applied_at timestamptz NOT NULL DEFAULT now()
);

/* @name MigrationsGetApplied */
SELECT name FROM backie_migrations ORDER BY name;

/* @name MigrationRecord */
INSERT INTO backie_migrations (name) VALUES (:name!);
