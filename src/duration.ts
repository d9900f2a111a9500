import { ConfigError } from "./errors.js";
import { MAX_DELAY_MS } from "./names.js";

/** A span of time: milliseconds, or parts that add up (`{ days: 2, hours: 12 }`). */
export type Duration = number | { readonly days?: number; readonly hours?: number; readonly minutes?: number; readonly seconds?: number; readonly ms?: number };

const UNIT_MS = { days: 86_400_000, hours: 3_600_000, minutes: 60_000, seconds: 1_000, ms: 1 } as const;

/** The end of `duration` after `now` (or the Date itself), or a one-line error naming `where`. */
export function deadline(where: string, duration: Duration | Date, now: Date): Date {
  if (duration instanceof Date) {
    if (Number.isNaN(duration.getTime())) throw new ConfigError(`${where}: the Date is invalid`);
    return duration;
  }
  let ms: number;
  if (typeof duration === "number") {
    ms = duration;
  } else if (duration !== null && typeof duration === "object") {
    ms = 0;
    for (const [unit, value] of Object.entries(duration)) {
      if (!Object.hasOwn(UNIT_MS, unit)) throw new ConfigError(`${where}: unknown unit "${unit}" (days, hours, minutes, seconds, ms)`);
      if (typeof value !== "number" || !Number.isFinite(value) || value < 0) throw new ConfigError(`${where}: ${unit} must be a number of 0 or more, got ${String(value)}`);
      ms += value * UNIT_MS[unit as keyof typeof UNIT_MS];
    }
  } else {
    throw new ConfigError(`${where}: expected milliseconds, { days, hours, minutes, seconds, ms } or a Date`);
  }
  if (!Number.isFinite(ms) || ms < 0 || ms > MAX_DELAY_MS) throw new ConfigError(`${where}: the duration must be from 0 to ${MAX_DELAY_MS} ms, got ${ms}`);
  return new Date(now.getTime() + Math.round(ms));
}
