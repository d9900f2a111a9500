/**
 * Schedules against a real database with the clock under control: the database's now() is
 * replaced by :now in every schedule query, so downtime and DST transitions are exact.
 */
import { describe, expect, it } from "vitest";
import { defineTask, WorkerPool, type WorkerEvent } from "../../src/index.js";
import type { ScheduleOptions } from "../../src/schedule/scheduleOptions.js";
import { Scheduler } from "../../src/worker/scheduler.js";
import { testDatabase } from "../support/db.js";
import { NO_APP, registered, registryOf } from "../support/tasks.js";

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
    "SELECT schedule_for, schedule_missed, schedule_id, scheduled_at FROM backie_tasks WHERE task_name = $1 AND schedule_id IS NOT NULL ORDER BY schedule_for, id", [task]);
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

/** Ticks every `stepMs` of simulated time from `from` to `to` (each look on time) and returns the occurrences run. */
async function simulate(name: string, schedule: ScheduleOptions<Payload>, from: string, to: string, stepMs: number): Promise<string[]> {
  const s = scheduler(name, [{ ...schedule, missed: "all" }]);
  await s.reconcile(at(from));
  for (let t = at(from).getTime(); t <= at(to).getTime(); t += stepMs) await s.runOnce(new Date(t));
  const runs = await runsOf(name);
  expect(runs.every((r) => r.missed === 0)).toBe(true);
  return runs.map((r) => r.for);
}

describe("DST (controlled clock)", () => {
  const daily = (cron: string, tz: string): ScheduleOptions<Payload> => ({ cron, tz, payload: { label: "dst" } });

  it("Europe/Berlin spring forward: 02:30 does not exist that night, runs once at 03:00 CEST", async () => {
    expect(await simulate("berlin_spring", daily("30 2 * * *", "Europe/Berlin"), "2026-03-28T12:00:00Z", "2026-03-30T12:00:00Z", 10 * 60_000))
      .toEqual(["2026-03-29T01:00:00.000Z", "2026-03-30T00:30:00.000Z"]);
  });

  it("Europe/Berlin fall back: 02:30 happens twice that night, runs once (the first)", async () => {
    expect(await simulate("berlin_fall", daily("30 2 * * *", "Europe/Berlin"), "2026-10-24T12:00:00Z", "2026-10-26T12:00:00Z", 10 * 60_000))
      .toEqual(["2026-10-25T00:30:00.000Z", "2026-10-26T01:30:00.000Z"]);
  });

  it("America/New_York spring forward: 02:30 runs once at 03:00 EDT", async () => {
    expect(await simulate("ny_spring", daily("30 2 * * *", "America/New_York"), "2026-03-07T12:00:00Z", "2026-03-09T12:00:00Z", 10 * 60_000))
      .toEqual(["2026-03-08T07:00:00.000Z", "2026-03-09T06:30:00.000Z"]);
  });

  it("America/New_York fall back: 01:30 happens twice, runs once (EDT)", async () => {
    expect(await simulate("ny_fall", daily("30 1 * * *", "America/New_York"), "2026-10-31T12:00:00Z", "2026-11-02T12:00:00Z", 10 * 60_000))
      .toEqual(["2026-11-01T05:30:00.000Z", "2026-11-02T06:30:00.000Z"]);
  });

  it("an interval expression keeps its real-time rhythm through the repeated hour", async () => {
    expect(await simulate("berlin_interval", daily("*/30 * * * *", "Europe/Berlin"), "2026-10-24T23:10:00Z", "2026-10-25T02:10:00Z", 5 * 60_000))
      .toEqual(["2026-10-24T23:30:00.000Z", "2026-10-25T00:00:00.000Z", "2026-10-25T00:30:00.000Z", "2026-10-25T01:00:00.000Z", "2026-10-25T01:30:00.000Z", "2026-10-25T02:00:00.000Z"]);
  });

  it("the same with a worker down across the transition: one catch-up run, not two", async () => {
    const s = scheduler("berlin_fall_down", [{ ...daily("30 2 * * *", "Europe/Berlin"), missed: "once" }]);
    await s.reconcile(at("2026-10-24T12:00:00Z"));
    await s.runOnce(at("2026-10-25T03:00:00Z"));
    expect(await runsOf("berlin_fall_down")).toMatchObject([{ for: "2026-10-25T00:30:00.000Z", missed: 1 }]);
  });
});

