/**
 * A killed worker's prefetch: claimed tasks it had not started hold only a reservation (2 s by
 * default), so under a backlog they start in another process within seconds, not after a whole
 * lease plus a rescue interval, and their attempts are given back (they never ran).
 */
import { expect, it } from "vitest";
import { eventually, testDatabase } from "../support/db.js";
import { spawnWorker } from "../support/processes.js";
import { newTask } from "../support/tasks.js";

const db = await testDatabase("stranded");
const TASKS = 20_000;
/** What issue 24 asks of a worker's unstarted tasks after a SIGKILL. */
const BOUND_MS = 5_000;

/** `start <id> <attempt> <ms>` lines of a worker: the first start of each task there. */
function startsOf(lines: readonly string[]): Map<string, number> {
  const starts = new Map<string, number>();
  for (const line of lines) {
    const [word, id, , at] = line.split(" ");
    if (word === "start" && !starts.has(id!)) starts.set(id!, Number(at));
  }
  return starts;
}

it("SIGKILLed with a full prefetch under a 20,000-task backlog: each unstarted task starts elsewhere within 5 s, its attempt not counted", async () => {
  const store = db.store();
  for (let offset = 0; offset < TASKS; offset += 5_000) {
    await store.insertTasks(Array.from({ length: 5_000 }, () => newTask("record", "stranded", { sleepMs: 5 }, { maxRetries: 0 })));
  }
  const base = { DATABASE_URL: db.url, BACKIE_TEST_QUEUE: "stranded", BACKIE_TEST_RETENTION: "keepAll", BACKIE_TEST_MAX_RETRIES: "0" };
  // The victim holds the most auto prefetch ever holds; the survivor sizes its own.
  const victim = spawnWorker({ ...base, BACKIE_TEST_WORKERS: "10", BACKIE_TEST_PREFETCH: "2000" });
  const survivor = spawnWorker({ ...base, BACKIE_TEST_WORKERS: "20" });
  try {
    await Promise.all([victim.ready, survivor.ready]);
    const held = async (): Promise<string[]> => {
      const { rows } = await db.sql.query(
        "SELECT id FROM backie_tasks WHERE state = 'running' AND lease_owner LIKE '%:' || $1::text || ':%'", [String(victim.child.pid)],
      );
      return rows.map((r) => r.id as string);
    };
    await eventually("the victim to hold a full prefetch", async () => (await held()).length >= 1_500, 30_000);
    victim.child.kill("SIGKILL");
    const killedAt = Date.now();
    await victim.exited;
    const heldAtKill = await held();
    const startedThere = startsOf(victim.lines);
    const unstarted = heldAtKill.filter((id) => !startedThere.has(id));
    expect(unstarted.length).toBeGreaterThanOrEqual(1_000);

    await eventually("every task to finish", async () => {
      const { rows } = await db.sql.query("SELECT count(*)::int AS n FROM backie_tasks WHERE state IN ('ready', 'running')");
      return rows[0].n === 0;
    }, 60_000);
    const startedElsewhere = startsOf(survivor.lines);
    const delays = unstarted.map((id) => {
      expect(startedElsewhere.has(id), `task ${id} never started in the survivor`).toBe(true);
      return startedElsewhere.get(id)! - killedAt;
    });
    const worst = Math.max(...delays);
    console.log(`stranded prefetch: ${unstarted.length} unstarted tasks of the killed worker all started elsewhere within ${worst} ms of the kill`);
    expect(worst).toBeLessThan(BOUND_MS);

    // Nothing lost, and the lapsed reservations cost no attempt: each ran once, with max_retries 0.
    const { rows } = await db.sql.query(
      "SELECT state, attempts, errors FROM backie_tasks WHERE id = ANY($1::bigint[])", [unstarted],
    );
    expect(rows).toHaveLength(unstarted.length);
    for (const row of rows) {
      expect(row).toMatchObject({ state: "done", attempts: 1 });
      expect(row.errors.map((e: { kind: string }) => e.kind)).toEqual(["reservation_expired"]);
    }
    const { rows: states } = await db.sql.query("SELECT state, count(*)::int AS n FROM backie_tasks GROUP BY state");
    expect(states).toEqual([{ state: "done", n: TASKS }]);
  } finally {
    victim.child.kill("SIGKILL");
    survivor.child.kill("SIGTERM");
    await Promise.all([victim.exited, survivor.exited]);
  }
}, 120_000);
