import { defineTask, type TaskContext } from "../src/index.js";

export interface GenerateReport {
  accountId: string;
  /** @format date */
  from: string;
  /** @format date */
  to: string;
  /** Attempts that fail before one succeeds, to show retries (a flaky upstream). @minimum 0 */
  failFirstAttempts?: number;
  /** Who hears when it is ready. @format email */
  notify?: string;
}

/** What the report run says while it works (`ctx.progress`), typed into the generated client. */
export interface ReportProgress {
  step: "fetch" | "render";
  /** @minimum 0 @maximum 100 */
  percent: number;
}

/**
 * Builds a monthly report from a flaky upstream: fails sometimes, retries with backoff. When it
 * succeeds it starts another task with `ctx.enqueue`, typed and validated like `enqueue`.
 */
export default defineTask({
  name: "generate_report",
  queue: "reports",
  maxRetries: 3,
  backoff: { kind: "exponential", baseMs: 200, maxMs: 5_000 },
  async run(payload: GenerateReport, ctx: TaskContext<ReportProgress>) {
    ctx.progress({ step: "fetch", percent: 0 });
    if (ctx.task.attempt <= (payload.failFirstAttempts ?? 0)) {
      throw new Error(`upstream for account ${payload.accountId} timed out (attempt ${ctx.task.attempt})`);
    }
    const reportUrl = `https://reports.example.com/${payload.accountId}/${payload.from}_${payload.to}.pdf`;
    ctx.progress({ step: "render", percent: 100 });
    ctx.log.info(`report for ${payload.accountId}, ${payload.from}..${payload.to}: ${reportUrl}`);
    if (payload.notify) await ctx.enqueue.sendReportReady({ to: payload.notify, accountId: payload.accountId, reportUrl });
  },
});
