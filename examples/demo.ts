/**
 * `npm start`: enqueues the example tasks and runs a worker pool until every task has finished,
 * printing what happens. Uses DATABASE_URL, or an embedded PostgreSQL when it is unset.
 */
import settings from "../backie.worker.js";
import { createEnqueue } from "../generated/enqueue.js";
import { registry } from "../generated/registry.js";
import { formatEvent, PayloadValidationError, PgTaskStore, WorkerPool } from "../src/index.js";
import { demoDatabase } from "./embeddedDatabase.js";

const database = await demoDatabase();
const store = new PgTaskStore({ connectionString: database.url });
try {
  await store.migrate();
  const enqueue = createEnqueue(store);

  console.log("== enqueue");
  const first = await enqueue.sendWelcomeEmail({ to: "ada@example.com", name: "Ada", locale: "en" });
  const again = await enqueue.sendWelcomeEmail({ to: "ADA@example.com", name: "Ada" });
  console.log(`welcome email #${first.id}; same address again -> #${again.id} (deduplicated: ${again.deduplicated})`);
  await enqueue.sendWelcomeEmail({ to: "grace@example.com", name: "Grace", locale: "de" });
  const thumbs = await enqueue.resizeImage.many(
    [64, 128, 256, 512].map((size) => ({ sourceUrl: "https://example.com/cat.png", width: size, height: size, format: "webp" as const })),
  );
  console.log(`${thumbs.length} thumbnails in one statement: #${thumbs.map((t) => t.id).join(", #")}`);
  await enqueue.generateReport({ accountId: "acme", from: "2026-10-01", to: "2026-10-31", failFirstAttempts: 2, notify: "ops@acme.example" });
  await enqueue.generateReport({ accountId: "globex", from: "2026-10-01", to: "2026-10-31", failFirstAttempts: 99 });
  console.log("2 reports: one fails twice, then succeeds and enqueues its 'report ready' mail; one always fails");
  const order = await enqueue.fulfilOrder({ orderId: "order-7", amountCents: 4_200, coolOffMs: 500 });
  console.log(`order #${order.id}: charge once, sleep 0.5 s, then wait for the "approved" signal`);
  try {
    await enqueue.sendWelcomeEmail({ to: "not-an-address", name: "" });
  } catch (error) {
    if (!(error instanceof PayloadValidationError)) throw error;
    console.log(`rejected before storing: ${error.message}`);
  }

  console.log("\n== worker");
  // The same app context (a mailer) and queue settings as `npm run worker`. The pool also
  // reconciles and fires the schedules declared in tasks/ (check_uptime: every 5 seconds).
  let scheduledRuns = 0;
  const pool = new WorkerPool({
    ...settings, store, registry,
    onEvent: (event) => {
      if (event.type === "schedule:fired") scheduledRuns++;
      console.log(formatEvent(event));
    },
    log: { info: (m) => console.log(`  log: ${m}`), warn: (m) => console.log(`  warn: ${m}`), error: (m) => console.log(`  error: ${m}`) },
  });
  await pool.start();
  let approved = false;
  for (;;) {
    const counts = await store.countTasks();
    if (!approved && counts.some((c) => c.taskName === "fulfil_order" && c.waiting > 0)) {
      // What a webhook or an admin page would do: typed by the task's `signals`, addressed by its unique key.
      await enqueue.fulfilOrder.signal({ key: "order-7" }, "approved", { by: "ops@example.com", approved: true });
      console.log("order-7 is waiting: sent it the \"approved\" signal");
      approved = true;
    }
    // Until every enqueued task has finished and the recurring task has run at least once.
    if (scheduledRuns > 0 && !counts.some((c) => c.state === "ready" || c.state === "running")) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await pool.stop();

  console.log("\n== left in the table (removeDone keeps failures for a look)");
  for (const c of await store.countTasks()) console.log(`${c.queueName}/${c.taskName}: ${c.count} ${c.state}`);
} finally {
  await store.close();
  await database.stop();
}
