/**
 * Type-level tests of schedules, checked by `npm run typecheck`: a schedule's payload is the
 * task's own payload type (inferred from `run`, never widened by a schedule), required unless an
 * empty object is a valid payload.
 */
import { defineTask, type ScheduleRun, type TaskContext } from "../../src/index.js";

interface Report {
  accountId: string;
  full?: boolean;
}

export const typed = defineTask({
  name: "typed_report",
  schedules: [
    { cron: "0 3 * * *", tz: "Europe/Berlin", payload: { accountId: "acme" } },
    { cron: "0 4 * * *", payload: { accountId: "globex", full: true }, missed: "all", maxMissed: 10, overlap: "skip", id: "globex" },
  ],
  run(payload: Report) {
    void payload.accountId;
  },
});

export const wrongField = defineTask({
  name: "wrong_field",
  // @ts-expect-error accountId must be a string: the payload type comes from run, not from here
  schedules: [{ cron: "0 3 * * *", payload: { accountId: 42 } }],
  run(payload: Report) {
    void payload;
  },
});

export const missingPayload = defineTask({
  name: "missing_payload",
  // @ts-expect-error Report needs accountId, so the payload cannot be left out
  schedules: [{ cron: "0 3 * * *" }],
  run(payload: Report) {
    void payload;
  },
});

export const optionalPayload = defineTask({
  name: "optional_payload",
  // {} is a valid payload here: it may be left out.
  schedules: [{ cron: "*/5 * * * *" }],
  run(payload: { verbose?: boolean }) {
    void payload;
  },
});

export const badPolicy = defineTask({
  name: "bad_policy",
  // @ts-expect-error missed is "skip" | "once" | "all"
  schedules: [{ cron: "0 3 * * *", missed: "later", payload: { accountId: "a" } }],
  run(payload: Report) {
    void payload;
  },
});

export function scheduleOnContext(ctx: TaskContext): ScheduleRun | null {
  const run = ctx.schedule;
  if (run) {
    const when: Date = run.scheduledFor;
    const missed: number = run.missedCount;
    void [when, missed, run.id];
  }
  return run;
}
