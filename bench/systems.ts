/**
 * The three systems under test, behind one small interface so that every scenario drives them
 * the same way: the same server, a fresh database each, the same pg pool size.
 */
import { makeWorkerUtils, type WorkerUtils } from "graphile-worker";
import pg from "pg";
import { PgBoss } from "pg-boss";
import type { EnqueueFunction } from "../src/index.js";
import { enqueueFunction, PgTaskStore } from "./runtime.js";
import { validatorFor } from "./validator.js";

export const POOL_SIZE = 10;
export const TASK = "noop";

export interface Payload {
  i: number;
  /** Enqueue time (ms since epoch), for the latency scenario. */
  t?: number;
}

export interface Client {
  enqueueOne(payload: Payload): Promise<void>;
  enqueueMany(payloads: Payload[]): Promise<void>;
  close(): Promise<void>;
}

/** The systems a worker process can run (bench/worker.ts). */
export type RunnableName = "backie" | "graphile-worker" | "pg-boss" | "raw pg";

export interface System {
  /** The raw pg floors (bench/floor.ts); "raw pg" also runs, as a prefetching loop. */
  name: RunnableName | "raw pg, no NOTIFY";
  /** Creates the schema in a fresh database. */
  install(url: string): Promise<void>;
  client(url: string): Promise<Client>;
  /** Tasks not yet finished (ready, scheduled or running). */
  pending(sql: pg.Pool): Promise<number>;
}

export interface RunnableSystem extends System {
  name: RunnableName;
}

const count = async (sql: pg.Pool, text: string): Promise<number> => Number((await sql.query(text)).rows[0].n);

export const backie: RunnableSystem = {
  name: "backie",
  async install(url) {
    const store = new PgTaskStore({ connectionString: url });
    await store.migrate();
    await store.close();
  },
  async client(url) {
    const store = new PgTaskStore({ connectionString: url, maxConnections: POOL_SIZE });
    const enqueue: EnqueueFunction<Payload> = enqueueFunction<Payload>(() => store, {
      name: TASK, queue: "default", maxRetries: 3, validate: validatorFor(),
    });
    return {
      enqueueOne: async (p) => void (await enqueue(p)),
      enqueueMany: async (ps) => void (await enqueue.many(ps)),
      close: () => store.close(),
    };
  },
  // Two counts, each over its partial index: kept history (backlog scenario) is not scanned.
  // Only the bench's own task: the backlog_unknown scenario fills the queue with a name nobody runs.
  // Due ones: tasks parked for later (the durable scenario's sleeping and waiting rows) are not pending work.
  pending: (sql) => count(sql, `SELECT (SELECT count(*) FROM backie_tasks WHERE state = 'ready' AND queue_name = 'default' AND task_name = '${TASK}' AND scheduled_at <= now())
    + (SELECT count(*) FROM backie_tasks WHERE state = 'running') AS n`),
};

export const graphile: RunnableSystem = {
  name: "graphile-worker",
  async install(url) {
    const utils = await makeWorkerUtils({ connectionString: url });
    await utils.migrate();
    await utils.release();
  },
  async client(url) {
    // Our own pool, ended here: a pool graphile makes itself could still hold a connection when
    // the scenario drops the database, and its 'error' event then ended the whole bench.
    const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE });
    pool.on("error", () => {});
    const utils: WorkerUtils = await makeWorkerUtils({ pgPool: pool });
    return {
      enqueueOne: async (p) => void (await utils.addJob(TASK, p)),
      enqueueMany: async (ps) => void (await utils.addJobs(ps.map((payload) => ({ identifier: TASK, payload })))),
      close: async () => {
        await utils.release();
        await pool.end();
      },
    };
  },
  pending: (sql) => count(sql, "SELECT count(*) AS n FROM graphile_worker._private_jobs"),
};

export async function startBoss(url: string, listen: boolean): Promise<PgBoss> {
  const boss = new PgBoss({ connectionString: url, max: POOL_SIZE, useListenNotify: listen, schedule: false, supervise: false });
  boss.on("error", (error: unknown) => console.error("pg-boss:", error));
  await boss.start();
  return boss;
}

export const pgBoss: RunnableSystem = {
  name: "pg-boss",
  async install(url) {
    const boss = await startBoss(url, false);
    await boss.createQueue(TASK, { notify: true });
    await boss.stop({ graceful: false });
  },
  async client(url) {
    const boss = await startBoss(url, false);
    return {
      enqueueOne: async (p) => void (await boss.send(TASK, p)),
      enqueueMany: async (ps) => void (await boss.insert(TASK, ps.map((data) => ({ data })))),
      close: () => boss.stop({ graceful: false }),
    };
  },
  pending: (sql) => count(sql, "SELECT count(*) AS n FROM pgboss.job WHERE state IN ('created', 'retry', 'active')"),
};

export const SYSTEMS = [backie, graphile, pgBoss];
