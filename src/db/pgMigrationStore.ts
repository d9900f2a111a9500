/**
 * Schema migrations of the task store: applies the shipped files under an advisory lock, and
 * says which are pending or were edited since they were applied.
 */
import type pg from "pg";
import { BackieError } from "../errors.js";
import {
  appliedMigrations, changedError, checksumOf, compareMigrations, readMigrationFiles, type MigrationStatus,
} from "./migrationFiles.js";
import { adapt, type Connection } from "./pgConnection.js";
import * as mq from "./queries/migrations.queries.js";

const MIGRATION_LOCK_KEY = "7249104425126611";

export class PgMigrationStore {
  constructor(private readonly pool: pg.Pool, private readonly db: Connection, private readonly dir: string) {}

  /**
   * Applies pending migrations in one transaction under an advisory lock (safe from many
   * processes at once). Needs DDL rights: run it from a deploy step (`backie migrate`), and give
   * workers and apps a role with only SELECT/INSERT/UPDATE/DELETE. Fails, changing nothing, when
   * an applied file was edited since, or when a lock is not had within `lockTimeoutMs`.
   */
  async migrate(options: { lockTimeoutMs?: number } = {}): Promise<{ applied: string[] }> {
    const files = await readMigrationFiles(this.dir);
    const lockTimeoutMs = options.lockTimeoutMs ?? 10_000;
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      const db = adapt(client);
      await mq.migrationsLockTimeoutSet.run({ timeout: `${Math.round(lockTimeoutMs)}ms` }, db);
      await mq.migrationsLockTake.run({ lockKey: MIGRATION_LOCK_KEY }, db);
      await mq.migrationsTableEnsure.run(undefined, db);
      await mq.migrationsChecksumEnsure.run(undefined, db);
      const applied = appliedMigrations(await mq.migrationsGetApplied.run(undefined, db));
      const state = compareMigrations(files, applied);
      if (state.changed.length > 0) throw changedError(state.changed);
      for (const file of files) {
        if (applied.has(file.name) && applied.get(file.name) === null) {
          await mq.migrationChecksumSet.run({ name: file.name, checksum: checksumOf(file.sql) }, db);
        }
      }
      for (const name of state.pending) {
        const file = files.find((f) => f.name === name)!;
        try {
          await client.query(file.sql);
        } catch (error) {
          const e = error as { code?: string; message?: string };
          if (e.code === "55P03") {
            throw new BackieError(`migration ${file.name} waited more than ${lockTimeoutMs} ms for a lock on Backie's tables (long transactions or busy workers hold it): try again, or stop the workers during the migration`);
          }
          throw new BackieError(`migration ${file.name} failed: ${e.message}`, { cause: error });
        }
        await mq.migrationRecord.run({ name: file.name, checksum: checksumOf(file.sql) }, db);
      }
      await client.query("COMMIT");
      return { applied: state.pending };
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      if ((error as { code?: string }).code === "55P03") {
        throw new BackieError(`backie migrate waited more than ${lockTimeoutMs} ms for a lock (another migration, or a long transaction on Backie's tables): try again`);
      }
      if ((error as { code?: string }).code === "42501") {
        throw new BackieError(`backie migrate: permission denied (${(error as Error).message}): migrations need a role that may create and alter tables`);
      }
      throw error;
    } finally {
      client.release();
    }
  }

  /**
   * Which shipped migrations this database lacks, and which applied ones were edited since.
   * Read only (SELECT on backie_migrations): what a worker checks at start instead of migrating.
   */
  async migrationStatus(): Promise<MigrationStatus> {
    const files = await readMigrationFiles(this.dir);
    let rows;
    try {
      rows = await mq.migrationsGetApplied.run(undefined, this.db);
    } catch (error) {
      // Never migrated (the error may come wrapped in its one-line explanation).
      const e = error as { code?: string; cause?: { code?: string } };
      if ((e.code ?? e.cause?.code) === "42P01") return { pending: files.map((f) => f.name), changed: [] };
      throw error;
    }
    return compareMigrations(files, appliedMigrations(rows));
  }

  /** Throws a one-line error when migrations are pending or changed. */
  async assertMigrated(): Promise<void> {
    const { pending, changed } = await this.migrationStatus();
    if (changed.length > 0) throw changedError(changed);
    if (pending.length > 0) {
      throw new BackieError(`the database lacks ${pending.length} migration(s) (${pending.join(", ")}): run \`backie migrate\` first (with a role that may change the schema)`);
    }
  }
}
