import { ConfigError } from "../errors.js";
import type { RegisteredTask } from "./executor.js";

/**
 * The registry plus an entry under each alias of a task, as a worker claims them (tasks enqueued
 * before a rename run as the task). An alias that is also a task's name cannot work: `where`
 * names who refuses it.
 */
export function withAliases(registry: ReadonlyMap<string, RegisteredTask> | Readonly<Record<string, RegisteredTask>>, where: string): Map<string, RegisteredTask> {
  const tasks: ReadonlyMap<string, RegisteredTask> = registry instanceof Map
    ? registry as ReadonlyMap<string, RegisteredTask>
    : new Map(Object.entries(registry as Readonly<Record<string, RegisteredTask>>));
  const out = new Map<string, RegisteredTask>(tasks);
  for (const entry of tasks.values()) {
    for (const alias of entry.definition.aliases ?? []) {
      if (tasks.has(alias)) throw new ConfigError(`${where}: task "${entry.definition.name}" has alias "${alias}", which is also a registered task's name`);
      out.set(alias, entry);
    }
  }
  return out;
}
