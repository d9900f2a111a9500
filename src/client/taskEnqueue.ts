import { signalFunction } from "./signal.js";
import { ConfigError } from "../errors.js";
import type { TaskStore } from "../store/taskStore.js";
import type { TaskEnqueue } from "../types.js";
import type { RegisteredTask } from "../worker/executor.js";
import { enqueueFunction, type EnqueueFunction } from "./enqueue.js";

// Names a caller may probe without meaning a task: `await ctx.enqueue`, JSON.stringify, inspection.
const NOT_TASKS = new Set(["then", "toJSON", "constructor", "inspect", "asymmetricMatch", "$$typeof"]);

/**
 * `ctx.enqueue`, built once per pool from the worker's registry: the same validation and unique
 * keys as the generated client, using the handler code the worker has loaded anyway.
 */
export function taskEnqueue(registry: ReadonlyMap<string, RegisteredTask>, store: TaskStore): TaskEnqueue {
  const functions: Record<string, EnqueueFunction<unknown>> = {};
  for (const entry of registry.values()) {
    const { definition, validate, enqueueAs } = entry;
    if (enqueueAs === undefined) continue;
    // The generated TaskEnqueue types each function's payload; here they are untyped, and the
    // payload is validated against this task's schema before its uniqueKey sees it.
    const uniqueKey = definition.uniqueKey as ((payload: unknown) => string) | undefined;
    const concurrencyKey = definition.concurrencyKey as ((payload: unknown) => string) | undefined;
    const enqueue = enqueueFunction<unknown>(() => store, {
      name: definition.name,
      queue: definition.queue,
      maxRetries: definition.maxRetries,
      validate,
      ...(entry.version ? { version: entry.version } : {}),
      ...(uniqueKey ? { uniqueKey } : {}),
      ...(concurrencyKey ? { concurrencyKey } : {}),
    });
    functions[enqueueAs] = entry.signals ? Object.assign(enqueue, { signal: signalFunction(() => store, { name: definition.name, signals: entry.signals }) }) : enqueue;
  }
  return new Proxy(functions, {
    get(target, key) {
      if (typeof key !== "string" || key in target || NOT_TASKS.has(key)) return Reflect.get(target, key) as unknown;
      throw new ConfigError(
        `ctx.enqueue.${key}: no such task in this worker's registry (it has: ${Object.keys(target).sort().join(", ") || "none"}); ` +
          "run `npm run gen` and restart the worker",
      );
    },
  }) as unknown as TaskEnqueue;
}
