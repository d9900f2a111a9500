import { readFileSync } from "node:fs";
import path from "node:path";
import { ts } from "ts-morph";
import type { CodegenConfig } from "./config.js";
import { CodegenError, type TaskModel } from "./model.js";

/**
 * `emit: "js"`: a runnable JavaScript copy of the generated code, for plain JavaScript projects.
 * The generated modules are transpiled next to their TypeScript (`generated/enqueue.js`, ...);
 * the task files and the worker settings file are transpiled into `generated/tasks/` and
 * `generated/settings.js`, and the copies import those instead of the TypeScript sources.
 * Type-only imports vanish in transpiling, so the client still loads no handler code.
 */
export function renderJs(config: CodegenConfig, tasks: readonly TaskModel[], files: Map<string, string>, workerImport: string | undefined): void {
  const rename = new Map<string, string>();
  const sources: Array<{ file: string; out: string }> = [];
  for (const t of tasks) {
    const out = `tasks/${path.basename(t.file).replace(/\.ts$/, ".js")}`;
    rename.set(t.importPath, `./${out}`);
    sources.push({ file: t.file, out });
  }
  if (workerImport !== undefined && config.workerFile !== undefined) {
    rename.set(workerImport, "./settings.js");
    sources.push({ file: config.workerFile, out: "settings.js" });
  }
  for (const name of ["validators", "enqueue", "registry", "worker"]) {
    let text = files.get(`${name}.ts`)!;
    for (const [from, to] of rename) text = text.replaceAll(JSON.stringify(from), JSON.stringify(to));
    files.set(`${name}.js`, transpile(text));
  }
  const problems = [];
  for (const { file, out } of sources) {
    const text = readFileSync(path.resolve(config.root, file), "utf8");
    const local = localImport(text);
    if (local !== undefined) {
      problems.push({ file, line: 1, message: `with "emit": "js", a task or settings file may import packages only (it imports "${local}"): its transpiled copy in ${config.outDir}/ could not reach it` });
      continue;
    }
    files.set(out, transpile(text));
  }
  if (problems.length > 0) throw new CodegenError(problems);
}

function transpile(source: string): string {
  return ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
  }).outputText;
}

/** The first relative module a file imports at run time (type-only imports are erased). */
function localImport(source: string): string | undefined {
  const file = ts.createSourceFile("x.ts", source, ts.ScriptTarget.ES2022, false);
  for (const statement of file.statements) {
    if (ts.isImportDeclaration(statement) && !statement.importClause?.isTypeOnly && ts.isStringLiteral(statement.moduleSpecifier)) {
      const specifier = statement.moduleSpecifier.text;
      if (specifier.startsWith(".")) return specifier;
    }
  }
  return undefined;
}
