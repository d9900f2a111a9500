import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The migrations shipped with this package: the nearest `migrations/` above this module
 * (`src/db/` in the repository, `dist/src/db/` in the installed package).
 */
export const DEFAULT_MIGRATIONS_DIR = findMigrationsDir(path.dirname(fileURLToPath(import.meta.url)));

function findMigrationsDir(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "migrations");
    if (existsSync(path.join(candidate, "0001_tasks.sql"))) return candidate;
    if (path.dirname(dir) === dir) return path.join(from, "../../migrations");
  }
}

export interface MigrationFile {
  /** File name without directory, e.g. `0001_tasks.sql`; also the id recorded once applied. */
  name: string;
  sql: string;
}

const MIGRATION_NAME = /^\d{4}_[a-z0-9_]+\.sql$/;

/** Reads `NNNN_name.sql` files in order. Anything else in the folder is a mistake and says so. */
export async function readMigrationFiles(dir: string = DEFAULT_MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith(".sql")).sort();
  const files: MigrationFile[] = [];
  for (const name of names) {
    if (!MIGRATION_NAME.test(name)) {
      throw new Error(`migration file ${path.join(dir, name)}: name must look like 0002_add_index.sql`);
    }
    files.push({ name, sql: await readFile(path.join(dir, name), "utf8") });
  }
  return files;
}
