import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import {
  Node, SyntaxKind, ts, type CallExpression, type ObjectLiteralExpression, type Project, type SourceFile,
} from "ts-morph";
import { specifierFromOutDir, type CodegenConfig } from "./config.js";
import { createProject } from "./project.js";
import { CodegenError, type Diagnostic, type TaskModel } from "./model.js";
import { emitCtxEnqueueCheck } from "./emit/enqueue.js";
import { payloadSchema } from "./payloadSchema.js";
import { readSchedules } from "./schedules.js";
import { selfContainedFunction } from "./uniqueKey.js";
import { addWorkerFile } from "./workerFile.js";
import { functionOf, initializerOf, unwrap } from "./syntax.js";
import { readUpgrades } from "./upgrades.js";
import { checkStepTypes, readSignals } from "./durableTypes.js";
import { versionTypeName } from "./versions.js";
import { MAX_RETRIES, MAX_TIMER_MS, queueNameProblem, taskNameProblem } from "../src/index.js";

/**
 * Reads every `<tasksDir>/*.ts` with the TypeScript compiler and returns the plain model, or
 * throws a `CodegenError` listing every problem with its file and line. Nothing is written here.
 */
export function scanTasks(config: CodegenConfig, options: { versionsSource?: string } = {}): TaskModel[] {
  const tasksDir = path.resolve(config.root, config.tasksDir);
  if (!existsSync(tasksDir)) {
    throw new CodegenError([{ file: config.tasksDir, line: 0, message: "tasks folder not found: create it or set tasksDir in backie.config.json" }]);
  }
  // Reported with every other problem of this run (as tsc does), not alone.
  const misplaced: Diagnostic[] = nestedTaskFiles(tasksDir).map((f) => ({
    file: rel(config.root, f), line: 1,
    message: `task files must be directly in ${config.tasksDir}/ (subfolders are not read): move this file up, or out of ${config.tasksDir}/ if it is not a task`,
  }));
  const files = readdirSync(tasksDir)
    .filter((f) => isTaskFileName(f))
    .sort()
    .map((f) => path.join(tasksDir, f));
  const project = createProject(config.root);
  const sources = files.map((f) => project.addSourceFileAtPath(f));
  // Upgrades import older payload types from generated/versions.ts: the baseline's, in memory, so
  // that a task file can use them before the file is on disk.
  const versions = options.versionsSource === undefined
    ? undefined
    : project.createSourceFile(path.resolve(config.root, config.outDir, "versions.ts"), options.versionsSource, { overwrite: true });
  const workerProblems = addWorkerFile(project, config);
  if (workerProblems.length > 0) throw new CodegenError([...misplaced, ...workerProblems]);
  project.resolveSourceFileDependencies();
  const check = addCtxEnqueueCheck(project, sources, config);

  const diagnostics = typeErrors(project, config.root).filter((d) => d.file !== check);
  if (diagnostics.length > 0) throw new CodegenError([...misplaced, ...diagnostics]);
  diagnostics.push(...misplaced);

  const tasks: TaskModel[] = [];
  for (const source of sources) {
    const task = readTaskFile(source, config, versions, diagnostics);
    if (task) tasks.push(task);
  }
  diagnostics.push(...duplicates(tasks, "name", (t) => `task name "${t.name}"`));
  diagnostics.push(...duplicates(tasks, "ident", (t) => `enqueue function name "${t.ident}" (from "${t.name}")`));
  diagnostics.push(...duplicateScheduleIds(tasks));
  if (diagnostics.length > 0) throw new CodegenError(diagnostics);
  return tasks.sort((a, b) => a.name.localeCompare(b.name));
}

const isTaskFileName = (f: string): boolean => f.endsWith(".ts") && !f.endsWith(".d.ts") && !/\.(test|spec)\.ts$/.test(f);

/** `.ts` files in subfolders of the tasks folder: skipping them without a word hid tasks. */
function nestedTaskFiles(tasksDir: string): string[] {
  const found: string[] = [];
  const dirs = readdirSync(tasksDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => path.join(tasksDir, d.name));
  while (dirs.length > 0) {
    const dir = dirs.pop()!;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== "node_modules") dirs.push(full);
      else if (entry.isFile() && isTaskFileName(entry.name)) found.push(full);
    }
  }
  return found.sort();
}

