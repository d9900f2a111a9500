/**
 * The floor the enqueue scenarios are measured against (issue 14): a hand-written `pg` loop
 * inserting the same rows into the same table (backie_tasks, migrated by Backie), through a pool
 * of the same size. No validation, no key functions, no client: what a plain INSERT costs. One
 * variant sends the statement's NOTIFY as Backie's inserts do; the other sends none.
 */
import pg from "pg";
import { backie, POOL_SIZE, TASK, type System } from "./systems.js";

// Statement NOTIFY as in sql/tasks.sql (TaskInsert / TasksInsertMany): once per statement.
const ONE = "INSERT INTO backie_tasks (task_name, queue_name, payload, max_retries) VALUES ($1, 'default', $2::jsonb, 3)";
const ONE_NOTIFY = `WITH i AS (${ONE} RETURNING queue_name) SELECT pg_notify('backie_tasks_ready', queue_name) FROM i`;
const MANY = "INSERT INTO backie_tasks (task_name, queue_name, payload, max_retries) SELECT $1, 'default', p, 3 FROM unnest($2::jsonb[]) AS p";
const MANY_NOTIFY = `WITH i AS (${MANY} RETURNING queue_name) SELECT pg_notify('backie_tasks_ready', string_agg(DISTINCT queue_name, ',')) FROM i`;

function rawPg(notify: boolean): System {
  return {
    name: notify ? "raw pg" : "raw pg, no NOTIFY",
    install: (url) => backie.install(url),
    async client(url) {
      const sql = new pg.Pool({ connectionString: url, max: POOL_SIZE });
      return {
        enqueueOne: async (p) => void (await sql.query(notify ? ONE_NOTIFY : ONE, [TASK, JSON.stringify(p)])),
        enqueueMany: async (ps) => void (await sql.query(notify ? MANY_NOTIFY : MANY, [TASK, ps.map((p) => JSON.stringify(p))])),
        close: () => sql.end(),
      };
    },
    pending: (sql) => backie.pending(sql),
  };
}

/** Enqueue scenarios only: they insert; nothing runs the rows. */
export const FLOORS = [rawPg(true), rawPg(false)];
