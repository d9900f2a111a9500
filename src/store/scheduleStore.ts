import type { MissedPolicy, OverlapPolicy } from "../schedule/scheduleOptions.js";
import type { DueSchedule, TickDecision } from "../schedule/tickPolicy.js";

/**
 * Storage of recurring schedules (`TaskStore.schedules`). Every method is batch-first; `now`
 * overrides the database's clock (tests).
 */
export interface ScheduleStore {
  /** The database's clock (or `now`). */
  readClock(now?: Date): Promise<Date>;
  /**
   * Makes the stored schedules of `taskNames` exactly `schedules` (added, changed, removed);
   * schedules of other tasks are left alone. A changed expression or time zone takes the
   * declared `nextAt`; otherwise a stored schedule keeps its next occurrence. Reconcilers run one
   * at a time.
   */
  reconcileSchedules(taskNames: readonly string[], schedules: readonly DeclaredSchedule[], now?: Date, generation?: number): Promise<ScheduleChange[]>;
  /** Schedules of `taskNames` due at the database's clock, oldest first, and the next one to come. */
  findDueSchedules(taskNames: readonly string[], limit: number, now?: Date): Promise<DueSchedules>;
  /**
   * Applies tick decisions in one statement: each schedule moves to its `nextAt` and gets its runs
   * inserted only if it still holds the due value it was read with (else another worker took the
   * occurrence, and nothing happens).
   */
  fireSchedules(decisions: readonly TickDecision[]): Promise<FiredSchedule[]>;
  listSchedules(now?: Date): Promise<{ now: Date; schedules: StoredSchedule[] }>;
  /** Deletes schedules by id; returns the ids that existed. */
  deleteSchedules(ids: readonly string[]): Promise<string[]>;
}

export interface DeclaredSchedule {
  id: string;
  taskName: string;
  queueName: string;
  cron: string;
  tz: string;
  /** The payload as JSON, checked against the task's schema. */
  payloadJson: string;
  maxRetries: number;
  missed: MissedPolicy;
  maxMissed: number;
  overlap: OverlapPolicy;
  /** The first occurrence after now: taken when the schedule is new or its expression changed. */
  nextAt: Date | null;
  /** The task's `concurrencyKey` of this payload, carried by every run. */
  concurrencyKey?: string | null;
  /** The payload version of the declaring deploy (see NewTask). */
  payloadVersion?: number;
  /** Every run's priority (default 0). */
  priority?: number;
  /** The task's `uniqueKey` of this payload: every run holds it (see DueSchedule.uniqueKey). */
  uniqueKey?: string | null;
}

export interface ScheduleChange {
  id: string;
  change: "added" | "changed" | "removed";
}

export interface DueSchedules {
  now: Date;
  /** The earliest occurrence of these tasks' schedules after `now`. */
  upcoming: Date | null;
  due: DueSchedule[];
}

export interface FiredSchedule {
  id: string;
  /** False when another worker took this occurrence first: nothing was written. */
  moved: boolean;
  /** Runs in decision order; `taskId` null when a ready or running task held its unique key. */
  runs: Array<{ scheduledFor: Date; taskId: string | null }>;
}

export interface StoredSchedule {
  id: string;
  taskName: string;
  queueName: string;
  cron: string;
  tz: string;
  missed: string;
  maxMissed: number;
  overlap: string;
  nextAt: Date | null;
  lastAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}
