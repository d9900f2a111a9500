/**
 * `enqueue_unique_batch`: Backie's batch enqueue of tasks with a unique key (`uniqueKey`), against
 * the same batches without one, in the same run: what deduplication costs per insert. 100,000
 * tasks in batches of 1,000, every key distinct (the common case: nothing to deduplicate), then
 * the same batches again (every key held: each comes back deduplicated, nothing inserted).
 */
import type { EnqueueFunction } from "../src/index.js";
import { bounded, record, withDatabase } from "./harness.js";
import { enqueueFunction, PgTaskStore } from "./runtime.js";
import { backie, POOL_SIZE, TASK, type Payload } from "./systems.js";
import { validatorFor } from "./validator.js";

export async function uniqueBatchScenario(n: number): Promise<void> {
  for (const unique of [false, true]) {
    await withDatabase(backie, async (url, sql) => {
      const store = new PgTaskStore({ connectionString: url, maxConnections: POOL_SIZE });
      const enqueue: EnqueueFunction<Payload> = enqueueFunction<Payload>(() => store, {
        name: TASK, queue: "default", maxRetries: 3, validate: validatorFor(),
        ...(unique ? { uniqueKey: (p: Payload) => `key-${p.i}` } : {}),
      });
      const batches = async (): Promise<{ seconds: number; deduplicated: number }> => {
        let deduplicated = 0;
        const started = performance.now();
        for (let i = 0; i < n; i += 1_000) {
          const results = await enqueue.many(Array.from({ length: Math.min(1_000, n - i) }, (_, k) => ({ i: i + k })));
          deduplicated += results.filter((r) => r.deduplicated).length;
        }
        return { seconds: (performance.now() - started) / 1000, deduplicated };
      };
      try {
        const first = await bounded("enqueue_unique_batch", 180_000, batches);
        const { rows } = await sql.query<{ n: number }>("SELECT count(*)::int AS n FROM backie_tasks");
        record({
          scenario: "enqueue_unique_batch", system: "backie", variant: unique ? "unique keys, all new" : "no key (the same batches)",
          tasksPerSecond: n / first.seconds, verified: rows[0]!.n === n && first.deduplicated === 0 ? "ok" : `stored ${rows[0]!.n} of ${n}`,
        });
        if (unique) {
          const again = await bounded("enqueue_unique_batch", 180_000, batches);
          const { rows: after } = await sql.query<{ n: number }>("SELECT count(*)::int AS n FROM backie_tasks");
          record({
            scenario: "enqueue_unique_batch", system: "backie", variant: "unique keys, all held (deduplicated)",
            tasksPerSecond: n / again.seconds, verified: after[0]!.n === n && again.deduplicated === n ? "ok" : `stored ${after[0]!.n}, deduplicated ${again.deduplicated} of ${n}`,
          });
        }
      } finally {
        await store.close();
      }
    });
  }
}
