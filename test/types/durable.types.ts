/**
 * Type-level tests of durable steps and signals, checked by `npm run typecheck` (part of `npm test`).
 * Each `@ts-expect-error` must fail to compile; an unused one is itself an error.
 */
import type { Enqueue } from "../../generated/enqueue.js";
import { defineTask, type WaitOutcome } from "../../src/index.js";

declare const enqueue: Enqueue;

interface Approval { by: string; approved: boolean }

export const typed = defineTask({
  name: "types_durable",
  signals: { approved: {} as Approval },
  async run(_p: { id: string }, ctx) {
    const charged: { id: string; at: Date } = await ctx.step("charge", () => ({ id: "c", at: new Date() }));
    await ctx.sleep("nap", { hours: 1 });
    await ctx.sleep("until", new Date("2027-01-01T00:00:00Z"));
    const answer: WaitOutcome<Approval> = await ctx.waitFor("approved", { timeout: { days: 7 } });
    if (answer.received) void answer.payload.by.toUpperCase();
    else void (answer.timedOut satisfies true);
    void charged;
    // @ts-expect-error a signal the task does not declare
    await ctx.waitFor("rejected");
    // @ts-expect-error a duration unit that does not exist
    await ctx.sleep("nap2", { weeks: 1 });
    // @ts-expect-error a step's result keeps its type
    const wrong: string = await ctx.step("n", () => 1);
    void wrong;
  },
});

export const plain = defineTask({
  name: "types_plain",
  async run(_p: { id: string }, ctx) {
    // @ts-expect-error a task without signals waits for none
    await ctx.waitFor("approved");
  },
});

export async function signals(): Promise<void> {
  await enqueue.fulfilOrder.signal("12", "approved", { by: "ops@example.com", approved: true });
  await enqueue.fulfilOrder.signal({ key: "order-7" }, "approved", { by: "ops", approved: false });
  // @ts-expect-error an undeclared signal name
  await enqueue.fulfilOrder.signal("12", "shipped", { by: "ops", approved: true });
  // @ts-expect-error a wrong signal payload
  await enqueue.fulfilOrder.signal("12", "approved", { by: "ops" });
  // @ts-expect-error a task without signals has no .signal
  await enqueue.sendWelcomeEmail.signal("12", "approved", {});
}