describe("reconcile: added, changed, removed, renamed, and other deploys' schedules", () => {
  const t0 = at("2026-02-01T00:00:30Z");

  it("removes a schedule dropped from the code, and it fires no more", async () => {
    const both = scheduler("rm_task", [{ cron: "* * * * *", payload: { label: "a" } }, { cron: "*/2 * * * *", payload: { label: "b" } }]);
    expect((await both.reconcile(t0)).map((c) => c.change)).toEqual(["added", "added"]);
    const one = scheduler("rm_task", [{ cron: "* * * * *", payload: { label: "a" } }]);
    expect(await one.reconcile(t0)).toEqual([{ id: "rm_task@*/2 * * * *", change: "removed" }]);
    // The same code again: nothing to change.
    expect(await one.reconcile(t0)).toEqual([]);
    await one.runOnce(at("2026-02-01T00:02:10Z"));
    expect((await runsOf("rm_task")).map((r) => r.schedule)).toEqual(["rm_task@* * * * *", "rm_task@* * * * *"]);
  });

  it("leaves alone the schedules of tasks it does not register (another deploy's)", async () => {
    await scheduler("deploy_a_task", [{ cron: "0 0 * * *", payload: { label: "a" } }]).reconcile(t0);
    await scheduler("deploy_b_task", []).reconcile(t0);
    const ids = (await store.schedules.listSchedules()).schedules.map((s) => s.id);
    expect(ids).toContain("deploy_a_task@0 0 * * *");
  });

  it("a renamed task keeps a schedule with a fixed id, and its next occurrence", async () => {
    await scheduler("report_v1", [{ id: "nightly-report", cron: "0 3 * * *", payload: { label: "r" } }]).reconcile(t0);
    const before = (await store.schedules.listSchedules()).schedules.find((s) => s.id === "nightly-report")!;
    expect(before.nextAt).toEqual(at("2026-02-01T03:00:00Z"));
    // Deployed hours later, under a new task name: the stored 03:00 is still the next one.
    const renamed = scheduler("report_v2", [{ id: "nightly-report", cron: "0 3 * * *", payload: { label: "r" } }]);
    expect(await renamed.reconcile(at("2026-02-01T02:00:00Z"))).toEqual([{ id: "nightly-report", change: "changed" }]);
    const after = (await store.schedules.listSchedules()).schedules.find((s) => s.id === "nightly-report")!;
    expect(after.taskName).toBe("report_v2");
    expect(after.nextAt).toEqual(at("2026-02-01T03:00:00Z"));
    await renamed.runOnce(at("2026-02-01T03:00:05Z"));
    expect(await runsOf("report_v2")).toMatchObject([{ for: "2026-02-01T03:00:00.000Z", schedule: "nightly-report" }]);
    expect(await runsOf("report_v1")).toEqual([]);
  });

  it("a changed expression under a fixed id moves to the new expression's next occurrence", async () => {
    await scheduler("retimed", [{ id: "retimed", cron: "0 3 * * *", payload: { label: "r" } }]).reconcile(t0);
    await scheduler("retimed", [{ id: "retimed", cron: "0 5 * * *", payload: { label: "r" } }]).reconcile(t0);
    const row = (await store.schedules.listSchedules()).schedules.find((s) => s.id === "retimed")!;
    expect(row.nextAt).toEqual(at("2026-02-01T05:00:00Z"));
    // A payload change keeps the place in time.
    await scheduler("retimed", [{ id: "retimed", cron: "0 5 * * *", payload: { label: "new" } }]).reconcile(at("2026-02-01T04:00:00Z"));
    expect((await store.schedules.listSchedules()).schedules.find((s) => s.id === "retimed")!.nextAt).toEqual(at("2026-02-01T05:00:00Z"));
  });

  it("refuses two tasks declaring the same schedule id", () => {
    const a = defineTask({ name: "dup_a", schedules: [{ id: "same", cron: "0 * * * *" }], run(_p: { x?: number }) {} });
    const b = defineTask({ name: "dup_b", schedules: [{ id: "same", cron: "0 * * * *" }], run(_p: { x?: number }) {} });
    const registry = new Map([["dup_a", registered(a)], ["dup_b", registered(b)]]);
    expect(() => new Scheduler({ store, registry, graceMs: 60_000, intervalMs: 1_000, emit: () => {}, onFired: () => {} }))
      .toThrow('task "dup_b" schedule "same": the id is also used by task "dup_a"');
  });

  it("refuses a payload its task's schema rejects, naming the schedule", () => {
    const task = defineTask({ name: "bad_payload", schedules: [{ cron: "0 * * * *", payload: { label: 5 as unknown as string } }], run(_p: Payload) {} });
    const registry = new Map([["bad_payload", registered(task, { type: "object", properties: { label: { type: "string" } } })]]);
    expect(() => new Scheduler({ store, registry, graceMs: 60_000, intervalMs: 1_000, emit: () => {}, onFired: () => {} }))
      .toThrow('task "bad_payload" schedule "bad_payload@0 * * * *": invalid payload: $.label must be string');
  });
});

