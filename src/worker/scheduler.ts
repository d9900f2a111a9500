import { ConfigError, describeThrown, isDataError } from "../errors.js";
import { concurrencyKeyOf, keyOf } from "../client/enqueue.js";
import { DEFAULT_MAX_PAYLOAD_BYTES, toJsonPayload } from "../payload.js";
import { parseCron } from "../schedule/cron.js";
import { decideTick, type DueSchedule, type TickDecision } from "../schedule/tickPolicy.js";
import type { DeclaredSchedule, FiredSchedule, ScheduleChange } from "../store/scheduleStore.js";
import type { TaskStore } from "../store/taskStore.js";
import { payloadViolations } from "../validation.js";
import type { EventHandler } from "./events.js";
import type { RegisteredTask } from "./executor.js";

const BATCH = 100;
/** A schedule whose stored row cannot be evaluated is looked at again after this long. */
const INVALID_RETRY_MS = 60_000;

export interface SchedulerOptions {
  store: TaskStore;
  registry: ReadonlyMap<string, RegisteredTask>;
  /** An occurrence found due later than this after its time is missed (see MissedPolicy). */
  graceMs: number;
  /** Longest sleep between looks (schedules added or changed by other workers show up then). */
  intervalMs: number;
  emit: EventHandler;
  /** Queues that received runs. */
  onFired: (queues: Set<string>) => void;
  /** The deploy's generation: ownership of schedule rows follows the highest (see sql/schedules.sql). */
  generation?: number;
}

/**
 * Fires the schedules of the registered tasks. No leader: every pool runs one, each reads the due
 * schedules, decides with `decideTick`, and applies the decisions in one statement that only
 * moves a schedule still holding the due value it read, so an occurrence becomes exactly one task
 * however many pools tick. Sleeps until the earliest next occurrence (at most `intervalMs`).
 */
export class Scheduler {
  /** Checked payloads as JSON, per task: a bad one fails the pool's construction. */
  private readonly declared: Array<Omit<DeclaredSchedule, "nextAt">> = [];
  private readonly taskNames: string[];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private stopped = true;

  constructor(private readonly options: SchedulerOptions) {
    this.taskNames = [...options.registry.keys()].sort();
    const maxBytes = options.store.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
    const ids = new Map<string, string>();
    for (const [name, entry] of options.registry) {
      for (const s of entry.definition.schedules ?? []) {
        const where = `task "${name}" schedule "${s.id}"`;
        const other = ids.get(s.id);
        if (other !== undefined) throw new ConfigError(`${where}: the id is also used by task "${other}"; schedule ids are unique across the database`);
        ids.set(s.id, name);
        const { json, violations } = toJsonPayload(s.payload);
        const problems = violations.length > 0 ? violations : payloadViolations(entry.validate, json);
        if (problems.length > 0) {
          throw new ConfigError(`${where}: invalid payload: ${problems.map((v) => `${v.path} ${v.message}`).join("; ")}`);
        }
        const payloadJson = JSON.stringify(json);
        if (Buffer.byteLength(payloadJson) > maxBytes) throw new ConfigError(`${where}: the payload is larger than ${maxBytes} bytes as JSON (maxPayloadBytes)`);
        const keyFn = entry.definition.concurrencyKey as ((p: unknown) => string) | undefined;
        const concurrencyKey = keyFn ? concurrencyKeyOf(where, keyFn, s.payload) : null;
        const uniqueFn = entry.definition.uniqueKey as ((p: unknown) => string) | undefined;
        const uniqueKey = uniqueFn ? keyOf(where, "uniqueKey", "unique key", uniqueFn, s.payload) : null;
        this.declared.push({
          concurrencyKey, uniqueKey, payloadVersion: entry.version ?? 0, priority: s.priority,
          id: s.id, taskName: name, queueName: entry.definition.queue, cron: s.cron, tz: s.tz, payloadJson,
          maxRetries: entry.definition.maxRetries, missed: s.missed, maxMissed: s.maxMissed, overlap: s.overlap,
        });
      }
    }
  }

  /**
   * Writes this registry's schedules into the database: adds new ones (first occurrence after
   * the database's now), updates changed ones, removes those of these tasks no longer declared.
   * Schedules of tasks this registry does not know are another deploy's: left alone.
   */
  async reconcile(now?: Date): Promise<ScheduleChange[]> {
    const clock = await this.options.store.schedules.readClock(now);
    const schedules = this.declared.map((d) => ({ ...d, nextAt: parseCron(d.cron, d.tz).next(clock) }));
    return this.options.store.schedules.reconcileSchedules(this.taskNames, schedules, now, this.options.generation ?? 0);
  }

  /** Starts looking, when the registry declares any schedule (else reconcile was all there was to do). */
  start(): void {
    if (this.declared.length === 0) return;
    this.stopped = false;
    void this.loop();
  }

