/**
 * `idle_in_tx`: claims while the snapshot horizon is held. Tasks are enqueued at a fixed rate
 * (in small batches every 10 ms) to one Backie worker process for a clean phase, then for twice
 * as long while another session sits idle in a REPEATABLE READ transaction: its snapshot pins
 * the xmin horizon, so no dead row or index entry left by claims and deletes can be removed, and
 * claims walk past them. Reports, per phase, the claim statement's duration (timed in the worker)
 * and enqueue-to-start latency, p50 and p99; the ratio is the held phase's p99 over the clean one.
 */
import pg from "pg";
import { bounded, exited, record, waitDrained, withDatabase } from "./harness.js";
import { exactlyOnce, spawnWorker } from "./processes.js";
import { epochMs, percentile, sleep } from "./stats.js";
import { backie, type Payload } from "./systems.js";

const RATE = 800;
const TICK_MS = 10;

export async function idleInTxScenario(quick: boolean): Promise<void> {
  const cleanMs = quick ? 5_000 : 60_000;
  const heldMs = quick ? 10_000 : 120_000;
  const total = Math.ceil((RATE * (cleanMs + heldMs)) / 1000) + 2 * RATE;
  await withDatabase(backie, async (url, sql) => {
    const worker = spawnWorker({ system: "backie", variant: "idle_in_tx", url, concurrency: 10, expect: total, backie: { timeClaims: true } });
    const client = await backie.client(url);
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    let next = 0;
    /** Enqueues RATE tasks a second, each stamped, for `ms`. */
    const produce = async (ms: number): Promise<void> => {
      const perTick = Math.round((RATE * TICK_MS) / 1000);
      const end = performance.now() + ms;
      let due = performance.now();
      while (due < end) {
        const batch = Array.from({ length: perTick }, (): Payload => ({ i: next++, t: epochMs() }));
        await client.enqueueMany(batch);
        due += TICK_MS;
        await sleep(Math.max(0, due - performance.now()));
      }
    };
    try {
      await worker.ready;
      worker.go();
      await sleep(1_000);
      const cleanFrom = Date.now();
      await bounded("idle_in_tx clean", cleanMs + 30_000, () => produce(cleanMs));
      // The snapshot is taken by the first statement and held until COMMIT.
      await holder.query("BEGIN ISOLATION LEVEL REPEATABLE READ");
      await holder.query("SELECT count(*) FROM backie_tasks");
      const heldFrom = Date.now();
      await bounded("idle_in_tx held", heldMs + 30_000, () => produce(heldMs));
      const heldTo = Date.now();
      const { rows: horizon } = await sql.query<{ age: number }>(
        "SELECT max(age(backend_xmin))::int AS age FROM pg_stat_activity WHERE backend_xmin IS NOT NULL",
      );
      await holder.query("COMMIT");
      await waitDrained(backie, sql, 60_000);
      const result = await worker.stop();
      const check = exactlyOnce([result], next);
      const verified = check.ok ? "ok" : `missing ${check.missing}, duplicates ${check.duplicates}`;
      const phase = (pairs: number[], from: number, to: number): number[] => {
        const values: number[] = [];
        for (let k = 0; k < pairs.length; k += 2) if (pairs[k]! >= from && pairs[k]! < to) values.push(pairs[k + 1]!);
        return values;
      };
      const held = `xmin held ${heldMs / 1000} s (age ${horizon[0]?.age ?? "?"} xids at its end)`;
      for (const [what, pairs] of [["claim statement", result.claims ?? []], ["enqueue to start", result.startTimes ?? []]] as const) {
        const clean = phase(pairs, cleanFrom, heldFrom);
        const pinned = phase(pairs, heldFrom, heldTo);
        for (const [when, values] of [[`clean ${cleanMs / 1000} s`, clean], [held, pinned]] as const) {
          record({
            scenario: "idle_in_tx", system: "backie", variant: `${what}, ${RATE} tasks/s, ${when}`,
            p50Ms: percentile(values, 50), p95Ms: percentile(values, 95), p99Ms: percentile(values, 99),
            ...(values === pinned ? { ratio: percentile(pinned, 99) / percentile(clean, 99) } : {}),
            note: `${values.length} samples`, verified,
          });
        }
      }
    } finally {
      await holder.end().catch(() => {});
      await client.close();
      await exited(worker.child, 3_000);
    }
  });
}
