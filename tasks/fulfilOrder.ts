import { defineTask } from "../src/index.js";

export interface FulfilOrder {
  orderId: string;
  /** @minimum 1 */
  amountCents: number;
  /** How long to hold the order before asking for approval, in ms (a real shop: days). */
  coolOffMs: number;
}

export interface Approval {
  by: string;
  approved: boolean;
}

/**
 * A durable, multi-step task: charge once, sleep, wait for a human's approval (a signal), then
 * ship or refund. Each step runs once however often the task is retried or resumed; while it
 * sleeps or waits it holds no worker slot.
 */
export default defineTask({
  name: "fulfil_order",
  queue: "orders",
  signals: { approved: {} as Approval },
  uniqueKey: (p: FulfilOrder) => p.orderId,
  async run(payload: FulfilOrder, ctx) {
    const charge = await ctx.step("charge", () => ({ chargeId: `ch_${payload.orderId}`, at: new Date() }));
    ctx.log.info(`charged ${payload.amountCents} cents as ${charge.chargeId} at ${charge.at.toISOString()}`);
    await ctx.sleep("cool-off", payload.coolOffMs);
    const answer = await ctx.waitFor("approved", { timeout: { days: 7 } });
    if (!answer.received || !answer.payload.approved) {
      await ctx.step("refund", () => ctx.log.info(`refunding ${charge.chargeId}`));
      return;
    }
    const shipment = await ctx.step("ship", () => ({ trackingId: `tr_${payload.orderId}` }));
    ctx.log.info(`shipped ${payload.orderId} (${shipment.trackingId}), approved by ${answer.payload.by}`);
  },
});
