import type { GenerateModel, TaskModel } from "../model.js";
import { header, quote } from "./header.js";
import { signalValidatorName, validatorName } from "./validators.js";

const typeName = (t: Pick<TaskModel, "ident">): string => `task_${t.ident}`;

/**
 * `enqueue.ts`: the typed client. Task files are imported for their types only, so a process
 * that enqueues never loads handler code.
 */
export function emitEnqueue(model: GenerateModel, tasksDir: string): string {
  const { tasks, runtimeImport } = model;
  const lines: string[] = [header(tasksDir)];
  lines.push(
    `import { enqueueFunction, PgTaskStore, signalFunction, type CompiledValidator, type EnqueueFunction, type PayloadOf, type ProgressOf, type ResultOf, type SignalClient, type SignalsOf, type TaskStore } from ${quote(runtimeImport)};`,
  );
  for (const t of tasks) lines.push(`import type ${typeName(t)} from ${quote(t.importPath)};`);
  lines.push(`import * as validators from "./validators.js";`, "");
  lines.push("/** Every task codegen found: a closed union, so a misspelt name does not compile. */");
  lines.push(`export type TaskName = ${tasks.length ? tasks.map((t) => quote(t.name)).join(" | ") : "never"};`, "");
  lines.push("/** Payload type of each task, by name. */");
  lines.push("export interface Payloads {");
  for (const t of tasks) lines.push(`  ${quote(t.name)}: PayloadOf<typeof ${typeName(t)}>;`);
  lines.push("}", "");
  lines.push("/** Progress type of each task (what its run's `ctx.progress` takes), by name. */");
  lines.push("export interface Progresses {");
  for (const t of tasks) lines.push(`  ${quote(t.name)}: ProgressOf<typeof ${typeName(t)}>;`);
  lines.push("}", "");
  lines.push("/** Result type of each task (what its run returns; a fan-in continuation receives it), by name. */");
  lines.push("export interface Results {");
  for (const t of tasks) lines.push(`  ${quote(t.name)}: ResultOf<typeof ${typeName(t)}>;`);
  lines.push("}", "");
  lines.push("export interface Enqueue {");
  for (const t of tasks) {
    lines.push(`  /** Task ${quote(t.name)} (${t.file}), queue ${quote(t.queue)}. */`);
    lines.push(`  ${t.ident}: EnqueueFunction<Payloads[${quote(t.name)}], Results[${quote(t.name)}]> & SignalClient<typeof ${typeName(t)}>;`);
  }
  lines.push("}", "");
  lines.push("/** An enqueue client over the given store (or a function returning it, for lazy setup). */");
  lines.push("export function createEnqueue(store: TaskStore | (() => TaskStore)): Enqueue {");
  lines.push('  const get = typeof store === "function" ? store : () => store;');
  lines.push("  return {");
  for (const t of tasks) {
    const signals = t.signals.length > 0;
    lines.push(`    ${t.ident}: ${signals ? "Object.assign(" : ""}enqueueFunction<Payloads[${quote(t.name)}], Results[${quote(t.name)}]>(get, {`);
    lines.push(`      name: ${quote(t.name)},`);
    lines.push(`      queue: ${quote(t.queue)},`);
    lines.push(`      maxRetries: ${t.maxRetries},`);
    if (t.uniqueKeySource) lines.push(`      uniqueKey: ${t.uniqueKeySource},`);
    if (t.concurrencyKeySource) lines.push(`      concurrencyKey: ${t.concurrencyKeySource},`);
    lines.push(`      validate: validators.${validatorName(t.ident)} as CompiledValidator,`);
    if (t.versions.length > 0) lines.push(`      version: ${t.versions.at(-1)!.version},`);
    if (!signals) {
      lines.push("    }),");
      continue;
    }
    const validators = t.signals.map((s, i) => `${quote(s.name)}: validators.${signalValidatorName(t.ident, i)} as CompiledValidator`);
    lines.push(`    }), { signal: signalFunction<SignalsOf<typeof ${typeName(t)}>>(get, { name: ${quote(t.name)}, signals: { ${validators.join(", ")} } }) }),`);
  }
  lines.push("  };");
  lines.push("}", "");
  lines.push("/**");
  lines.push(" * A task's latest stored progress, typed by its name: null when it reported none, is gone, or is");
  lines.push(" * another task's. The value is what its run passed to `ctx.progress` (a row edited by hand is not checked).");
  lines.push(" */");
  lines.push("export async function findProgress<N extends TaskName>(store: TaskStore, name: N, id: string): Promise<Progresses[N] | null> {");
  lines.push("  const [task] = await store.findTasks([id]);");
  lines.push("  return task?.taskName === name ? (task.progress as Progresses[N] | null) : null;");
  lines.push("}", "");
  lines.push("let defaultStore: TaskStore | undefined;");
  lines.push("");
  lines.push("/** Enqueues through a store opened from DATABASE_URL on first use. */");
  lines.push("export const enqueue: Enqueue = createEnqueue(() => (defaultStore ??= PgTaskStore.fromEnv()));");
  lines.push("");
  lines.push("/**");
  lines.push(" * Closes the connections `enqueue` opened (if any). Idle connections do not keep a script alive,");
  lines.push(" * but a script that wants to end at once, or a test, calls this. `enqueue` reopens on next use.");
  lines.push(" */");
  lines.push("export async function closeEnqueue(): Promise<void> {");
  lines.push("  const store = defaultStore;");
  lines.push("  defaultStore = undefined;");
  lines.push("  await store?.close();");
  lines.push("}");
  lines.push("");
  const queues = [...new Set(tasks.map((t) => t.queue))].sort();
  lines.push(ctxEnqueueAugmentation(runtimeImport, "extends Enqueue {}", queues));
  return lines.join("\n");
}