/** Type errors in the project's own files (not in node_modules): a task that does not compile. */
function typeErrors(project: Project, root: string): Diagnostic[] {
  return project
    .getPreEmitDiagnostics()
    .filter((d) => d.getCategory() === ts.DiagnosticCategory.Error)
    .filter((d) => !d.getSourceFile()?.isInNodeModules())
    .map((d) => {
      const source = d.getSourceFile();
      const text = ts.flattenDiagnosticMessageText(d.compilerObject.messageText, " ");
      const start = d.getStart();
      const inUniqueKey = source !== undefined && start !== undefined &&
        source.getDescendantAtPos(start)?.getFirstAncestor((a) => Node.isPropertyAssignment(a) && (a.getName() === "uniqueKey" || a.getName() === "concurrencyKey")) !== undefined;
      const hint = inUniqueKey && /unknown/.test(text)
        ? " (hint: put key functions after run, or type their parameter: uniqueKey: (p: MyPayload) => ...)"
        : "";
      return {
        file: source ? rel(root, source.getFilePath()) : "(project)",
        line: d.getLineNumber() ?? 0,
        message: `does not type-check: ${text}${hint}`,
      };
    });
}

function readTaskFile(source: SourceFile, config: CodegenConfig, versions: SourceFile | undefined, out: Diagnostic[]): TaskModel | undefined {
  const file = rel(config.root, source.getFilePath());
  const fail = (node: Node | undefined, message: string): undefined => {
    out.push({ file, line: node?.getStartLineNumber() ?? 1, message });
    return undefined;
  };
  const call = defaultExportCall(source);
  if (typeof call === "string") return fail(undefined, call);
  const first = call.getArguments()[0];
  const argument = first && unwrap(first);
  if (!argument || !Node.isObjectLiteralExpression(argument)) {
    return fail(call, "defineTask must be called with an object literal: defineTask({ name, run, ... })");
  }
  const before = out.length;
  const name = stringOption(argument, "name", file, out, true);
  const queue = stringOption(argument, "queue", file, out, false) ?? "default";
  const maxRetries = numberOption(argument, "maxRetries", file, out, { integer: true, min: 0, max: MAX_RETRIES }) ?? 3;
  const timeoutMs = numberOption(argument, "timeoutMs", file, out, { integer: false, min: 1, max: MAX_TIMER_MS }) ?? null;
  if (name === undefined) return undefined;
  const nameProblem = taskNameProblem(name);
  if (nameProblem) return fail(initializerOf(argument, "name"), `task name "${name}" ${nameProblem}`);
  const queueProblem = queueNameProblem(queue);
  if (queueProblem) return fail(initializerOf(argument, "queue"), `queue "${queue}" ${queueProblem}`);

  // Key functions are copied into the enqueue client, which never loads handler code.
  const keySource = (option: "uniqueKey" | "concurrencyKey"): string | null => {
    const property = argument.getProperty(option);
    if (!property) return null;
    const result = selfContainedFunction(property);
    if (typeof result !== "string") return result.source;
    fail(property, `task "${name}": ${option} ${result}`);
    return null;
  };
  const uniqueKeySource = keySource("uniqueKey");
  const concurrencyKeySource = keySource("concurrencyKey");

  const run = argument.getProperty("run");
  const runFunction = run && functionOf(run);
  if (!runFunction) return fail(run ?? argument, `task "${name}": \`run\` must be a method or function: async run(payload: MyPayload, ctx) {...}`);
  const [payloadParam] = runFunction.getParameters();
  if (!payloadParam || !payloadParam.getTypeNode()) {
    return fail(runFunction, `task "${name}": run's first parameter must be the payload, with its type written out: run(payload: MyPayload, ctx)`);
  }
  const { schema, problems, dates } = payloadSchema(payloadParam.getType(), payloadParam);
  for (const p of problems) fail(payloadParam, `task "${name}": payload ${p.path}: ${p.message}`);
  if (out.length > before) return undefined;
  const schedules = readSchedules(argument, name, schema, file, out);
  if (out.length > before) return undefined;

  const aliases = readAliases(argument, name, file, out);
  const signals = readSignals(argument, name, file, out);
  checkStepTypes(runFunction, name, file, out);
  const upgrades = readUpgrades(argument, name, file, { versions, typeName: (v) => versionTypeName({ ident: identFor(name) }, v), payload: payloadParam.getType() }, out);
  if (out.length > before) return undefined;

  return {
    aliases, upgrades, versions: [], signals,
    name, ident: identFor(name), file, importPath: specifierFromOutDir(config, source.getFilePath()), line: call.getStartLineNumber(), queue, maxRetries,
    timeoutMs, uniqueKeySource, concurrencyKeySource, schema, dates, schedules,
  };
}

