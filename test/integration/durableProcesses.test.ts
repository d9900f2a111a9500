/**
 * Durable steps under real crashes: three worker processes run 200 tasks of 5 steps each while
 * one of them is SIGKILLed and restarted every ~0.5 s. Every step's side effect (a row of this
 * test's table, written inside the step) happens once per task, except a step killed after its
 * effect and before its result was stored, which runs again (at-least-once); no task is lost,
 * stuck or failed, and every history is the 5 steps in order. Then two processes race to resume
 * one task after a lease expiry: the frozen one's late writes are fenced off.
 */
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { eventually, testDatabase } from "../support/db.js";
import { spawnWorker, type WorkerProcess } from "../support/processes.js";
import { newTask } from "../support/tasks.js";

const WORKER = fileURLToPath(new URL("../support/durableWorker.ts", import.meta.url));
const db = await testDatabase("durable_processes");
const store = db.store();
await db.sql.query("CREATE TABLE durable_effects (task_id bigint NOT NULL, step text NOT NULL, pid integer NOT NULL)");

const workers: WorkerProcess[] = [];
afterAll(() => {
  for (const w of workers) if (w.child.exitCode === null) w.child.kill("SIGKILL");
});
function start(leaseMs = 1_500): WorkerProcess {
  const worker = spawnWorker({ DATABASE_URL: db.url, BACKIE_TEST_LEASE_MS: String(leaseMs) }, WORKER);
  workers.push(worker);
  return worker;
}

describe("durable steps across real crashes", () => {
  it("200 tasks x 5 steps, 3 processes, one SIGKILLed every ~0.5 s: each effect once per stored step, none lost or stuck", async () => {
    const tasks = await store.insertTasks(Array.from({ length: 200 }, () => newTask("durable_chain", "durable_chain", {}, { maxRetries: 50 })));
    const running = [start(), start(), start()];
    await Promise.all(running.map((w) => w.ready));
    let kills = 0;
    const killed = new Set<number>();
    const deadline = Date.now() + 120_000;
    const done = async () => (await db.sql.query("SELECT count(*)::int AS n FROM backie_tasks WHERE state = 'done'")).rows[0].n as number;
    while ((await done()) < tasks.length && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 300 + Math.random() * 300));
      if (kills >= 15) continue;
      const victim = Math.floor(Math.random() * running.length);
      killed.add(running[victim]!.child.pid!);
      running[victim]!.child.kill("SIGKILL");
      await running[victim]!.exited;
      kills++;
      running[victim] = start();
      await running[victim].ready;
    }
    expect(await done()).toBe(tasks.length);
    expect(kills, "the kills must land while tasks run").toBeGreaterThanOrEqual(5);
    await Promise.all(running.map((w) => (w.child.kill("SIGTERM"), w.exited)));

    const { rows: states } = await db.sql.query("SELECT state::text, count(*)::int AS n FROM backie_tasks GROUP BY state");
    expect(states).toEqual([{ state: "done", n: tasks.length }]);
    // Every history: the five steps, in order, each stored once.
    const { rows: histories } = await db.sql.query("SELECT id::text, steps FROM backie_tasks");
    for (const h of histories) expect((h.steps as Array<{ id: string }>).map((s) => s.id), h.id).toEqual(["s0", "s1", "s2", "s3", "s4"]);
    // Effects: at least once each. An effect is redone only when the run that made it could not
    // store its step: its process was killed, or its run outlived its lease to a rescue while this
    // busy machine starved the process (such a run says so: a `stale` or `lost` line). Every
    // effect that is not its step's stored one must have come from such a run.
    const { rows: effects } = await db.sql.query("SELECT task_id::text, step, count(*)::int AS n FROM durable_effects GROUP BY task_id, step");
    expect(effects).toHaveLength(tasks.length * 5);
    const repeated = effects.filter((e) => e.n > 1).reduce((sum, e) => sum + e.n - 1, 0);
    const outlivedRuns = new Set(workers.flatMap((w) => w.lines
      .filter((l) => l.startsWith("stale ") || l.startsWith("lost "))
      .map((l) => `${w.child.pid} ${l.split(" ")[1]}`)));
    const { rows: discarded } = await db.sql.query(`
      SELECT e.task_id::text AS task_id, e.step, e.pid FROM durable_effects e
      JOIN backie_tasks t ON t.id = e.task_id
      WHERE (t.steps -> (substr(e.step, 2)::int) -> 'result' ->> 'pid')::int <> e.pid`);
    const unexplained = discarded.filter((e) => !killed.has(e.pid as number) && !outlivedRuns.has(`${e.pid} ${e.task_id}`));
    expect(unexplained, "a step's effect was redone though the process that made it neither died nor lost its lease").toEqual([]);
    // A step redone within one process (which no kill explains) would count here and not above.
    expect(repeated).toBeLessThanOrEqual(discarded.length + outlivedRuns.size);
    const outlived = outlivedRuns.size;
    console.log(`durable crash test: ${kills} kills, ${outlived} runs that outlived their lease, ${repeated} repeated step effects of ${tasks.length * 5}`);
  }, 180_000);

  it("two processes racing to resume one task after a lease expiry: the frozen one's late step write is fenced off", async () => {
    await db.sql.query("TRUNCATE durable_effects");
    const [t] = await store.insertTasks([newTask("durable_chain", "durable_chain", { holdMs: 2_500 }, { maxRetries: 50 })]);
    const first = start(1_000);
    await first.ready;
    // It is inside step s2 (held for 2.5 s): freeze it there, past its lease.
    await eventually("step s2 to begin", async () => (await db.sql.query("SELECT 1 FROM durable_effects WHERE task_id = $1 AND step = 's2'", [t!.id])).rowCount === 1, 20_000);
    first.child.kill("SIGSTOP");
    const second = start(1_000);
    await second.ready;
    await eventually("the second process to finish the task", async () => second.lines.includes(`done ${t!.id}`), 30_000);
    // The frozen process wakes up with a stale lease: whatever it tries to store is refused.
    first.child.kill("SIGCONT");
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    const [task] = await store.findTasks([t!.id]);
    expect(task!.state).toBe("done");
    expect(task!.steps.map((s) => s.id)).toEqual(["s0", "s1", "s2", "s3", "s4"]);
    // s0 and s1 came from the first process and were replayed; s2 onwards from the second.
    const pids = task!.steps.map((s) => (s.result as { pid: number }).pid);
    expect(pids).toEqual([first.child.pid, first.child.pid, second.child.pid, second.child.pid, second.child.pid]);
    expect(first.lines).not.toContain(`done ${t!.id}`);
    await Promise.all([first, second].map((w) => (w.child.kill("SIGTERM"), w.exited)));
  }, 90_000);
});
