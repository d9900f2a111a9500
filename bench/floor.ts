/**
 * The floor the enqueue scenarios are measured against (issue 14): a hand-written `pg` loop
 * inserting the same rows into the same table (backie_tasks, migrated by Backie), through a pool
 * of the same size. No validation, no key functions, no client: what a plain INSERT costs. One
 * variant sends the statement's NOTIFY as Backie's inserts do; the other sends none.
 */
import pg from "pg";
import { backie, POOL_SIZE, TASK, type Payload, type RunnableSystem, type System } from "./systems.js";

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

// The floor of the process scenario: a hand-written prefetching loop over the same table. One
// claim statement takes a batch (the claim index's order, SKIP LOCKED), the handler runs on every
// task with at most `concurrency` at once, and the finished rows go in one DELETE per batch; the
// next claim is in flight while a batch runs. A fixed lease (the table's rule for running rows)
// that nobody renews or rescues; no retries, validation or events. When the table is empty it
// waits for Backie's notification (LISTEN backie_tasks_ready) or `pollMs` (5), whichever comes
// first; pollMs 0 waits for the notification alone (as an idle Backie worker does).
// The claim reads the claim index in its order (`parked IS NULL` and the payload version, 0 for
// the bench's task, are in the index): without them each claim sorted every ready row, and the
// floor fell to 5k tasks/s at 100,000 tasks.
const CLAIM = `UPDATE backie_tasks SET state = 'running', started_at = now(), attempts = attempts + 1, lease_owner = 'raw', lease_expires_at = now() + interval '1 minute'
  WHERE id IN (SELECT id FROM backie_tasks WHERE queue_name = 'default' AND task_name = $1 AND payload_version = 0 AND state = 'ready' AND parked IS NULL AND scheduled_at <= now()
               ORDER BY priority DESC, scheduled_at, id LIMIT $2 FOR UPDATE SKIP LOCKED)
  RETURNING id, payload`;
const DONE = "DELETE FROM backie_tasks WHERE id = ANY($1::bigint[])";

export const rawLoop: RunnableSystem = {
  name: "raw pg",
  install: (url) => backie.install(url),
  client: (url) => backie.client(url),
  pending: (sql) => backie.pending(sql),
};

/** Runs the loop until the returned stop is called; `handle` gets each payload. */
export function startRawLoop(url: string, concurrency: number, handle: (payload: Payload) => void | Promise<void>, pollMs = 5): () => Promise<void> {
  const sql = new pg.Pool({ connectionString: url, max: POOL_SIZE });
  const batchSize = Math.max(100, concurrency * 10);
  let stopped = false;
  let idle: (() => void) | undefined;
  const listener = new pg.Client({ connectionString: url });
  const listening = listener.connect().then(() => listener.query("LISTEN backie_tasks_ready"));
  listener.on("notification", () => idle?.());
  const claim = (): Promise<Array<{ id: string; payload: Payload }>> => sql.query(CLAIM, [TASK, batchSize]).then((r) => r.rows);
  const run = async (): Promise<void> => {
    await listening;
    let next = claim();
    const deletes: Array<Promise<unknown>> = [];
    while (!stopped) {
      const batch = await next;
      if (batch.length === 0) {
        // Empty: look again shortly (the bench fills the table before the workers start).
        // (LISTEN only: the longest wait the bench allows, 1 s, stands in for "until notified".)
        await new Promise<void>((resolve) => setTimeout((idle = resolve), pollMs > 0 ? pollMs : 1_000));
        next = claim();
        continue;
      }
      next = claim();
      let at = 0;
      const lane = async (): Promise<void> => {
        while (at < batch.length) await handle(batch[at++]!.payload);
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, batch.length) }, lane));
      deletes.push(sql.query(DONE, [batch.map((t) => t.id)]));
    }
    await Promise.all(deletes);
    await next.catch(() => []);
  };
  const running = run();
  return async () => {
    stopped = true;
    idle?.();
    await running;
    await listener.end();
    await sql.end();
  };
}
