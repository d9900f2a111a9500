import type { Lease, TaskResult } from "./store/taskStore.js";
import type { BackoffMode, RetentionMode, TaskErrorRecord } from "./types.js";
import { MAX_DELAY_MS } from "./names.js";

/*
 * The one place where the fate of a run is decided: retry or fail, after which delay, and whether
 * the row is kept. The worker's completion path and the rescuer both ask here; SQL only applies
 * the decisions, in batches.
 */

/**
 * Delay before the next run after `failedAttempt` (1 = the first run failed).
 * Exponential keeps the original's `2^(retry+1)` seconds for the default base of 2 s:
 * 2 s, 4 s, 8 s, ... capped at `maxMs`. `random` is injected so that tests are exact.
 */
export function retryDelayMs(backoff: BackoffMode, failedAttempt: number, random: () => number = Math.random): number {
  // Bounded whatever the definition says (one built without defineTask is not checked): a delay
  // PostgreSQL cannot add to now() would fail the statement that writes it.
  return Math.min(MAX_DELAY_MS, Math.max(0, rawDelayMs(backoff, failedAttempt, random) || 0));
}

function rawDelayMs(backoff: BackoffMode, failedAttempt: number, random: () => number): number {
  switch (backoff.kind) {
    case "none":
      return 0;
    case "fixed":
      return backoff.delayMs;
    case "exponential": {
      const base = backoff.baseMs ?? 2_000;
      const max = backoff.maxMs ?? 3_600_000;
      const jitter = backoff.jitter ?? 0;
      const raw = Math.min(max, base * 2 ** Math.max(0, failedAttempt - 1));
      const spread = raw * jitter * (random() * 2 - 1);
      return Math.max(0, Math.round(raw + spread));
    }
  }
}

/** Whether a task that has run `attempts` times may run again. */
export function hasRetriesLeft(attempts: number, maxRetries: number): boolean {
  return attempts <= maxRetries;
}

/** Where a finished row goes under a queue's retention: kept in its state, or deleted. */
export function keepsRow(retention: RetentionMode, state: "done" | "failed"): boolean {
  return state === "done" ? retention === "keepAll" : retention !== "removeAll";
}

/** A task that belongs to a fan-in (`ctx.fanIn`): its row is its outcome until the fan-in resumes. */
type FanInMember = { fanInId?: string | null };

/**
 * A run that succeeded. A fan-in child is kept `done` with its `result` whatever the retention:
 * its fan-in reads the result from the row, and removes the row when it resumes.
 */
export function decideSuccess(lease: Lease & FanInMember, retention: RetentionMode, result?: unknown): TaskResult {
  if (lease.fanInId != null) return { id: lease.id, token: lease.token, outcome: "done", result };
  return { id: lease.id, token: lease.token, outcome: keepsRow(retention, "done") ? "done" : "remove" };
}

/**
 * A run that failed (threw, timed out, or could not start): another attempt after its backoff
 * while retries are left and the error is not permanent, otherwise failed (kept or deleted as the
 * retention says; a fan-in child is kept).
 */
export function decideFailure(
  task: Lease & FanInMember & { attempt: number; maxRetries: number },
  error: TaskErrorRecord,
  policy: { permanent: boolean; backoff: BackoffMode; retention: RetentionMode },
): TaskResult {
  if (!policy.permanent && hasRetriesLeft(task.attempt, task.maxRetries)) {
    return { id: task.id, token: task.token, outcome: "retry", error, delayMs: retryDelayMs(policy.backoff, task.attempt) };
  }
  // A failed fan-in child stays, so that its fan-in records the error (not a deletion).
  return { id: task.id, token: task.token, outcome: "failed", error, remove: task.fanInId == null && !keepsRow(policy.retention, "failed") };
}

/**
 * Reservations that may lapse with their attempt given back. A task that kills its worker as soon
 * as it starts also lapses unconfirmed: past this many lapses its attempts count, so it fails in
 * the end like any task that crashes workers.
 */
export const RESERVATION_LAPSES_FORGIVEN = 3;

/**
 * A task whose lease expired: its worker crashed, hung or lost the database. The crash is not the
 * task's failure: while retries are left it runs again at once, in the place it had in the queue,
 * rather than after a backoff behind every task enqueued since. The attempt counts (it may be the
 * task that crashes workers), except for a reservation that lapsed: a prefetched task whose run
 * was never confirmed most likely never ran, and a dead worker's prefetch must not use up the
 * retries of the tasks it held (or fail outright those that have none), up to a few times.
 */
export function decideRescue(
  task: Lease & { attempts: number; maxRetries: number; confirmed: boolean; lapses: number; leaseOwner: string | null; leaseExpiresAt: Date },
  at: string,
  retention: RetentionMode,
): TaskResult {
  const owner = task.leaseOwner ?? "?";
  const expired = task.leaseExpiresAt.toISOString();
  if (!task.confirmed && task.lapses < RESERVATION_LAPSES_FORGIVEN) {
    const message = `reservation held by ${owner} expired at ${expired} before its run was confirmed (worker crashed, stalled or lost its database connection); attempt not counted`;
    return { id: task.id, token: task.token, outcome: "retry", error: { attempt: task.attempts, kind: "reservation_expired", message, at }, delayMs: null, uncount: true };
  }
  const error: TaskErrorRecord = {
    attempt: task.attempts,
    kind: "lease_expired",
    message: `lease held by ${owner} expired at ${expired} (worker crashed, hung or lost its database connection)`,
    at,
  };
  if (hasRetriesLeft(task.attempts, task.maxRetries)) return { id: task.id, token: task.token, outcome: "retry", error, delayMs: null };
  return { id: task.id, token: task.token, outcome: "failed", error, remove: !keepsRow(retention, "failed") };
}
