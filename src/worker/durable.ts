import { deadline, type Duration } from "../duration.js";
import { ConfigError, describeThrown } from "../errors.js";
import { boundedJson } from "../payload.js";
import type { StepEntry, WaitOutcome } from "../store/stepStore.js";
import type { DurableCalls } from "./stepBatch.js";
import type { Lease } from "../store/taskStore.js";
import type { StepOptions, WaitOptions } from "../types.js";

/** A step result is a value for the rest of the run, not a data store: 256 KiB of JSON at most. */
export const MAX_STEP_BYTES = 262_144;
/** Entries (steps, sleeps, waits) in one task's history. */
export const MAX_STEPS = 1_000;
const MAX_STEP_RETRIES = 20;

/** What the durable calls need of their run. */
export interface DurableRun {
  readonly lease: Lease;
  readonly store: DurableCalls;
  now(): Date;
  /** The run ends here: the task is parked (settles the run's outcome). */
  park(parked: "sleeping" | "waiting", runAt: Date | null, waitingFor?: string): void;
  /** The lease is gone: the run stops and writes nothing more. */
  lost(): void;
  /** True once the run's outcome is settled (parked, lost, timed out, ...). */
  readonly settled: boolean;
}

/** Thrown into a run whose history does not match the code: failed, never retried. */
export class NondeterminismError extends Error {
  override name = "NondeterminismError";
}

/** `instanceof` that a thrown Proxy (whose prototype lookup throws) cannot turn into a crash. */
export function isNondeterminism(thrown: unknown): thrown is NondeterminismError {
  try {
    return thrown instanceof NondeterminismError;
  } catch {
    return false;
  }
}

/** A promise that never settles: what a durable call returns once its run has ended. */
const ENDED = (): Promise<never> => new Promise<never>(() => {});

/**
 * The durable calls of one run (ctx.step, ctx.sleep, ctx.waitFor). Each call takes the next
 * position of the task's history when it is made (synchronously, so concurrent steps keep the
 * order they were called in), reads the stored history once per run, and replays what is there:
 * an entry at its position with another id or kind means the code and the history disagree, and
 * the run fails as `nondeterministic` naming both. New entries are written in position order,
 * one statement each, fenced by the lease and the position.
 */
export class Durable {
  private history: Promise<StepEntry[] | null> | undefined;
  private next = 0;
  private readonly ids = new Set<string>();
  private writes: Promise<boolean> = Promise.resolve(true);

  constructor(private readonly run: DurableRun) {}

  async step<T>(id: string, fn: () => T | Promise<T>, options: StepOptions = {}): Promise<T> {
    const position = this.take("ctx.step", id);
    if (typeof fn !== "function") throw new ConfigError(`ctx.step("${id}"): the second argument must be a function`);
    const retries = options.retries ?? 0;
    if (!Number.isInteger(retries) || retries < 0 || retries > MAX_STEP_RETRIES) {
      throw new ConfigError(`ctx.step("${id}"): retries must be a whole number from 0 to ${MAX_STEP_RETRIES}`);
    }
    const stored = await this.replay(position, id, "step");
    if (stored === null) return ENDED();
    if (stored !== undefined) return revive(stored.result, stored.dates) as T;
    const started = performance.now();
    let value: T;
    for (let attempt = 0; ; attempt++) {
      try {
        value = await fn();
        break;
      } catch (error) {
        if (attempt >= retries || this.run.settled) throw stepError(id, error);
        await new Promise((resolve) => setTimeout(resolve, Math.min(10_000, 200 * 2 ** attempt)));
      }
    }
    const dates = datePaths(value);
    // A step run for its effect alone returns nothing: nothing is stored, and a replay gives undefined.
    const json = value === undefined ? { json: undefined } : boundedJson(value, MAX_STEP_BYTES);
    if ("notJson" in json) throw new ConfigError(`ctx.step("${id}"): its result is not JSON: ${json.notJson}`);
    if ("bytes" in json) throw new ConfigError(`ctx.step("${id}"): its result is ${json.bytes} bytes as JSON; the limit is ${MAX_STEP_BYTES}`);
    const entry: StepEntry = {
      id, kind: "step", at: this.run.now().toISOString(), ms: Math.round(performance.now() - started),
      ...(json.json === undefined ? {} : { result: json.json }), ...(dates.length > 0 ? { dates } : {}),
    };
    if (!(await this.write(position, entry))) return ENDED();
    return revive(entry.result, entry.dates) as T;
  }

  async sleep(id: string, duration: Duration | Date): Promise<void> {
    const position = this.take("ctx.sleep", id);
    const wake = deadline(`ctx.sleep("${id}")`, duration, this.run.now());
    const stored = await this.replay(position, id, "sleep");
    if (stored === null) return ENDED();
    let until = wake;
    if (stored !== undefined) {
      until = new Date(stored.until ?? 0);
    } else if (!(await this.write(position, { id, kind: "sleep", until: wake.toISOString(), at: this.run.now().toISOString() }))) {
      return ENDED();
    }
    if (this.run.now() >= until) return;
    this.run.park("sleeping", until);
    return ENDED();
  }

