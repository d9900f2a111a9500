import { ConfigError } from "../errors.js";
import { rateBucket, type ResolvedRateLimit } from "../rateLimit.js";
import type { ClaimedTask, TaskStore } from "../store/taskStore.js";
import type { RegisteredTask } from "./executor.js";

interface Group {
  bucket: string;
  rate: ResolvedRateLimit;
  names: string[];
  /** Date.now() before which the bucket holds no whole token: not worth a claim. */
  readyAt: number;
}

/**
 * The rate-limited names of one queue runner: one group per bucket (the queue's, or each limited
 * task's), claimed through the bucket. When a bucket runs short, the group sits out until its next
 * token and a timer wakes the runner then, instead of a poll.
 */
export class LimitedClaims {
  /** The names claimed without a bucket. */
  readonly unlimited: readonly string[];
  private readonly groups: Group[] = [];
  private readonly limitedNames = new Set<string>();
  private turn = 0;
  private timer: NodeJS.Timeout | undefined;

  /** Splits `names` into the limited ones (kept here) and the rest (returned). */
  constructor(queue: string, queueRate: ResolvedRateLimit | undefined, names: readonly string[],
    registry: ReadonlyMap<string, RegisteredTask>, private readonly wake: () => void) {
    const rest: string[] = [];
    for (const name of names) {
      const rate = registry.get(name)?.definition.rateLimit as ResolvedRateLimit | undefined;
      if (rate && queueRate) {
        throw new ConfigError(`queue "${queue}": has a rateLimit, and so has its task "${name}": limit one of them`);
      }
      if (rate) this.add(rateBucket("task", name), rate, [name]);
      else rest.push(name);
    }
    if (queueRate) {
      const keyed = [...registry.values()].find((e) => e.definition.concurrencyKey);
      if (keyed) throw new ConfigError(`queue "${queue}": a rateLimit cannot be combined with a concurrencyKey (task "${keyed.definition.name}") yet`);
      if (rest.length > 0) this.add(rateBucket("queue", queue), queueRate, rest.splice(0));
    }
    this.unlimited = rest;
  }

  get size(): number {
    return this.groups.length;
  }

  has(taskName: string): boolean {
    return this.limitedNames.has(taskName);
  }

  /**
   * Claims up to `limit` into `into`, group by group (starting with another each time). True when
   * each group came back short or waits for a token: nothing more to claim until a wake-up.
   */
  async claim(store: TaskStore, base: { queueName: string; owner: string; leaseMs: number; versions: Readonly<Record<string, number>> }, limit: number, into: ClaimedTask[]): Promise<boolean> {
    let drained = true;
    const count = this.groups.length;
    const first = this.turn++ % count;
    for (let i = 0; i < count; i++) {
      const group = this.groups[(first + i) % count]!;
      if (group.readyAt > Date.now()) continue;
      const room = limit - into.length;
      if (room <= 0) return false;
      const { tasks, waitMs } = await store.claimLimitedTasks({ ...base, bucket: group.bucket, rate: group.rate, taskNames: group.names, limit: room });
      for (const task of tasks) into.push(task);
      if (waitMs > 0) this.sitOut(group, waitMs);
      else if (tasks.length >= room) drained = false;
    }
    return drained;
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private add(bucket: string, rate: ResolvedRateLimit, names: string[]): void {
    this.groups.push({ bucket, rate, names, readyAt: 0 });
    for (const name of names) this.limitedNames.add(name);
  }

  private sitOut(group: Group, waitMs: number): void {
    group.readyAt = Date.now() + waitMs;
    const next = Math.min(...this.groups.map((g) => g.readyAt).filter((at) => at > 0));
    clearTimeout(this.timer);
    this.timer = setTimeout(this.ready, Math.max(1, next - Date.now()));
  }

  private readonly ready = (): void => {
    this.timer = undefined;
    const now = Date.now();
    for (const group of this.groups) if (group.readyAt <= now) group.readyAt = 0;
    // Groups still sitting out: the next timer for the earliest of them.
    const waiting = this.groups.filter((g) => g.readyAt > 0);
    if (waiting.length > 0) this.timer = setTimeout(this.ready, Math.max(1, Math.min(...waiting.map((g) => g.readyAt)) - now));
    this.wake();
  };
}
