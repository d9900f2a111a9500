/**
 * Schedules across real worker processes: any of them may fire an occurrence, and each
 * occurrence becomes exactly one task, through concurrent ticks and SIGKILLs mid-fire.
 */
import { expect, it } from "vitest";
import { eventually, testDatabase } from "../support/db.js";
import { spawnWorker, type WorkerProcess } from "../support/processes.js";

const SCRIPT = new URL("../support/scheduleWorker.ts", import.meta.url).pathname;
const db = await testDatabase("scheduleProcesses");

/** Occurrences stored for schedule "every-second", checked to be unique and without gaps. */
async function occurrences(): Promise<{ times: number[]; lastAt: number; states: string[] }> {
  const { rows } = await db.sql.query<{ at: Date; state: string }>(
    "SELECT schedule_for AS at, state::text FROM backie_tasks WHERE schedule_id = 'every-second' ORDER BY schedule_for");
  const [schedule] = (await db.sql.query<{ last_at: Date }>("SELECT last_at FROM backie_schedules WHERE id = 'every-second'")).rows;
  return { times: rows.map((r) => r.at.getTime()), lastAt: schedule!.last_at.getTime(), states: rows.map((r) => r.state) };
}

function expectExactlyOnce(times: number[], lastAt: number): void {
  expect(new Set(times).size).toBe(times.length);
  // Every second from the first occurrence to the last one taken, each exactly once.
  expect(times.at(-1)).toBe(lastAt);
  expect(times.length).toBe((times.at(-1)! - times[0]!) / 1_000 + 1);
}

async function stopAll(workers: WorkerProcess[]): Promise<void> {
  for (const w of workers) w.child.kill("SIGTERM");
  await Promise.all(workers.map((w) => w.exited));
}

it("4 processes ticking one every-second schedule for 20 s: one task per occurrence, none missing", async () => {
  await db.sql.query("DELETE FROM backie_tasks; DELETE FROM backie_schedules");
  const env = { DATABASE_URL: db.url };
  const workers = Array.from({ length: 4 }, () => spawnWorker(env, SCRIPT));
  try {
    await Promise.all(workers.map((w) => w.ready));
    await new Promise((resolve) => setTimeout(resolve, 20_000));
  } finally {
    await stopAll(workers);
  }
  const { times, lastAt } = await occurrences();
  expectExactlyOnce(times, lastAt);
  expect(times.length).toBeGreaterThanOrEqual(18);
  // Every process tried to fire; together they fired each occurrence once.
  const firing = workers.map((w) => w.lines.filter((l) => l === "firing").length);
  expect(firing.every((n) => n > 0)).toBe(true);
  const fired = workers.flatMap((w) => w.lines.filter((l) => l.startsWith("fired ")).map((l) => Number(l.split(" ")[2])));
  expect(fired.sort((a, b) => a - b)).toEqual(times);
  const ran = workers.flatMap((w) => w.lines.filter((l) => l.startsWith("ran ")).map((l) => Number(l.split(" ")[1])));
  expect(new Set(ran).size).toBe(ran.length);
  console.log(`schedules: ${times.length} occurrences in 20 s, fire attempts per process ${firing.join("/")}`);
}, 60_000);

it("SIGKILL a worker in the middle of a fire: no occurrence lost, none doubled", async () => {
  await db.sql.query("DELETE FROM backie_tasks; DELETE FROM backie_schedules");
  const env = { DATABASE_URL: db.url, BACKIE_TEST_LEASE_MS: "1000" };
  const workers: WorkerProcess[] = [spawnWorker(env, SCRIPT), spawnWorker(env, SCRIPT)];
  let kills = 0;
  try {
    await Promise.all(workers.map((w) => w.ready));
    const deadline = Date.now() + 12_000;
    while (Date.now() < deadline) {
      // Hold the schedule's row so that the next fire statement waits inside the database, then
      // kill the worker that sent it while it waits; the statement still completes after the
      // lock is let go, for a client that no longer exists.
      const holder = await db.sql.connect();
      let victim: WorkerProcess | undefined;
      try {
        await holder.query("BEGIN");
        await holder.query("SELECT 1 FROM backie_schedules WHERE id = 'every-second' FOR UPDATE");
        const seen = workers.map((w) => w.lines.length);
        await eventually("a worker to fire", async () => {
          victim = workers.find((w, i) => w.lines.slice(seen[i]).includes("firing"));
          return victim !== undefined;
        }, 10_000);
        victim!.child.kill("SIGKILL");
        kills++;
        await victim!.exited;
        await new Promise((resolve) => setTimeout(resolve, 200));
      } finally {
        await holder.query("COMMIT");
        holder.release();
      }
      workers[workers.indexOf(victim!)] = spawnWorker(env, SCRIPT);
      await Promise.all(workers.map((w) => w.ready));
      // And once without the lock: killed right as the statement goes out.
      const seen = workers.map((w) => w.lines.length);
      await eventually("a worker to fire", async () => workers.some((w, i) => w.lines.slice(seen[i]).includes("firing")), 10_000);
      const index = workers.findIndex((w, i) => w.lines.slice(seen[i]).includes("firing"));
      workers[index]!.child.kill("SIGKILL");
      kills++;
      await workers[index]!.exited;
      workers[index] = spawnWorker(env, SCRIPT);
      await Promise.all(workers.map((w) => w.ready));
    }
    // Every task taken by a killed worker comes back through its expired lease and runs.
    await eventually("every occurrence's task to finish", async () => (await occurrences()).states.every((s) => s === "done"), 30_000);
  } finally {
    await stopAll(workers);
  }
  const { times, lastAt } = await occurrences();
  expectExactlyOnce(times, lastAt);
  expect(kills).toBeGreaterThanOrEqual(4);
  console.log(`schedules: ${kills} kills mid-fire, ${times.length} occurrences, each once`);
}, 120_000);
