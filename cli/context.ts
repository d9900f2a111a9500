import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { CONFIG_FILE, loadConfig, type CodegenConfig } from "../codegen/config.js";
import { BackieError, PgTaskStore } from "../src/index.js";

/** Options every command accepts. */
export const COMMON_OPTIONS = {
  root: { type: "string" },
  "database-url": { type: "string" },
  tasks: { type: "string" },
  out: { type: "string" },
  help: { type: "boolean", short: "h", default: false },
} as const;

export const COMMON_HELP = `  --root DIR            project root (default: current folder)
  --database-url URL    database (default: DATABASE_URL, then databaseUrl in ${CONFIG_FILE})
  --tasks DIR, --out DIR  task and output folders (default: ${CONFIG_FILE}, then tasks/ and generated/)
  -h, --help            show this help`;

export interface CommonValues {
  root?: string;
  "database-url"?: string;
  tasks?: string;
  out?: string;
}

export interface ProjectContext {
  config: CodegenConfig;
  outDir: string;
}

export function projectContext(values: CommonValues): ProjectContext {
  const config = loadConfig(path.resolve(values.root ?? process.cwd()), {
    ...(values.tasks ? { tasksDir: values.tasks } : {}),
    ...(values.out ? { outDir: values.out } : {}),
  });
  return { config, outDir: path.resolve(config.root, config.outDir) };
}

/** Flag, then DATABASE_URL, then `databaseUrl` in the config file. */
export function databaseUrl(values: CommonValues, context: ProjectContext): string {
  const url = values["database-url"] || process.env.DATABASE_URL || context.config.databaseUrl;
  if (url) return url;
  throw new BackieError(`no database: set DATABASE_URL, pass --database-url, or set databaseUrl in ${CONFIG_FILE}`);
}

/** The same connection settings as every entry point (BACKIE_PREPARED_STATEMENTS, ...). */
export function openStore(values: CommonValues, context: ProjectContext): PgTaskStore {
  return PgTaskStore.fromEnv(process.env, { url: databaseUrl(values, context), maxConnections: 2 });
}

export interface ManifestTask {
  name: string;
  enqueue: string;
  queue: string;
  maxRetries: number;
  timeoutMs: number | null;
  unique: boolean;
  file: string;
  /** Absent in manifests written before schedules existed. */
  schedules?: Array<{ id: string; cron: string; tz: string; line: number }>;
}

/** generated/manifest.json: the tasks codegen found, readable without loading TypeScript. */
export function readManifest(context: ProjectContext): ManifestTask[] {
  const file = path.join(context.outDir, "manifest.json");
  if (!existsSync(file)) {
    throw new BackieError(`${path.relative(process.cwd(), file) || file} not found: run \`backie gen\` first`);
  }
  try {
    const tasks = (JSON.parse(readFileSync(file, "utf8")) as { tasks?: unknown }).tasks;
    if (!Array.isArray(tasks)) throw new Error("no tasks list");
    return tasks as ManifestTask[];
  } catch (error) {
    throw new BackieError(`${path.relative(process.cwd(), file) || file} is damaged (${(error as Error).message}): run \`backie gen\` again`);
  }
}

/**
 * Imports a generated module (`enqueue`, `worker`), compiled if it can: `.js` next to the `.ts`,
 * else where the project's tsconfig.json `outDir` puts it (`dist/generated/worker.js`), else the
 * `.ts` through tsx's loader, so that a project need not build to try the CLI. Compiled output
 * older than its source is not used (a line says so).
 */
