/**
 * Rolling deploys and rollbacks with payload versions: a v1 worker and a v2 worker (whose payload
 * gained a required field, with an upgrade) share one database while both enqueue. Every task
 * runs once, under code that knows its version; v1 never runs a v2 payload; older payloads reach
 * v2 through the upgrade; a rollback leaves v2 tasks waiting, ready and visible.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createDashboard, defineTask, enqueueFunction, findUnrunnable, WORKER_STALE_MS, WorkerPool, type RegisteredTask, type WorkerEvent } from "../../src/index.js";
import { eventually, testDatabase } from "../support/db.js";
import { NO_APP, validatorFor } from "../support/tasks.js";

const db = await testDatabase("versions");
const store = db.store();
const pools: WorkerPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.stop()));
  await db.sql.query("DELETE FROM backie_tasks");
});

type Ran = { worker: string; id: string; payload: unknown };
const ran: Ran[] = [];

const v1Schema = { type: "object", properties: { to: { type: "string" }, legacy: { type: "number" } }, required: ["to"], additionalProperties: false };
const v2Schema = { type: "object", properties: { to: { type: "string" }, locale: { enum: ["en", "de"] } }, required: ["to", "locale"], additionalProperties: false };

function v1(): RegisteredTask {
  const definition = defineTask({ name: "greet_v", queue: "versions", async run(p: { to: string; legacy?: number }, ctx) { ran.push({ worker: "v1", id: ctx.task.id, payload: p }); } });
  return { definition, validate: validatorFor(v1Schema), version: 1 };
}

function v2(name = "greet_v", aliases?: string[]): RegisteredTask {
  const definition = defineTask({
    name, queue: "versions", ...(aliases ? { aliases } : {}),
    async run(p: { to: string; locale: "en" | "de" }, ctx) {
      if (typeof p.locale !== "string") throw new Error("v2 got a payload without locale");
      ran.push({ worker: "v2", id: ctx.task.id, payload: p });
    },
    upgrades: { 1: (old: { to: string }) => ({ ...old, locale: "en" as const }) },
  });
  // Version 1 -> 2: `legacy` dropped, then the upgrade adds `locale`.
  return { definition, validate: validatorFor(v2Schema), version: 2, steps: { 1: { drop: [["legacy"]], upgrade: true } } };
}

function pool(entry: RegisteredTask, onEvent?: (event: WorkerEvent) => void): WorkerPool {
  const p = new WorkerPool({
    ...NO_APP, store, registry: { [entry.definition.name]: entry }, queues: { versions: { numWorkers: 5, pullIntervalMs: 20 } }, leaseMs: 5_000,
    versionWatchIntervalMs: 100, ...(onEvent ? { onEvent } : {}),
  });
  pools.push(p);
  return p;
}

const enqueueV1 = enqueueFunction<{ to: string; legacy?: number }>(() => store, { name: "greet_v", queue: "versions", maxRetries: 3, validate: validatorFor(v1Schema), version: 1 });
const enqueueV2 = enqueueFunction<{ to: string; locale: "en" | "de" }>(() => store, { name: "greet_v", queue: "versions", maxRetries: 3, validate: validatorFor(v2Schema), version: 2 });

describe("payload versions across deploys", () => {
  it("a rolling deploy: v1 and v2 workers side by side, each task once, v1 never runs v2", async () => {
    ran.length = 0;
    const old = pool(v1());
    await old.start();
    const ids = new Map<string, number>();
    for (let round = 0; round < 20; round++) {
      if (round === 5) await pool(v2()).start();
      for (let i = 0; i < 5; i++) {
        ids.set((await enqueueV1({ to: `a${round}.${i}`, legacy: 1 })).id, 1);
        if (round >= 5) ids.set((await enqueueV2({ to: `b${round}.${i}`, locale: "de" })).id, 2);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    // The old deploy goes away; nothing may be left behind.
    await old.stop();
    await eventually("every task to run", async () => ran.length >= ids.size, 20_000);
    const { rows } = await db.sql.query("SELECT count(*)::int AS n FROM backie_tasks");
    expect(rows[0].n).toBe(0);
    expect(new Set(ran.map((r) => r.id)).size).toBe(ran.length);
    expect(ran.length).toBe(ids.size);
    for (const r of ran) {
      if (r.worker === "v1") expect(ids.get(r.id), `v1 ran ${r.id}`).toBe(1);
      else expect((r.payload as { locale?: string }).locale).toMatch(/^(en|de)$/);
    }
    // v1 payloads v2 ran came through the upgrade, `legacy` dropped.
    const upgraded = ran.filter((r) => r.worker === "v2" && ids.get(r.id) === 1);
    for (const r of upgraded) expect(r.payload).toEqual({ to: (r.payload as { to: string }).to, locale: "en" });
    expect(ran.some((r) => r.worker === "v1")).toBe(true);
  }, 60_000);

  it("a rollback: v2 tasks wait ready (not failed, no attempt spent) while only v1 runs", async () => {
    ran.length = 0;
    const newer = (await enqueueV2({ to: "n", locale: "de" })).id;
    const older = (await enqueueV1({ to: "o" })).id;
    await pool(v1()).start();
    await eventually("the v1 task to run", async () => ran.some((r) => r.id === older));
    await new Promise((r) => setTimeout(r, 300));
    expect(ran.map((r) => r.id)).toEqual([older]);
    const { rows } = await db.sql.query("SELECT state::text, attempts, payload_version FROM backie_tasks WHERE id = $1", [newer]);
    expect(rows).toEqual([{ state: "ready", attempts: 0, payload_version: 2 }]);
  });

  it("a renamed task runs what was enqueued under its alias", async () => {
    ran.length = 0;
    const id = (await enqueueV1({ to: "renamed" })).id;
    await pool(v2("greet_renamed", ["greet_v"])).start();
    await eventually("the aliased task to run", async () => ran.some((r) => r.id === id));
    expect(ran[0]!.payload).toEqual({ to: "renamed", locale: "en" });
  });

  it("an upgrade that throws fails the task permanently with a one-line reason; the worker goes on", async () => {
    ran.length = 0;
    const broken = v2();
    const definition = defineTask({
      name: "greet_v", queue: "versions", async run() {},
      upgrades: { 1: (): never => { throw new Error("no locale for this one"); } },
    });
    const { rows: [row] } = await db.sql.query("INSERT INTO backie_tasks (task_name, queue_name, payload, payload_version) VALUES ('greet_v', 'versions', '{\"to\":\"x\"}', 1) RETURNING id::text");
    await pool({ ...broken, definition }).start();
    await eventually("the task to fail", async () => (await db.sql.query("SELECT 1 FROM backie_tasks WHERE id = $1 AND state = 'failed'", [row.id])).rowCount === 1);
    const { rows } = await db.sql.query("SELECT errors FROM backie_tasks WHERE id = $1", [row.id]);
    expect(rows[0].errors[0].message).toBe('upgrades[1] of task "greet_v" (payload version 1 to 2) threw: no locale for this one');
  });

  it("says once which ready tasks no running worker takes (a newer version, an unknown name); status and the dashboard read the same", async () => {
    ran.length = 0;
    await enqueueV2({ to: "n1", locale: "de" });
    await enqueueV2({ to: "n2", locale: "en" });
    await db.sql.query("INSERT INTO backie_tasks (task_name, queue_name, payload) VALUES ('greet_gone', 'versions', '{}'), ('greet_gone', 'elsewhere', '{}')");
    const events: WorkerEvent[] = [];
    await pool(v1(), (e) => events.push(e)).start();
    await eventually("both kinds to be reported", async () => events.filter((e) => e.type === "tasks:unrunnable").length >= 2);
    await new Promise((r) => setTimeout(r, 400));
    const said = events.flatMap((e) => (e.type === "tasks:unrunnable" ? [e.kind] : []));
    // Once each, however many watch rounds ran; the queue no worker serves is not judged.
    expect(said).toEqual([
      { queueName: "versions", taskName: "greet_gone", version: 0, reason: "unknown name" },
      { queueName: "versions", taskName: "greet_v", version: 2, reason: "newer version", known: 1 },
    ]);
    expect(await findUnrunnable(store.admin, WORKER_STALE_MS)).toEqual([
      { queueName: "versions", taskName: "greet_gone", version: 0, reason: "unknown name", count: 1 },
      { queueName: "versions", taskName: "greet_v", version: 2, reason: "newer version", known: 1, count: 2 },
    ]);
    const { workers } = await store.admin.listWorkers(WORKER_STALE_MS);
    expect(workers.map((w) => w.tasks)).toEqual([{ greet_v: 1 }]);
    // The dashboard: the overview lists them, the workers page each pool's versions, a task page its version.
    const handler = createDashboard({ store });
    const server = createServer((req, res) => handler(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const overview = await (await fetch(`${base}/`)).text();
      expect(overview).toContain('<section id="unrunnable"');
      expect(overview).toContain("1 ready tasks named &quot;greet_gone&quot; in queue &quot;versions&quot;: no running worker has a task of that name");
      expect(overview).toContain("2 ready tasks of &quot;greet_v&quot; at payload version 2 in queue &quot;versions&quot; wait for a newer deploy (running workers know up to version 1)");
      expect(await (await fetch(`${base}/workers`)).text()).toContain("<td>greet_v v1</td>");
      const { rows: [newer] } = await db.sql.query("SELECT id::text FROM backie_tasks WHERE payload_version = 2 LIMIT 1");
      expect(await (await fetch(`${base}/tasks/${newer.id}`)).text()).toContain('<dd id="payload-version">2</dd>');
    } finally {
      server.close();
    }
    // A v2 worker joining covers the newer version: only the unknown name is left.
    await pool(v2()).start();
    await eventually("the v2 tasks to run", async () => ran.length === 2);
    await db.sql.query("INSERT INTO backie_tasks (task_name, queue_name, payload, payload_version) VALUES ('greet_v', 'versions', '{}', 3)");
    expect(await findUnrunnable(store.admin, WORKER_STALE_MS)).toEqual([
      { queueName: "versions", taskName: "greet_gone", version: 0, reason: "unknown name", count: 1 },
      { queueName: "versions", taskName: "greet_v", version: 3, reason: "newer version", known: 2, count: 1 },
    ]);
  });

  it("a fan-in's continuation keeps the payload version of the run that fanned out, however long it waits", async () => {
    const task = (payload: unknown, payloadVersion: number) => ({ taskName: "greet_v", queueName: "versions_parked", payload, priority: 0, uniqueKey: null, maxRetries: 0, runAt: null, delayMs: null, payloadVersion });
    const [parent] = await store.insertTasks([task({ to: "p" }, 1)]);
    const now = await store.insertFanIn({ parentId: parent!.id, key: "none", children: [], continuation: task({ to: "c0" }, 1), onChildFailure: "ignore" });
    const later = await store.insertFanIn({ parentId: parent!.id, key: "one", children: [task({ to: "child" }, 2)], continuation: task({ to: "c1" }, 1), onChildFailure: "ignore" });
    await db.sql.query("UPDATE backie_tasks SET state = 'done', finished_at = now() WHERE id = $1", [later.childIds[0]]);
    // Continuations: the tasks with `children` in their payload.
    const { rows } = await db.sql.query("SELECT payload->>'to' AS to, payload_version FROM backie_tasks WHERE queue_name = 'versions_parked' AND payload ? 'children' ORDER BY 1");
    expect(now.created && later.created).toBe(true);
    expect(rows).toEqual([{ to: "c0", payload_version: 1 }, { to: "c1", payload_version: 1 }]);
  });
});
