import { parseCron } from "./cron.js";
import type { MissedPolicy, OverlapPolicy } from "./scheduleOptions.js";

/**
 * The schedule policy, in one place: given a due schedule and the database's clock, which
 * occurrences run, which are reported missed or skipped, and where the schedule moves next. Pure:
 * the scheduler applies the decisions in one batch (SchedulesFireMany), and tests drive it with
 * any clock.
 *
 * An occurrence is *missed* when it is found due more than `graceMs` after its time (no worker
 * ticked: all were down, or the database was unreachable); within the grace it simply runs.
 */

/** A due schedule as the store reads it. */
export interface DueSchedule {
  id: string;
  taskName: string;
  cron: string;
  tz: string;
  missed: MissedPolicy;
  maxMissed: number;
  overlap: OverlapPolicy;
  /**
   * The task's `uniqueKey` of the schedule's payload: every run holds it instead of the schedule's
   * own key, so an enqueued task with that key blocks an occurrence and the other way round; at
   * most one run per tick, as with overlap "skip" (more could never all be inserted).
   */
  uniqueKey?: string | null;
  /** The stored next occurrence (due: at or before now). */
  nextAt: Date;
  /** Its exact stored form: the fire statement moves the schedule only if it still holds this. */
  dueToken: string;
}

export interface ScheduledRun {
  scheduledFor: Date;
  /** Missed occurrences this run stands for: 0 on time, N for `once`, 1 per run for `all`. */
  missedCount: number;
  /** Held while the run is ready or running: one per occurrence, or one per schedule (overlap skip). */
  uniqueKey: string;
}

export interface TickDecision {
  schedule: DueSchedule;
  /** The first occurrence after now; null when the expression has none left. */
  nextAt: Date | null;
  /** The latest occurrence taken by this tick; null when it takes none (a parked schedule). */
  lastAt: Date | null;
  runs: ScheduledRun[];
  /** Occurrences found later than the grace period, and how many of them run. */
  missed: { count: number; capped: boolean; first: Date; last: Date; running: number } | null;
  /** On-time occurrences not run because an overlap-skip schedule runs at most one per tick. */
  coalesced: Date[];
}

/** Missed occurrences are counted up to this many; beyond, the count says "at least". */
export const MAX_MISSED_COUNTED = 1_000;
const FLOOR = new Date(0);

export function decideTick(schedule: DueSchedule, now: Date, graceMs: number): TickDecision {
  const expression = parseCron(schedule.cron, schedule.tz);
  const cutoff = new Date(now.getTime() - graceMs);
  // A stored value from before any real schedule (written by hand, -infinity): count from 1970.
  const first = schedule.nextAt >= FLOOR ? schedule.nextAt : (expression.next(FLOOR) ?? now);

  // Late occurrences: [first, cutoff). Counted (bounded), the latest few kept for `once`/`all`.
  let lateCount = 0;
  let capped = false;
  let lastLate: Date | undefined;
  for (let o: Date | null = first; o !== null && o < cutoff; o = expression.next(o)) {
    if (lateCount === MAX_MISSED_COUNTED) {
      capped = true;
      break;
    }
    lateCount++;
    lastLate = o;
  }
  if (capped) lastLate = expression.previous(1, cutoff)[0] ?? lastLate;

  // On time: [max(first, cutoff), now].
  const onTime: Date[] = [];
  let o: Date | null = first >= cutoff ? first : expression.next(new Date(cutoff.getTime() - 1));
  for (; o !== null && o <= now; o = expression.next(o)) onTime.push(o);
  const nextAt = o;

  const single = schedule.overlap === "skip" || typeof schedule.uniqueKey === "string";
  const key = (at: Date): string =>
    typeof schedule.uniqueKey === "string" ? schedule.uniqueKey
      : schedule.overlap === "skip" ? `backie:schedule:${schedule.id}` : `backie:schedule:${schedule.id}@${at.toISOString()}`;
  const runs: ScheduledRun[] = [];
  let running = 0;
  if (lateCount > 0) {
    if (schedule.missed === "once") {
      runs.push({ scheduledFor: lastLate!, missedCount: lateCount, uniqueKey: key(lastLate!) });
      running = 1;
    } else if (schedule.missed === "all") {
      const keep = Math.min(schedule.maxMissed, lateCount);
      const latest = capped
        ? expression.previous(keep, cutoff).filter((d) => d >= first).reverse()
        : lateOccurrences(expression.next, first, lastLate!, keep);
      for (const at of latest) runs.push({ scheduledFor: at, missedCount: 1, uniqueKey: key(at) });
      running = latest.length;
    }
  }
  for (const at of onTime) runs.push({ scheduledFor: at, missedCount: 0, uniqueKey: key(at) });

  // Overlap skip or a task unique key: one run per tick at most, the latest (a catch-up run keeps its missed count).
  let coalesced: Date[] = [];
  if (single && runs.length > 1) {
    const kept = runs[runs.length - 1]!;
    coalesced = runs.slice(0, -1).filter((r) => r.missedCount === 0).map((r) => r.scheduledFor);
    running = Math.min(running, kept.missedCount > 0 ? 1 : 0);
    runs.splice(0, runs.length, kept);
  }

  const lastAt = onTime[onTime.length - 1] ?? lastLate ?? first;
  return {
    schedule, nextAt, lastAt, runs, coalesced,
    missed: lateCount > 0 ? { count: lateCount, capped, first, last: lastLate!, running } : null,
  };
}

/** The latest `keep` occurrences from `first` through `last` (at most MAX_MISSED_COUNTED of them). */
function lateOccurrences(next: (after: Date) => Date | null, first: Date, last: Date, keep: number): Date[] {
  const all: Date[] = [];
  for (let o: Date | null = first; o !== null && o <= last; o = next(o)) all.push(o);
  return all.slice(-keep);
}