export async function importGenerated<T>(context: ProjectContext, name: string): Promise<T> {
  const ts = path.join(context.outDir, `${name}.ts`);
  // Next to the .ts: written with it (by `backie gen` with "emit": "js", or tsc in place).
  const beside = path.join(context.outDir, `${name}.js`);
  if (existsSync(beside)) return (await import(pathToFileURL(beside).href)) as T;
  const compiled = compiledPath(context.config.root, ts);
  if (compiled !== undefined && existsSync(compiled)) {
    if (existsSync(ts) && statSync(compiled).mtimeMs < statSync(ts).mtimeMs) {
      console.error(`backie: ${path.relative(process.cwd(), compiled)} is older than ${path.relative(process.cwd(), ts)}: compile again (running the .ts through tsx meanwhile)`);
    } else {
      return (await import(pathToFileURL(compiled).href)) as T;
    }
  }
  if (!existsSync(ts)) throw new BackieError(`${path.relative(process.cwd(), ts)} not found: run \`backie gen\` first`);
  const { register } = await import("tsx/esm/api");
  register();
  return (await import(pathToFileURL(ts).href)) as T;
}

/**
 * Where tsc writes `file` under the project's tsconfig.json (`outDir`, `rootDir`; one level of a
 * relative `extends`), read without loading the compiler: a worker should not carry it.
 */
function compiledPath(root: string, file: string): string | undefined {
  const options = readCompilerOptions(path.join(root, "tsconfig.json"), 2);
  if (options.outDir === undefined) return undefined;
  const rootDir = options.rootDir ?? root;
  const relative = path.relative(rootDir, file);
  if (relative.startsWith("..")) return undefined;
  return path.join(options.outDir, relative).replace(/\.ts$/, ".js");
}

function readCompilerOptions(file: string, depth: number): { outDir?: string; rootDir?: string } {
  if (!existsSync(file)) return {};
  let config: { extends?: unknown; compilerOptions?: { outDir?: unknown; rootDir?: unknown } };
  try {
    config = JSON.parse(stripJsonComments(readFileSync(file, "utf8"))) as typeof config;
  } catch {
    return {};
  }
  const dir = path.dirname(file);
  const base = depth > 0 && typeof config.extends === "string" && config.extends.startsWith(".")
    ? readCompilerOptions(path.resolve(dir, config.extends.endsWith(".json") ? config.extends : `${config.extends}.json`), depth - 1)
    : {};
  const own = config.compilerOptions ?? {};
  return {
    outDir: typeof own.outDir === "string" ? path.resolve(dir, own.outDir) : base.outDir,
    rootDir: typeof own.rootDir === "string" ? path.resolve(dir, own.rootDir) : base.rootDir,
  };
}

/** tsconfig.json is JSON with comments and trailing commas. */
function stripJsonComments(text: string): string {
  return text
    .replace(/"(?:[^"\\]|\\.)*"|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (m) => (m.startsWith('"') ? m : ""))
    .replace(/,(\s*[}\]])/g, "$1");
}

const MAX_ID = 9223372036854775807n;

/** Task ids are positive 64-bit integers; say so instead of sending a bad value to the database. */
export function taskId(value: string | undefined, command: string): string {
  if (value === undefined) throw new BackieError(`missing task id (backie ${command} <id>)`);
  if (!/^\d{1,20}$/.test(value) || BigInt(value) < 1n || BigInt(value) > MAX_ID) {
    throw new BackieError(`task id must be a whole number from 1 to ${MAX_ID}, got "${printable(value)}"`);
  }
  return String(BigInt(value));
}

/** A whole number option within bounds, or a one-line error naming it. */
export function intOption(name: string, value: string, min: number, max: number): number {
  const n = /^-?\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new BackieError(`${name} must be a whole number from ${min} to ${max}, got "${printable(value)}"`);
  }
  return n;
}

/** A user's value, shortened and with control characters escaped, for an error line. */
export function printable(value: string): string {
  const short = value.length > 60 ? `${value.slice(0, 60)}…` : value;
  return JSON.stringify(short).slice(1, -1);
}

/**
 * A JSON argument, or a one-line error naming what is wrong. The parser's own words, without the
 * "(line 1 column 2)" that newer Node lines add: the same message on every supported line.
 */
export function jsonArgument(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new BackieError(`the payload is not valid JSON (${(error as Error).message.replace(/ \(line \d+ column \d+\)$/, "")})`);
  }
}