describe("stored rows a worker must survive", () => {
  it("a cron or time zone edited by hand is reported, retried later, and does not stop the others", async () => {
    const events: WorkerEvent[] = [];
    const s = scheduler("hand_edited", [{ id: "he_ok", cron: "* * * * *", payload: { label: "ok" } }, { id: "he_cron", cron: "* * * * *", payload: { label: "c" } }, { id: "he_tz", cron: "* * * * *", payload: { label: "t" } }], events);
    const t = at("2026-03-01T00:00:30Z");
    await s.reconcile(t);
    await db.sql.query("UPDATE backie_schedules SET cron = 'not a cron' WHERE id = 'he_cron'");
    await db.sql.query("UPDATE backie_schedules SET time_zone = 'Mars/Olympus_Mons' WHERE id = 'he_tz'");
    await s.runOnce(at("2026-03-01T00:01:10Z"));
    expect((await runsOf("hand_edited")).map((r) => r.schedule)).toEqual(["he_ok"]);
    expect(events.filter((e) => e.type === "schedule:invalid").map((e) => (e as { id: string }).id).sort()).toEqual(["he_cron", "he_tz"]);
    const rows = (await store.schedules.listSchedules()).schedules.filter((r) => r.id.startsWith("he_"));
    expect(rows.find((r) => r.id === "he_cron")!.nextAt).toEqual(at("2026-03-01T00:02:10Z"));
    // The next worker start writes the declared expression back.
    expect((await s.reconcile(at("2026-03-01T00:01:20Z"))).map((c) => c.id).sort()).toEqual(["he_cron", "he_tz"]);
  });

  it("a next occurrence written by hand with microseconds, or as -infinity, still fires", async () => {
    const events: WorkerEvent[] = [];
    const s = scheduler("hand_next", [{ id: "hn_micro", cron: "* * * * *", payload: { label: "m" } }, { id: "hn_inf", cron: "* * * * *", payload: { label: "i" }, missed: "once" }], events);
    await s.reconcile(at("2026-03-01T00:00:30Z"));
    await db.sql.query("UPDATE backie_schedules SET next_at = '2026-03-01 00:00:59.123456+00' WHERE id = 'hn_micro'");
    await db.sql.query("UPDATE backie_schedules SET next_at = '-infinity' WHERE id = 'hn_inf'");
    await s.runOnce(at("2026-03-01T00:01:10Z"));
    const runs = await runsOf("hand_next");
    expect(runs.filter((r) => r.schedule === "hn_micro").length).toBeGreaterThanOrEqual(1);
    // -infinity: counted from 1970 (capped at 1,000), caught up once, and the on-time 00:01 runs.
    expect(runs.filter((r) => r.schedule === "hn_inf").map((r) => [r.for, r.missed])).toEqual([
      ["2026-03-01T00:00:00.000Z", 1_000], ["2026-03-01T00:01:00.000Z", 0],
    ]);
    expect(events.find((e) => e.type === "schedule:missed")).toMatchObject({ id: "hn_inf", capped: true, count: 1_000, first: at("1970-01-01T00:01:00Z") });
    const rows = (await store.schedules.listSchedules()).schedules.filter((r) => r.id.startsWith("hn_"));
    for (const row of rows) expect(row.nextAt).toEqual(at("2026-03-01T00:02:00Z"));
  });
});

