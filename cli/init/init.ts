/**
 * `backie init`: makes an npm project ready for Backie in one step, and says what it did, line by
 * line. Idempotent: a file that exists is kept (never overwritten), a setting already right is
 * left alone, and a second run changes nothing. Everything that could refuse (an unreadable
 * package.json or tsconfig.json, CommonJS code that "type": "module" would break) is checked
 * before the first write.
 */
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { CONFIG_FILE, loadConfig, WORKER_FILE } from "../../codegen/config.js";
import { BackieError } from "../../src/index.js";
import { editPackageJson } from "./packageJson.js";
import { CONFIG, EXAMPLE_TASK, EXAMPLE_TASK_FILE, WORKER_SETTINGS } from "./templates.js";
import { editInclude, editModuleSettings } from "./tsconfig.js";

export interface InitOptions {
  root: string;
  tasksDir?: string | undefined;
  outDir?: string | undefined;
  /** Runs `backie gen` in the project; returns its exit code. */
  generate(root: string): Promise<number>;
  print(line: string): void;
}

export async function runInit(options: InitOptions): Promise<number> {
  const root = path.resolve(options.root);
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new BackieError(`${root} is not a folder`);
  const config = loadConfig(root, { ...(options.tasksDir ? { tasksDir: options.tasksDir } : {}), ...(options.outDir ? { outDir: options.outDir } : {}) });
  const inside = (name: string, dir: string): string => {
    const relative = path.relative(root, path.resolve(root, dir));
    if (relative === "" || relative.startsWith("..") || path.isAbsolute(relative)) throw new BackieError(`${name} must be a folder inside the project, got "${dir}"`);
    return relative.split(path.sep).join("/");
  };
  const tasksDir = inside("the tasks folder", config.tasksDir);
  const outDir = inside("the output folder", config.outDir);
  const workerFile = config.workerFile ?? WORKER_FILE;

  // Everything that may refuse, before anything is written.
  const pkg = editPackageJson(root);
  const moduleSettings = editModuleSettings(root, [tasksDir, outDir, workerFile]);

  const line = (what: string, subject: string): void => options.print(`  ${what.padEnd(9)} ${subject}`);
  options.print(`backie init: ${root}`);
  const write = (relative: string, text: string, why: string): void => {
    const full = path.join(root, relative);
    if (existsSync(full)) return line("kept", `${relative} (exists)`);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, text);
    line("created", `${relative}${why}`);
  };

  if (existsSync(path.join(root, CONFIG_FILE))) line("kept", `${CONFIG_FILE} (exists)`);
  else write(CONFIG_FILE, options.tasksDir || options.outDir ? `${JSON.stringify({ tasksDir, outDir }, null, 2)}\n` : CONFIG, " (where tasks and generated code live)");

  const existingTasks = taskFiles(path.join(root, tasksDir));
  if (existingTasks.length > 0) line("kept", `${tasksDir}/ (${existingTasks.length} task file${existingTasks.length === 1 ? "" : "s"}; no example added)`);
  else write(path.join(tasksDir, EXAMPLE_TASK_FILE), EXAMPLE_TASK, " (an example task: say_hello)");

  write(workerFile, WORKER_SETTINGS, " (worker settings: application context, concurrency per queue)");

  if (pkg.text !== undefined) {
    writeFileSync(path.join(root, "package.json"), pkg.text);
    line("updated", `package.json: ${pkg.changes.join("; ")}`);
  } else line("kept", "package.json (already set up)");
  for (const k of pkg.kept) line("kept", k);

  if (moduleSettings.text !== undefined) {
    writeFileSync(path.join(root, "tsconfig.json"), moduleSettings.text);
    line(moduleSettings.created ? "created" : "updated", `tsconfig.json${moduleSettings.created ? " (NodeNext modules, strict)" : `: ${moduleSettings.changes.join("; ")}`}`);
  }

  let status = 0;
  const next: string[] = [];
  if (!runtimeInstalled(root)) {
    line("skipped", `${outDir}/: the backie package is not installed here`);
    next.push(`${pkg.hasRuntime ? "npm install" : "npm install backie && npm install -D @backie/cli"}     # then: npm run gen`);
  } else {
    status = await options.generate(root);
    if (status !== 0) line("failed", `${outDir}/: backie gen stopped at the problems above`);
  }

  const include = editInclude(root, [`${tasksDir}/`, `${outDir}/`, workerFile]);
  if (include.text !== undefined) {
    writeFileSync(path.join(root, "tsconfig.json"), include.text);
    line("updated", `tsconfig.json: ${include.changes.join("; ")}`);
  } else if (!moduleSettings.text) line("kept", "tsconfig.json (already compiles the task, generated and worker files)");
  for (const advice of include.advice) line("note", advice);

  options.print(`
Next:
${[
    ...next,
    "export DATABASE_URL=postgres://user:password@localhost:5432/app",
    "npm run migrate                                 # create Backie's tables (once per database)",
    "npm run worker                                  # run tasks until Ctrl-C",
    existsSync(path.join(root, tasksDir, EXAMPLE_TASK_FILE))
      ? `npx backie enqueue say_hello '{"name":"world"}'  # from another terminal; in code: enqueue.sayHello({ name: "world" }) from ./${outDir}/enqueue.js`
      : `npx backie enqueue <task> '<json payload>'        # from another terminal; in code: enqueue.<task>(payload) from ./${outDir}/enqueue.js`,
  ].map((l) => `  ${l}`).join("\n")}`);
  return status;
}

function taskFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => /\.(ts|mts)$/.test(f) && !f.endsWith(".d.ts"));
}

/** Whether `import "backie"` resolves from the project: its node_modules or an ancestor's. */
function runtimeInstalled(root: string): boolean {
  for (let dir = root; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "node_modules", "backie", "package.json"))) return true;
    if (path.dirname(dir) === dir) return false;
  }
}
