/**
 * `backie gen [--check] [--watch] [--root DIR] [--tasks DIR] [--out DIR]`.
 * The only codegen module that owns the console and the exit code.
 */
import { watch } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { CONFIG_FILE, loadConfig, WORKER_FILE, type CodegenConfig } from "./config.js";
import { generate } from "./generate.js";
import { packageVersion } from "./packageVersion.js";
import { CodegenError } from "./model.js";

const USAGE = `Usage: backie gen [options]

Reads tasks/*.ts and writes generated/ (schemas, validators, typed enqueue, registry, worker).

Options:
  --check        write nothing; exit 1 with a diff when generated/ is stale
  --watch        regenerate whenever a task file changes
  --root DIR     project root (default: current folder)
  --tasks DIR    task folder, relative to the root (default: tasksDir in backie.config.json, or "tasks")
  --out DIR      output folder (default: outDir in backie.config.json, or "generated")
  --version      print the version
  -h, --help     show this help`;

export function runGen(argv: string[]): number {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        check: { type: "boolean", default: false },
        watch: { type: "boolean", default: false },
        root: { type: "string" },
        tasks: { type: "string" },
        out: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
        version: { type: "boolean", default: false },
      },
      strict: true,
    }).values;
  } catch (error) {
    console.error(`backie gen: ${(error as Error).message}\n\n${USAGE}`);
    return 1;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  if (args.version) {
    console.log(`backie gen ${packageVersion()}`);
    return 0;
  }
  const root = path.resolve(args.root ?? process.cwd());
  const load = () => loadConfig(root, {
    ...(args.tasks ? { tasksDir: args.tasks } : {}),
    ...(args.out ? { outDir: args.out } : {}),
  });
  let config: CodegenConfig;
  try {
    config = load();
  } catch (error) {
    console.error(`backie gen: ${(error as Error).message}`);
    return 1;
  }
  const once = (): number => {
    try {
      // Read again on every run in watch mode: backie.worker.ts may have been added or removed.
      config = load();
      const report = generate(config, { check: args.check });
      const stale = report.changed.length + report.removed.length;
      if (args.check) {
        if (stale === 0) {
          console.log(`backie gen: ${config.outDir}/ is up to date (${report.tasks} tasks)`);
          return 0;
        }
        console.error(`${report.diff}\n\nbackie gen: ${config.outDir}/ is stale (${stale} files): run \`npm run gen\` and commit the result.`);
        return 1;
      }
      console.log(`backie gen: ${report.tasks} tasks, ${stale} files updated in ${config.outDir}/`);
      return 0;
    } catch (error) {
      if (!(error instanceof CodegenError) && args.watch) {
        console.error(`backie gen: ${(error as Error).message}`);
        return 1;
      }
      if (error instanceof CodegenError) {
        for (const d of error.diagnostics) console.error(`${d.file}:${d.line}: ${d.message}`);
        console.error(`backie gen: ${error.diagnostics.length} problem(s); ${config.outDir}/ was not changed`);
        return 1;
      }
      throw error;
    }
  };
  const code = once();
  if (!args.watch) return code;
  const tasksDir = path.resolve(config.root, config.tasksDir);
  let timer: NodeJS.Timeout | undefined;
  const regenerate = (): void => {
    clearTimeout(timer);
    timer = setTimeout(once, 100);
  };
  watch(tasksDir, regenerate);
  // The worker settings file (its presence, and the AppContext tasks are checked against).
  const workerFile = config.workerFile ?? WORKER_FILE;
  watch(path.dirname(path.resolve(root, workerFile)), (_event, name) => {
    if (name === path.basename(workerFile) || name === CONFIG_FILE) regenerate();
  });
  console.log(`backie gen: watching ${config.tasksDir}/ and ${workerFile} (Ctrl-C to stop)`);
  return -1;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("codegen/cli.ts")) {
  const code = runGen(process.argv.slice(2));
  if (code >= 0) process.exitCode = code;
}