describe("a task's uniqueKey", () => {
  it("holds for scheduled runs too: an enqueued task with the key blocks an occurrence, and the other way round", async () => {
    const events: WorkerEvent[] = [];
    const task = defineTask({ name: "unique_sched", schedules: [{ id: "unique-sched", cron: "0 * * * *", payload: { label: "acme" } }], uniqueKey: (p: Payload) => `account:${p.label}`, run(_p: Payload) {} });
    const s = new Scheduler({
      store, registry: new Map([["unique_sched", registered(task, { type: "object", properties: { label: { type: "string" } }, required: ["label"] })]]),
      graceMs: 60_000, intervalMs: 5_000, emit: (e) => events.push(e), onFired: () => {},
    });
    await s.reconcile(at("2026-02-01T00:30:00Z"));
    // An enqueued task of the same account waits: the 01:00 occurrence is skipped, not doubled.
    const [held] = await store.insertTasks([{ taskName: "unique_sched", queueName: "default", payload: { label: "acme" }, priority: 0, uniqueKey: "account:acme", maxRetries: 0, runAt: null, delayMs: null }]);
    await s.runOnce(at("2026-02-01T01:00:10Z"));
    expect(await runsOf("unique_sched")).toEqual([]);
    expect(events.filter((e) => e.type === "schedule:skipped")).toMatchObject([{ id: "unique-sched", reason: "unique", scheduledFor: at("2026-02-01T01:00:00Z") }]);
    // Once it is done, the next occurrence runs, holding the key against enqueues meanwhile.
    await db.sql.query("UPDATE backie_tasks SET state = 'cancelled', finished_at = now() WHERE id = $1", [held!.id]);
    await s.runOnce(at("2026-02-01T02:00:10Z"));
    expect(await runsOf("unique_sched")).toMatchObject([{ for: "2026-02-01T02:00:00.000Z", schedule: "unique-sched" }]);
    const { rows } = await db.sql.query("SELECT unique_key FROM backie_tasks WHERE schedule_id = 'unique-sched'");
    expect(rows).toEqual([{ unique_key: "account:acme" }]);
    const [again] = await store.insertTasks([{ taskName: "unique_sched", queueName: "default", payload: { label: "acme" }, priority: 0, uniqueKey: "account:acme", maxRetries: 0, runAt: null, delayMs: null }]);
    expect(again!.deduplicated).toBe(true);
  });
});

describe("in a worker pool (real clock)", () => {
  it("overlap skip: no second run while a slow run is in progress, skipped occurrences reported; ctx.schedule set", async () => {
    const events: WorkerEvent[] = [];
    let running = 0;
    let maxRunning = 0;
    const seen: Array<{ id: string; scheduledFor: Date; missedCount: number } | null> = [];
    const slow = defineTask({
      name: "slow_sync", queue: "overlap",
      schedules: [{ id: "slow-sync", cron: "* * * * * *", overlap: "skip" }],
      async run(_p: { full?: boolean }, ctx) {
        seen.push(ctx.schedule && { ...ctx.schedule });
        running++;
        maxRunning = Math.max(maxRunning, running);
        await new Promise((resolve) => setTimeout(resolve, 2_500));
        running--;
      },
    });
    const pool = new WorkerPool({
      ...NO_APP, store, registry: registryOf(registered(slow)),
      queues: { overlap: { numWorkers: 4 } }, onEvent: (e) => events.push(e),
    });
    await pool.start();
    try {
      await new Promise((resolve) => setTimeout(resolve, 6_500));
    } finally {
      await pool.stop();
    }
    expect(maxRunning).toBe(1);
    const fired = events.filter((e) => e.type === "schedule:fired");
    const skipped = events.filter((e) => e.type === "schedule:skipped");
    expect(fired.length).toBeGreaterThanOrEqual(2);
    expect(skipped.length).toBeGreaterThanOrEqual(3);
    expect(skipped.every((e) => e.type === "schedule:skipped" && e.reason === "overlap" && e.id === "slow-sync")).toBe(true);
    expect(seen[0]).toMatchObject({ id: "slow-sync", missedCount: 0 });
    expect(seen[0]!.scheduledFor.getMilliseconds()).toBe(0);
    // A task enqueued by hand has no schedule.
    const [manual] = await store.insertTasks([{ taskName: "slow_sync", queueName: "overlap", payload: {}, priority: 0, uniqueKey: null, maxRetries: 0, runAt: null, delayMs: null }]);
    const claimed = await store.claimTasks({ queueName: "overlap", taskNames: ["slow_sync"], limit: 10, owner: "t", leaseMs: 1_000 });
    expect(claimed.find((c) => c.id === manual!.id)).toMatchObject({ scheduleId: null, scheduleForMs: null });
    expect(claimed.filter((c) => c.id !== manual!.id).every((c) => c.scheduleId === "slow-sync")).toBe(true);
  }, 30_000);
});
