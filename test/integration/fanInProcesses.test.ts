import { beforeAll, expect, it } from "vitest";
import type { NewTask } from "../../src/index.js";
import { eventually, testDatabase } from "../support/db.js";
import { FAN_TABLES, type FanParent } from "../support/fanInTasks.js";
import { spawnWorker, type WorkerProcess } from "../support/processes.js";

const WORKER = new URL("../support/fanInWorker.ts", import.meta.url).pathname;
const db = await testDatabase("fanInProcesses");
const store = db.store();

beforeAll(async () => {
  await db.sql.query(FAN_TABLES);
});

function parent(payload: FanParent): NewTask {
  return { taskName: "fan_parent", queueName: "fan", payload, priority: 0, uniqueKey: null, maxRetries: 0, runAt: null, delayMs: null };
}

const start = (count: number, env: Record<string, string> = {}): WorkerProcess[] =>
  Array.from({ length: count }, () => spawnWorker({ DATABASE_URL: db.url, BACKIE_TEST_WORKERS: "40", ...env }, WORKER));

async function stop(workers: WorkerProcess[]): Promise<void> {
  for (const w of workers) if (w.child.exitCode === null) w.child.kill("SIGTERM");
  await Promise.all(workers.map((w) => w.exited));
}

const one = async (text: string, values: unknown[] = []): Promise<number> => Number((await db.sql.query<{ n: string }>(text, values)).rows[0]!.n);

it("the last two children finishing at the same instant in different processes resume the fan-in exactly once", async () => {
  // Each fan-in's two children go to queues fan_0 and fan_1, served by different processes.
  const workers = [...start(1, { BACKIE_TEST_CHILD_QUEUE: "fan_0" }), ...start(1, { BACKIE_TEST_CHILD_QUEUE: "fan_1" })];
  try {
    await Promise.all(workers.map((w) => w.ready));
    // Every child of every fan-in returns at the same instant.
    const finishAt = Date.now() + 2_500;
    const parents = await store.insertTasks(Array.from({ length: 40 }, () => parent({ n: 2, finishAt, split: true })));
    const labels = parents.map((p) => `${p.id}:default`);
    await eventually("40 continuations", async () => (await one("SELECT count(*) AS n FROM fan_done_runs WHERE label = ANY($1)", [labels])) >= 40, 30_000);
    // Anything that would come twice has had time to.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await one("SELECT count(*) AS n FROM fan_done_runs WHERE label = ANY($1)", [labels])).toBe(40);
    expect(await one("SELECT count(DISTINCT label) AS n FROM fan_done_runs WHERE label = ANY($1)", [labels])).toBe(40);
    // The pairs whose two children ran in different processes (each result names its pid).
    const split = await one(`SELECT count(*) AS n FROM fan_done_runs
      WHERE label = ANY($1) AND payload #>> '{children,0,result,pid}' <> payload #>> '{children,1,result,pid}'`, [labels]);
    console.log(`fanIn: 40 fan-ins whose 2 children finished at the same instant, ${split} of them in two processes; 40 continuations`);
    expect(split).toBe(40);
    expect(await one("SELECT count(*) AS n FROM fan_done_runs WHERE label = ANY($1) AND jsonb_array_length(payload->'children') = 2 AND payload @? '$.children[*] ? (@.state != \"done\")'", [labels])).toBe(0);
  } finally {
    await stop(workers);
  }
}, 60_000);

it("a worker SIGKILLed while children run: they are rescued and rerun, and each fan-in still resumes exactly once", async () => {
  const env = { BACKIE_TEST_LEASE_MS: "1500" };
  const workers = start(2, env);
  const more: WorkerProcess[] = [];
  try {
    await Promise.all(workers.map((w) => w.ready));
    const parents = await store.insertTasks(Array.from({ length: 20 }, () => parent({ n: 3, sleepMs: 1_200 })));
    const labels = parents.map((p) => `${p.id}:default`);
    // Whichever process holds running children is killed (one may have taken them all: which
    // one depends on who heard of the parents first). Owners are host:pid:random.
    let owner: string | undefined;
    await eventually("children running", async () => {
      const { rows } = await db.sql.query("SELECT lease_owner FROM backie_tasks WHERE task_name = 'fan_child' AND state = 'running' LIMIT 1");
      owner = rows[0]?.lease_owner as string | undefined;
      return owner !== undefined;
    }, 20_000);
    const victim = workers.find((w) => owner!.split(":")[1] === String(w.child.pid))!;
    victim.child.kill("SIGKILL");
    more.push(...start(1, env));
    await eventually("20 continuations", async () => (await one("SELECT count(*) AS n FROM fan_done_runs WHERE label = ANY($1)", [labels])) >= 20, 40_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await one("SELECT count(*) AS n FROM fan_done_runs WHERE label = ANY($1)", [labels])).toBe(20);
    const rescued = await one(`SELECT count(*) AS n FROM fan_done_runs, jsonb_array_elements(payload->'children') c
      WHERE label = ANY($1) AND (c->'result'->>'pid')::int = $2`, [labels, victim.child.pid]);
    const outcomes = await one(`SELECT count(*) AS n FROM fan_done_runs, jsonb_array_elements(payload->'children') c
      WHERE label = ANY($1) AND c->>'state' = 'done'`, [labels]);
    console.log(`fanIn: SIGKILL while children ran; 20 continuations, ${outcomes} child results (${rescued} from the killed process)`);
    expect(outcomes).toBe(60);
    expect(await one("SELECT count(*) AS n FROM backie_fan_ins WHERE continuation_id IS NULL AND parent_id = ANY($1::bigint[])", [parents.map((p) => p.id)])).toBe(0);
  } finally {
    await stop([...workers, ...more]);
  }
}, 90_000);
