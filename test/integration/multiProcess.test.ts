import { expect, it } from "vitest";
import { eventually, testDatabase } from "../support/db.js";
import { runsOf, spawnWorker } from "../support/processes.js";

const db = await testDatabase("multiProcess");

it("shares 2,000 tasks between two worker processes and runs each exactly once", async () => {
  const store = db.store();
  const env = { DATABASE_URL: db.url, BACKIE_TEST_QUEUE: "shared", BACKIE_TEST_WORKERS: "10" };
  const workers = [spawnWorker(env), spawnWorker(env)];
  try {
    await Promise.all(workers.map((w) => w.ready));
    const payloads = Array.from({ length: 2_000 }, () => ({ sleepMs: 1 }));
    const ids: string[] = [];
    for (let i = 0; i < payloads.length; i += 500) {
      const batch = payloads.slice(i, i + 500).map((payload) => ({
        taskName: "record", queueName: "shared", payload, priority: 0, uniqueKey: null, maxRetries: 3, runAt: null, delayMs: null,
      }));
      ids.push(...(await store.insertTasks(batch)).map((r) => r.id));
    }
    await eventually("all 2,000 tasks to finish", async () => {
      const { rows } = await db.sql.query("SELECT count(*)::int AS n FROM backie_tasks");
      return rows[0].n === 0;
    }, 60_000);
  } finally {
    for (const w of workers) w.child.kill("SIGTERM");
    await Promise.all(workers.map((w) => w.exited));
  }
  const runs = workers.map(runsOf);
  const all = runs.flat().map((r) => r.id);
  expect(all).toHaveLength(2_000);
  expect(new Set(all).size).toBe(2_000);
  // Both processes took part.
  expect(runs[0]!.length).toBeGreaterThan(0);
  expect(runs[1]!.length).toBeGreaterThan(0);
  console.log(`multiProcess: worker A ran ${runs[0]!.length}, worker B ran ${runs[1]!.length}`);
});
