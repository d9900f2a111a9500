import { MAX_DELAY_MS } from "./names.js";

const SNOOZE_BRAND = Symbol.for("backie.snooze");

/**
 * A run's "try again at T": returned or thrown by `run` (usually as `ctx.snooze(...)`), it puts
 * the task back to ready at T without counting the attempt or recording an error. For an
 * upstream's 429 or 503: `throw Snooze.retryAfter(response.headers.get("retry-after"))`.
 */
export class Snooze {
  /** Branded rather than `instanceof`: two copies of the package (an app and its CLI) agree. */
  readonly [SNOOZE_BRAND] = true;
  /** Milliseconds from the moment the run settles. */
  readonly delayMs: number;

  constructor(delay: number | Date, now: () => number = Date.now) {
    this.delayMs = snoozeDelay(delay, now);
  }

  /**
   * From an HTTP `Retry-After` value: seconds (`"120"`) or an HTTP date. A missing or unreadable
   * value gives `fallbackMs` (default 60 s): an upstream asking to wait must not cost an attempt.
   */
  static retryAfter(header: string | null | undefined, fallbackMs = 60_000, now: () => number = Date.now): Snooze {
    const delay = retryAfterMs(header, now);
    return new Snooze(delay ?? fallbackMs, now);
  }
}

/** Never throws: a run may return or throw anything, a Proxy whose every read throws included. */
export function isSnooze(value: unknown): value is Snooze {
  if (typeof value !== "object" || value === null) return false;
  try {
    if ((value as { [SNOOZE_BRAND]?: unknown })[SNOOZE_BRAND] !== true) return false;
    // A look-alike made by hand must still carry a storable delay, or it is not a snooze.
    const delay = (value as { delayMs?: unknown }).delayMs;
    return typeof delay === "number" && Number.isInteger(delay) && delay >= 0 && delay <= MAX_DELAY_MS;
  } catch {
    return false;
  }
}

/** The delay of a snooze in milliseconds, or a one-line error naming what is wrong. */
function snoozeDelay(delay: number | Date, now: () => number): number {
  if (delay instanceof Date) {
    const at = delay.getTime();
    if (!Number.isFinite(at)) throw new RangeError("snooze: the date is invalid");
    return Math.min(MAX_DELAY_MS, Math.max(0, at - now()));
  }
  if (typeof delay !== "number" || !Number.isFinite(delay) || delay < 0 || delay > MAX_DELAY_MS) {
    throw new RangeError(`snooze: the delay must be a number of milliseconds from 0 to ${MAX_DELAY_MS}, got ${String(delay)}`);
  }
  return Math.round(delay);
}

/** Milliseconds a `Retry-After` value asks for, or undefined when it is missing or unreadable. */
export function retryAfterMs(header: string | null | undefined, now: () => number = Date.now): number | undefined {
  if (typeof header !== "string") return undefined;
  const value = header.trim();
  if (/^\d{1,12}$/.test(value)) return Math.min(MAX_DELAY_MS, Number(value) * 1_000);
  // An HTTP date always names a weekday and GMT; anything else Date.parse would guess at.
  if (!/^[A-Za-z]{3},? .* GMT$/.test(value)) return undefined;
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.min(MAX_DELAY_MS, Math.max(0, at - now())) : undefined;
}
