import { existsSync } from "node:fs";
import path from "node:path";
import type { Project } from "ts-morph";
import { specifierFromOutDir, type CodegenConfig } from "./config.js";
import type { Diagnostic } from "./model.js";

/**
 * Adds the project's worker settings file (`backie.worker.ts`) to the checked program: it may
 * augment `AppContext`, which task files rely on, and its own type errors are the user's to see.
 */
export function addWorkerFile(project: Project, config: CodegenConfig): Diagnostic[] {
  if (config.workerFile === undefined) return [];
  const file = path.resolve(config.root, config.workerFile);
  if (!existsSync(file)) {
    return [{ file: config.workerFile, line: 0, message: "worker settings file not found: create it, or remove workerFile from backie.config.json" }];
  }
  const source = project.addSourceFileAtPath(file);
  if (!source.getExportAssignment((e) => !e.isExportEquals())) {
    return [{ file: config.workerFile, line: 1, message: "no default export: the worker settings file must `export default defineWorker({...})`" }];
  }
  return [];
}

/** Module specifier of the worker settings file as seen from the output folder, if there is one. */
export function workerImportPath(config: CodegenConfig): string | undefined {
  return config.workerFile === undefined ? undefined : specifierFromOutDir(config, config.workerFile);
}
