import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

/** Where codegen reads and writes. Every field can come from `backie.config.json` or a flag. */
export interface CodegenConfig {
  /** Project root; other paths are relative to it. */
  root: string;
  /** Folder of task files. Default "tasks". */
  tasksDir: string;
  /** Output folder. Default "generated". */
  outDir: string;
  /** How generated code imports the runtime. Default "backie". */
  runtimeImport: string;
  /** The CLI's database when neither --database-url nor DATABASE_URL is given. */
  databaseUrl: string | undefined;
}

export const CONFIG_FILE = "backie.config.json";

const KEYS = ["tasksDir", "outDir", "runtimeImport", "databaseUrl"] as const;

/** Reads `backie.config.json` in `root` (if any), then applies overrides. */
export function loadConfig(root: string, overrides: Partial<Omit<CodegenConfig, "root" | "databaseUrl">> = {}): CodegenConfig {
  const file = path.join(root, CONFIG_FILE);
  let fromFile: Record<string, unknown> = {};
  if (existsSync(file)) {
    try {
      fromFile = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    } catch (error) {
      throw new Error(`${CONFIG_FILE}: not valid JSON (${(error as Error).message})`);
    }
    for (const [key, value] of Object.entries(fromFile)) {
      if (key === "$schema") continue;
      if (!(KEYS as readonly string[]).includes(key)) {
        throw new Error(`${CONFIG_FILE}: unknown option "${key}" (known: ${KEYS.join(", ")})`);
      }
      if (typeof value !== "string" || value === "") {
        throw new Error(`${CONFIG_FILE}: option "${key}" must be a non-empty string`);
      }
    }
  }
  const pick = (key: Exclude<(typeof KEYS)[number], "databaseUrl">, fallback: string): string =>
    overrides[key] ?? (fromFile[key] as string | undefined) ?? fallback;
  return {
    root,
    tasksDir: pick("tasksDir", "tasks"),
    outDir: pick("outDir", "generated"),
    runtimeImport: pick("runtimeImport", "backie"),
    databaseUrl: fromFile.databaseUrl as string | undefined,
  };
}
