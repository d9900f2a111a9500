/**
 * Type-level tests of the registry, checked by `npm run typecheck`: an entry holds a task of any
 * payload type, and nothing can call its run with a payload of the wrong type.
 */
import { registry } from "../../generated/registry.js";
import type { RegisteredTask, TaskContext } from "../../src/index.js";

declare const ctx: TaskContext;

export function holdsEveryTask(): RegisteredTask[] {
  return [registry.generate_report, registry.send_welcome_email];
}

export async function cannotCallWithAnyPayload(entry: RegisteredTask): Promise<void> {
  // @ts-expect-error a registry entry's run takes no payload a caller could pick (it was `any`)
  await entry.definition.run({ to: "ada@example.com" }, ctx);
  // @ts-expect-error nor its uniqueKey
  entry.definition.uniqueKey?.({ to: "ada@example.com" });
}
