import { describe, expect, it } from "vitest";
import { defineTask, TaskDefinitionError } from "../../src/index.js";

const define = (schedules: unknown) => () => defineTask({ name: "s", schedules: schedules as never, run(_p: { x?: number }) {} });

describe("defineTask checks schedules when the task module loads", () => {
  it.each([
    ["not an array", { cron: "* * * * *" }, 'task "s": `schedules` must be an array'],
    ["an entry that is not an object", [null], 'task "s": schedules[0] must be an object'],
    ["no cron", [{ tz: "UTC" }], 'task "s": schedules[0]: `cron` is required, e.g. cron: "0 3 * * *"'],
    ["a cron that is not text", [{ cron: 5 }], 'task "s": schedules[0].cron must be a non-empty cron expression such as "0 3 * * *"'],
    ["an invalid cron", [{ cron: "* * * * * * * *" }], /^task "s": schedules\[0\]\.cron is not a valid cron expression: /],
    ["a cron that never occurs", [{ cron: "0 0 31 2 *" }], 'task "s": schedules[0].cron has no occurrence from now on'],
    ["a cron with NUL", [{ cron: "* * * * *\u0000" }], /^task "s": schedules\[0\]\.cron /],
    ["an unknown time zone", [{ cron: "* * * * *", tz: "Europe/Atlantis" }], /^task "s": schedules\[0\]\.tz is not an IANA time zone/],
    ["a time zone that is not text", [{ cron: "* * * * *", tz: 1 }], /^task "s": schedules\[0\]\.tz must be a non-empty IANA time zone name/],
    ["an unknown option", [{ cron: "* * * * *", every: "day" }], 'task "s": schedules[0].every is not a schedule option (cron, tz, payload, missed, maxMissed, overlap, priority, id)'],
    ["a bad missed policy", [{ cron: "* * * * *", missed: "later" }], 'task "s": schedules[0].missed must be "skip", "once" or "all", got "later"'],
    ["a fractional maxMissed", [{ cron: "* * * * *", maxMissed: 1.5 }], 'task "s": schedules[0].maxMissed must be a whole number from 1 to 1000, got 1.5'],
    ["an id with a control character", [{ cron: "* * * * *", id: "a\nb" }], 'task "s": schedules[0].id must not contain control characters'],
    ["an empty id", [{ cron: "* * * * *", id: " " }], 'task "s": schedules[0].id must be a non-empty string'],
    ["a long id", [{ cron: "* * * * *", id: "x".repeat(201) }], 'task "s": schedules[0].id is longer than 200 characters'],
    ["an id used twice", [{ cron: "* * * * *", id: "a" }, { cron: "0 * * * *", id: "a" }], 'task "s": schedules[1]: schedule id "a" is used twice in this task: give each schedule its own `id`'],
    ["two equal default ids", [{ cron: "* * * * *" }, { cron: "* * * * *", payload: { x: 1 } }], 'task "s": schedules[1]: schedule id "s@* * * * *" is used twice in this task: give each schedule its own `id`'],
  ])("refuses %s", (_label, schedules, message) => {
    expect(define(schedules)).toThrow(TaskDefinitionError);
    expect(define(schedules)).toThrow(message);
  });

  it("fills in defaults: id from name, expression and zone; payload {}; missed once; overlap allow", () => {
    const task = defineTask({
      name: "s", run(_p: { x?: number }) {},
      schedules: [{ cron: "0 3 * * *", tz: "Europe/Berlin" }, { id: "hourly", cron: "0 * * * *", payload: { x: 1 }, missed: "all", maxMissed: 5, overlap: "skip" }],
    });
    expect(task.schedules).toEqual([
      { id: "s@0 3 * * * Europe/Berlin", cron: "0 3 * * *", tz: "Europe/Berlin", missed: "once", maxMissed: 100, overlap: "allow", priority: 0, payload: {} },
      { id: "hourly", cron: "0 * * * *", tz: "UTC", missed: "all", maxMissed: 5, overlap: "skip", priority: 0, payload: { x: 1 } },
    ]);
    expect(defineTask({ name: "n", run() {} }).schedules).toEqual([]);
  });
});
