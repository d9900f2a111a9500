/**
 * The dashboard scenario: each page's server time on a big table (1,000,000 finished rows,
 * 100,000 ready, a few thousand failed), measured through the real request handler, and the
 * `backie status` count. The bar: every page's p95 under 150 ms.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createDashboard, PgTaskStore } from "../src/index.js";
import { record, withDatabase } from "./harness.js";
import { percentile } from "./stats.js";
import { backie } from "./systems.js";

const PAGES: Array<[string, string]> = [
  ["overview", "/"],
  ["tasks, newest", "/tasks"],
  ["tasks, page 100 back", "/tasks?before=@OLD"],
  ["tasks, state=failed", "/tasks?state=failed"],
  ["tasks, state=ready, queue", "/tasks?state=ready&queue=q1"],
  ["tasks, task name", "/tasks?task=report"],
  ["tasks, payload contains", "/tasks?payload=%7B%22account%22%3A%22acct-77%22%7D"],
  // Worst cases: nothing matches, so the whole history is looked through.
  ["tasks, payload contains, no match", "/tasks?payload=%7B%22account%22%3A%22nobody%22%7D"],
  ["tasks, task name, no match", "/tasks?task=nobody"],
  ["tasks, state=cancelled, none", "/tasks?state=cancelled"],
  ["task detail", "/tasks/@ID"],
  ["workers", "/workers"],
  ["schedules", "/schedules"],
];

export async function dashboardScenario(quick: boolean): Promise<void> {
  const finished = quick ? 50_000 : 1_000_000;
  const ready = quick ? 5_000 : 100_000;
  await withDatabase(backie, async (url, sql) => {
    // Seeded by SQL: the scenario measures reading, not enqueueing.
    await sql.query(`INSERT INTO backie_tasks (task_name, queue_name, state, payload, attempts, created_at, scheduled_at, started_at, finished_at)
      SELECT CASE WHEN g % 3 = 0 THEN 'report' ELSE 'mail' END, 'q' || (g % 4), CASE WHEN g % 500 = 0 THEN 'failed' ELSE 'done' END::backie_task_state,
             jsonb_build_object('account', 'acct-' || (g % 1000), 'n', g), 1,
             now() - interval '2 days' + g * interval '100 ms', now() - interval '2 days' + g * interval '100 ms',
             now() - interval '2 days' + g * interval '100 ms', now() - interval '2 days' + g * interval '100 ms'
      FROM generate_series(1, $1) g`, [finished]);
    await sql.query(`INSERT INTO backie_tasks (task_name, queue_name, payload)
      SELECT 'mail', 'q' || (g % 4), jsonb_build_object('account', 'acct-' || (g % 1000), 'n', g) FROM generate_series(1, $1) g`, [ready]);
    await sql.query("VACUUM ANALYZE backie_tasks");
    const { rows: [ids] } = await sql.query<{ max: string; old: string }>("SELECT max(id)::text AS max, (max(id) - 5000)::text AS old FROM backie_tasks");
    const store = new PgTaskStore({ connectionString: url, maxConnections: 4 });
    const handler = createDashboard({ store });
    const server = createServer((req, res) => handler(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      for (const [name, template] of PAGES) {
        const path = template.replace("@ID", ids!.max).replace("@OLD", ids!.old);
        const times: number[] = [];
        let status = 0;
        for (let i = 0; i < (quick ? 10 : 30); i++) {
          const started = performance.now();
          const response = await fetch(`${base}${path}`);
          await response.text();
          times.push(performance.now() - started);
          status = response.status;
        }
        const p95 = percentile(times, 95);
        record({
          scenario: "dashboard", system: "backie", variant: name, p50Ms: percentile(times, 50), p95Ms: p95,
          note: `${(finished / 1e6).toString()}M finished, ${ready / 1_000}k ready`,
          verified: status !== 200 ? `HTTP ${status}` : p95 < 150 ? "ok" : "p95 over 150 ms",
        });
      }
      const times: number[] = [];
      for (let i = 0; i < (quick ? 3 : 5); i++) {
        const started = performance.now();
        await store.countTasks();
        times.push(performance.now() - started);
      }
      record({ scenario: "dashboard", system: "backie", variant: "backie status (countTasks)", p50Ms: percentile(times, 50), p95Ms: percentile(times, 95), verified: "ok" });
    } finally {
      server.close();
      await store.close();
    }
  });
}
