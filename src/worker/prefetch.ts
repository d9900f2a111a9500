/**
 * How many tasks to claim ahead of free slots. `auto` sizes the buffer to about `windowMs` of
 * recent throughput: short tasks get a deep buffer (fewer claims, the slot never waits for a
 * round trip), slow ones a shallow one (a prefetched task waits, holding its lease, while another
 * process could have run it). A fixed number overrides it.
 */
export class PrefetchSizer {
  private completions = 0;
  private windowStart: number;
  private ratePerMs = 0;

  constructor(
    private readonly setting: number | "auto",
    private readonly numWorkers: number,
    private readonly now: () => number = () => performance.now(),
    private readonly windowMs = 100,
    private readonly max = 1_000,
  ) {
    this.windowStart = now();
  }

  /** A task finished: feeds the throughput estimate. */
  completed(): void {
    this.completions++;
    const now = this.now();
    const elapsed = now - this.windowStart;
    if (elapsed >= this.windowMs) {
      const rate = this.completions / elapsed;
      // Rise at once, fall gently: a burst should not find the buffer shallow.
      this.ratePerMs = rate >= this.ratePerMs ? rate : this.ratePerMs * 0.5 + rate * 0.5;
      this.completions = 0;
      this.windowStart = now;
    }
  }

  /** Tasks to hold beyond the running ones. */
  get size(): number {
    if (this.setting !== "auto") return this.setting;
    return Math.min(this.max, Math.max(this.numWorkers, Math.ceil(this.ratePerMs * this.windowMs)));
  }
}
