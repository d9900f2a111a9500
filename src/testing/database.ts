import { createHash, randomBytes } from "node:crypto";
import { PgTaskStore } from "../db/pgTaskStore.js";
import { DEFAULT_MIGRATIONS_DIR, readMigrationFiles } from "../db/migrationFiles.js";
import {
  createDatabaseNamed, databaseExists, dropDatabaseNamed, lockTemplates, transactionPool, urlForDatabase, withAdmin,
} from "../db/testDatabases.js";

export interface TestDatabaseOptions {
  /** A server to create test databases on (a role that may CREATE DATABASE). Default: DATABASE_URL, then postgres://postgres@127.0.0.1:5432/postgres. */
  url?: string;
  /** Your own migrations folder, if Backie's tables live beside yours (default: Backie's). */
  migrationsDir?: string;
}

/** A fresh, migrated database of its own, and a store on it. */
export interface TestDatabase {
  name: string;
  url: string;
  store: PgTaskStore;
  /** Deletes every row Backie stores (ids from 1 again): call it between tests that share the database. */
  reset(): Promise<void>;
  /**
   * The other isolation: a store whose every write happens in one transaction on one connection,
   * rolled back by `rollback()` (per test, instead of `reset()`). Cheaper per test; but one
   * connection serialises everything, and notifications never arrive (a worker pool polls).
   */
  transaction(): Promise<{ store: PgTaskStore; rollback(): Promise<void> }>;
  /** Closes the store and drops the database. */
  drop(): Promise<void>;
}

/**
 * One call per test file: a database cloned from a migrated template (made once per set of
 * migrations and server, shared by every test file and run), so it costs a file copy, not a
 * migration run. Isolated from every other test file running at the same time; `reset()`
 * isolates tests within the file. Workers, LISTEN and several connections work as in production,
 * which a test transaction rolled back at the end could not give (see docs/testing.md).
 */
export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const adminUrl = options.url ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const migrationsDir = options.migrationsDir ?? DEFAULT_MIGRATIONS_DIR;
  const files = await readMigrationFiles(migrationsDir);
  const digest = createHash("sha256").update(files.map((f) => `${f.name}\n${f.sql}`).join("\n")).digest("hex").slice(0, 16);
  const template = `backie_kit_tpl_${digest}`;
  const name = `backie_kit_${randomBytes(6).toString("hex")}`;
  await withAdmin(adminUrl, async (admin) => {
    await lockTemplates(admin);
    if (!(await databaseExists(admin, template))) {
      // Built under a temporary name and renamed by cloning: a crash halfway never leaves a
      // half-migrated template behind for the next run to trust.
      const building = `${template}_building`;
      await dropDatabaseNamed(admin, building);
      await createDatabaseNamed(admin, building);
      const store = new PgTaskStore({ connectionString: urlForDatabase(adminUrl, building), migrationsDir, maxConnections: 1 });
      try {
        await store.migrate();
      } finally {
        await store.close();
      }
      await createDatabaseNamed(admin, template, building);
      await dropDatabaseNamed(admin, building);
    }
    await createDatabaseNamed(admin, name, template);
  });
  const url = urlForDatabase(adminUrl, name);
  const store = new PgTaskStore({ connectionString: url, migrationsDir });
  return {
    name, url, store,
    reset: () => store.admin.truncateAll(),
    async transaction() {
      const tx = await transactionPool(url);
      return { store: new PgTaskStore({ pool: tx.pool, migrationsDir }), rollback: () => tx.rollback() };
    },
    async drop() {
      await store.close();
      await withAdmin(adminUrl, (admin) => dropDatabaseNamed(admin, name));
    },
  };
}
