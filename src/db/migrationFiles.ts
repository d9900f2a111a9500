import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { BackieError } from "../errors.js";
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

export interface MigrationStatus {
  /** Shipped, not applied. */
  pending: string[];
  /** Applied, but the file differs from what was applied. */
  changed: string[];
}

export function checksumOf(sql: string): string {
  return createHash("sha256").update(sql).digest("hex");
}

/** name → checksum (null: applied before checksums were kept). */
export function appliedMigrations(rows: Array<{ row: unknown }>): Map<string, string | null> {
  return new Map(rows.map(({ row }) => {
    const r = row as { name: string; checksum?: string | null };
    return [r.name, r.checksum ?? null];
  }));
}

export function compareMigrations(files: readonly MigrationFile[], applied: ReadonlyMap<string, string | null>): MigrationStatus {
  const pending: string[] = [];
  const changed: string[] = [];
  for (const file of files) {
    if (!applied.has(file.name)) pending.push(file.name);
    else {
      const sum = applied.get(file.name);
      if (sum !== null && sum !== checksumOf(file.sql)) changed.push(file.name);
    }
  }
  return { pending, changed };
}

export function changedError(changed: readonly string[]): BackieError {
  return new BackieError(`migration file(s) ${changed.join(", ")} changed after they were applied: restore them and add a new migration instead`);
}

