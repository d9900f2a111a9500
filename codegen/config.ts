import { BackieError } from "../src/index.js";
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
  /**
   * Module whose default export (`defineWorker({...})`) configures the generated worker: app
   * context, queues, leases. Default "backie.worker.ts" when that file exists, else none.
   */
  workerFile: string | undefined;
  /**
   * "ts" (default): generated TypeScript, for projects that compile or run TypeScript. "js": also
   * a runnable JavaScript copy (generated/*.js, with the task files transpiled into
   * generated/tasks/), for plain JavaScript projects without a TypeScript build.
   */
  emit: "ts" | "js";
  /**
   * The last released manifest, which payload versions are numbered from: a file, or
   * `git:<ref>` (its outDir/manifest.json at that commit). Default: git HEAD's, else the one on disk.
   */
  manifestBaseline?: string | undefined;
}

export const CONFIG_FILE = "backie.config.json";

export const WORKER_FILE = "backie.worker.ts";

const KEYS = ["tasksDir", "outDir", "runtimeImport", "databaseUrl", "workerFile", "emit", "manifestBaseline"] as const;

/** Reads `backie.config.json` in `root` (if any), then applies overrides. */
export function loadConfig(root: string, overrides: Partial<Omit<CodegenConfig, "root" | "databaseUrl" | "workerFile">> = {}): CodegenConfig {
  const file = path.join(root, CONFIG_FILE);
  let fromFile: Record<string, unknown> = {};
  if (existsSync(file)) {
    try {
      fromFile = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    } catch (error) {
      throw new BackieError(`${CONFIG_FILE}: not valid JSON (${(error as Error).message})`);
    }
    for (const [key, value] of Object.entries(fromFile)) {
      if (key === "$schema") continue;
      if (!(KEYS as readonly string[]).includes(key)) {
        throw new BackieError(`${CONFIG_FILE}: unknown option "${key}" (known: ${KEYS.join(", ")})`);
      }
      if (typeof value !== "string" || value === "") {
        throw new BackieError(`${CONFIG_FILE}: option "${key}" must be a non-empty string`);
      }
      if (key === "emit" && value !== "ts" && value !== "js") {
        throw new BackieError(`${CONFIG_FILE}: option "emit" must be "ts" or "js", got "${value}"`);
      }
    }
  }
  const pick = (key: "tasksDir" | "outDir" | "runtimeImport", fallback: string): string =>
    overrides[key] ?? (fromFile[key] as string | undefined) ?? fallback;
  return {
    root,
    tasksDir: pick("tasksDir", "tasks"),
    outDir: pick("outDir", "generated"),
    runtimeImport: pick("runtimeImport", "backie"),
    databaseUrl: fromFile.databaseUrl as string | undefined,
    workerFile: (fromFile.workerFile as string | undefined) ?? (existsSync(path.join(root, WORKER_FILE)) ? WORKER_FILE : undefined),
    emit: (fromFile.emit as "ts" | "js" | undefined) ?? "ts",
    manifestBaseline: overrides.manifestBaseline ?? (fromFile.manifestBaseline as string | undefined),
  };
}

/** How generated code in the output folder imports a project file (`../tasks/x.js`). */
export function specifierFromOutDir(config: CodegenConfig, file: string): string {
  const outDir = path.resolve(config.root, config.outDir);
  const specifier = path.relative(outDir, path.resolve(config.root, file)).split(path.sep).join("/").replace(/\.(m?)ts$/, ".$1js");
  return specifier.startsWith(".") ? specifier : `./${specifier}`;
}
