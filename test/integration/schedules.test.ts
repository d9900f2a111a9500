/**
 * Schedules against a real database with the clock under control: the database's now() is
 * replaced by :now in every schedule query, so downtime and DST transitions are exact.
 */
import { describe, expect, it } from "vitest";
import { defineTask, type WorkerEvent } from "../../src/index.js";
import type { ScheduleOptions } from "../../src/schedule/scheduleOptions.js";
import { Scheduler } from "../../src/worker/scheduler.js";
import { testDatabase } from "../support/db.js";
import { registered } from "../support/tasks.js";

const db = await testDatabase("schedules");
const store = db.store();

type Payload = { label: string };

function scheduler(name: string, schedules: Array<ScheduleOptions<Payload>>, events: WorkerEvent[] = [], graceMs = 60_000) {
  const task = defineTask({ name, schedules, run(_p: Payload) {} });
  const registry = new Map([[name, registered(task, { type: "object", properties: { label: { type: "string" } }, required: ["label"] })]]);
  return new Scheduler({ store, registry, graceMs, intervalMs: 5_000, emit: (e) => events.push(e), onFired: () => {} });
}

async function runsOf(task: string): Promise<Array<{ for: string; missed: number; schedule: string; scheduledAt: string }>> {
  const { rows } = await db.sql.query<{ schedule_for: Date; schedule_missed: number; schedule_id: string; scheduled_at: Date }>(
    "SELECT schedule_for, schedule_missed, schedule_id, scheduled_at FROM backie_tasks WHERE task_name = $1 ORDER BY schedule_for, id", [task]);
  return rows.map((r) => ({ for: r.schedule_for.toISOString(), missed: r.schedule_missed, schedule: r.schedule_id, scheduledAt: r.scheduled_at.toISOString() }));
}

const at = (iso: string): Date => new Date(iso);
const hourly = { cron: "0 * * * *", payload: { label: "x" } } as const;

describe("downtime", () => {
  // Reconciled at 00:30, so the first occurrence is 01:00. Workers come back at 05:59:30 with the
  // grace at 60 s: 01:00 .. 05:00 (5 occurrences) are missed; nothing is on time.
  const reconcileAt = at("2026-01-01T00:30:00Z");
  const backAt = at("2026-01-01T05:59:30Z");

  it("skip: runs none of the 5 missed occurrences and reports them", async () => {
    const events: WorkerEvent[] = [];
    const s = scheduler("down_skip", [{ ...hourly, missed: "skip" }], events);
    await s.reconcile(reconcileAt);
    await s.runOnce(backAt);
    expect(await runsOf("down_skip")).toEqual([]);
    const missed = events.filter((e) => e.type === "schedule:missed");
    expect(missed).toMatchObject([{ id: "down_skip@0 * * * *", count: 5, running: 0, policy: "skip", capped: false, first: at("2026-01-01T01:00:00Z"), last: at("2026-01-01T05:00:00Z") }]);
    const [row] = (await store.schedules.listSchedules(backAt)).schedules.filter((r) => r.taskName === "down_skip");
    expect(row!.nextAt).toEqual(at("2026-01-01T06:00:00Z"));
    expect(row!.lastAt).toEqual(at("2026-01-01T05:00:00Z"));
  });

  it("once: runs one, for the latest, with missedCount 5", async () => {
    const s = scheduler("down_once", [{ ...hourly, missed: "once" }]);
    await s.reconcile(reconcileAt);
    await s.runOnce(backAt);
    expect(await runsOf("down_once")).toEqual([
      { for: "2026-01-01T05:00:00.000Z", missed: 5, schedule: "down_once@0 * * * *", scheduledAt: "2026-01-01T05:00:00.000Z" },
    ]);
  });

  it("all: runs each of the 5, and only the latest maxMissed of them when capped", async () => {
    const s = scheduler("down_all", [{ ...hourly, missed: "all" }]);
    await s.reconcile(reconcileAt);
    await s.runOnce(backAt);
    expect((await runsOf("down_all")).map((r) => [r.for.slice(11, 13), r.missed])).toEqual([["01", 1], ["02", 1], ["03", 1], ["04", 1], ["05", 1]]);

    const events: WorkerEvent[] = [];
    const capped = scheduler("down_all_cap", [{ ...hourly, missed: "all", maxMissed: 2 }], events);
    await capped.reconcile(reconcileAt);
    await capped.runOnce(backAt);
    expect((await runsOf("down_all_cap")).map((r) => r.for.slice(11, 13))).toEqual(["04", "05"]);
    expect(events.find((e) => e.type === "schedule:missed")).toMatchObject({ count: 5, running: 2 });
  });

  it("within the grace period an occurrence is on time, whatever the missed policy", async () => {
    const s = scheduler("grace", [{ ...hourly, missed: "skip" }]);
    await s.reconcile(reconcileAt);
    await s.runOnce(at("2026-01-01T01:00:59Z"));
    expect(await runsOf("grace")).toMatchObject([{ for: "2026-01-01T01:00:00.000Z", missed: 0 }]);
    // Taken: the same look again creates nothing.
    await s.runOnce(at("2026-01-01T01:00:59Z"));
    expect(await runsOf("grace")).toHaveLength(1);
  });
});
