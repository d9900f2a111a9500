import { defineTask } from "../src/index.js";

export interface SendReportReady {
  /** @format email */
  to: string;
  accountId: string;
  /** @format uri */
  reportUrl: string;
}

/** Tells the account that its report is ready. Enqueued by generate_report through ctx.enqueue. */
export default defineTask({
  name: "send_report_ready",
  queue: "email",
  maxRetries: 5,
  timeoutMs: 30_000,
  async run(payload: SendReportReady, ctx) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    ctx.log.info(`report for ${payload.accountId} ready: mailed ${payload.reportUrl} to ${payload.to}`, { task: ctx.task.id });
  },
  // One mail per report, even if the report task is retried after it enqueued this one.
  uniqueKey: (p) => p.reportUrl,
});
