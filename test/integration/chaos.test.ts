import { expect, it } from "vitest";
import { testDatabase } from "../support/db.js";
import { spawnWorker, type WorkerProcess } from "../support/processes.js";
import { newTask } from "../support/tasks.js";

const db = await testDatabase("chaos");

const TASKS = 3_000;
const MAX_RETRIES = 3;
const TIMEOUT_MS = 300;
const DEADLINE_MS = 45_000;

type Kind = "quick" | "slow" | "fails" | "flaky" | "timesOut";
function kindOf(n: number): Kind {
  const r = n % 20;
  if (r < 14) return "quick"; // 70%
  if (r < 16) return "slow"; // 10%
  if (r < 18) return "fails"; // 10%
  if (r < 19) return "flaky"; // 5%
  return "timesOut"; // 5%
}
const payloadOf: Record<Kind, (n: number) => object> = {
  quick: (n) => ({ sleepMs: n % 5 }),
  // Well under TIMEOUT_MS, so a loaded machine cannot turn a slow task into a timed-out one.
  slow: (n) => ({ sleepMs: 100 + (n % 100) }),
  fails: () => ({ fail: true }),
  flaky: () => ({ failUntil: 2 }),
  timesOut: () => ({ sleepMs: 5_000 }),
};

interface Incarnation {
  worker: WorkerProcess;
  killedAt: number | undefined;
}

it("3 workers, SIGKILLed about once a second, lose no task and never overlap two runs of one task", async () => {
  const store = db.store();
  const env = {
    DATABASE_URL: db.url, BACKIE_TEST_QUEUE: "chaos", BACKIE_TEST_WORKERS: "10", BACKIE_TEST_LEASE_MS: "1500",
    BACKIE_TEST_TIMEOUT_MS: String(TIMEOUT_MS), BACKIE_TEST_MAX_RETRIES: String(MAX_RETRIES), BACKIE_TEST_RETENTION: "keepAll",
  };
  const incarnations: Incarnation[] = [];
  const spawnOne = (): Incarnation => {
    const incarnation = { worker: spawnWorker(env), killedAt: undefined };
    incarnations.push(incarnation);
    return incarnation;
  };
  const slots = [spawnOne(), spawnOne(), spawnOne()];
  await Promise.all(slots.map((s) => s.worker.ready));

  const kinds = new Map<string, Kind>();
  for (let offset = 0; offset < TASKS; offset += 1_000) {
    const batch = Array.from({ length: 1_000 }, (_, i) => offset + i);
    const inserted = await store.insertTasks(batch.map((n) => newTask("record", "chaos", payloadOf[kindOf(n)](n), { maxRetries: MAX_RETRIES })));
    inserted.forEach((r, i) => kinds.set(r.id, kindOf(batch[i]!)));
  }

  const started = Date.now();
  let kills = 0;
  let finished = false;
  // Kill for at most DEADLINE_MS; then let the survivors finish, however loaded the machine.
  while (Date.now() - started < DEADLINE_MS) {
    await new Promise((resolve) => setTimeout(resolve, 700 + Math.random() * 600));
    const { rows } = await db.sql.query("SELECT count(*)::int AS n FROM backie_tasks WHERE state IN ('ready', 'running')");
    if (rows[0].n === 0) {
      finished = true;
      break;
    }
    const slot = Math.floor(Math.random() * slots.length);
    const victim = slots[slot]!;
    victim.killedAt = Date.now();
    victim.worker.child.kill("SIGKILL");
    kills++;
    slots[slot] = spawnOne();
  }
  const calmDeadline = Date.now() + 150_000;
  while (!finished && Date.now() < calmDeadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const { rows } = await db.sql.query("SELECT count(*)::int AS n FROM backie_tasks WHERE state IN ('ready', 'running')");
    finished = rows[0].n === 0;
  }
  for (const s of slots) s.worker.child.kill("SIGTERM");
  await Promise.all(incarnations.map((i) => i.worker.exited));
  expect(finished, "every task finished").toBe(true);

  // Nothing lost, nothing left running.
  const { rows } = await db.sql.query("SELECT id, state, attempts, errors FROM backie_tasks");
  expect(rows).toHaveLength(TASKS);
  const byState = (state: string) => rows.filter((r) => r.state === state).length;
  expect(byState("ready") + byState("running")).toBe(0);

  // Each task ended as its policy says.
  for (const row of rows) {
    const kind = kinds.get(row.id)!;
    const errorKinds: string[] = row.errors.map((e: { kind: string }) => e.kind);
    // A crash during a confirmed run costs an attempt too, so a task may fail on kills alone or on
    // kills plus its own planned failures; but never on an error its kind does not explain. A
    // crash while it was only reserved (prefetched, or just started) gives the attempt back.
    const crash = (k: string): boolean => k === "lease_expired" || k === "reservation_expired";
    const counted = row.errors.filter((e: { kind: string }) => e.kind !== "reservation_expired");
    const unexplained = row.errors.filter((e: { kind: string; attempt: number }) =>
      !crash(e.kind) && !(kind === "flaky" && e.kind === "error" && e.attempt < 2));
    if (kind === "fails") expect(row, `task ${row.id} (fails)`).toMatchObject({ state: "failed", attempts: MAX_RETRIES + 1 });
    else if (kind === "timesOut") {
      expect(row.state).toBe("failed");
      expect(errorKinds.filter((k) => !crash(k)).every((k) => k === "timeout"), JSON.stringify(row.errors)).toBe(true);
    } else if (row.state === "failed") {
      const why = `task ${row.id} (${kind}) failed: ${JSON.stringify(row.errors)}`;
      expect(row.attempts, why).toBe(MAX_RETRIES + 1);
      expect(counted, why).toHaveLength(MAX_RETRIES + 1);
      expect(unexplained, why).toEqual([]);
    } else expect(row.state).toBe("done");
  }

  // No two runs of one task overlapped: each run ended (or its process was killed) before the next began.
  const runs = new Map<string, Array<{ start: number; end: number }>>();
  for (const { worker, killedAt } of incarnations) {
    const open = new Map<string, number>();
    for (const line of worker.lines) {
      const [word, id, attempt, at] = line.split(" ");
      if (word === "start") open.set(`${id} ${attempt}`, Number(at));
      if (word === "end") {
        const start = open.get(`${id} ${attempt}`)!;
        open.delete(`${id} ${attempt}`);
        runs.set(id!, [...(runs.get(id!) ?? []), { start, end: Number(at) }]);
      }
    }
    for (const [key, start] of open) {
      expect(killedAt, `run ${key} has no end but its process was not killed`).toBeDefined();
      const id = key.split(" ")[0]!;
      runs.set(id, [...(runs.get(id) ?? []), { start, end: killedAt! }]);
    }
  }
  let overlaps = 0;
  for (const list of runs.values()) {
    list.sort((a, b) => a.start - b.start);
    for (let i = 1; i < list.length; i++) if (list[i]!.start < list[i - 1]!.end) overlaps++;
  }
  expect(overlaps).toBe(0);

  const count = (word: string) => incarnations.reduce((n, i) => n + i.worker.lines.filter((l) => l.startsWith(`${word} `)).length, 0);
  console.log(
    `chaos: ${TASKS} tasks in ${((Date.now() - started) / 1000).toFixed(1)} s, ${kills} kills, ${count("start")} runs, ` +
      `${count("retried")} retries, ${count("rescued")} rescues, ${count("stale")} stale results, ` +
      `${byState("done")} done, ${byState("failed")} failed`,
  );
}, 300_000);
