import { defineTask } from "../src/index.js";

export interface GenerateReport {
  accountId: string;
  /** @format date */
  from: string;
  /** @format date */
  to: string;
  /** Attempts that fail before one succeeds, to show retries (a flaky upstream). @minimum 0 */
  failFirstAttempts?: number;
}

/** Builds a monthly report from a flaky upstream: fails sometimes, retries with backoff. */
export default defineTask({
  name: "generate_report",
  queue: "reports",
  maxRetries: 3,
  backoff: { kind: "exponential", baseMs: 200, maxMs: 5_000 },
  async run(payload: GenerateReport, ctx) {
    if (ctx.task.attempt <= (payload.failFirstAttempts ?? 0)) {
      throw new Error(`upstream for account ${payload.accountId} timed out (attempt ${ctx.task.attempt})`);
    }
    ctx.log.info(`report for ${payload.accountId}, ${payload.from}..${payload.to}`);
  },
});
