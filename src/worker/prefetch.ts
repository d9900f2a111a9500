/**
 * How many tasks to claim ahead of free slots. `auto` sizes the buffer to about `windowMs` of
 * recent throughput: short tasks get a deep buffer (fewer claims, a free slot never waits for a
 * round trip), slow ones a shallow one (a prefetched task waits, holding its lease, while another
 * process could have run it). A slot found idle for lack of tasks doubles the size at once, so a
 * burst does not wait for the estimate to catch up. A fixed number overrides all of this.
 */
export class PrefetchSizer {
  private completions = 0;
  private windowStart: number;
  private target: number;
  /** The last rate-based size: starvation may push past it, but only so far. */
  private wanted: number;

  constructor(
    private readonly setting: number | "auto",
    private readonly numWorkers: number,
    private readonly now: () => number = () => performance.now(),
    private readonly windowMs = 100,
    private readonly max = 2_000,
  ) {
    this.windowStart = now();
    this.target = numWorkers;
    this.wanted = numWorkers;
  }

  /** A task finished: feeds the throughput estimate. */
  completed(): void {
    this.completions++;
    const now = this.now();
    const elapsed = now - this.windowStart;
    // Re-estimate four times per window: the rate of the last quarter, scaled to a window.
    if (elapsed >= this.windowMs / 4) {
      const wanted = Math.ceil((this.completions / elapsed) * this.windowMs);
      this.wanted = wanted;
      // Rise at once, fall gently: a pause between bursts should not leave the buffer shallow.
      this.target = wanted >= this.target ? wanted : Math.ceil((this.target + wanted) / 2);
      this.completions = 0;
      this.windowStart = now;
    }
  }

  /**
   * A slot was free and nothing was buffered: the buffer is too shallow. Grows to at most twice
   * the rate-based size (or 2 × numWorkers, whichever is more), so that slow tasks are never
   * hoarded by one process.
   */
  starved(): void {
    this.target = Math.min(this.target * 2, Math.max(this.wanted * 2, this.numWorkers * 2));
  }

  /** Tasks to hold beyond the running ones. */
  get size(): number {
    if (this.setting !== "auto") return this.setting;
    return Math.min(this.max, Math.max(this.numWorkers, this.target));
  }
}
