/**
 * The worker entrypoint (`runWorker`) with a health and metrics port, for tests of /healthz,
 * /readyz and /metrics. One task, `record` on queue "ops": sleeps `sleepMs`. Env: DATABASE_URL,
 * BACKIE_METRICS_PORT (0 = any; the entrypoint logs the port it took).
 */
import { defineTask, runWorker } from "../../src/index.js";
import { NO_APP, registered, registryOf } from "./tasks.js";

const record = defineTask({
  name: "record", queue: "ops",
  async run(payload: { sleepMs?: number }) {
    if (payload.sleepMs) await new Promise((resolve) => setTimeout(resolve, payload.sleepMs));
  },
});

await runWorker({ ...NO_APP, registry: registryOf(registered(record, { type: "object" })), shutdownTimeoutMs: 10_000 });
