import path from "node:path";
import type { CodegenConfig } from "./config.js";
import { emitEnqueue } from "./emit/enqueue.js";
import { emitRegistry, emitWorker } from "./emit/registry.js";
import { emitManifest, emitSchemas } from "./emit/schemas.js";
import { emitValidators } from "./emit/validators.js";
import { renderJs } from "./emitJs.js";
import type { GenerateModel } from "./model.js";
import { scanWithBaseline } from "./deployCheck.js";
import { assignVersions, emitVersions } from "./versions.js";
import { header } from "./emit/header.js";
import { workerImportPath } from "./workerFile.js";
import { syncOutput, type OutputReport } from "./writeOutput.js";

/** Every output file, in memory: nothing is written unless all of them could be produced. */
export function render(model: GenerateModel, tasksDir: string): Map<string, string> {
  const files = emitSchemas(model);
  files.set("versions.ts", emitVersions(model.tasks, header(tasksDir)));
  files.set("validators.ts", emitValidators(model, tasksDir));
  files.set("enqueue.ts", emitEnqueue(model, tasksDir));
  files.set("registry.ts", emitRegistry(model, tasksDir));
  files.set("worker.ts", emitWorker(model, tasksDir));
  files.set("manifest.json", emitManifest(model));
  return files;
}

/**
 * Reads the task files and brings the output folder up to date (or, with `check`, only reports
 * what is stale). Throws `CodegenError` on bad task files, before writing anything.
 */
export function generate(config: CodegenConfig, options: { check: boolean }): OutputReport & { tasks: number } {
  const { baseline, tasks } = scanWithBaseline(config);
  const generation = assignVersions(tasks, baseline);
  const workerImport = workerImportPath(config);
  const files = render({ tasks, runtimeImport: config.runtimeImport, workerImport, generation }, config.tasksDir);
  if (config.emit === "js") renderJs(config, tasks, files, workerImport);
  const report = syncOutput(path.resolve(config.root, config.outDir), files, !options.check);
  return { ...report, tasks: tasks.length };
}
