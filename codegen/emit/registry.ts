import type { GenerateModel } from "../model.js";
import { header, quote } from "./header.js";
import { validatorName } from "./validators.js";

/** `registry.ts`: task name → definition and validator, for workers. Loads handler code. */
export function emitRegistry(model: GenerateModel, tasksDir: string): string {
  const lines: string[] = [header(tasksDir)];
  lines.push(`import type { CompiledValidator, RegisteredTask } from ${quote(model.runtimeImport)};`);
  for (const t of model.tasks) lines.push(`import task_${t.ident} from ${quote(t.importPath)};`);
  lines.push(`import type { TaskName } from "./enqueue.js";`);
  lines.push(`import * as validators from "./validators.js";`, "");
  lines.push("export const registry: Readonly<Record<TaskName, RegisteredTask>> = {");
  for (const t of model.tasks) {
    const fields = [
      `definition: task_${t.ident}`,
      `validate: validators.${validatorName(t.ident)} as CompiledValidator`,
      `enqueueAs: ${quote(t.ident)}`,
    ];
    if (t.dates.length > 0) fields.push(`dates: ${JSON.stringify(t.dates)}`);
    lines.push(`  ${quote(t.name)}: { ${fields.join(", ")} },`);
  }
  lines.push("};", "");
  return lines.join("\n");
}

/** `worker.ts`: the entrypoint. `npm run worker` or `backie worker`. */
export function emitWorker(model: GenerateModel, tasksDir: string): string {
  const settings = model.workerImport !== undefined;
  return [
    header(tasksDir),
    `import { runWorker } from ${quote(model.runtimeImport)};`,
    ...(settings ? [`import settings from ${quote(model.workerImport!)};`] : []),
    `import { registry } from "./registry.js";`,
    "",
    `await runWorker({ ${settings ? "...settings, " : ""}registry });`,
    "",
  ].join("\n");
}
