/**
 * Behind PgBouncer in transaction mode (no session state: prepared statements and LISTEN do not
 * follow a client), every entry point works with the documented switches: the CLI, the default
 * enqueue client and workers in their own processes.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, expect, it } from "vitest";
import { enqueueFunction, PgTaskStore } from "../../src/index.js";
import { eventually, testDatabase } from "../support/db.js";
import { startPgBouncer } from "../support/pgbouncer.js";
import { runsOf, spawnWorker } from "../support/processes.js";
import { validatorFor } from "../support/tasks.js";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const db = await testDatabase("pgbouncer");
const bouncer = await startPgBouncer(db.url);
afterAll(() => bouncer.stop());
const env = { DATABASE_URL: bouncer.url, BACKIE_PREPARED_STATEMENTS: "false", BACKIE_LISTEN: "false" };

const cli = async (...args: string[]) =>
  (await promisify(execFile)(process.execPath, ["--import", "tsx", "cli/main.ts", ...args], { cwd: REPO, env: { ...process.env, ...env }, timeout: 30_000 })).stdout;

it("runs the CLI, the enqueue client and two workers through PgBouncer (transaction mode)", async () => {
  // The same command twice: a prepared statement from the first would collide on a shared server connection.
  for (let i = 0; i < 2; i++) {
    expect(await cli("status")).toBeTypeOf("string");
    expect(await cli("failed")).toContain("no failed tasks");
    expect(await cli("running")).toContain("no running tasks");
  }
  expect(await cli("enqueue", "send_welcome_email", '{"to":"bouncer@example.com","name":"B"}')).toMatch(/^task \d+ enqueued/);
  expect(await cli("enqueue", "send_welcome_email", '{"to":"bouncer2@example.com","name":"B"}')).toMatch(/^task \d+ enqueued/);

  // Both workers first: one that started late found the other had run all 400 already.
  const workers = [0, 1].map(() => spawnWorker({ ...env, BACKIE_TEST_QUEUE: "bouncer", BACKIE_TEST_WORKERS: "5" }));
  try {
    await Promise.all(workers.map((w) => w.ready));
    const store = PgTaskStore.fromEnv({ ...process.env, ...env });
    try {
      const enqueue = enqueueFunction<{ n: number; sleepMs: number }>(() => store, { name: "record", queue: "bouncer", maxRetries: 3, validate: validatorFor({ type: "object" }) });
      for (let i = 0; i < 20; i++) await enqueue({ n: i, sleepMs: 5 });
      await enqueue.many(Array.from({ length: 380 }, (_, n) => ({ n: n + 20, sleepMs: 5 })));
    } finally {
      await store.close();
    }
    await eventually("400 tasks to run", async () => workers.reduce((n, w) => n + runsOf(w).length, 0) >= 400, 60_000);
    const ids = workers.flatMap((w) => runsOf(w).map((r) => r.id));
    expect(new Set(ids).size).toBe(400);
    expect(ids).toHaveLength(400);
    expect(workers.every((w) => runsOf(w).length > 0)).toBe(true);
  } finally {
    for (const w of workers) w.child.kill("SIGTERM");
    await Promise.all(workers.map((w) => w.exited));
  }
}, 120_000);
