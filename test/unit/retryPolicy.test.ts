import { describe, expect, it } from "vitest";
import { DEFAULT_BACKOFF } from "../../src/defineTask.js";
import { hasRetriesLeft, retryDelayMs } from "../../src/retryPolicy.js";

describe("retry policy", () => {
  it("waits 2 s, 4 s, 8 s by default (the original's 2^(retry+1) seconds)", () => {
    expect([1, 2, 3].map((attempt) => retryDelayMs(DEFAULT_BACKOFF, attempt))).toEqual([2_000, 4_000, 8_000]);
  });
  it("caps exponential delays at maxMs", () => {
    expect(retryDelayMs({ kind: "exponential", baseMs: 1_000, maxMs: 5_000 }, 10)).toBe(5_000);
    expect(retryDelayMs(DEFAULT_BACKOFF, 40)).toBe(3_600_000);
  });
  it("spreads delays by the jitter fraction", () => {
    const backoff = { kind: "exponential", baseMs: 1_000, jitter: 0.5 } as const;
    expect(retryDelayMs(backoff, 1, () => 0)).toBe(500);
    expect(retryDelayMs(backoff, 1, () => 1)).toBe(1_500);
  });
  it("supports fixed and no delay", () => {
    expect(retryDelayMs({ kind: "fixed", delayMs: 750 }, 3)).toBe(750);
    expect(retryDelayMs({ kind: "none" }, 3)).toBe(0);
  });
  it("allows maxRetries + 1 runs in all", () => {
    expect([1, 2, 3, 4, 5].map((attempt) => hasRetriesLeft(attempt, 3))).toEqual([true, true, true, false, false]);
  });
});
