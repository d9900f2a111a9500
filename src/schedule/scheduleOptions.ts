import { TaskDefinitionError } from "../errors.js";
import { textProblem } from "../payload.js";
import { cronProblem, DEFAULT_TIME_ZONE, timeZoneProblem } from "./cron.js";

/** Occurrences found due later than the grace period (the workers were down): what to run. */
export type MissedPolicy =
  /** None of them; each tick that finds some reports them (`schedule:missed`). */
  | "skip"
  /** One run for all of them, for the latest, with `ctx.schedule.missedCount` = how many. */
  | "once"
  /** One run each, the latest `maxMissed` of them. */
  | "all";

/** What a tick does while the schedule's previous run is ready or running. */
export type OverlapPolicy = "allow" | "skip";

/** The options of one schedule but its payload. */
export interface ScheduleSettings {
  /** Cron expression (croner syntax: 5 fields, or 6 with seconds first), e.g. "0 3 * * *". */
  cron: string;
  /** IANA time zone the expression is read in. Default "UTC". */
  tz?: string;
  /** Default "once". */
  missed?: MissedPolicy;
  /** With `missed: "all"`: most missed occurrences run per catch-up, the latest. 1 to 1,000; default 100. */
  maxMissed?: number;
  /** Default "allow". */
  overlap?: OverlapPolicy;
  /** Every run's priority (higher runs first). Default 0. */
  priority?: number;
  /**
   * Identifies the schedule's stored state (next occurrence). Default `<task name>@<cron>` (plus
   * ` <tz>` when not UTC): changing the expression then makes a new schedule. Set it to keep the
   * state across a change of expression or a rename of the task. Unique across the database.
   */
  id?: string;
}

/**
 * One entry of `schedules` on `defineTask`: the payload is checked against the task's own
 * (NoInfer: the payload type comes from `run`, never from a schedule). It may be left out when
 * an empty object is a valid payload.
 */
export type ScheduleOptions<Payload> = ScheduleSettings &
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- "an empty object is a valid payload" is exactly this test
  ({} extends Payload ? { payload?: NoInfer<Payload> } : { payload: NoInfer<Payload> });

/** A checked schedule with every default filled in, as the worker reconciles it. */
export interface TaskSchedule {
  readonly id: string;
  readonly cron: string;
  readonly tz: string;
  readonly missed: MissedPolicy;
  readonly maxMissed: number;
  readonly overlap: OverlapPolicy;
  readonly priority: number;
  readonly payload: unknown;
}

export const DEFAULT_MISSED: MissedPolicy = "once";
export const DEFAULT_MAX_MISSED = 100;
export const MAX_MAX_MISSED = 1_000;
export const DEFAULT_OVERLAP: OverlapPolicy = "allow";
const MAX_ID_LENGTH = 200;
const MISSED: readonly string[] = ["skip", "once", "all"];
const OVERLAP: readonly string[] = ["allow", "skip"];

/** The id a schedule gets when it declares none. */
export function defaultScheduleId(taskName: string, cron: string, tz: string): string {
  return tz === DEFAULT_TIME_ZONE ? `${taskName}@${cron}` : `${taskName}@${cron} ${tz}`;
}

/**
 * Why the value of one schedule option is wrong, or undefined. The same rules for defineTask (at
 * load) and codegen (on the source, with its line), so both refuse the same things.
 */
export function scheduleOptionProblem(key: string, value: unknown, tz: string = DEFAULT_TIME_ZONE): string | undefined {
  switch (key) {
    case "cron":
      return cronProblem(value, tz);
    case "tz":
      return timeZoneProblem(value);
    case "missed":
      return MISSED.includes(value as string) ? undefined : `must be "skip", "once" or "all", got ${show(value)}`;
    case "overlap":
      return OVERLAP.includes(value as string) ? undefined : `must be "allow" or "skip", got ${show(value)}`;
    case "maxMissed":
      return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= MAX_MAX_MISSED
        ? undefined
        : `must be a whole number from 1 to ${MAX_MAX_MISSED}, got ${show(value)}`;
    case "id": {
      if (typeof value !== "string" || value.trim() === "") return "must be a non-empty string";
      if (value.length > MAX_ID_LENGTH) return `is longer than ${MAX_ID_LENGTH} characters`;
      // eslint-disable-next-line no-control-regex -- control characters are what this looks for
      if (/[\u0000-\u001f\u007f]/.test(value)) return "must not contain control characters";
      return textProblem(value);
    }
    case "priority":
      return Number.isInteger(value) && (value as number) >= -2_147_483_648 && (value as number) <= 2_147_483_647
        ? undefined
        : `must be a whole number (a 32-bit integer), got ${show(value)}`;
    case "payload":
      return undefined;
    default:
      return `is not a schedule option (cron, tz, payload, missed, maxMissed, overlap, priority, id)`;
  }
}

/** Checks `schedules` of task `taskName` and fills in defaults; throws a TaskDefinitionError naming the first problem. */
export function resolveSchedules(taskName: string, schedules: unknown): TaskSchedule[] {
  if (schedules === undefined) return [];
  const where = `task "${taskName}"`;
  if (!Array.isArray(schedules)) throw new TaskDefinitionError(`${where}: \`schedules\` must be an array`);
  const resolved: TaskSchedule[] = [];
  const ids = new Set<string>();
  schedules.forEach((entry: unknown, index) => {
    const at = `${where}: schedules[${index}]`;
    if (entry === null || typeof entry !== "object" || Array.isArray(entry)) throw new TaskDefinitionError(`${at} must be an object`);
    const options = entry as Record<string, unknown>;
    const tz = options.tz ?? DEFAULT_TIME_ZONE;
    for (const key of ["tz", ...Object.keys(options).filter((k) => k !== "tz")]) {
      if (key === "tz" && options.tz === undefined) continue;
      const problem = scheduleOptionProblem(key, options[key], typeof tz === "string" ? tz : DEFAULT_TIME_ZONE);
      if (problem) throw new TaskDefinitionError(`${at}.${key} ${problem}`);
    }
    if (options.cron === undefined) throw new TaskDefinitionError(`${at}: \`cron\` is required, e.g. cron: "0 3 * * *"`);
    const cron = options.cron as string;
    const id = (options.id as string | undefined) ?? defaultScheduleId(taskName, cron, tz as string);
    if (ids.has(id)) {
      throw new TaskDefinitionError(`${at}: schedule id "${id}" is used twice in this task: give each schedule its own \`id\``);
    }
    ids.add(id);
    resolved.push(Object.freeze({
      id, cron, tz: tz as string,
      missed: (options.missed as MissedPolicy | undefined) ?? DEFAULT_MISSED,
      maxMissed: (options.maxMissed as number | undefined) ?? DEFAULT_MAX_MISSED,
      overlap: (options.overlap as OverlapPolicy | undefined) ?? DEFAULT_OVERLAP,
      priority: (options.priority as number | undefined) ?? 0,
      payload: "payload" in options && options.payload !== undefined ? options.payload : {},
    }));
  });
  return resolved;
}

function show(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}
