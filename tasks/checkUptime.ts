import { defineTask } from "../src/index.js";

export interface CheckUptime {
  /** @format uri */
  url: string;
  /** Give up after this long. @minimum 1 */
  timeoutMs: number;
}

/**
 * A recurring task: a schedule declared next to the task, typed against its payload and checked
 * by `backie gen`. Every 5 seconds here so that the demo shows it; any worker may fire an
 * occurrence, and exactly one task is created for it. `overlap: "skip"`: no second check while
 * one is still running; `missed: "skip"`: after downtime, no burst of stale checks (reported).
 */
export default defineTask({
  name: "check_uptime",
  queue: "monitoring",
  maxRetries: 0,
  schedules: [
    {
      id: "uptime-example-com",
      cron: "*/5 * * * * *",
      payload: { url: "https://example.com/health", timeoutMs: 2_000 },
      missed: "skip",
      overlap: "skip",
    },
  ],
  async run(payload: CheckUptime, ctx) {
    // A real check would fetch(payload.url, { signal: ctx.signal }); the demo stays offline.
    const occurrence = ctx.schedule ? `occurrence ${ctx.schedule.scheduledFor.toISOString()} of ${ctx.schedule.id}` : "run on demand";
    ctx.log.info(`checked ${payload.url} (${occurrence}): up`);
  },
});
