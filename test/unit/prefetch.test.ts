import { describe, expect, it } from "vitest";
import { PrefetchSizer } from "../../src/worker/prefetch.js";

function sizer(setting: number | "auto" = "auto") {
  let now = 0;
  const s = new PrefetchSizer(setting, 10, () => now);
  return {
    s,
    /** `count` completions spread over `ms`. */
    run: (count: number, ms: number) => {
      for (let i = 0; i < count; i++) {
        now += ms / count;
        s.completed();
      }
    },
  };
}

describe("auto prefetch", () => {
  it("starts at numWorkers", () => {
    expect(sizer().s.size).toBe(10);
  });
  it("holds about 100 ms of throughput for short tasks, at most 2,000", () => {
    const { s, run } = sizer();
    run(500, 100); // 5 tasks/ms
    expect(Math.abs(s.size - 500)).toBeLessThanOrEqual(5);
    run(5_000, 100); // 50 tasks/ms
    expect(s.size).toBe(2_000);
  });
  it("stays at numWorkers for slow tasks", () => {
    const { s, run } = sizer();
    run(20, 2_000); // 10 tasks/s
    expect(s.size).toBe(10);
  });
  it("falls gently when tasks slow down", () => {
    const { s, run } = sizer();
    run(400, 100);
    const fast = s.size;
    run(2, 200); // a short lull: each re-estimate halves the distance
    expect(s.size).toBeLessThan(fast);
    expect(s.size).toBeGreaterThan(50);
    run(40, 4_000);
    expect(s.size).toBe(10);
  });
  it("grows on starvation, but never past twice the measured need", () => {
    const { s, run } = sizer();
    s.starved();
    s.starved();
    s.starved();
    expect(s.size).toBe(20); // 2 × numWorkers before there is a rate
    run(20, 2_000);
    for (let i = 0; i < 10; i++) s.starved();
    expect(s.size).toBeLessThanOrEqual(20);
  });
  it("uses a fixed setting as given", () => {
    const { s, run } = sizer(7);
    run(500, 100);
    s.starved();
    expect(s.size).toBe(7);
  });
});