/**
 * Tasks may call `ctx.enqueue.<other>(...)`, typed by an augmentation in `generated/enqueue.ts`;
 * but that file is what this run writes. Type-check against an in-memory copy of the
 * augmentation instead, built from the names alone. Returns its path (relative to the root), whose
 * own diagnostics are not the user's to fix (a broken task file is reported for itself).
 */
function addCtxEnqueueCheck(project: Project, sources: SourceFile[], config: CodegenConfig): string | undefined {
  const outDir = path.resolve(config.root, config.outDir);
  // A task that imports the generated client already brings the augmentation along.
  if (project.getSourceFile(path.join(outDir, "enqueue.ts"))) return undefined;
  const tasks: Array<{ ident: string; importPath: string }> = [];
  const idents = new Set<string>();
  for (const source of sources) {
    const call = defaultExportCall(source);
    const argument = typeof call === "string" ? undefined : call.getArguments()[0];
    const object = argument && unwrap(argument);
    const name = object && Node.isObjectLiteralExpression(object) ? initializerOf(object, "name") : undefined;
    if (!name || !(Node.isStringLiteral(name) || Node.isNoSubstitutionTemplateLiteral(name))) continue;
    const ident = identFor(name.getLiteralValue());
    if (idents.has(ident)) continue;
    idents.add(ident);
    tasks.push({ ident, importPath: specifierFromOutDir(config, source.getFilePath()) });
  }
  if (tasks.length === 0) return undefined;
  const file = path.join(outDir, "__ctx_enqueue_check__.ts");
  project.createSourceFile(file, emitCtxEnqueueCheck(config.runtimeImport, tasks), { overwrite: true });
  return rel(config.root, file);
}

/** `aliases: ["old_name"]`: string literals, each a valid task name. */
function readAliases(object: ObjectLiteralExpression, name: string, file: string, out: Diagnostic[]): string[] {
  const value = initializerOf(object, "aliases");
  if (value === undefined) return [];
  if (!Node.isArrayLiteralExpression(value)) {
    out.push({ file, line: value.getStartLineNumber(), message: `task "${name}": \`aliases\` must be an array of string literals: aliases: ["old_name"]` });
    return [];
  }
  const aliases: string[] = [];
  for (const element of value.getElements()) {
    const e = unwrap(element);
    const text = Node.isStringLiteral(e) || Node.isNoSubstitutionTemplateLiteral(e) ? e.getLiteralValue() : undefined;
    const problem = text === undefined ? "must be a string literal" : text === name ? "is the task's own name" : taskNameProblem(text);
    if (problem) out.push({ file, line: e.getStartLineNumber(), message: `task "${name}": alias ${text === undefined ? e.getText() : `"${text}"`} ${problem}` });
    else aliases.push(text!);
  }
  return aliases;
}

/** The `defineTask(...)` call a file exports by default, or why there is none. */
function defaultExportCall(source: SourceFile): CallExpression | string {
  const assignment = source.getExportAssignment((e) => !e.isExportEquals());
  if (!assignment) return "no default export: a task file must `export default defineTask({...})`";
  let expression: Node = assignment.getExpression();
  if (Node.isIdentifier(expression)) {
    const declaration = expression.getSymbol()?.getDeclarations()[0];
    if (declaration && Node.isVariableDeclaration(declaration) && declaration.getInitializer()) {
      expression = declaration.getInitializer()!;
    }
  }
  expression = unwrap(expression);
  if (!Node.isCallExpression(expression) || !/(^|\.)defineTask$/.test(expression.getExpression().getText())) {
    return "the default export is not a defineTask(...) call: `export default defineTask({...})`";
  }
  return expression;
}