  /** Fires nothing more; resolves when a look in progress is written. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running?.catch(() => {});
  }

  /** One look: fires everything due at `now` (default the database's clock). Returns ms until the next look. */
  runOnce(now?: Date): Promise<number> {
    this.running ??= this.tick(now).finally(() => (this.running = undefined));
    return this.running;
  }

  private async loop(): Promise<void> {
    let waitMs = this.options.intervalMs;
    try {
      waitMs = await this.runOnce();
    } catch (error) {
      this.options.emit({ type: "store:error", operation: "fire schedules", error, retryInMs: waitMs });
    }
    if (!this.stopped) this.timer = setTimeout(() => void this.loop(), waitMs);
  }

  private async tick(now?: Date): Promise<number> {
    for (;;) {
      const { now: clock, upcoming, due } = await this.options.store.schedules.findDueSchedules(this.taskNames, BATCH, now);
      let earliest = upcoming?.getTime() ?? Infinity;
      if (due.length > 0) {
        const decisions = due.map((s) => this.decide(s, clock));
        const fired = await this.fire(decisions, clock);
        const queues = new Set<string>();
        fired.forEach((result, i) => {
          const decision = decisions[i]!;
          if (!result.moved) return;
          if (decision.nextAt) earliest = Math.min(earliest, decision.nextAt.getTime());
          if (this.report(decision, result.runs)) queues.add(this.options.registry.get(decision.schedule.taskName)?.definition.queue ?? "");
        });
        queues.delete("");
        if (queues.size > 0) this.options.onFired(queues);
      }
      if (due.length < BATCH) {
        // A few ms after the occurrence: timers fire early by a millisecond now and then.
        return Math.max(10, Math.min(this.options.intervalMs, earliest - clock.getTime() + 5));
      }
    }
  }

  /**
   * Applies `decisions`; when the database refuses the data of one (a value it cannot store), finds
   * it by halving so that the others fire, and parks it for a while instead (reported).
   */
  private async fire(decisions: TickDecision[], clock: Date): Promise<FiredSchedule[]> {
    try {
      return await this.options.store.schedules.fireSchedules(decisions);
    } catch (error) {
      if (!isDataError(error)) throw error;
      if (decisions.length > 1) {
        const half = decisions.length >> 1;
        return [...await this.fire(decisions.slice(0, half), clock), ...await this.fire(decisions.slice(half), clock)];
      }
      const parked = this.invalid(decisions[0]!.schedule, clock, error);
      if (decisions[0]!.runs.length === 0) return [{ id: parked.schedule.id, moved: false, runs: [] }];
      return this.fire([parked], clock);
    }
  }

  /** The policy's decision; a row that cannot be evaluated (edited by hand) is reported and looked at later. */
  private decide(schedule: DueSchedule, clock: Date): TickDecision {
    try {
      return decideTick(schedule, clock, this.options.graceMs);
    } catch (thrown) {
      return this.invalid(schedule, clock, thrown);
    }
  }

  /** Reports a schedule that cannot fire and a decision that only moves it on by a minute. */
  private invalid(schedule: DueSchedule, clock: Date, thrown: unknown): TickDecision {
    const { message } = describeThrown(thrown);
    this.options.emit({
      type: "schedule:invalid", id: schedule.id, task: schedule.taskName,
      message: `stored schedule cannot fire (cron ${JSON.stringify(schedule.cron)}, time zone ${JSON.stringify(schedule.tz)}): ${message}; retrying in ${INVALID_RETRY_MS / 1000} s (a worker start rewrites declared schedules)`,
    });
    return { schedule, nextAt: new Date(clock.getTime() + INVALID_RETRY_MS), lastAt: null, runs: [], missed: null, coalesced: [] };
  }

  /** Emits the events of one applied decision; true when it created a task. */
  private report(decision: TickDecision, runs: ReadonlyArray<{ scheduledFor: Date; taskId: string | null }>): boolean {
    const { emit } = this.options;
    const { id, taskName: task } = decision.schedule;
    if (decision.missed) emit({ type: "schedule:missed", id, task, policy: decision.schedule.missed, ...decision.missed });
    for (const at of decision.coalesced) emit({ type: "schedule:skipped", id, task, scheduledFor: at, reason: "overlap" });
    let created = false;
    runs.forEach((run, i) => {
      if (run.taskId === null) {
        emit({ type: "schedule:skipped", id, task, scheduledFor: run.scheduledFor, reason: typeof decision.schedule.uniqueKey === "string" ? "unique" : "overlap" });
        return;
      }
      created = true;
      emit({ type: "schedule:fired", id, task, taskId: run.taskId, scheduledFor: run.scheduledFor, missedCount: decision.runs[i]!.missedCount });
    });
    return created;
  }
}

