import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The migrations shipped with this package, next to `src/`. */
export const DEFAULT_MIGRATIONS_DIR = fileURLToPath(new URL("../../migrations/", import.meta.url));

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
