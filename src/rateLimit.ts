/**
 * Rate limits (`rateLimit: { max, perMs, burst }` on a task or a queue): a token bucket kept in
 * the database (backie_rate_limits), so that the limit holds across every worker process. The
 * bucket refills continuously at `max` tokens per `perMs` and holds at most `burst` (default
 * `max`); each run takes one token when it is claimed.
 */

export interface RateLimit {
  /** Runs per `perMs`, across all processes. */
  max: number;
  /** The period of `max`, in milliseconds (e.g. 1000 for "per second"). */
  perMs: number;
  /**
   * Most runs that may start at once after an idle spell (the bucket's size). Default `max`; 1
   * spaces every run evenly, so that no window of `perMs` holds more than `max` + 1 starts.
   */
  burst?: number;
}

export type ResolvedRateLimit = Readonly<Required<RateLimit>>;

const MAX_RATE = 1_000_000;
/** A day: a longer period is a schedule, not a rate. */
const MAX_PERIOD_MS = 86_400_000;

/** Checks a declared limit; the error names `where` and the field, in one line. */
export function resolveRateLimit(where: string, value: unknown, fail: (message: string) => Error): ResolvedRateLimit {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw fail(`${where}: \`rateLimit\` must be an object like { max: 50, perMs: 1000 }`);
  }
  const { max, perMs, burst, ...rest } = value as Record<string, unknown>;
  const unknownKey = Object.keys(rest)[0];
  if (unknownKey !== undefined) throw fail(`${where}: \`rateLimit\` has no option "${unknownKey}" (max, perMs, burst)`);
  const whole = (v: unknown, field: string, from: number, to: number): number => {
    if (typeof v !== "number" || !Number.isInteger(v) || v < from || v > to) {
      throw fail(`${where}: \`rateLimit.${field}\` must be a whole number from ${from} to ${to}, got ${String(v)}`);
    }
    return v;
  };
  const resolvedMax = whole(max, "max", 1, MAX_RATE);
  const resolvedPerMs = whole(perMs, "perMs", 1, MAX_PERIOD_MS);
  const resolvedBurst = burst === undefined ? resolvedMax : whole(burst, "burst", 1, resolvedMax);
  return Object.freeze({ max: resolvedMax, perMs: resolvedPerMs, burst: resolvedBurst });
}

/** The database bucket of a task's or a queue's limit (the two never share one). */
export function rateBucket(kind: "task" | "queue", name: string): string {
  return `${kind}:${name}`;
}
