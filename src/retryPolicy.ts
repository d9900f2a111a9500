import type { BackoffMode } from "./types.js";

/**
 * Delay before the next run after `failedAttempt` (1 = the first run failed).
 * Exponential keeps the original's `2^(retry+1)` seconds for the default base of 2 s:
 * 2 s, 4 s, 8 s, ... capped at `maxMs`. `random` is injected so that tests are exact.
 */
export function retryDelayMs(backoff: BackoffMode, failedAttempt: number, random: () => number = Math.random): number {
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
