import type { GenerateModel } from "../model.js";
import type { VersionRecord } from "../versions.js";
import { header, quote } from "./header.js";
import { signalValidatorName, validatorName } from "./validators.js";

/** `registry.ts`: task name → definition and validator, for workers. Loads handler code. */
export function emitRegistry(model: GenerateModel, tasksDir: string): string {
  const lines: string[] = [header(tasksDir)];
  lines.push(`import type { CompiledValidator, QueueBrand, RegisteredTask } from ${quote(model.runtimeImport)};`);
  for (const t of model.tasks) lines.push(`import task_${t.ident} from ${quote(t.importPath)};`);
  lines.push(`import type { TaskName } from "./enqueue.js";`);
  lines.push(`import * as validators from "./validators.js";`, "");
  const queues = [...new Set(model.tasks.map((t) => t.queue))].sort();
  lines.push("/** The queues the tasks name: a WorkerPool built from this registry takes settings for these only. */");
  lines.push(`export type QueueName = ${queues.length > 0 ? queues.map(quote).join(" | ") : "never"};`, "");
  lines.push("export const registry: Readonly<Record<TaskName, RegisteredTask>> & QueueBrand<QueueName> = {");
  for (const t of model.tasks) {
    const fields = [
      `definition: task_${t.ident}`,
      `validate: validators.${validatorName(t.ident)} as CompiledValidator`,
      `enqueueAs: ${quote(t.ident)}`,
    ];
    if (t.dates.length > 0) fields.push(`dates: ${JSON.stringify(t.dates)}`);
    if (t.versions.length > 0) fields.push(`version: ${t.versions.at(-1)!.version}`);
    const steps = stepsOf(t.versions);
    if (steps !== undefined) fields.push(`steps: ${steps}`);
    if (t.signals.length > 0) {
      fields.push(`signals: { ${t.signals.map((s, i) => `${quote(s.name)}: validators.${signalValidatorName(t.ident, i)} as CompiledValidator`).join(", ")} }`);
    }
    lines.push(`  ${quote(t.name)}: { ${fields.join(", ")} },`);
  }
  lines.push("};", "");
  lines.push("/** The deploy's generation (generated/manifest.json): schedule rows follow the highest. */");
  lines.push(`export const generation = ${model.generation ?? 0};`, "");
  return lines.join("\n");
}

/** `{ 1: { drop: [...], upgrade: true }, ... }`: how each older version becomes the next. */
function stepsOf(versions: readonly VersionRecord[]): string | undefined {
  const steps: string[] = [];
  for (const v of versions.slice(1)) {
    const parts: string[] = [];
    if (v.drop) parts.push(`drop: ${JSON.stringify(v.drop)}`);
    if (v.change === "breaking") parts.push("upgrade: true");
    if (parts.length > 0) steps.push(`${v.version - 1}: { ${parts.join(", ")} }`);
  }
  return steps.length > 0 ? `{ ${steps.join(", ")} }` : undefined;
}

/** `worker.ts`: the entrypoint. `npm run worker` or `backie worker`. */
export function emitWorker(model: GenerateModel, tasksDir: string): string {
  const settings = model.workerImport !== undefined;
  return [
    header(tasksDir),
    `import { runWorker } from ${quote(model.runtimeImport)};`,
    ...(settings ? [`import settings from ${quote(model.workerImport!)};`] : []),
    `import { generation, registry } from "./registry.js";`,
    "",
    `await runWorker({ ${settings ? "...settings, " : ""}registry, generation });`,
    "",
  ].join("\n");
}
