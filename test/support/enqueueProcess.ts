/**
 * Enqueues the same unique task `BACKIE_TEST_TIMES` times at once from its own process and prints
 * each result as JSON, for the cross-process race test. Waits for a line on stdin to start, so
 * that every process fires together.
 */
import { enqueueFunction, PgTaskStore } from "../../src/index.js";
import { validatorFor } from "./tasks.js";

const store = new PgTaskStore({ connectionString: process.env.DATABASE_URL, maxConnections: 10 });
const enqueue = enqueueFunction<{ key: string }>(() => store, {
  name: "unique_race", queue: "race", maxRetries: 3, uniqueKey: (p) => p.key, validate: validatorFor({ type: "object" }),
});
const times = Number(process.env.BACKIE_TEST_TIMES ?? 100);
process.stdout.write("ready\n");
await new Promise((resolve) => process.stdin.once("data", resolve));
const results = await Promise.all(Array.from({ length: times }, () => enqueue({ key: "same-key" })));
process.stdout.write(`${JSON.stringify(results)}\n`);
await store.close();
process.exit(0);