  async waitFor(signal: string, options: WaitOptions = {}): Promise<WaitOutcome<unknown>> {
    if (typeof signal !== "string" || signal === "") throw new ConfigError("ctx.waitFor: the signal name must be a non-empty string");
    const id = options.id ?? signal;
    const position = this.take("ctx.waitFor", id);
    const timeout = options.timeout === undefined ? undefined : deadline(`ctx.waitFor("${signal}")`, options.timeout, this.run.now());
    const stored = await this.replay(position, id, "wait");
    if (stored === null) return ENDED();
    if (stored !== undefined && stored.signal !== signal) {
      throw new NondeterminismError(`ctx.waitFor("${signal}") with id "${id}" (position ${position}) was reached where the history waits for "${String(stored.signal)}"`);
    }
    if (stored?.result !== undefined) return stored.result as WaitOutcome<unknown>;
    let until = timeout;
    if (stored !== undefined) {
      until = stored.until === undefined ? undefined : new Date(stored.until);
    } else if (!(await this.write(position, { id, kind: "wait", signal, ...(timeout ? { until: timeout.toISOString() } : {}), at: this.run.now().toISOString() }))) {
      return ENDED();
    }
    const timedOut = until !== undefined && this.run.now() >= until;
    const outcome = await this.run.store.resolveWait(this.run.lease, position, signal, timedOut);
    if (outcome !== null) return outcome;
    this.run.park("waiting", until ?? null, signal);
    return ENDED();
  }

  /** The next position, for a call with a checked id not used before in this run. */
  private take(call: string, id: unknown): number {
    if (typeof id !== "string" || id === "" || id.length > 200 || [...id].some((c) => c.charCodeAt(0) < 32)) {
      throw new ConfigError(`${call}: the id must be a string of 1 to 200 characters without control characters`);
    }
    if (this.ids.has(id)) throw new NondeterminismError(`${call}("${id}"): the id is used twice in one run; give each step, sleep and wait its own id`);
    if (this.next >= MAX_STEPS) throw new ConfigError(`${call}("${id}"): a task's history holds at most ${MAX_STEPS} steps, sleeps and waits`);
    this.ids.add(id);
    return this.next++;
  }

  /**
   * The stored entry at `position` (undefined: none yet), or null when the run cannot go on (its
   * lease is gone, or it has ended). Throws when the history has something else there.
   */
  private async replay(position: number, id: string, kind: StepEntry["kind"]): Promise<StepEntry | undefined | null> {
    if (this.run.settled) return null;
    this.history ??= this.run.store.findSteps(this.run.lease);
    const history = await this.history;
    if (history === null) {
      this.run.lost();
      return null;
    }
    const entry: StepEntry | undefined = history[position];
    if (entry === undefined) return undefined;
    if (entry === null || typeof entry !== "object" || entry.id !== id || entry.kind !== kind) {
      const stored = entry !== null && typeof entry === "object" ? `${String(entry.kind)} "${String(entry.id)}"` : "an unreadable entry";
      throw new NondeterminismError(`${kind} "${id}" (position ${position}) was reached where the task's history has ${stored}: ` +
        "the code changed under a running task, or the steps ran in another order; retry it with --from-start to run it afresh");
    }
    return entry;
  }

  /** Appends after every earlier position's write; false (and the run stops) when it could not be. */
  private write(position: number, entry: StepEntry): Promise<boolean> {
    const written = this.writes.then(async (before) => {
      if (!before || this.run.settled) return false;
      const ok = await this.run.store.appendStep(this.run.lease, position, entry);
      if (!ok) this.run.lost();
      return ok;
    });
    this.writes = written.catch(() => false);
    return written;
  }
}

function stepError(id: string, error: unknown): Error {
  const { message, stack } = describeThrown(error);
  const wrapped = new Error(`step "${id}": ${message}`);
  if (stack !== undefined) wrapped.stack = stack;
  return wrapped;
}

/** Where `value` holds Dates (paths of keys and indices), so that a replay gives Dates back. */
function datePaths(value: unknown): string[][] {
  const out: string[][] = [];
  const stack: Array<{ value: unknown; path: string[] }> = [{ value, path: [] }];
  let visited = 0;
  while (stack.length > 0 && visited++ < 100_000) {
    const item = stack.pop()!;
    if (item.value instanceof Date) {
      out.push(item.path);
      continue;
    }
    if (item.value === null || typeof item.value !== "object" || item.path.length > 64) continue;
    for (const [k, v] of Object.entries(item.value)) stack.push({ value: v, path: [...item.path, k] });
  }
  return out;
}

function revive(value: unknown, dates: unknown): unknown {
  if (!Array.isArray(dates)) return value;
  const root: Record<string, unknown> = { value };
  for (const path of dates as unknown[]) {
    if (!Array.isArray(path)) continue;
    let holder: Record<string, unknown> = root;
    let key = "value";
    for (const step of path as unknown[]) {
      const next = holder[key];
      if (next === null || typeof next !== "object") break;
      holder = next as Record<string, unknown>;
      key = String(step);
    }
    const text = holder[key];
    if (typeof text === "string") holder[key] = new Date(text);
  }
  return root.value;
}
