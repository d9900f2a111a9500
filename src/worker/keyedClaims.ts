import type { ClaimedTask, ClaimRequest, KeyedClaim } from "../store/taskStore.js";
import type { RegisteredTask } from "./executor.js";
import { KeyChains } from "./keyChains.js";

/**
 * Keyed units a runner holds at most, in tasks (a chained key counts its chain): see cap. The
 * prefetch's own most: at 1,000 a run over 1,000 keys claimed in halves (4.7 statements per
 * 1,000 tasks against 3.1, and 0.70-0.73x of unkeyed throughput against 0.73-0.77x at c=50).
 */
const KEYED_HELD_MAX = 2_000;
/** The longest chain of one key's tasks a claim takes over many keys: see chain. */
const KEY_CHAIN_MAX = 16;
/** While keys are scarce here (one hot key): chains of this many for slow tasks ... */
const HOT_KEY_CHAIN_MIN = 8;
/** ... and up to this many for fast ones: see chain. */
const HOT_KEY_CHAIN_MAX = 32;

/**
 * The keyed names of one queue runner and how deep it claims them. A unit is a key of a name at
 * limit 1 that is not fifo (it may come as a chain of that key's tasks, see KeyChains), or a task
 * of any other keyed name: the claim's `keyedLimit` counts units.
 */
export class KeyedClaims {
  readonly claims: KeyedClaim[] = [];
  /** Tasks held behind a run of their key. */
  readonly chains: KeyChains;
  /** The last key claimed: the next claim walks the keys on from there. */
  private cursor: string | null = null;
  /** The last claim found fewer keys with room than it asked for. */
  private scarce = false;

  constructor(registry: ReadonlyMap<string, RegisteredTask>, private readonly numWorkers: number) {
    for (const [name, entry] of registry) {
      const d = entry.definition;
      if (d.concurrencyKey) this.claims.push({ taskName: name, limit: d.concurrencyLimit ?? 1, fifo: d.fifo ?? false });
    }
    this.chains = new KeyChains(new Set(this.claims.filter((k) => k.limit === 1).map((k) => k.taskName)));
  }

  get size(): number {
    return this.claims.length;
  }

  /**
   * The keyed part of a claim. `held`: every task this runner holds; `prefetch`: its prefetch
   * size (about 100 ms of throughput).
   */
  request(held: Iterable<ClaimedTask>, prefetch: number): Pick<ClaimRequest, "keyed" | "keyCursor" | "keyedLimit" | "keyChain"> {
    const units = this.units(held);
    const chain = this.chain(prefetch, units);
    const keyedLimit = Math.max(0, this.cap(prefetch, chain) - units);
    return { keyed: this.claims, keyCursor: this.cursor, keyedLimit, keyChain: chain };
  }

  /**
   * What a claim of `keyedLimit` units brought (keyed tasks in walk order, and plain ones). True
   * when it came back short: nothing more until a wake-up. At its cap it is not drained but
   * waits too: a keyed result written wakes the runner.
   */
  taken(tasks: readonly ClaimedTask[], keyedLimit: number): boolean {
    let units = 0;
    let previous: string | undefined;
    for (const t of tasks) {
      if (t.concurrencyKey == null) continue;
      this.cursor = t.concurrencyKey;
      // A chain's tasks come one after the other: one unit.
      const unit = this.chains.unitOf(t);
      if (unit === undefined || unit !== previous) units++;
      previous = unit;
    }
    this.scarce = units < keyedLimit;
    return units < keyedLimit || keyedLimit === 0;
  }

  /**
   * Units held at most: as deep as the prefetch, in tasks, at most KEYED_HELD_MAX of them, and
   * at least twice the run slots in keys. A claimed task holds its key until it finishes, so
   * holding slow keyed tasks deeply would keep keys busy that other processes could run (and
   * make every claim walk past them); fast ones need depth, or the slots wait for each claim.
   */
  private cap(prefetch: number, chain: number): number {
    return Math.max(2 * this.numWorkers, Math.floor(Math.min(KEYED_HELD_MAX, prefetch) / chain));
  }

  /**
   * How many tasks of one free key a claim takes: a key's next task then starts without a
   * claim, and one step of the walk over keys serves several. Long when tasks are fast (the
   * prefetch is deep) or keys scarce: the last claim found fewer than it asked for while fewer
   * keys than slots are held here (one hot key), so the slots would wait anyway. Otherwise 1 for
   * slow tasks, whose chains would only wait, holding reservations to renew.
   * A scarce key of fast tasks takes up to 32: its tasks run one after the other anyway, and
   * each chain costs a write and a claim (one hot key of no-op tasks: 5.4k-5.7k tasks/s at 8,
   * 14k-16k at 32). Over many keys, up to 16: 1,000 keys of no-op tasks at c=50 ran at
   * 0.74-0.81x of unkeyed throughput against 0.66-0.75x at 8 (with 2,000 tasks held; at 1,000,
   * longer chains gained nothing, as fewer keys fit).
   */
  private chain(prefetch: number, unitsHeld: number): number {
    if (this.scarce && unitsHeld < this.numWorkers) {
      // The prefetch sits at its floor (the slots' number) for slow tasks: 8; deeper for fast
      // ones, whatever the slots (one key runs in one slot): up to 32 from 4 times the floor.
      return Math.max(HOT_KEY_CHAIN_MIN, Math.min(HOT_KEY_CHAIN_MAX, Math.floor((HOT_KEY_CHAIN_MIN * prefetch) / this.numWorkers)));
    }
    return Math.max(1, Math.min(KEY_CHAIN_MAX, Math.floor(prefetch / (2 * this.numWorkers))));
  }

  private units(held: Iterable<ClaimedTask>): number {
    const keys = new Set<string>();
    let units = 0;
    for (const t of held) {
      if (t.concurrencyKey == null) continue;
      const unit = this.chains.unitOf(t);
      if (unit === undefined) units++;
      else keys.add(unit);
    }
    return units + keys.size;
  }
}