function stringOption(object: ObjectLiteralExpression, key: string, file: string, out: Diagnostic[], required: boolean): string | undefined {
  const value = initializerOf(object, key);
  if (value === undefined) {
    if (required) out.push({ file, line: object.getStartLineNumber(), message: `missing \`${key}\`: defineTask({ ${key}: "..." })` });
    return undefined;
  }
  if (Node.isStringLiteral(value) || Node.isNoSubstitutionTemplateLiteral(value)) {
    const text = value.getLiteralValue();
    if (text.trim() !== "") return text;
  }
  out.push({ file, line: value.getStartLineNumber(), message: `\`${key}\` must be a non-empty string literal (codegen reads it without running your code)` });
  return undefined;
}

/** The same bounds `defineTask` checks at run time: codegen must not accept what the runtime refuses. */
function numberOption(
  object: ObjectLiteralExpression, key: string, file: string, out: Diagnostic[],
  rule: { integer: boolean; min: number; max: number },
): number | undefined {
  const value = initializerOf(object, key);
  if (value === undefined) return undefined;
  const number = evaluateNumber(value);
  if (number === undefined || !Number.isFinite(number) || number < rule.min || number > rule.max || (rule.integer && !Number.isInteger(number))) {
    const kind = rule.integer ? "a whole number" : "a number";
    const shown = number === undefined ? "" : `, got ${number}`;
    out.push({ file, line: value.getStartLineNumber(), message: `\`${key}\` must be ${kind} literal from ${rule.min} to ${rule.max} (such as 30_000 or 30 * 1000)${shown}` });
    return undefined;
  }
  return number;
}

/** Numeric literals and + - * / of them: `30 * 1000` is common for durations. */
function evaluateNumber(node: Node): number | undefined {
  node = unwrap(node);
  if (Node.isNumericLiteral(node)) return node.getLiteralValue();
  if (Node.isBinaryExpression(node)) {
    const left = evaluateNumber(node.getLeft());
    const right = evaluateNumber(node.getRight());
    if (left === undefined || right === undefined) return undefined;
    switch (node.getOperatorToken().getKind()) {
      case SyntaxKind.AsteriskToken: return left * right;
      case SyntaxKind.PlusToken: return left + right;
      case SyntaxKind.MinusToken: return left - right;
      case SyntaxKind.SlashToken: return left / right;
      default: return undefined;
    }
  }
  return undefined;
}

const RESERVED = new Set(["default", "enqueue", "many", "break", "case", "class", "const", "delete", "function", "new", "return", "switch", "this", "typeof", "var", "void", "with"]);

/** `send_welcome_email` → `sendWelcomeEmail`. */
export function identFor(name: string): string {
  const parts = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  let ident = parts.map((p, i) => (i === 0 ? p[0]!.toLowerCase() + p.slice(1) : p[0]!.toUpperCase() + p.slice(1))).join("");
  if (ident === "" || /^\d/.test(ident) || RESERVED.has(ident)) ident = `task${ident[0]?.toUpperCase() ?? ""}${ident.slice(1)}`;
  return ident;
}

function duplicates(tasks: TaskModel[], key: "name" | "ident", label: (t: TaskModel) => string): Diagnostic[] {
  const seen = new Map<string, TaskModel>();
  const out: Diagnostic[] = [];
  for (const task of tasks) {
    const first = seen.get(task[key]);
    if (!first) {
      seen.set(task[key], task);
      continue;
    }
    const message = `duplicate ${label(task)}: defined in ${first.file}:${first.line} and ${task.file}:${task.line}; names must be unique`;
    out.push({ file: task.file, line: task.line, message });
  }
  return out;
}

/** Schedule ids key stored state across the whole database: two schedules must not share one. */
function duplicateScheduleIds(tasks: TaskModel[]): Diagnostic[] {
  const seen = new Map<string, { task: TaskModel; line: number }>();
  const out: Diagnostic[] = [];
  for (const task of tasks) {
    for (const schedule of task.schedules) {
      const first = seen.get(schedule.id);
      if (!first) {
        seen.set(schedule.id, { task, line: schedule.line });
        continue;
      }
      out.push({
        file: task.file, line: schedule.line,
        message: `duplicate schedule id "${schedule.id}": also declared in ${first.task.file}:${first.line}; give one of them its own \`id\``,
      });
    }
  }
  return out;
}

function rel(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join("/");
}
