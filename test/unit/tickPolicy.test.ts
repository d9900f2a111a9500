/**
 * Properties of the schedule policy (decideTick) over random expressions, time zones (DST ones
 * included) and tick sequences: every occurrence is taken exactly once (run, or reported missed),
 * never before it is due, and the policies run what they promise.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCron } from "../../src/schedule/cron.js";
import { decideTick, MAX_MISSED_COUNTED, type DueSchedule } from "../../src/schedule/tickPolicy.js";

const CRONS = ["* * * * *", "*/7 * * * *", "0 * * * *", "30 2 * * *", "0 0 * * 0", "*/15 * * * * *", "0 30 1,2 * * *", "0 0 1 * *"];
const ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata"];
// Around the 2026 transitions of these zones, and a quiet day.
const STARTS = ["2026-03-07T00:00:00Z", "2026-03-28T18:00:00Z", "2026-04-04T10:00:00Z", "2026-10-03T10:00:00Z", "2026-10-24T18:00:00Z", "2026-10-31T18:00:00Z", "2026-06-01T00:00:00Z"];

const scenario = fc.record({
  cron: fc.constantFrom(...CRONS),
  tz: fc.constantFrom(...ZONES),
  start: fc.constantFrom(...STARTS).map((s) => new Date(s).getTime()),
  missed: fc.constantFrom("skip" as const, "once" as const, "all" as const),
  maxMissed: fc.integer({ min: 1, max: 20 }),
  overlap: fc.constantFrom("allow" as const, "allow" as const, "skip" as const),
  graceMs: fc.integer({ min: 1_000, max: 3_600_000 }),
  // Gaps between looks: mostly short, sometimes hours (downtime).
  gaps: fc.array(fc.oneof(fc.integer({ min: 1, max: 90_000 }), fc.integer({ min: 90_000, max: 3 * 3_600_000 })), { minLength: 1, maxLength: 25 }),
});

describe("decideTick", () => {
  it("takes every occurrence exactly once, never early, and runs what its policies promise", () => {
    fc.assert(fc.property(scenario, (s) => {
      const expression = parseCron(s.cron, s.tz);
      const first = expression.next(new Date(s.start))!;
      let nextAt: Date | null = first;
      let now = s.start;
      const taken: number[] = [];
      for (const gap of s.gaps) {
        now += gap;
        if (nextAt === null || nextAt.getTime() > now) continue;
        const due: DueSchedule = {
          id: "p", taskName: "t", cron: s.cron, tz: s.tz, missed: s.missed, maxMissed: s.maxMissed, overlap: s.overlap,
          nextAt, dueToken: nextAt.toISOString(),
        };
        const d = decideTick(due, new Date(now), s.graceMs);
        const cutoff = now - s.graceMs;
        // Occurrences this look covers, by brute force.
        const covered: number[] = [];
        for (let o: Date | null = nextAt; o && o.getTime() <= now; o = expression.next(o)) covered.push(o.getTime());
        const late = covered.filter((t) => t < cutoff);
        const onTime = covered.filter((t) => t >= cutoff);
        expect(d.nextAt === null || d.nextAt.getTime() > now).toBe(true);
        expect(d.nextAt?.getTime() ?? null).toBe(expression.next(new Date(covered.at(-1)!))?.getTime() ?? null);
        expect(d.lastAt?.getTime()).toBe(covered.at(-1));
        const runs = d.runs.map((r) => r.scheduledFor.getTime());
        expect(runs.every((t) => covered.includes(t))).toBe(true);
        expect([...runs].sort((a, b) => a - b)).toEqual(runs);
        expect(new Set(runs).size).toBe(runs.length);
        const counted = Math.min(late.length, MAX_MISSED_COUNTED);
        expect(d.missed?.count ?? 0).toBe(counted);
        expect(d.missed?.capped ?? false).toBe(late.length > MAX_MISSED_COUNTED);
        const catchUp = d.runs.filter((r) => r.missedCount > 0);
        if (s.overlap === "allow") {
          expect(d.runs.filter((r) => r.missedCount === 0).map((r) => r.scheduledFor.getTime())).toEqual(onTime);
          if (s.missed === "skip") expect(catchUp).toEqual([]);
          if (s.missed === "once") expect(catchUp.map((r) => [r.scheduledFor.getTime(), r.missedCount])).toEqual(late.length ? [[late.at(-1), counted]] : []);
          if (s.missed === "all") expect(catchUp.map((r) => r.scheduledFor.getTime())).toEqual(late.slice(-s.maxMissed));
          expect(new Set(d.runs.map((r) => r.uniqueKey)).size).toBe(d.runs.length);
        } else {
          expect(d.runs.length).toBeLessThanOrEqual(1);
          expect(new Set(d.runs.map((r) => r.uniqueKey))).toEqual(new Set(d.runs.length ? ["backie:schedule:p"] : []));
          // Everything on time that does not run is reported as skipped.
          expect(d.coalesced.length + d.runs.filter((r) => r.missedCount === 0).length).toBe(onTime.length > 0 ? onTime.length : 0);
        }
        taken.push(...covered);
        nextAt = d.nextAt;
      }
      // Chained looks: no occurrence twice, none skipped over.
      expect(new Set(taken).size).toBe(taken.length);
      const expected: number[] = [];
      for (let o: Date | null = first; o && o.getTime() <= (taken.at(-1) ?? -Infinity); o = expression.next(o)) expected.push(o.getTime());
      expect(taken).toEqual(expected);
    }), { numRuns: 80 });
  });

  it("bounds the work after any downtime: missed occurrences are counted up to 1,000", () => {
    const d = decideTick({
      id: "p", taskName: "t", cron: "* * * * * *", tz: "Europe/Berlin", missed: "all", maxMissed: 1_000, overlap: "allow",
      nextAt: new Date("2020-01-01T00:00:00Z"), dueToken: "x",
    }, new Date("2026-01-01T00:00:00Z"), 60_000);
    expect(d.missed).toMatchObject({ count: 1_000, capped: true, running: 1_000 });
    // The latest 1,000 before the grace period, then the 60 on time.
    expect(d.runs[0]!.scheduledFor).toEqual(new Date("2025-12-31T23:42:20Z"));
    expect(d.runs.filter((r) => r.missedCount === 0)).toHaveLength(61);
    expect(d.nextAt).toEqual(new Date("2026-01-01T00:00:01Z"));
  });
});
