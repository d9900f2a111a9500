/**
 * Type-level tests of `backie/testing`, checked by `npm run typecheck` (part of `npm test`).
 * Each `@ts-expect-error` must fail to compile; an unused one is itself an error.
 */
import type { Payloads, Results } from "../../generated/enqueue.js";
import type { registry } from "../../generated/registry.js";
import { createTestKit } from "../../src/testing/index.js";
import type { TaskStore } from "../../src/index.js";

declare const store: TaskStore;
declare const tasks: typeof registry;
const kit = createTestKit<Payloads, Results>(store, tasks);

export async function compiles(): Promise<void> {
  const task = await kit.assertEnqueued("send_welcome_email", { payload: { to: "a@b.co" }, queue: "email" });
  void task.payload.name.toUpperCase();
  await kit.refuteEnqueued("generate_report", { payload: { accountId: "acme" } });
  const all = await kit.allEnqueued("resize_image");
  void all.map((t) => t.payload.width + 1);
  const outcome = await kit.perform("generate_report", { accountId: "a", from: "2026-01-01", to: "2026-01-31" });
  if (outcome.outcome === "retry") void outcome.delayMs.toFixed();
}

export async function doesNotCompile(): Promise<void> {
  // @ts-expect-error a misspelt task name
  await kit.assertEnqueued("send_welcom_email");
  // @ts-expect-error a misspelt payload field
  await kit.assertEnqueued("send_welcome_email", { payload: { too: "a@b.co" } });
  // @ts-expect-error a payload of the wrong type
  await kit.perform("send_welcome_email", { to: 1, name: "A" });
  // @ts-expect-error a task that does not exist
  await kit.allEnqueued("nope");
}
