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
    await ctx.app.mailer.send(payload.to, `Your report for ${payload.accountId} is ready: ${payload.reportUrl}`, ctx.signal);
  },
  // One mail per report, even if the report task is retried after it enqueued this one.
  uniqueKey: (p) => p.reportUrl,
});
