import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import type { AppContext, AppLifecycle, RegisteredTask, TaskDefinition } from "../../src/index.js";
import type { CompiledValidator } from "../../src/validation.js";

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv2020) => void;
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);

/**
 * A registry entry for a task defined inside a test. Production registries use precompiled
 * validators from codegen; tests compile a hand-written schema instead.
 */
export function registered<P>(definition: TaskDefinition<string, P>, schema: object = {}, enqueueAs?: string): RegisteredTask {
  return { definition, validate: ajv.compile(schema), ...(enqueueAs ? { enqueueAs } : {}) };
}

export function registryOf(...entries: RegisteredTask[]): Record<string, RegisteredTask> {
  return Object.fromEntries(entries.map((e) => [e.definition.name, e]));
}

export function validatorFor(schema: object): CompiledValidator {
  return ajv.compile(schema);
}

/** Raw row for `store.insertTasks`, as another writer (raw SQL, an old deploy) might add it. */
export function newTask(taskName: string, queueName: string, payload: unknown = {}, extra: Partial<import("../../src/store/taskStore.js").NewTask> = {}) {
  return { taskName, queueName, payload, priority: 0, uniqueKey: null, maxRetries: 3, runAt: null, delayMs: null, ...extra };
}

/**
 * For pools whose tasks use no application context. This repository augments `AppContext`
 * (backie.worker.ts), so a pool must say what it gives its tasks; these give nothing.
 */
export const NO_APP: { app: AppLifecycle } = { app: { create: () => ({}) as AppContext } };
