/* @name MigrationsLockTake */
-- Migration bookkeeping. The runner holds a transaction-scoped advisory lock while it applies
-- pending files, so two processes migrating at once apply each file exactly once.
SELECT pg_advisory_xact_lock(:lockKey!::bigint) AS "locked";

/* @name MigrationsLockTimeoutSet */
-- A migration that waits for a lock (workers hold row locks on backie_tasks; DDL needs the whole
-- table) gives up after this long instead of queueing every worker's query behind it.
SELECT set_config('lock_timeout', :timeout!, true) AS "lock_timeout!";

/* @name MigrationsTableEnsure */
CREATE TABLE IF NOT EXISTS backie_migrations (
  name       text PRIMARY KEY,
  applied_at timestamptz NOT NULL DEFAULT now()
);

/* @name MigrationsChecksumEnsure */
-- SHA-256 of each applied file: a file changed after it was applied is an error, not silence.
ALTER TABLE backie_migrations ADD COLUMN IF NOT EXISTS checksum text;

/* @name MigrationsGetApplied */
-- As JSON rows, so that this reads databases migrated before the checksum column existed (and
-- needs only SELECT: workers run it to say whether migrations are pending).
SELECT to_jsonb(m) AS "row!" FROM backie_migrations m ORDER BY m.name;

/* @name MigrationChecksumSet */
-- Files applied before checksums were kept are trusted once, as they are now.
UPDATE backie_migrations SET checksum = :checksum! WHERE name = :name! AND checksum IS NULL;

/* @name MigrationRecord */
INSERT INTO backie_migrations (name, checksum) VALUES (:name!, :checksum!);
