import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defineTask } from "../../src/index.js";
import { resolveQueueConfig } from "../../src/worker/queueConfig.js";
import { resolveRateLimit } from "../../src/rateLimit.js";

const fail = (message: string) => new Error(message);

describe("rateLimit options", () => {
  it("fills burst with max and keeps what is given", () => {
    expect(resolveRateLimit("t", { max: 50, perMs: 1000 }, fail)).toEqual({ max: 50, perMs: 1000, burst: 50 });
    expect(resolveRateLimit("t", { max: 50, perMs: 1000, burst: 1 }, fail)).toEqual({ max: 50, perMs: 1000, burst: 1 });
  });

  it.each([
    [null, "must be an object"],
    [[], "must be an object"],
    [{ max: 5 }, "rateLimit.perMs` must be a whole number from 1 to 86400000, got undefined"],
    [{ max: 0, perMs: 1000 }, "rateLimit.max` must be a whole number from 1 to 1000000, got 0"],
    [{ max: 1.5, perMs: 1000 }, "rateLimit.max`"],
    [{ max: 5, perMs: Number.NaN }, "rateLimit.perMs`"],
    [{ max: 5, perMs: 1000, burst: 6 }, "rateLimit.burst` must be a whole number from 1 to 5, got 6"],
    [{ max: 5, perMs: 1000, per: 1 }, "has no option \"per\""],
  ])("refuses %j in one line naming the field", (value, message) => {
    expect(() => resolveRateLimit('task "x"', value, fail)).toThrow(message);
  });

  it("any input resolves to a valid limit or a one-line error", () => {
    fc.assert(fc.property(fc.anything(), (value) => {
      try {
        const r = resolveRateLimit("t", value, fail);
        expect(r.burst).toBeGreaterThanOrEqual(1);
        expect(r.burst).toBeLessThanOrEqual(r.max);
      } catch (error) {
        expect((error as Error).message).not.toContain("\n");
        expect((error as Error).message).toMatch(/^t: `rateLimit/);
      }
    }));
  });

  it("is checked by defineTask and by a queue's settings; not with a concurrencyKey", () => {
    const run = () => {};
    expect(defineTask({ name: "limited", run, rateLimit: { max: 2, perMs: 10 } }).rateLimit).toEqual({ max: 2, perMs: 10, burst: 2 });
    expect(() => defineTask({ name: "bad", run, rateLimit: { max: -1, perMs: 10 } })).toThrow('task "bad": `rateLimit.max`');
    expect(() => defineTask({ name: "both", run: (_p: { k: string }) => {}, concurrencyKey: (p) => p.k, rateLimit: { max: 1, perMs: 10 } }))
      .toThrow("cannot be combined");
    expect(resolveQueueConfig("q", { rateLimit: { max: 3, perMs: 100 } }).rateLimit).toEqual({ max: 3, perMs: 100, burst: 3 });
    expect(() => resolveQueueConfig("q", { rateLimit: { max: 3, perMs: 0 } })).toThrow('queue "q": `rateLimit.perMs`');
  });
});
