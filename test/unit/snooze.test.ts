import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_DELAY_MS } from "../../src/names.js";
import { isSnooze, retryAfterMs, Snooze } from "../../src/snooze.js";

const NOW = Date.parse("2026-11-30T12:00:00Z");
const now = (): number => NOW;

describe("Retry-After", () => {
  it("reads seconds and HTTP dates, and nothing else", () => {
    expect(retryAfterMs("120", now)).toBe(120_000);
    expect(retryAfterMs(" 0 ", now)).toBe(0);
    expect(retryAfterMs("Mon, 30 Nov 2026 12:01:00 GMT", now)).toBe(60_000);
    expect(retryAfterMs("Mon, 30 Nov 2026 11:00:00 GMT", now)).toBe(0);
    for (const bad of [undefined, null, "", "-1", "1.5", "soon", "2026-11-30", "Infinity", "0x10"]) expect(retryAfterMs(bad, now)).toBeUndefined();
    expect(Snooze.retryAfter("garbage", 5_000, now).delayMs).toBe(5_000);
  });

  it("gives a delay from 0 to the maximum, or undefined, for any string", () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.nat().map(String), fc.date().map((d) => (Number.isNaN(d.getTime()) ? "x" : d.toUTCString()))), (header) => {
      const ms = retryAfterMs(header, now);
      expect(ms === undefined || (Number.isInteger(ms) && ms >= 0 && ms <= MAX_DELAY_MS)).toBe(true);
    }));
  });
});

describe("Snooze", () => {
  it("refuses delays that are not a number of milliseconds in range, one line each", () => {
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY, MAX_DELAY_MS + 1, "5" as unknown as number]) {
      expect(() => new Snooze(bad)).toThrow(/^snooze: the delay must be a number of milliseconds from 0 to \d+, got .+$/);
    }
    expect(() => new Snooze(new Date(Number.NaN))).toThrow("snooze: the date is invalid");
    expect(new Snooze(new Date(NOW - 1_000), now).delayMs).toBe(0);
    expect(new Snooze(new Date(NOW + 1_500), now).delayMs).toBe(1_500);
  });
});

describe("isSnooze", () => {
  it("never throws, and accepts only a snooze with a storable delay", () => {
    const brand = Symbol.for("backie.snooze");
    const hostile = new Proxy({}, { get() { throw new Error("boom"); } });
    expect(isSnooze(hostile)).toBe(false);
    expect(isSnooze({ [brand]: true, delayMs: -1e30 })).toBe(false);
    expect(isSnooze({ [brand]: true, delayMs: 1.5 })).toBe(false);
    expect(isSnooze({ [brand]: true, delayMs: 10 })).toBe(true);
    expect(isSnooze(new Snooze(10))).toBe(true);
    fc.assert(fc.property(fc.anything(), (value) => {
      expect(isSnooze(value)).toBe(false);
    }));
  });
});