/**
 * Types `ctx.enqueue` inside tasks: the runtime declares an empty `TaskEnqueue` and this fills it.
 * An augmentation instead of an import, because tasks cannot import what is generated from them.
 */
export function ctxEnqueueAugmentation(runtimeImport: string, body: string, queues?: readonly string[]): string {
  const lines = [
    "declare module " + quote(runtimeImport) + " {",
    "  /** `ctx.enqueue` inside a task's run: the same functions as `enqueue`. */",
    `  interface TaskEnqueue ${body}`,
  ];
  if (queues && queues.length > 0) {
    // The queues tasks name: worker settings accept these only, so a misspelt one does not compile.
    lines.push("  /** The queues the tasks name: `queues: {...}` in worker settings takes these only. */", "  interface QueueNames {");
    for (const q of queues) lines.push(`    ${quote(q)}: true;`);
    lines.push("  }");
  }
  lines.push("}", "");
  return lines.join("\n");
}

/**
 * What codegen type-checks task files against before `generated/` exists: the same augmentation,
 * standalone, so a task that calls `ctx.enqueue.other(...)` type-checks on the first run.
 */
export function emitCtxEnqueueCheck(runtimeImport: string, tasks: ReadonlyArray<Pick<TaskModel, "ident" | "importPath">>): string {
  const lines = [`import type { EnqueueFunction, PayloadOf, ResultOf, SignalClient } from ${quote(runtimeImport)};`];
  for (const t of tasks) lines.push(`import type ${typeName(t)} from ${quote(t.importPath)};`);
  const members = tasks.map((t) => `    ${t.ident}: EnqueueFunction<PayloadOf<typeof ${typeName(t)}>, ResultOf<typeof ${typeName(t)}>> & SignalClient<typeof ${typeName(t)}>;`);
  lines.push("", ctxEnqueueAugmentation(runtimeImport, ["{", ...members, "  }"].join("\n")));
  return lines.join("\n");
}
