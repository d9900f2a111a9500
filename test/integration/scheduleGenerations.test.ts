/**
 * Schedule ownership follows the newest deploy: pools of generation 1 (old) and 2 (new) starting
 * in either order leave the generation-2 definition in place, and its occurrences run once, with
 * its payload version and priority.
 */
import { expect, it } from "vitest";
import type { DeclaredSchedule } from "../../src/store/scheduleStore.js";
import { testDatabase } from "../support/db.js";

const db = await testDatabase("schedule generations");
const store = db.store();

const v1: DeclaredSchedule = {
  id: "nightly", taskName: "report", queueName: "reports", cron: "0 3 * * *", tz: "UTC", payloadJson: '{"format":"pdf"}',
  maxRetries: 3, missed: "once", maxMissed: 100, overlap: "allow", nextAt: new Date(Date.now() + 3_600_000), payloadVersion: 1,
};
const v2: DeclaredSchedule = { ...v1, cron: "30 4 * * *", payloadJson: '{"format":"pdf","pages":10}', payloadVersion: 2, priority: 5 };
const extraV1: DeclaredSchedule = { ...v1, id: "hourly-v1-only", cron: "0 * * * *" };

async function stored(): Promise<Array<{ id: string; cron: string; payload_version: number; priority: number; generation: number }>> {
  const { rows } = await db.sql.query("SELECT id, cron, payload_version, priority, generation FROM backie_schedules ORDER BY id");
  return rows as never;
}

it.each([["new first, then old", [2, 1]], ["old first, then new, then old again", [1, 2, 1]]] as const)("%s: the newest definition stays", async (_label, order) => {
  await db.sql.query("DELETE FROM backie_schedules");
  for (const generation of order) {
    if (generation === 1) await store.schedules.reconcileSchedules(["report"], [v1, extraV1], undefined, 1);
    else await store.schedules.reconcileSchedules(["report"], [v2], undefined, 2);
  }
  // Generation 2 removed v1's extra schedule; no old pool wrote either back.
  expect(await stored()).toEqual([{ id: "nightly", cron: "30 4 * * *", payload_version: 2, priority: 5, generation: 2 }]);
});

it("a due occurrence becomes one task carrying the schedule's version and priority", async () => {
  await db.sql.query("DELETE FROM backie_schedules; DELETE FROM backie_tasks");
  await store.schedules.reconcileSchedules(["report"], [{ ...v2, nextAt: new Date(Date.now() - 1_000) }], undefined, 2);
  const due = await store.schedules.findDueSchedules(["report"], 10);
  expect(due.due).toHaveLength(1);
  const d = due.due[0]!;
  await store.schedules.fireSchedules([{ schedule: d, nextAt: new Date(Date.now() + 86_400_000), lastAt: d.nextAt, runs: [{ scheduledFor: d.nextAt, missedCount: 0, uniqueKey: null }] } as never]);
  const { rows } = await db.sql.query("SELECT task_name, payload_version, priority FROM backie_tasks");
  expect(rows).toEqual([{ task_name: "report", payload_version: 2, priority: 5 }]);
});
