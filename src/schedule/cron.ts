import { Cron } from "croner";
import { textProblem } from "../payload.js";

/**
 * Cron expressions and time zones, through croner (a maintained parser whose DST rules are
 * documented and match Vixie cron): defineTask and codegen check with it, workers compute
 * occurrences with it, so the three never disagree about what an expression means.
 *
 * DST: a fixed-time expression (no `*` or step in seconds, minutes and hours, e.g. `30 2 * * *`)
 * whose time falls in a spring-forward gap runs once at the first valid instant after the gap; one
 * whose time occurs twice in a fall-back overlap runs once, at the first. Interval expressions
 * (`*\/15 * * * *`) keep their rhythm in real time: gap times do not exist, repeated ones run again.
 */

export const DEFAULT_TIME_ZONE = "UTC";
const MAX_EXPRESSION_LENGTH = 200;

/** The occurrences of one expression in one time zone. */
export interface CronExpression {
  /** The first occurrence strictly after `after`, or null when there is none. */
  next: (after: Date) => Date | null;
  /** Up to `count` occurrences strictly before `before`, latest first. */
  previous: (count: number, before: Date) => Date[];
}

/** Parses `cron` in time zone `tz`; throws with croner's own message when it cannot. */
export function parseCron(cron: string, tz: string): CronExpression {
  const problem = timeZoneProblem(tz);
  if (problem) throw new Error(`time zone "${tz}" ${problem}`);
  const job = new Cron(cron, { timezone: tz, paused: true, fixedTimeRule: "no-wildcard" });
  return {
    next: (after) => job.nextRun(after),
    previous: (count, before) => job.previousRuns(count, before),
  };
}

/** Why `tz` is not an IANA time zone this runtime knows, or undefined. */
export function timeZoneProblem(tz: unknown): string | undefined {
  if (typeof tz !== "string" || tz.trim() === "") return "must be a non-empty IANA time zone name such as \"Europe/Berlin\"";
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return undefined;
  } catch {
    return "is not an IANA time zone this Node.js knows (e.g. \"UTC\", \"Europe/Berlin\", \"America/New_York\")";
  }
}

/**
 * Why `cron` cannot schedule anything in `tz` from `now` on, or undefined: not an expression,
 * or one that never occurs again (`0 0 30 2 *`, a past year).
 */
export function cronProblem(cron: unknown, tz: string, now = new Date()): string | undefined {
  if (typeof cron !== "string" || cron.trim() === "") return "must be a non-empty cron expression such as \"0 3 * * *\"";
  if (cron.length > MAX_EXPRESSION_LENGTH) return `is longer than ${MAX_EXPRESSION_LENGTH} characters`;
  const text = textProblem(cron);
  if (text) return text;
  let expression: CronExpression;
  try {
    expression = parseCron(cron, tz);
  } catch (error) {
    return `is not a valid cron expression: ${(error as Error).message}`;
  }
  try {
    if (expression.next(now) === null) return "has no occurrence from now on";
  } catch (error) {
    return `cannot be evaluated: ${(error as Error).message}`;
  }
  return undefined;
}
