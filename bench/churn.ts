/** The churn scenario: sustained enqueue and processing, table and index sizes, HOT ratios. */
import pg from "pg";
import { exactlyOnce, spawnWorker } from "./processes.js";
import { PgTaskStore } from "./runtime.js";
import { sleep } from "./stats.js";
import { backie } from "./systems.js";
import type { WorkerSpec } from "./worker.js";
import { exited, fill, record, waitDrained, withDatabase } from "./harness.js";

interface TableSize {
  tableMb: number;
  indexesMb: number;
  rows: number;
}

async function tableSize(sql: pg.Pool): Promise<TableSize> {
  const { rows } = await sql.query(`SELECT pg_table_size('backie_tasks') AS t, pg_indexes_size('backie_tasks') AS i,
    (SELECT count(*) FROM backie_tasks) AS n`);
  return { tableMb: Number(rows[0].t) / 2 ** 20, indexesMb: Number(rows[0].i) / 2 ** 20, rows: Number(rows[0].n) };
}

/**
 * Full-speed enqueue and processing (removeDone) for CHURN_MINUTES, with a 3 s lease so that
 * heartbeats run every second: table and index sizes must stay bounded. Then heartbeats alone on
 * a fixed set of claimed rows, for their HOT ratio.
 */
export async function churnScenario(minutes: number): Promise<void> {
  const cap = 8_000_000;
  await withDatabase(backie, async (url, sql) => {
    const start = await tableSize(sql);
    // Backie relies on autovacuum. A server with it off (as some test servers are) gets a plain
    // VACUUM every 20 s instead, as an autovacuum tuned by migration 0003 would run, and says so.
    const autovacuum = (await sql.query("SHOW autovacuum")).rows[0].autovacuum === "on";
    let vacuums = 0;
    const spec: WorkerSpec = { system: "backie", variant: "churn", url, concurrency: 50, expect: cap, backie: { leaseMs: 3_000 } };
    const worker = spawnWorker(spec);
    const client = await backie.client(url);
    let enqueued = 0;
    let running = true;
    const sizes: TableSize[] = [];
    // Side loops on their own connections, so that neither holds the producer back.
    const every = async (ms: number, body: () => Promise<void>): Promise<void> => {
      for (let next = Date.now() + ms; running; next += ms) {
        while (running && Date.now() < next) await sleep(Math.min(200, next - Date.now()));
        if (running) await body();
      }
    };
    const side: Array<Promise<void>> = [];
    try {
      await worker.ready;
      worker.go();
      const started = Date.now();
      const endAt = started + minutes * 60_000;
      side.push(every(60_000, async () => void sizes.push(await tableSize(sql))));
      if (!autovacuum) side.push(every(20_000, async () => void (await sql.query("VACUUM backie_tasks"), vacuums++)));
      // Keep at most 20,000 waiting: as fast as the worker takes them, without an unbounded queue.
      while (Date.now() < endAt && enqueued < cap - 1_000) {
        if (enqueued - worker.progress() > 20_000) {
          await sleep(5);
        } else {
          await client.enqueueMany(Array.from({ length: 1_000 }, (_, k) => ({ i: enqueued + k })));
          enqueued += 1_000;
        }
      }
      running = false;
      await Promise.all(side);
      await waitDrained(backie, sql, 120_000);
      const seconds = (Date.now() - started) / 1000;
      const result = await worker.stop();
      const check = exactlyOnce([result], enqueued);
      const end = await tableSize(sql);
      const stats = (await sql.query("SELECT n_tup_upd::bigint AS upd, n_tup_hot_upd::bigint AS hot, n_dead_tup::bigint AS dead, autovacuum_count AS av FROM pg_stat_user_tables WHERE relname = 'backie_tasks'")).rows[0];
      const peak = sizes.reduce((m, s) => Math.max(m, s.tableMb + s.indexesMb), end.tableMb + end.indexesMb);
      record({ scenario: "churn", system: "backie", variant: `${minutes} min enqueue + process, removeDone, lease 3 s`, tasksPerSecond: enqueued / seconds,
        note: `table ${start.tableMb.toFixed(1)} → ${end.tableMb.toFixed(1)} MB, indexes ${start.indexesMb.toFixed(1)} → ${end.indexesMb.toFixed(1)} MB, peak ${peak.toFixed(1)} MB; ` +
          `all updates HOT ${Number(stats.hot)}/${Number(stats.upd)} (${((100 * Number(stats.hot)) / Math.max(1, Number(stats.upd))).toFixed(0)}%, claims and finishes change state and cannot be); table + indexes each minute: ${sizes.map((z) => (z.tableMb + z.indexesMb).toFixed(0)).join(", ")} MB; ${autovacuum ? `autovacuums ${stats.av}` : `autovacuum off on this server: ${vacuums} manual VACUUMs`}`,
        verified: check.ok ? "ok" : `missing ${check.missing}, duplicates ${check.duplicates}` });
      for (const [i, s] of sizes.entries()) console.log(`  minute ${i + 1}: table ${s.tableMb.toFixed(1)} MB, indexes ${s.indexesMb.toFixed(1)} MB, ${s.rows} rows`);
    } finally {
      running = false;
      await Promise.all(side);
      await client.close();
      await exited(worker.child, 3_000);
    }
    // Heartbeats alone: 1,000 claimed rows, 20 lease extensions, counted from the table's stats.
    const store = new PgTaskStore({ connectionString: url, maxConnections: 1 });
    try {
      await fill(backie, url, 1_000);
      const leases = await store.claimTasks({ queueName: "default", taskNames: ["noop"], limit: 1_000, owner: "bench", leaseMs: 60_000 });
      const read = async () => {
        await store.pool.query("SELECT pg_stat_force_next_flush()");
        await sleep(600);
        const r = (await sql.query("SELECT n_tup_upd::bigint AS upd, n_tup_hot_upd::bigint AS hot FROM pg_stat_user_tables WHERE relname = 'backie_tasks'")).rows[0];
        return { upd: Number(r.upd), hot: Number(r.hot) };
      };
      const before = await read();
      for (let k = 0; k < 20; k++) await store.extendLeases(leases, 60_000);
      const after = await read();
      const upd = after.upd - before.upd;
      const hot = after.hot - before.hot;
      record({ scenario: "churn", system: "backie", variant: "heartbeats: 20 x 1,000 lease extensions", ratio: hot / Math.max(1, upd),
        note: `n_tup_hot_upd / n_tup_upd = ${hot} / ${upd}`, verified: upd === 20_000 ? "ok" : `counted ${upd} updates of 20000` });
    } finally {
      await store.close();
    }
  });
}

