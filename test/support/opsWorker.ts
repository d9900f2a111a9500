/**
 * The worker entrypoint (`runWorker`) with a health and metrics port, for tests of /healthz,
 * /readyz and /metrics. One task, `record` on queue "ops": sleeps `sleepMs`. Env: DATABASE_URL,
 * BACKIE_METRICS_PORT (0 = any; the entrypoint logs the port it took), OWN_METER.
 */
import { metrics } from "@opentelemetry/api";
import { MeterProvider } from "@opentelemetry/sdk-metrics";
import { defineTask, runWorker } from "../../src/index.js";
import { NO_APP, registered, registryOf } from "./tasks.js";

const record = defineTask({
  name: "record", queue: "ops",
  async run(payload: { sleepMs?: number }) {
    if (payload.sleepMs) await new Promise((resolve) => setTimeout(resolve, payload.sleepMs));
  },
});

// OWN_METER=1: the app registered a meter provider of its own before the worker starts.
if (process.env.OWN_METER === "1") metrics.setGlobalMeterProvider(new MeterProvider());

await runWorker({ ...NO_APP, registry: registryOf(registered(record, { type: "object" })), shutdownTimeoutMs: 10_000 });
